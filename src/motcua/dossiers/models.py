"""Dossiers (hồ sơ), their applicants, documents, steps, consultations and history.

Rows here are written only by ``services`` (one transaction per action, which also
appends the :class:`Event`). The event history is append-only and hash-chained per
dossier (ARCHITECTURE principle 2); slips, reports and notifications derive from it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .workflow import Action, Status


class Channel(models.TextChoices):
    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Bưu chính công ích")


class Applicant(models.Model):
    """The applicant as received with one dossier (ARCHITECTURE principle 7).

    One row per dossier, carrying the dossier's agency: a later reception (of
    this agency or another) creates its own row and never reads or changes this
    one. The row's fields are covered by the dossier's hash-chained history
    (``history.applicant_fingerprint``); ``fingerprint_salt`` makes that
    fingerprint unguessable and is replaced when the applicant is anonymised.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("Cá nhân")
        ORGANISATION = "organisation", _("Tổ chức")

    class IdKind(models.TextChoices):
        NONE = "", _("Không có")
        CCCD = "cccd", _("Căn cước / căn cước công dân")
        CMND = "cmnd", _("Chứng minh nhân dân (9 số)")
        PASSPORT = "passport", _("Hộ chiếu")
        TAX_CODE = "tax_code", _("Mã số thuế")
        OTHER = "other", _("Giấy tờ khác")

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        _("loại"), max_length=16, choices=Kind.choices, default=Kind.PERSON
    )
    name = models.CharField(_("họ tên / tên tổ chức"), max_length=255)
    id_kind = models.CharField(
        _("loại giấy tờ"),
        max_length=16,
        choices=IdKind.choices,
        default=IdKind.NONE,
        blank=True,
    )
    id_number = models.CharField(
        _("số định danh / mã số thuế"), max_length=32, blank=True
    )
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    # Who handed the dossier in for the applicant, when someone did (an authorised
    # person; Circular 03/2025 Form 01). Empty when the applicant came in person.
    representative_name = models.CharField(
        _("người được ủy quyền: họ tên"), max_length=255, blank=True
    )
    representative_id_number = models.CharField(
        _("người được ủy quyền: số định danh cá nhân"), max_length=32, blank=True
    )
    representative_phone = models.CharField(
        _("người được ủy quyền: điện thoại"), max_length=32, blank=True
    )
    representative_email = models.EmailField(
        _("người được ủy quyền: thư điện tử"), blank=True
    )
    representative_address = models.CharField(
        _("người được ủy quyền: địa chỉ"), max_length=500, blank=True
    )
    representative_document = models.CharField(
        _("giấy tờ ủy quyền"), max_length=255, blank=True
    )
    # How the applicant wants to be told about the dossier (received, supplement,
    # result…): some of NOTIFY_CHANNELS, comma-separated; empty: every channel
    # the installation uses for which the applicant gave a contact.
    notify_channels = models.CharField(
        _("nhận thông báo qua"), max_length=64, blank=True
    )
    no_contact_reason = models.CharField(
        _("lý do không có thông tin định danh, liên hệ"), max_length=500, blank=True
    )
    fingerprint_salt = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("người nộp hồ sơ")
        verbose_name_plural = _("người nộp hồ sơ")
        indexes = [
            models.Index(fields=["agency", "id_number"], name="applicant_agency_id"),
            # a VNeID-verified citizen's desk dossiers in every agency ("Hồ sơ
            # của tôi", citizens.selectors): by the number alone
            models.Index(fields=["id_number"], name="applicant_id_number"),
        ]

    def __str__(self) -> str:
        return self.name


