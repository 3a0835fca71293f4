"""The project's URLs plus the evaluation pages (until the lead mounts them)."""

from django.urls import include, path

from motcua.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("danh-gia/", include("motcua.evaluation.urls")),
    *project_urlpatterns,
]
