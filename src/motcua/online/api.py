"""Citizen API of online submission (``/api/v1/citizen/online/``), behind the
citizen's session: the e-form of a procedure, the citizen's own drafts (a
draft of anyone else is 404), their files, and submitting a draft once per
``Idempotency-Key``. Errors are ``{"code", "message", "fields"}``."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.agencies.models import Agency
from motcua.citizens.access import current_citizen
from motcua.citizens.api import CitizenView
from motcua.core.api import ErrorSerializer, error_response
from motcua.core.errors import DomainError
from motcua.core.parsers import SafeJSONParser
from motcua.portal.qr import qr_path

from . import eform, selectors, services
from .models import Draft, DraftFile

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")  # visible ASCII, ≤ 100


ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        "Dữ liệu không hợp lệ: mã invalid (kèm fields) hoặc mã của quy tắc.",
    ),
    403: OpenApiResponse(ErrorSerializer, "Không phải công dân đã đăng nhập."),
    404: OpenApiResponse(ErrorSerializer, "Không tìm thấy (hoặc không phải của bạn)."),
    409: OpenApiResponse(ErrorSerializer, "Xung đột (phiên bản thủ tục, khóa)."),
}


# ------------------------------------------------------------ serializers
class OnlineComponentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    count = serializers.IntegerField()
    required = serializers.BooleanField()  # type: ignore[assignment]
    filled_by_eform = serializers.BooleanField()


class OnlineAgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class OnlineEFormSerializer(serializers.Serializer):
    procedure = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    schema = serializers.JSONField(help_text="Các phần và trường của tờ khai.")
    components = OnlineComponentSerializer(many=True)
    agencies = OnlineAgencySerializer(many=True)


class OnlineDraftFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    component = serializers.IntegerField(source="component_id")
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class OnlineDraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    procedure = serializers.CharField(source="version.procedure.code")
    version = serializers.IntegerField(source="version.number")
    agency = serializers.CharField(source="agency.code", allow_null=True)
    applicant = serializers.JSONField()
    answers = serializers.JSONField()
    return_method = serializers.CharField()
    notify_channels = serializers.ListField(child=serializers.CharField())
    files = OnlineDraftFileSerializer(many=True, source="files.all")
    problems = serializers.SerializerMethodField(
        help_text="Những gì còn thiếu hoặc chưa đúng; rỗng: có thể nộp."
    )
    updated_at = serializers.DateTimeField()

    def get_problems(self, draft: Draft) -> dict[str, str]:
        from motcua.core import clock

        return services.problems(draft, clock.today())


class OnlineDraftWriteSerializer(serializers.Serializer):
    procedure = serializers.CharField(
        required=False, help_text="Mã thủ tục (chỉ khi tạo mới)."
    )
    agency = serializers.CharField(
        required=False, allow_blank=True, help_text="Mã cơ quan giải quyết."
    )
    applicant = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False
    )
    answers = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        required=False,
    )
    return_method = serializers.ChoiceField(
        choices=Draft.ReturnMethod.choices, required=False
    )
    notify_channels = serializers.ListField(
        child=serializers.CharField(), required=False
    )


class OnlineFileUploadSerializer(serializers.Serializer):
    component = serializers.IntegerField()
    file = serializers.FileField()


class OnlineSubmittedSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    tracking_url = serializers.CharField()


# ------------------------------------------------------------ helpers
def _invalid(error: DomainError) -> Response:
    fields = getattr(error, "fields", None)
    extra = {"fields": fields} if fields else {}
    return error_response(error.code, error.message, error.status, **extra)


def _agency(code: str) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise DomainError(
            "online.unknown_agency", f"Không có cơ quan nào mang mã «{code}»."
        )
    return agency


def _input(draft: Draft, body: dict[str, Any]) -> services.DraftInput:
    """The draft's values, replaced by what ``body`` gives."""
    agency = _agency(body["agency"]) if "agency" in body else draft.agency
    return services.DraftInput(
        agency=agency,
        applicant=body.get("applicant", draft.applicant),
        answers=body.get("answers", draft.answers),
        return_method=body.get("return_method", draft.return_method),
        notify_channels=body.get("notify_channels", draft.notify_channels),
    )


