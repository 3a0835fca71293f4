"""Citizen API of online submission, mounted at ``/api/v1/citizen/online/``."""

from django.urls import URLPattern, URLResolver, path

from . import api

app_name = "online_api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("procedures/<str:code>/eform/", api.EFormView.as_view(), name="eform"),
    path("drafts/", api.DraftListView.as_view(), name="drafts"),
    path("drafts/<int:draft_id>/", api.DraftDetailView.as_view(), name="draft"),
    path(
        "drafts/<int:draft_id>/files/", api.DraftFilesView.as_view(), name="draft_files"
    ),
    path(
        "drafts/<int:draft_id>/files/<int:file_id>/",
        api.DraftFileView.as_view(),
        name="draft_file",
    ),
    path(
        "drafts/<int:draft_id>/submit/",
        api.DraftSubmitView.as_view(),
        name="draft_submit",
    ),
]
