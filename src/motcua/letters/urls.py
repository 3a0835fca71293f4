"""Mounted at ``thu-gui-kem/`` (config/urls.py)."""

from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("can-bo/<str:code>.pdf", views.staff_letter, name="staff_pdf"),
    path("cong-dan/<str:code>.pdf", views.citizen_letter, name="citizen_pdf"),
]
