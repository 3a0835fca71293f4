"""The admin page "Nhập từ CSDL quốc gia": upload → preview → confirm.

The uploaded file is kept in the default storage under its SHA-256 between the
preview and the confirmation; the confirmation names that hash and the preview's
digest, so it applies exactly what was previewed (``national.import_national``
refuses a changed file or a catalogue that moved meanwhile). Screens render;
the import decides.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import clock
from motcua.core.dates import input_formats
from motcua.core.errors import DomainError
from motcua.dossiers.uploads import check_size

from .changes import CHANGED, NEW, UNCHANGED, digest
from .importing import ImportReport
from .national import import_national

STORAGE_DIR = "catalog/national"
SUFFIXES = (".json", ".xlsx")
HASH = re.compile(r"^[0-9a-f]{64}$")
KEEP_FOR = timedelta(days=1)  # an unconfirmed preview's file


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp của CSDL quốc gia (.json hoặc .xlsx)"),
    )
    effective = forms.DateField(
        label=gettext_lazy("Ngày áp dụng phiên bản mới"),
        required=False,
        input_formats=input_formats("DATE"),
        help_text=gettext_lazy(
            "Để trống: dùng ngày hiệu lực của quyết định công bố ghi trong tệp. "
            "Phiên bản đang áp dụng kết thúc vào ngày hôm trước."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(
                _("Chỉ nhận tệp .json hoặc .xlsx."), code="catalog.national_suffix"
            )
        try:
            check_size(upload.size)
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return upload


class ConfirmForm(forms.Form):
    sha256 = forms.RegexField(regex=HASH, widget=forms.HiddenInput)
    suffix = forms.ChoiceField(choices=[(s, s) for s in SUFFIXES])
    effective = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    digest = forms.RegexField(regex=HASH, widget=forms.HiddenInput)


def _stored_name(sha256: str, suffix: str) -> str:
    return f"{STORAGE_DIR}/{sha256}{suffix}"


def _keep(content: bytes, sha256: str, suffix: str) -> None:
    """Keep the previewed file; previews never confirmed go after a day."""
    name = _stored_name(sha256, suffix)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    stale = clock.now() - KEEP_FOR
    for other in default_storage.listdir(STORAGE_DIR)[1]:
        path = f"{STORAGE_DIR}/{other}"
        if path != name and default_storage.get_modified_time(path) < stale:
            default_storage.delete(path)


def _read_kept(sha256: str, suffix: str) -> bytes:
    name = _stored_name(sha256, suffix)
    if not default_storage.exists(name):
        raise DomainError(
            "catalog.national_file_missing",
            _("Không còn tệp đã xem trước; hãy tải lên lại."),
        )
    with default_storage.open(name, "rb") as stored:
        data: bytes = stored.read()
    return data


def _context(
    model_admin: ModelAdmin, request: HttpRequest, **extra: Any
) -> dict[str, Any]:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Nhập thủ tục từ CSDL quốc gia"),
        **extra,
    }


def _preview_context(report: ImportReport) -> dict[str, Any]:
    return {
        "report": report,
        "new": [c for c in report.changes if c.kind == NEW],
        "changed": [c for c in report.changes if c.kind == CHANGED],
        "unchanged": [c for c in report.changes if c.kind == UNCHANGED],
    }


def national_import_view(model_admin: ModelAdmin, request: HttpRequest) -> HttpResponse:
    """Upload (GET/POST ``preview``) or confirm (POST ``apply``)."""
    user = request.user
    if not (
        model_admin.has_change_permission(request)
        and user.has_perm("catalog.add_procedureversion")
    ):
        raise PermissionDenied
    template = "admin/catalog/national_import.html"
    if request.method == "POST" and "apply" in request.POST:
        return _apply(model_admin, request, template)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(
            request, template, _context(model_admin, request, form=form)
        )
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower()
    content = upload.read()
    effective: date | None = form.cleaned_data["effective"]
    national, report = import_national(content, suffix, effective=effective)
    if report.ok:
        _keep(content, national.sha256, suffix)
    confirm = ConfirmForm(
        initial={
            "sha256": national.sha256,
            "suffix": suffix,
            "effective": effective.isoformat() if effective else "",
            "digest": digest(report.changes),
        }
    )
    return TemplateResponse(
        request,
        template,
        _context(
            model_admin,
            request,
            form=UploadForm(),
            confirm=confirm if report.ok else None,
            file_name=upload.name,
            **_preview_context(report),
        ),
    )


def _apply(
    model_admin: ModelAdmin, request: HttpRequest, template: str
) -> HttpResponse:
    confirm = ConfirmForm(request.POST)
    error = ""
    if not confirm.is_valid():
        error = _("Yêu cầu xác nhận không hợp lệ; hãy tải lên và xem trước lại.")
    else:
        data = confirm.cleaned_data
        try:
            content = _read_kept(data["sha256"], data["suffix"])
            report = import_national(
                content,
                data["suffix"],
                effective=data["effective"],
                apply=True,
                expected_sha256=data["sha256"],
                expected_digest=data["digest"],
            )[1]
        except DomainError as exc:
            error = exc.message
        else:
            if report.ok and report.applied:
                default_storage.delete(_stored_name(data["sha256"], data["suffix"]))
                messages.success(request, report.summary())
                return HttpResponseRedirect(
                    reverse("admin:catalog_procedure_changelist")
                )
            error = _("Tệp có lỗi, không nhập gì.")
    return TemplateResponse(
        request,
        template,
        _context(model_admin, request, form=UploadForm(), error=error),
        status=409,
    )
