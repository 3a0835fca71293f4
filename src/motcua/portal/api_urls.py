"""The public catalogue API (issue 12 item 6), mounted at ``/api/v1/public/``."""

from django.urls import URLPattern, URLResolver, path

from . import public_api

app_name = "public_api"
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "procedures/",
        public_api.ProcedureSearchView.as_view(),
        name="procedures",
    ),
    path(
        "procedures/<str:code>/",
        public_api.ProcedureDetailView.as_view(),
        name="procedure",
    ),
    path(
        "procedures/<str:code>/agencies/",
        public_api.ProcedureAgenciesView.as_view(),
        name="procedure_agencies",
    ),
    path("fields/", public_api.FieldListView.as_view(), name="fields"),
]
