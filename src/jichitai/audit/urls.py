from django.urls import path

from jichitai.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("<int:event_id>/", views.event_detail, name="event"),
]
