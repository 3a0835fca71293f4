from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from motcua.notifications import receipts as notification_receipts

admin.site.site_header = _("MotCua — Quản trị hệ thống một cửa điện tử")
admin.site.site_title = "MotCua"
admin.site.index_title = _("Quản trị")

# Under /api/ an unknown URL answers the API's JSON error body (core.api).
handler404 = "motcua.core.api.not_found"

urlpatterns = [
    path("", include("motcua.core.urls")),
    path("lich-lam-viec/", include("motcua.deadlines.urls")),
    path("api/v1/calendar/", include("motcua.deadlines.api_urls")),
    path("api/v1/auth/", include("motcua.agencies.auth_urls")),
    path("api/v1/agencies/", include("motcua.agencies.api_urls")),
    path("api/v1/dossiers/", include("motcua.dossiers.api_urls")),
    path("api/v1/procedures/", include("motcua.catalog.api_urls")),
    path("api/v1/reports/", include("motcua.reports.api_urls")),
    path("api/v1/public/", include("motcua.portal.api_urls")),
    path("api/v1/citizen/online/", include("motcua.online.api_urls")),
    path("api/v1/citizen/", include("motcua.citizens.api_urls")),
    path("api/v1/payments/", include("motcua.payments.api_urls")),
    path("api/v1/exchange/", include("motcua.exchange.api_urls")),
    path("api/v1/national-portal/", include("motcua.nationalportal.api_urls")),
    path(
        "api/v1/notifications/receipts/",
        notification_receipts.receive_receipt,
        name="notification-receipts",
    ),
    path("can-bo/khoa-api/", include("motcua.security.urls")),  # security: API keys
    path("can-bo/phan-anh/", include("motcua.feedback.staff_urls")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("can-bo/phieu/", include("motcua.slips.urls")),
    path("can-bo/ky-so/", include("motcua.signing.urls")),
    path("bao-cao/", include("motcua.reports.urls")),
    path("danh-gia/", include("motcua.evaluation.urls")),
    path("danh-gia-hai-long/", include("motcua.evaluation.public_urls")),
    path("tra-cuu/", include("motcua.portal.urls")),
    path("thu-tuc/", include("motcua.portal.catalogue_urls")),
    path("cong-khai/", include("motcua.portal.transparency_urls")),
    path("cong-dan/", include("motcua.citizens.urls")),
    path("nop-ho-so/", include("motcua.online.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("phan-anh/", include("motcua.feedback.urls")),
    path("thu-gui-kem/", include("motcua.letters.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # The split view serves its start-up script as a file: no inline script
        # under the Content-Security-Policy.
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
