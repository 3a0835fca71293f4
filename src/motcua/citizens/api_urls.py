"""Citizen API under ``/api/v1/citizen/``."""

from django.urls import path

from . import api

app_name = "citizens_api"
urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path("dossiers/", api.DossiersView.as_view(), name="dossiers"),
]
