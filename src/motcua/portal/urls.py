from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("qr/<str:token>/", views.qr, name="qr"),
    path("<str:code>", views.dossier, name="dossier"),
]
