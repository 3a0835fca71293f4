"""Evaluation pages, mounted at ``/danh-gia/``."""

from django.urls import path

from . import staff_views, views

app_name = "evaluation"
urlpatterns = [
    path("", views.board, name="board"),
    path("cong-khai/", views.public, name="public"),
    path("thong-tu-01/", views.circular01_page, name="circular01"),
    path("chi-so-766/", views.index766_page, name="index766"),
    path("can-bo/", views.staff_page, name="staff"),
    path("khau-cham/", views.bottlenecks_page, name="bottlenecks"),
    path("phieu-danh-gia-thang.xlsx", views.monthly_sheet, name="monthly_sheet"),
    path("quay/", staff_views.counters_page, name="counters"),
    path("theo-doi/", staff_views.followups_page, name="followups"),
    path("theo-doi/<int:pk>/", staff_views.followup_page, name="followup"),
    path("phieu-bat-thuong/", staff_views.held_page, name="held"),
]
