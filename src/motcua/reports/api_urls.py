from django.urls import path

from . import api

urlpatterns = [
    path("bieu06", api.Bieu06View.as_view(), name="reports-bieu06"),
    path(
        "bieu06/dossiers",
        api.Bieu06DossiersView.as_view(),
        name="reports-bieu06-dossiers",
    ),
]
