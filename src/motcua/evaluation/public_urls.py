"""Public satisfaction pages (issue 13 items 1–2), at ``/danh-gia-hai-long/``."""

from django.urls import path

from . import api, public_views

app_name = "satisfaction"
urlpatterns = [
    path("quay/<int:counter>/", public_views.kiosk_page, name="kiosk"),
    path("quay/<int:counter>/cai-dat/", public_views.kiosk_setup, name="kiosk_setup"),
    path("ho-so/<str:token>/", public_views.rate_page, name="rate"),
    path("api/kiosk/state/", api.KioskStateView.as_view(), name="api_kiosk_state"),
    path("api/kiosk/scan/", api.KioskScanView.as_view(), name="api_kiosk_scan"),
    path("api/kiosk/votes/", api.KioskVoteView.as_view(), name="api_kiosk_vote"),
    path("api/ratings/", api.OnlineRatingView.as_view(), name="api_rating"),
]
