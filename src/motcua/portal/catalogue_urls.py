"""The public catalogue (issue 12 item 1), mounted at ``/thu-tuc/``."""

from django.urls import URLPattern, URLResolver, path

from . import catalogue, posters

app_name = "catalogue"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", catalogue.index, name="index"),
    path("co-quan/<str:agency_code>/", catalogue.agency, name="agency"),
    path(
        "co-quan/<str:agency_code>/ma-qr.pdf",
        posters.agency_posters,
        name="agency_posters",
    ),
    path("<str:code>/", catalogue.procedure, name="procedure"),
    path("<str:code>/ma-qr.pdf", posters.procedure_poster, name="poster"),
    path(
        "<str:code>/mau/<int:component_id>/",
        catalogue.blank_form,
        name="blank_form",
    ),
]
