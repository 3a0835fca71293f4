"""The project's URLs plus the letters app (until config/urls.py mounts it)."""

from django.urls import include, path

from motcua.config.urls import urlpatterns as project

urlpatterns = [*project, path("thu-gui-kem/", include("motcua.letters.urls"))]
