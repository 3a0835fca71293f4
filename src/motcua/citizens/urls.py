"""Citizen pages under ``/cong-dan/``."""

from django.urls import path

from . import views

app_name = "citizens"
urlpatterns = [
    path("dang-nhap/", views.sign_in, name="sign_in"),
    path("nhap-ma/", views.enter_code, name="enter_code"),
    path("dang-xuat/", views.sign_out, name="sign_out"),
    path("ho-so/", views.my_dossiers, name="dossiers"),
    path("tai-khoan/", views.profile, name="profile"),
]
