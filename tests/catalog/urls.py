"""The project's URLs plus the catalogue API (until the lead wires it)."""

from django.urls import include, path

from motcua.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/v1/procedures/", include("motcua.catalog.api_urls")),
    *project_urlpatterns,
]
