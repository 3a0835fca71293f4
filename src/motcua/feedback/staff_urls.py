"""Back-office pages of the feedback box, mounted at ``/can-bo/phan-anh/``."""

from django.urls import URLPattern, URLResolver

app_name = "feedback_staff"
urlpatterns: list[URLPattern | URLResolver] = []
