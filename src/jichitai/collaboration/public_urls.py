from django.urls import path

from jichitai.collaboration import public_views

app_name = "collaboration_public"

urlpatterns = [
    path("o/<str:org_code>/municipal-figures/", public_views.peer_figures, name="peer_figures"),
    path(
        "o/<str:org_code>/municipal-figures.<str:fmt>",
        public_views.peer_figures_data,
        name="peer_figures_data",
    ),
]
