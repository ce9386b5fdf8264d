from django.urls import path

from jichitai.collaboration import views

app_name = "collaboration"

urlpatterns = [
    path("", views.home, name="home"),
    path("adoption/", views.adoption, name="adoption"),
    path("surveys/<int:request_id>/", views.survey_answer, name="survey"),
    path("initiatives/<int:initiative_id>/", views.initiative_detail, name="initiative"),
    path("initiatives/new/", views.initiative_create, name="initiative_create"),
    path("initiatives/<int:initiative_id>/sessions/", views.session_add, name="session_add"),
    path(
        "initiatives/<int:initiative_id>/participations/",
        views.participation_record,
        name="participation_record",
    ),
    path(
        "initiatives/<int:initiative_id>/sessions/<int:session_id>/materials/",
        views.material_add,
        name="material_add",
    ),
    path("materials/<int:material_id>/", views.material_download, name="material"),
    path("initiatives/<int:initiative_id>/send-survey/", views.send_survey, name="send_survey"),
]
