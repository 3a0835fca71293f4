from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("bieu-06/", views.bieu06_page, name="bieu06"),
    path("bieu-06/ho-so", views.bieu06_dossiers_page, name="bieu06-dossiers"),
    path("bieu-06/xlsx", views.bieu06_xlsx_view, name="bieu06-xlsx"),
    path("bieu-06/pdf", views.bieu06_pdf_view, name="bieu06-pdf"),
]
