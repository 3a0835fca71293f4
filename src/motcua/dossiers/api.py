"""Dossier API (thin): staff and integration clients receive, list, read and act
on the dossiers of their agencies.

Every view reads through ``selectors.dossiers_visible_now`` (the rows of
``dossiers_visible_to``, the caller's agencies read once; a dossier the caller
may not see is 404, its existence not revealed) and writes through one service;
errors are ``{"code", "message"}`` (``motcua.core.api``), never a 500.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from motcua.agencies.selectors import roles_read_once
from motcua.core.api import ErrorSerializer
from motcua.core.downloads import protected_file_response
from motcua.core.errors import DomainError
from motcua.core.parsers import SafeJSONParser
from motcua.privacy.services import record_read, record_reads

from . import files as file_ops
from . import serializers as s
from . import services, unit
from .idempotency import create_once, creating
from .models import Dossier
from .permissions import require_write_on, require_writer
from .selectors import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    created_for,
    dossier_for,
    dossier_row_page,
    dossiers_visible_now,
    is_code,
    parse_filters,
)
from .workflow import Action, Status

A = Action
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")  # visible ASCII, ≤ 100
IF_MATCH = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')

ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        "Dữ liệu không hợp lệ: mã invalid (kèm fields) hoặc mã của quy tắc.",
    ),
    401: OpenApiResponse(ErrorSerializer, "Chưa đăng nhập."),
    403: OpenApiResponse(ErrorSerializer, "Không có quyền."),
    404: OpenApiResponse(ErrorSerializer, "Không tìm thấy (hoặc không được xem)."),
    409: OpenApiResponse(ErrorSerializer, "Xung đột trạng thái hoặc phiên bản."),
    429: OpenApiResponse(
        ErrorSerializer,
        "Quá nhiều yêu cầu: auth.throttled (khóa sai) hoặc client.rate_limited "
        "(hệ thống tích hợp vượt giới hạn mỗi phút); chờ theo Retry-After.",
    ),
}


class DossierAPIView(APIView):
    """A dossier API request: the caller's roles are read once for all its
    permission checks (``roles_read_once``; these requests change no role)."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        with roles_read_once():
            return super().dispatch(request, *args, **kwargs)


def _not_found() -> DomainError:
    return DomainError(
        "dossier.not_found",
        "Không tìm thấy hồ sơ hoặc bạn không được xem hồ sơ này.",
        status=404,
    )


def _detail(request: Request, code: str, status: int = 200) -> Response:
    dossier = dossier_for(request.user, code)
    if dossier is None:  # pragma: no cover - just written or read
        raise _not_found()
    return _answer(request, dossier, status)


def _answer(request: Request, dossier: Dossier, status: int) -> Response:
    record_read(request.user, dossier=dossier, what="api_detail")
    return _body(request, dossier, status)


def _body(request: Request, dossier: Dossier, status: int) -> Response:
    body = s.DossierDetailSerializer(dossier, context={"request": request}).data
    return Response(body, status=status, headers={"ETag": f'"{dossier.lock_version}"'})


def _created(request: Request, dossier: Dossier, written: list[Any]) -> Dossier:
    """A dossier just created, as ``_detail`` reads it, from the rows its
    creation wrote (``selectors.created_for``), its reading logged: within the
    creation's transaction, so the log's line is written with the creation's
    last writes and commits with them (ADR 0038)."""
    found = created_for(request.user, dossier, written)
    if found is None:  # pragma: no cover - the creator sees what they created
        raise _not_found()  # (and the creation is undone)
    record_read(request.user, dossier=found, what="api_detail")
    return found


