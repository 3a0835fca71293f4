"""Placeholder: routes are added by issue 12 work."""

from django.urls import URLPattern, URLResolver

app_name = "citizens_api"
urlpatterns: list[URLPattern | URLResolver] = []
