from django.urls import path

from jichitai.accounts import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.api_tokens, name="list"),
    path("<int:token_id>/revoke/", views.api_token_revoke, name="revoke"),
]