def _visible(request: Request, code: str) -> Dossier:
    if not is_code(code):
        raise _not_found()
    dossier = (
        dossiers_visible_now(request.user)
        .select_related("agency")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise _not_found()
    return dossier


# ------------------------------------------------------------------ list, create
DOSSIER_CODE = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    description="Mã hồ sơ, ví dụ 000.01.01.H17-250602-0001.",
)
FILE_ID = OpenApiParameter(
    "file_id", int, OpenApiParameter.PATH, description="Mã tệp (id trong files)."
)
DOWNLOAD_FORMAT = OpenApiParameter(
    "format",
    str,
    enum=["download", "json"],
    description="Không cần gửi: tệp được trả về với mọi Accept; lỗi luôn là JSON.",
)
LIST_PARAMETERS = [
    OpenApiParameter("agency", str, description="Mã cơ quan tiếp nhận."),
    OpenApiParameter(
        "status",
        str,
        description="Trạng thái; nhiều trạng thái cách nhau bởi dấu phẩy: "
        + ", ".join(Status.values),
    ),
    OpenApiParameter("procedure", str, description="Mã thủ tục (CSDL quốc gia)."),
    OpenApiParameter("field", str, description="Mã lĩnh vực."),
    OpenApiParameter(
        "channel",
        str,
        enum=["direct", "online", "postal"],
        description="Kênh nộp: trực tiếp, trực tuyến, bưu chính.",
    ),
    OpenApiParameter(
        "assignee", str, description="Tên đăng nhập cán bộ đang xử lý, hoặc «me»."
    ),
    OpenApiParameter(
        "overdue", bool, description="Đang xử lý và đã quá hạn (true) hoặc không."
    ),
    OpenApiParameter(
        "due_before",
        str,
        description="Hẹn trả trước thời điểm này: YYYY-MM-DD hoặc ngày giờ có múi giờ.",
    ),
    OpenApiParameter(
        "received_from", OpenApiTypes.DATE, description="Tiếp nhận từ ngày (giờ VN)."
    ),
    OpenApiParameter(
        "received_to", OpenApiTypes.DATE, description="Tiếp nhận đến hết ngày."
    ),
    OpenApiParameter(
        "q", str, description="Tìm theo mã hồ sơ và tên người nộp (không dấu)."
    ),
    OpenApiParameter(
        "ordering",
        str,
        enum=["-id", "due_at"],
        description="Mới nhất trước (-id, mặc định) hoặc hạn sớm nhất trước.",
    ),
    OpenApiParameter("cursor", str, description="Con trỏ trang sau (next_cursor)."),
    OpenApiParameter(
        "limit",
        int,
        description=f"Số hồ sơ mỗi trang: {DEFAULT_LIMIT}, tối đa {MAX_LIMIT}.",
    ),
]


def _request_hash(data: Any) -> str:
    canonical = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _create(actor: Any, data: dict[str, Any]) -> Dossier:
    applicant = services.ApplicantInput(**data["applicant"])
    components = tuple(services.ComponentInput(**c) for c in data.get("components", ()))
    dossier_input = services.DossierInput(
        agency=data["agency"],
        procedure=data["procedure"],
        channel=data["channel"],
        applicant=applicant,
        components=components,
        counter=data.get("counter"),
        place=data.get("received_by_agency"),
    )
    outcome, reason = data["outcome"], data.get("reason", "")
    if outcome == A.REQUEST_SUPPLEMENT:
        return services.dossier_request_supplement(
            actor, reason=reason, items=data.get("items", ()), data=dossier_input
        )
    if outcome == A.REFUSE:
        return services.dossier_refuse(actor, reason=reason, data=dossier_input)
    if outcome == A.SUBMIT_ONLINE:
        return services.dossier_submit_online(actor, dossier_input)
    return services.dossier_receive(actor, data=dossier_input)


