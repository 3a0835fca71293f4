from django.urls import path

from . import views

app_name = "signing"
urlpatterns = [
    path("chung-thu/", views.certificates, name="certificates"),
    path(
        "chung-thu/<int:pk>/ngung-su-dung/",
        views.certificate_deactivate,
        name="certificate_deactivate",
    ),
    path("goc-tin-cay/", views.trusted_roots, name="trusted_roots"),
    path(
        "goc-tin-cay/<int:pk>/xoa/",
        views.trusted_root_delete,
        name="trusted_root_delete",
    ),
    path("lich-truc/", views.duty_week, name="duty"),
    path("lich-truc/<int:pk>/xoa/", views.duty_remove, name="duty_remove"),
    path("phe-duyet/<int:dossier_id>/", views.approve_sign, name="approve_sign"),
    path("xac-minh/<int:file_id>/", views.verify, name="verify"),
]