class Dossier(models.Model):
    class Outcome(models.TextChoices):
        NONE = "", _("Chưa có")
        APPROVED = "approved", _("Giải quyết")
        REFUSED = "refused", _("Từ chối giải quyết")

    class Timing(models.TextChoices):
        NONE = "", _("Chưa kết thúc")
        EARLY = "early", _("Trước hạn")
        ON_TIME = "on_time", _("Đúng hạn")
        LATE = "late", _("Quá hạn")

    class Payment(models.TextChoices):
        NOT_REQUIRED = "not_required", _("Không thu phí")
        UNPAID = "unpaid", _("Chưa nộp")
        PAID = "paid", _("Đã nộp")

    class ReturnMethod(models.TextChoices):
        DESK = "desk", _("Tại bộ phận một cửa")
        POST = "post", _("Qua bưu chính")
        ONLINE = "online", _("Trực tuyến")
        # carried to the home of someone who cannot come (issue 13): with a
        # HomeVisit record written by the same action
        HOME = "home", _("Tại nhà")

    # Methods chosen without a home-visit record (the dossier page's action and
    # the API); "tại nhà" is the return desk's own form, with its record.
    RETURN_WITHOUT_VISIT = (
        (ReturnMethod.DESK.value, ReturnMethod.DESK.label),
        (ReturnMethod.POST.value, ReturnMethod.POST.label),
        (ReturnMethod.ONLINE.value, ReturnMethod.ONLINE.label),
    )

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT
    )
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", verbose_name=_("thủ tục"), on_delete=models.PROTECT
    )
    # Denormalised from the version for filters and reports without joins.
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="+"
    )
    field = models.ForeignKey(
        "catalog.Field", on_delete=models.PROTECT, related_name="+"
    )
    # One applicant row per dossier: the applicant as received (see Applicant).
    applicant = models.OneToOneField(
        Applicant,
        verbose_name=_("người nộp"),
        on_delete=models.PROTECT,
        related_name="dossier",
    )
    channel = models.CharField(_("kênh nộp"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("trạng thái"), max_length=24, choices=Status.choices, db_index=True
    )
    counter = models.ForeignKey(
        "agencies.Counter", on_delete=models.SET_NULL, null=True, blank=True
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Nơi tiếp nhận: the agency whose desk received the dossier — the competent
    # agency (``agency``) unless a centre of the same province received it for
    # that agency (Decree 118/2025: reception regardless of administrative
    # boundary within the province). Empty on rows older than the field: the
    # competent agency of the time (``selectors.agency_at``) received them.
    received_by_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Time: the legal clock and its due dates (all from the deadline engine).
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    # Received outside the agency's working hours (evening, weekend, holiday,
    # lunch break): set by the reception service from the agency's calendar at
    # the instant of reception — the one definition (letters.selectors counts it).
    # The due date is the engine's as for any reception.
    received_out_of_hours = models.BooleanField(_("tiếp nhận ngoài giờ"), default=False)
    clock_started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    extended = models.BooleanField(_("đã gia hạn"), default=False)
    paused_at = models.DateTimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    outcome = models.CharField(
        max_length=16, choices=Outcome.choices, default="", blank=True
    )
    timing = models.CharField(
        _("tiến độ"), max_length=16, choices=Timing.choices, default="", blank=True
    )

    # Result, signature, return.
    result_summary = models.TextField(_("kết quả"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    return_method = models.CharField(
        max_length=16, choices=ReturnMethod.choices, default="", blank=True
    )
    returned_to_name = models.CharField(max_length=255, blank=True)
    returned_to_id_number = models.CharField(max_length=32, blank=True)
    returned_to_is_applicant = models.BooleanField(default=True)

    # Fees (Decree 61/2018 Art. 22).
    fee_amount = models.PositiveIntegerField(_("phí, lệ phí (đồng)"), default=0)
    payment_status = models.CharField(
        max_length=16, choices=Payment.choices, default=Payment.NOT_REQUIRED
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    search_text = models.CharField(max_length=600, editable=False, blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="dossier_queue"),
            models.Index(fields=["agency", "received_at"], name="dossier_received"),
            models.Index(fields=["agency", "id"], name="dossier_agency_id"),
            models.Index(fields=["search_text"], name="dossier_search"),
        ]

    def __str__(self) -> str:
        return self.code


class CentralisedProcedure(models.Model):
    """A procedure run on a nationwide centralised public-service solution: where
    the law rule ``code.centralised`` applies (from 25/01/2026, Circular
    03/2025/TT-VPCP Art. 13(3) added by Circular 04/2025/TT-VPCP Art. 23(2)),
    its dossiers' codes read ``<e-id>-YYMMDD-`` then ``AA`` and the daily sequence
    (``dossiers.codes``)."""

    procedure = models.OneToOneField(
        "catalog.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="centralised",
    )
    system_code = models.CharField(
        _("mã AA của hệ thống"),
        max_length=2,
        validators=[
            RegexValidator(
                r"^[0-9]{2}$",
                _("Mã AA gồm đúng 2 chữ số."),
                code="code.invalid_system_code",
            )
        ],
        help_text=_(
            "2 chữ số lấy từ mã định danh điện tử của cơ quan quản lý hệ thống "
            "giải quyết thủ tục tập trung toàn quốc."
        ),
    )
    system_name = models.CharField(
        _("hệ thống, cơ quan quản lý"), max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("thủ tục trên hệ thống tập trung toàn quốc")
        verbose_name_plural = _("thủ tục trên hệ thống tập trung toàn quốc")

    def __str__(self) -> str:
        return f"{self.procedure} — {self.system_code}"


class DossierComponent(models.Model):
    """A document actually handed in (checked at the desk)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="components"
    )
    template = models.ForeignKey(
        "catalog.Component", on_delete=models.SET_NULL, null=True, blank=True
    )
    name = models.CharField(max_length=500)
    kind = models.CharField(max_length=16)
    count = models.PositiveSmallIntegerField(default=1)
    received = models.BooleanField(default=True)

    class Meta:
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name


def dossier_file_path(instance: DossierFile, filename: str) -> str:
    return f"dossiers/{instance.dossier.agency_id}/{instance.dossier_id}/{filename}"


class DossierFile(models.Model):
    class Kind(models.TextChoices):
        SCAN = "scan", _("Bản số hóa")
        RESULT = "result", _("Kết quả")
        OTHER = "other", _("Khác")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(
        DossierComponent, on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SCAN)
    file = models.FileField(upload_to=dossier_file_path, max_length=500)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.original_name


class Step(models.Model):
    """A step of one dossier's processing (from the procedure's workflow)."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Đang xử lý")
        DONE = "done", _("Đã xong")
        SENT_BACK = "sent_back", _("Bị trả lại")
        CANCELLED = "cancelled", _("Đã hủy")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(
        "catalog.StepTemplate", on_delete=models.SET_NULL, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    role = models.CharField(max_length=16)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(max_length=16, choices=State.choices, db_index=True)
    budget_hours = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "id"]
        indexes = [
            models.Index(fields=["assignee", "state"], name="step_assignee"),
            models.Index(fields=["agency", "dossier"], name="step_agency_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class Consultation(models.Model):
    """An opinion asked of another agency, with its own deadline."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="consultations"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "id"]
        indexes = [
            models.Index(fields=["agency", "dossier"], name="consult_agency_dossier")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.agency_id}"


class Event(models.Model):
    """One action in a dossier's history. Append-only; ``hash`` chains each event
    to the previous one of the same dossier so a quiet edit is detectable."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="events"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=24, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="event_seq_unique")
        ]
        indexes = [models.Index(fields=["agency", "at"], name="event_agency_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"


class HomeVisit(models.Model):
    """The result carried to the applicant's home (return method «Tại nhà»):
    who went, when, where, who received it and the signed receipt. Written only
    by ``services.dossier_return_result`` in the action's transaction."""

    class Reason(models.TextChoices):
        DISABLED = "disabled", _("Người khuyết tật")
        WAR_INVALID = "war_invalid", _("Thương binh, bệnh binh")
        ELDERLY_ALONE = "elderly_alone", _("Người cao tuổi neo đơn")
        ILL = "ill", _("Người ốm nặng, không đi lại được")
        OTHER = "other", _("Khác")

    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, related_name="home_visit"
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ đi trả"), related_name="+"
    )
    visited_at = models.DateTimeField(_("thời gian trả"))
    address = models.CharField(_("địa chỉ đến trả"), max_length=500)
    received_by_name = models.CharField(_("người nhận"), max_length=255)
    reason = models.CharField(
        _("lý do trả tại nhà"), max_length=16, choices=Reason.choices
    )
    reason_note = models.CharField(_("lý do khác"), max_length=500, blank=True)
    receipt = models.OneToOneField(
        "DossierFile",
        verbose_name=_("giấy biên nhận có chữ ký"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("biên bản trả kết quả tại nhà")
        verbose_name_plural = _("biên bản trả kết quả tại nhà")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.visited_at:%Y-%m-%d}"


class DailyCounter(models.Model):
    """The last dossier number of an agency on a day (Circular 01/2018 Art. 19)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "day"], name="daily_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class IdempotentRequest(models.Model):
    """A POST already answered, so a retried request gets the same dossier."""

    key = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    request_hash = models.CharField(max_length=64)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique")
        ]

    def __str__(self) -> str:
        return self.key
