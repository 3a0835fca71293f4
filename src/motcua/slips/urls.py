from django.urls import path

from . import views

app_name = "slips"
urlpatterns = [
    path("so-theo-doi/", views.register, name="register"),
    path("<str:code>/<slug:kind>.pdf", views.slip_pdf, name="slip"),
]