def _drafts(request: Request) -> QuerySet[Draft]:
    return selectors.drafts_of(request.user).prefetch_related("files")


# ------------------------------------------------------------ views
DRAFT_ID = OpenApiParameter(
    "draft_id", int, OpenApiParameter.PATH, description="Mã hồ sơ đang soạn."
)
DRAFT_FILE_ID = OpenApiParameter(
    "file_id", int, OpenApiParameter.PATH, description="Mã tệp của hồ sơ đang soạn."
)
PROCEDURE_CODE = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    description="Mã thủ tục trong CSDL quốc gia, ví dụ 1.001193.",
)


class EFormView(CitizenView):
    @extend_schema(
        tags=["citizen"],
        operation_id="citizen_online_eform",
        parameters=[PROCEDURE_CODE],
        summary="Tờ khai điện tử và thành phần hồ sơ của một thủ tục",
        responses={200: OnlineEFormSerializer, **ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        """Phiên bản đang áp dụng của thủ tục: tờ khai (nếu có), giấy tờ cần
        tải lên và các cơ quan nhận hồ sơ."""
        version = selectors.version_for(code)
        schema = selectors.schema_for(version)
        body = {
            "procedure": version.procedure.code,
            "version": version.number,
            "name": version.name,
            "title": schema.title if schema else "",
            "schema": schema.schema if schema else {},
            "components": [
                {
                    "id": c.pk,
                    "name": c.name,
                    "kind": c.kind,
                    "count": c.count,
                    "required": c.required,
                    "filled_by_eform": bool(
                        schema and eform.fills(schema.schema, c.name)
                    ),
                }
                for c in version.components.all()
            ],
            "agencies": [
                {"code": a.code, "name": a.name}
                for a in selectors.agencies_for(version)
            ],
        }
        return Response(OnlineEFormSerializer(body).data)


class DraftListView(CitizenView):
    parser_classes = [SafeJSONParser]

    @extend_schema(
        tags=["citizen"],
        operation_id="citizen_online_drafts_list",
        summary="Hồ sơ đang soạn của tôi",
        responses={200: OnlineDraftSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        rows = list(_drafts(request)[:50])
        return Response(OnlineDraftSerializer(rows, many=True).data)

    @extend_schema(
        tags=["citizen"],
        operation_id="citizen_online_drafts_create",
        summary="Tạo hồ sơ đang soạn (điền sẵn từ tài khoản)",
        request=OnlineDraftWriteSerializer,
        responses={201: OnlineDraftSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        body = OnlineDraftWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if not data.get("procedure"):
            raise DomainError("online.procedure_required", "Cần nêu mã thủ tục.")
        version = selectors.version_for(data["procedure"])
        citizen = current_citizen(request._request)
        draft = services.draft_start(request.user, version, citizen=citizen)
        try:
            draft = services.draft_save(draft, _input(draft, data))
        except DomainError as error:
            return _invalid(error)
        return Response(
            OnlineDraftSerializer(draft).data, status=status.HTTP_201_CREATED
        )


class DraftDetailView(CitizenView):
    parser_classes = [SafeJSONParser]

    @extend_schema(
        tags=["citizen"],
        operation_id="citizen_online_drafts_retrieve",
        parameters=[DRAFT_ID],
        summary="Một hồ sơ đang soạn",
        responses={200: OnlineDraftSerializer, **ERRORS},
    )
    def get(self, request: Request, draft_id: int) -> Response:
        return Response(
            OnlineDraftSerializer(selectors.draft_of(request.user, draft_id)).data
        )

    @extend_schema(
        tags=["citizen"],
        operation_id="citizen_online_drafts_update",
        parameters=[DRAFT_ID],
        summary="Sửa hồ sơ đang soạn (chỉ các phần gửi lên)",
        request=OnlineDraftWriteSerializer,
        responses={200: OnlineDraftSerializer, **ERRORS},
    )
    def patch(self, request: Request, draft_id: int) -> Response:
        draft = selectors.draft_of(request.user, draft_id)
        body = OnlineDraftWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        try:
            draft = services.draft_save(draft, _input(draft, dict(body.validated_data)))
        except DomainError as error:
            return _invalid(error)
        return Response(OnlineDraftSerializer(draft).data)

    @extend_schema(
        tags=["citizen"],
        operation_id="citizen_online_drafts_destroy",
        parameters=[DRAFT_ID],
        summary="Xóa hồ sơ đang soạn",
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, draft_id: int) -> Response:
        services.draft_delete(selectors.draft_of(request.user, draft_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftFilesView(CitizenView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["citizen"],
        operation_id="citizen_online_draft_files_create",
        parameters=[DRAFT_ID],
        summary="Tải lên một tệp cho một giấy tờ của hồ sơ đang soạn",
        request={"multipart/form-data": OnlineFileUploadSerializer},
        responses={201: OnlineDraftFileSerializer, **ERRORS},
    )
    def post(self, request: Request, draft_id: int) -> Response:
        """PDF, JPEG hoặc PNG, kiểm tra theo nội dung tệp và dung lượng."""
        draft = selectors.draft_of(request.user, draft_id)
        body = OnlineFileUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        component, upload = (
            body.validated_data["component"],
            body.validated_data["file"],
        )
        before = set(draft.files.values_list("pk", flat=True))
        try:
            services.draft_save(draft, _input(draft, {}), add={component: [upload]})
        except DomainError as error:
            return _invalid(error)
        item = draft.files.exclude(pk__in=before).get()
        return Response(
            OnlineDraftFileSerializer(item).data, status=status.HTTP_201_CREATED
        )


class DraftFileView(CitizenView):
    @extend_schema(
        tags=["citizen"],
        operation_id="citizen_online_draft_files_destroy",
        parameters=[DRAFT_ID, DRAFT_FILE_ID],
        summary="Bỏ một tệp của hồ sơ đang soạn",
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, draft_id: int, file_id: int) -> Response:
        draft = selectors.draft_of(request.user, draft_id)
        if not DraftFile.objects.filter(draft=draft, pk=file_id).exists():
            raise DomainError(
                "online.file_not_found", "Không tìm thấy tệp này.", status=404
            )
        services.draft_save(draft, _input(draft, {}), remove=[file_id])
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftSubmitView(CitizenView):
    @extend_schema(
        tags=["citizen"],
        operation_id="citizen_online_drafts_submit",
        summary="Nộp hồ sơ đang soạn",
        request=None,
        parameters=[
            DRAFT_ID,
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="Khóa chống nộp trùng khi gửi lại (1–100 ký tự ASCII).",
            ),
        ],
        responses={
            201: OnlineSubmittedSerializer,
            200: OpenApiResponse(
                OnlineSubmittedSerializer, "Gửi lại: hồ sơ đã nộp trước đó."
            ),
            **ERRORS,
        },
    )
    def post(self, request: Request, draft_id: int) -> Response:
        """Tạo hồ sơ «Chờ tiếp nhận» ở bộ phận một cửa; cùng khóa (hoặc hồ sơ
        đang soạn đã nộp) trả lại đúng hồ sơ đó."""
        key = request.headers.get("Idempotency-Key") or ""
        if not IDEMPOTENCY_KEY.match(key):
            raise DomainError(
                "idempotency.invalid_key",
                "Cần tiêu đề Idempotency-Key gồm 1–100 ký tự ASCII in được.",
            )
        draft = selectors.own_draft(request.user, draft_id)
        if draft is None:
            raise selectors.not_found()
        try:
            dossier, replayed = services.draft_submit(request.user, draft, key)
        except DomainError as error:
            return _invalid(error)
        body = {
            "code": dossier.code,
            "status": dossier.status,
            "tracking_url": request.build_absolute_uri(qr_path(dossier)),
        }
        response = Response(
            OnlineSubmittedSerializer(body).data,
            status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
        )
        response["Idempotent-Replayed"] = "true" if replayed else "false"
        return response
