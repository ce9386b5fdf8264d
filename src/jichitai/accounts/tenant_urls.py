from django.urls import path

from jichitai.accounts import tenant_views

app_name = "api_tokens"

urlpatterns = [
    path("", tenant_views.api_tokens, name="list"),
    path("<int:token_id>/revoke/", tenant_views.api_token_revoke, name="revoke"),
]
