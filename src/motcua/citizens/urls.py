"""Citizen pages under ``/cong-dan/``."""

from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from . import views

app_name = "citizens"
urlpatterns = [
    path("", RedirectView.as_view(url=reverse_lazy("citizens:dossiers")), name="home"),
    path("dang-nhap/", views.sign_in, name="sign_in"),
    path("nhap-ma/", views.enter_code, name="enter_code"),
    path("dang-xuat/", views.sign_out, name="sign_out"),
    path("ho-so/", views.my_dossiers, name="dossiers"),
    path("tai-khoan/", views.profile, name="profile"),
]
