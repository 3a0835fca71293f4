from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("", views.api_keys, name="api_keys"),
    path("<int:token_id>/thu-hoi/", views.revoke, name="revoke_api_key"),
]
