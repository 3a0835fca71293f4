"""``/api/v1/dossiers/``: list and receive, detail, one URL per action, files."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.DossierListView.as_view(), name="api-dossiers"),
    path("<str:code>/", api.DossierDetailView.as_view(), name="api-dossier"),
    path(
        "<str:code>/files/",
        api.DossierFileUploadView.as_view(),
        name="api-dossier-files",
    ),
    path(
        "<str:code>/files/<int:file_id>/",
        api.DossierFileDownloadView.as_view(),
        name="api-dossier-file",
    ),
    *[
        path(f"<str:code>/{action}/", view.as_view(), name=f"api-dossier-{action}")
        for action, view in api.ACTION_VIEWS.items()
    ],
    path(
        "<str:code>/<str:action>/",
        api.UnknownActionView.as_view(),
        name="api-dossier-unknown-action",
    ),
]
