from django.urls import path

from . import api

urlpatterns = [path("token/", api.TokenView.as_view(), name="api-auth-token")]
