"""The agencies' transparency pages (issue 13 item 4), mounted at ``/cong-khai/``."""

from django.urls import URLPattern, URLResolver, path

from . import transparency

app_name = "transparency"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", transparency.index, name="index"),
    path("<str:code>/", transparency.agency, name="agency"),
]
