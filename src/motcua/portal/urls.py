from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("qr/<str:token>/", views.qr, name="qr"),
    path("bo-sung/<str:token>/", views.answer_supplement, name="supplement"),
    path(
        "ket-qua/<str:token>/<int:file_id>/",
        views.download_result,
        name="result",
    ),
    path("xac-thuc/", views.verify_document, name="verify"),
    path("<str:code>", views.dossier, name="dossier"),
]
