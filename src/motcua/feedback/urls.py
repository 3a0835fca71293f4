"""Feedback box pages (issue 13 item 3), mounted at ``/phan-anh/``."""

from django.urls import URLPattern, URLResolver

app_name = "feedback"
urlpatterns: list[URLPattern | URLResolver] = []