class DossierListView(DossierAPIView):
    parser_classes = [SafeJSONParser]

    @extend_schema(
        tags=["dossiers"],
        operation_id="dossiers_list",
        summary="Danh sách hồ sơ",
        parameters=LIST_PARAMETERS,
        responses={200: s.DossierPageSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Hồ sơ của các cơ quan mà người gọi được xem, lọc và phân trang
        theo con trỏ (keyset)."""
        filters = parse_filters(request.query_params)
        page = dossier_row_page(request.user, filters)
        record_reads(request.user, page.items, what="api_list")
        next_url = None
        if page.next_cursor is not None:
            params = request.query_params.copy()
            params["cursor"] = page.next_cursor
            next_url = request.build_absolute_uri(
                f"{request.path}?{params.urlencode()}"
            )
        results = s.DossierListSerializer(
            page.items, many=True, context={"request": request}
        ).data
        return Response(
            {"results": results, "next_cursor": page.next_cursor, "next": next_url}
        )

    @extend_schema(
        tags=["dossiers"],
        operation_id="dossiers_create",
        summary="Tiếp nhận hồ sơ",
        request=s.DossierCreateSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Khóa chống tạo trùng khi gửi lại (tối đa 100 ký tự).",
            )
        ],
        responses={
            201: s.DossierDetailSerializer,
            200: OpenApiResponse(
                s.DossierDetailSerializer, "Gửi lại cùng khóa: hồ sơ đã tạo trước đó."
            ),
            **ERRORS,
        },
        examples=[
            OpenApiExample(
                "Tiếp nhận trực tiếp",
                request_only=True,
                value={
                    "agency": "000.01.01.H12",
                    "procedure": "1.001193",
                    "channel": "direct",
                    "applicant": {
                        "name": "Nguyễn Văn An",
                        "id_number": "048090001234",
                        "phone": "0905123456",
                    },
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        """Tiếp nhận (hoặc yêu cầu bổ sung, từ chối, ghi nhận nộp trực tuyến)
        một hồ sơ mới."""
        require_writer(request.user)  # a monitor: 403 before any data
        key = request.headers.get("Idempotency-Key")
        if key is not None and not IDEMPOTENCY_KEY.match(key):
            raise DomainError(
                "idempotency.invalid_key",
                "Idempotency-Key phải gồm 1–100 ký tự ASCII in được.",
            )
        with unit.remembered() as written:
            if key is None:
                with creating():
                    created = self._create(request, written)
                return _body(request, created, 201)
            digest = _request_hash(request.data)
            dossier, replayed = create_once(
                request.user, key, digest, lambda: self._create(request, written)
            )
        if replayed:  # the first answer, read again
            response = _detail(request, dossier.code, 200)
        else:
            response = _body(request, dossier, 201)
        response["Idempotent-Replayed"] = "true" if replayed else "false"
        return response

    def _create(self, request: Request, written: list[Any]) -> Dossier:
        body = s.DossierCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return _created(request, _create(request.user, body.validated_data), written)


class DossierDetailView(DossierAPIView):
    @extend_schema(
        tags=["dossiers"],
        operation_id="dossiers_retrieve",
        summary="Chi tiết hồ sơ",
        parameters=[DOSSIER_CODE],
        responses={200: s.DossierDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        """Hồ sơ với người nộp, giấy tờ, tệp, các bước xử lý, lấy ý kiến, lịch
        sử và các thao tác người gọi có thể thực hiện."""
        return _detail(request, code)


# ------------------------------------------------------------------ actions
@dataclass(frozen=True)
class ActionSpec:
    serializer: type[Serializer]
    service: Callable[..., Dossier]


ACTIONS: dict[str, ActionSpec] = {
    A.RECEIVE: ActionSpec(s.DossierActionSerializer, services.dossier_receive),
    A.REQUEST_SUPPLEMENT: ActionSpec(
        s.DossierSupplementSerializer, services.dossier_request_supplement
    ),
    A.RESUBMIT: ActionSpec(s.DossierNoteSerializer, services.dossier_resubmit),
    A.REFUSE: ActionSpec(s.DossierReasonSerializer, services.dossier_refuse),
    A.ASSIGN: ActionSpec(s.DossierAssignSerializer, services.dossier_assign),
    A.FORWARD: ActionSpec(s.DossierForwardSerializer, services.dossier_forward),
    A.CONSULT: ActionSpec(s.DossierConsultSerializer, services.dossier_consult),
    A.ANSWER_CONSULT: ActionSpec(
        s.DossierAnswerConsultSerializer, services.dossier_answer_consult
    ),
    A.SUBMIT: ActionSpec(s.DossierForwardSerializer, services.dossier_submit),
    A.APPROVE: ActionSpec(s.DossierApproveSerializer, services.dossier_approve),
    A.SEND_BACK: ActionSpec(s.DossierSendBackSerializer, services.dossier_send_back),
    A.REQUEST_PAYMENT: ActionSpec(
        s.DossierPaymentSerializer, services.dossier_request_payment
    ),
    A.RECORD_PAYMENT: ActionSpec(
        s.DossierActionSerializer, services.dossier_record_payment
    ),
    A.FINISH: ActionSpec(s.DossierFinishSerializer, services.dossier_finish),
    A.RETURN_RESULT: ActionSpec(
        s.DossierReturnResultSerializer, services.dossier_return_result
    ),
    A.WITHDRAW: ActionSpec(s.DossierReasonSerializer, services.dossier_withdraw),
    A.STOP: ActionSpec(s.DossierReasonSerializer, services.dossier_stop),
    A.EXTEND: ActionSpec(s.DossierExtendSerializer, services.dossier_extend),
    A.REMIND: ActionSpec(s.DossierRemindSerializer, services.dossier_remind),
}


def expected_version(request: Request, body: dict[str, Any]) -> int | None:
    """The version the caller read: ``If-Match`` (``"3"``, ``W/"3"`` or ``3``)
    or ``lock_version`` in the body; both given must agree."""
    from_body = body.pop("lock_version", None)
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return from_body
    match = IF_MATCH.match(header.strip())
    if match is None:
        raise DomainError(
            "dossier.invalid_if_match",
            'Tiêu đề If-Match phải là phiên bản hồ sơ (lock_version), ví dụ "3".',
        )
    version = int(match[1])
    if from_body is not None and from_body != version:
        raise DomainError(
            "dossier.invalid_if_match",
            "Tiêu đề If-Match và lock_version trong dữ liệu gửi lên khác nhau.",
        )
    return version


class DossierActionView(DossierAPIView):
    """Base of the per-action views (one URL and schema operation per action)."""

    action_name: str = ""
    parser_classes = [SafeJSONParser]

    def post(self, request: Request, code: str) -> Response:
        spec = ACTIONS[self.action_name]
        dossier = _visible(request, code)
        require_write_on(request.user, dossier)  # a monitor: 403 before any data
        body = spec.serializer(data=request.data)
        body.is_valid(raise_exception=True)
        arguments = dict(body.validated_data)
        version = expected_version(request, arguments)
        spec.service(request.user, dossier, **arguments, expected_version=version)
        return _detail(request, code)


def _action_view(action: str) -> type[DossierActionView]:
    spec = ACTIONS[action]
    label = str(Action(action).label)

    @extend_schema(
        tags=["dossier actions"],
        operation_id=f"dossiers_{action}",
        summary=label,
        description=f"{label} (thao tác «{action}»).",
        request=spec.serializer,
        parameters=[
            DOSSIER_CODE,
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                description='Phiên bản hồ sơ đã đọc (ETag), ví dụ "3"; '
                "khác phiên bản hiện tại → 409 dossier.changed.",
            ),
        ],
        responses={200: s.DossierDetailSerializer, **ERRORS},
    )
    def post(self: DossierActionView, request: Request, code: str) -> Response:
        return DossierActionView.post(self, request, code)

    name = "Dossier" + action.title().replace("_", "") + "View"
    return type(name, (DossierActionView,), {"action_name": action, "post": post})


ACTION_VIEWS = {action: _action_view(action) for action in ACTIONS}


@extend_schema(exclude=True)
class UnknownActionView(APIView):
    """Any other ``{code}/{action}/``: a JSON 404, not Django's HTML page."""

    def get(self, request: Request, code: str, action: str) -> Response:
        raise DomainError(
            "dossier.unknown_action",
            f"Không có thao tác «{action[:50]}» với hồ sơ.",
            status=404,
        )

    post = put = patch = delete = get


# ------------------------------------------------------------------ files
class DownloadRenderer(BaseRenderer):
    """Lets a download be asked with any ``Accept``; errors stay JSON."""

    media_type = "*/*"
    format = "download"
    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        return json.dumps(data, ensure_ascii=False).encode() if data else b""


class DossierFileUploadView(DossierAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["dossier files"],
        operation_id="dossiers_files_upload",
        summary="Đính kèm tệp",
        request={"multipart/form-data": s.DossierFileUploadSerializer},
        parameters=[DOSSIER_CODE],
        responses={201: s.DossierFileSerializer, **ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        """Tải lên bản số hóa hoặc kết quả (PDF, JPEG, PNG)."""
        dossier = _visible(request, code)
        require_write_on(request.user, dossier)
        body = s.DossierFileUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = file_ops.dossier_file_upload(
            request.user,
            dossier,
            upload=body.validated_data["file"],
            kind=body.validated_data["kind"],
            component_id=body.validated_data.get("component"),
        )
        item.dossier = dossier
        data = s.DossierFileSerializer(item, context={"request": request}).data
        return Response(data, status=201)


class DossierFileDownloadView(DossierAPIView):
    renderer_classes = [JSONRenderer, DownloadRenderer]

    @extend_schema(
        tags=["dossier files"],
        operation_id="dossiers_files_download",
        summary="Tải tệp về",
        parameters=[DOSSIER_CODE, FILE_ID, DOWNLOAD_FORMAT],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            302: OpenApiResponse(
                description="Tệp nằm ở kho lưu trữ đối tượng (S3) và máy chủ bật "
                "URL ký (MOTCUA_S3_SIGNED_URL_SECONDS): Location là URL tải tệp, "
                "có chữ ký, hết hạn sau vài giây; tải ngay, không gửi kèm "
                "Authorization, không lưu lại URL."
            ),
            401: ERRORS[401],
            403: ERRORS[403],
            404: ERRORS[404],
            429: ERRORS[429],
        },
    )
    def get(self, request: Request, code: str, file_id: int) -> HttpResponseBase:
        """Nội dung tệp, cho người được xem hồ sơ."""
        dossier = _visible(request, code)
        item = dossier.files.filter(pk=file_id).first() if file_id <= s.MAX_ID else None
        if item is None:
            raise DomainError(
                "file.not_found", "Không tìm thấy tệp của hồ sơ này.", status=404
            )
        try:
            stream = file_ops.open_file(item)
        except FileNotFoundError:
            raise Http404 from None
        record_read(request.user, dossier=dossier, what="file_view")
        return protected_file_response(
            item.file,
            opened=stream,
            as_attachment=True,
            filename=item.original_name,
            content_type=item.content_type,
        )
