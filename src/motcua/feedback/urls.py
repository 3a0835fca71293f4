"""Feedback box pages (issue 13 item 3), mounted at ``/phan-anh/``."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "feedback"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.send, name="send"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("da-tra-loi/", views.answered, name="answered"),
]
