"""Public satisfaction pages (issue 13 items 1-2), mounted at ``/danh-gia-hai-long/``."""

from django.urls import URLPattern, URLResolver

app_name = "satisfaction"
urlpatterns: list[URLPattern | URLResolver] = []
