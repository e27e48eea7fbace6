"""Family tracing (tìm người thân): requests, the candidates matching finds, the public form's log.

A request says who is looking (the seeker), for whom (the sought person) and
where and when they were separated. Matching (``ctxh.tracing.matching``) scores
people in the registry and other open requests against it; staff confirm or
reject each candidate; a reunification is recorded as the outcome.

``province`` is the province of the Centre that handles the request (where it
was received) and decides who may see it; the last known place of the sought
person may be anywhere (``last_province``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ctxh.core.models import TimeStampedModel
from ctxh.people.models import DatePrecision, Sex


class Source(models.TextChoices):
    STAFF = "staff", _("Cán bộ tiếp nhận trực tiếp")
    HOTLINE = "hotline", _("Qua tổng đài")
    PUBLIC = "public", _("Biểu mẫu công khai trên trang web")


class Status(models.TextChoices):
    NEW = "new", _("Mới tiếp nhận")
    SEARCHING = "searching", _("Đang tìm kiếm")
    CANDIDATE_FOUND = "candidate_found", _("Đã có người nghi là người thân")
    REUNIFIED = "reunified", _("Đã đoàn tụ")
    CLOSED_NOT_FOUND = "closed_not_found", _("Đóng — chưa tìm thấy")
    WITHDRAWN = "withdrawn", _("Người yêu cầu đã rút yêu cầu")


OPEN_STATUSES = (Status.NEW, Status.SEARCHING, Status.CANDIDATE_FOUND)
CLOSING_STATUSES = (Status.CLOSED_NOT_FOUND, Status.WITHDRAWN)

# The one transition table: from a status, the statuses a service may move to.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.SEARCHING, Status.CANDIDATE_FOUND, Status.REUNIFIED, *CLOSING_STATUSES},
    Status.SEARCHING: {Status.CANDIDATE_FOUND, Status.REUNIFIED, *CLOSING_STATUSES},
    Status.CANDIDATE_FOUND: {Status.SEARCHING, Status.REUNIFIED, *CLOSING_STATUSES},
    # A request closed as not found may be searched again when news arrives.
    Status.CLOSED_NOT_FOUND: {Status.SEARCHING},
    Status.REUNIFIED: set(),
    Status.WITHDRAWN: set(),
}


class Relationship(models.TextChoices):
    """What the seeker is to the sought person ("I am their …")."""

    PARENT = "parent", _("Cha/mẹ")
    CHILD = "child", _("Con")
    SIBLING = "sibling", _("Anh/chị/em ruột")
    SPOUSE = "spouse", _("Vợ/chồng")
    GRANDPARENT = "grandparent", _("Ông/bà")
    GRANDCHILD = "grandchild", _("Cháu")
    OTHER_RELATIVE = "other_relative", _("Họ hàng khác")
    OTHER = "other", _("Khác (bạn bè, hàng xóm, cơ quan)")


# If A is B's parent, B is A's child: used to see whether two requests seek each other.
RECIPROCAL_RELATIONSHIP = {
    Relationship.PARENT: Relationship.CHILD, Relationship.CHILD: Relationship.PARENT,
    Relationship.SIBLING: Relationship.SIBLING, Relationship.SPOUSE: Relationship.SPOUSE,
    Relationship.GRANDPARENT: Relationship.GRANDCHILD, Relationship.GRANDCHILD: Relationship.GRANDPARENT,
}


class BirthPrecision(models.TextChoices):
    YEAR = "year", _("Biết năm sinh")
    RANGE = "range", _("Khoảng năm sinh")
    UNKNOWN = "unknown", _("Không rõ năm sinh")


class ReunificationMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Gặp mặt trực tiếp")
    AT_CENTRE = "at_centre", _("Gặp nhau tại Trung tâm")
    PHONE = "phone", _("Liên lạc qua điện thoại, mạng xã hội")
    RETURNED_HOME = "returned_home", _("Người được tìm đã trở về gia đình")
    OTHER = "other", _("Cách khác")


class TracingRequest(TimeStampedModel):
    """TracingRequest — yêu cầu tìm người thân: one seeker looking for one person.

    ``receipt_number`` (``TN-2026-00042``) is what the seeker quotes on the
    phone; it is numbered per year without gaps (``ReceiptCounter``). The
    sought person's name is stored folded (``name_folded``, ``given_folded``)
    with the given names of every name they are known by in ``given_keys``
    (`` an be ``) so matching finds candidates with one indexed lookup.
    ``birth_year_from``/``birth_year_to`` hold a year, a range, or nothing.
    ``person`` is set when staff confirm that a registry person is the one sought.
    """

    receipt_number = models.CharField(_("số tiếp nhận"), max_length=20, unique=True, editable=False)
    source = models.CharField(_("nguồn tiếp nhận"), max_length=10, choices=Source.choices, default=Source.STAFF)
    status = models.CharField(_("tình trạng"), max_length=20, choices=Status.choices, default=Status.NEW)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh tiếp nhận"),
    )

    seeker_name = models.CharField(_("họ tên người tìm"), max_length=150)
    seeker_name_folded = models.CharField(max_length=150, editable=False)
    seeker_given_folded = models.CharField(max_length=50, editable=False, db_index=True)
    seeker_phone = models.CharField(_("điện thoại người tìm"), max_length=15)
    seeker_email = models.EmailField(_("thư điện tử người tìm"), max_length=254, blank=True)
    seeker_address = models.CharField(_("địa chỉ người tìm"), max_length=200, blank=True)
    seeker_relationship = models.CharField(
        _("người tìm là … của người được tìm"), max_length=20, choices=Relationship.choices,
    )

    sought_name = models.CharField(_("họ tên người được tìm"), max_length=150)
    name_folded = models.CharField(max_length=150, editable=False)
    given_folded = models.CharField(max_length=50, editable=False)
    sought_aliases = models.CharField(
        _("tên gọi khác, tên ở nhà"), max_length=300, blank=True,
        help_text=_("Cách nhau bằng dấu phẩy."),
    )
    given_keys = models.CharField(max_length=400, editable=False, default="")
    sought_sex = models.CharField(_("giới tính"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year_from = models.PositiveSmallIntegerField(_("năm sinh (từ)"), null=True, blank=True)
    birth_year_to = models.PositiveSmallIntegerField(_("năm sinh (đến)"), null=True, blank=True)
    birth_precision = models.CharField(
        _("độ chính xác năm sinh"), max_length=10, choices=BirthPrecision.choices, default=BirthPrecision.UNKNOWN,
    )

    last_province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("tỉnh/thành phố nơi ở cuối cùng"),
    )
    last_commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("xã/phường nơi ở cuối cùng"),
    )
    last_place_text = models.CharField(
        _("nơi ở, nơi gặp lần cuối"), max_length=300, blank=True,
        help_text=_("Thôn, xóm, địa danh; có thể ghi tên huyện cũ (trước 7/2025)."),
    )
    last_seen_date = models.DateField(_("thời điểm thất lạc"), null=True, blank=True)
    last_seen_precision = models.CharField(
        _("độ chính xác thời điểm thất lạc"), max_length=5, choices=DatePrecision.choices,
        default=DatePrecision.YEAR,
    )
    circumstances = models.TextField(_("hoàn cảnh thất lạc"), max_length=1500, blank=True)
    description = models.TextField(_("đặc điểm nhận dạng"), max_length=1500, blank=True)

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="tracing_requests",
        verbose_name=_("người trong sổ đăng ký (đã xác nhận)"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("cán bộ phụ trách"),
    )
    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu lúc"))

    reunified_on = models.DateField(_("ngày đoàn tụ"), null=True, blank=True)
    reunification_method = models.CharField(
        _("hình thức đoàn tụ"), max_length=20, choices=ReunificationMethod.choices, blank=True,
    )
    outcome_notes = models.TextField(_("ghi chú kết quả"), max_length=2000, blank=True)
    closed_on = models.DateField(_("ngày đóng"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người nhập"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("yêu cầu tìm người thân")
        verbose_name_plural = _("yêu cầu tìm người thân")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["province", "status", "-created_at"], name="tracing_prov_status"),
            models.Index(fields=["status", "given_folded"], name="tracing_status_given"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year_from__isnull=True) | Q(birth_year_to__isnull=True)
                | Q(birth_year_from__lte=F("birth_year_to")),
                name="tracing_birth_range_ordered",
                violation_error_message=_("Năm sinh “từ” phải không sau năm sinh “đến”."),
            ),
            models.CheckConstraint(
                condition=(Q(birth_precision="unknown", birth_year_from__isnull=True, birth_year_to__isnull=True)
                           | Q(birth_precision="year", birth_year_from=F("birth_year_to"))
                           | Q(birth_precision="range", birth_year_from__lt=F("birth_year_to"))),
                name="tracing_birth_precision_matches",
                violation_error_message=_("Độ chính xác năm sinh không khớp với năm sinh đã nhập."),
            ),
            models.CheckConstraint(
                condition=Q(status="reunified", reunified_on__isnull=False) | ~Q(status="reunified"),
                name="tracing_reunified_has_date",
                violation_error_message=_("Cần ghi ngày đoàn tụ."),
            ),
        ]

    def __str__(self) -> str:
        # The receipt number, never a name: this string lands in logs and audit rows.
        return self.receipt_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def birth_display(self) -> str:
        if self.birth_year_from is None:
            return ""
        if self.birth_year_from == self.birth_year_to:
            return str(self.birth_year_from)
        return f"{self.birth_year_from}–{self.birth_year_to}"

    @property
    def last_seen_display(self) -> str:
        d = self.last_seen_date
        if d is None:
            return ""
        if self.last_seen_precision == DatePrecision.YEAR:
            return f"{d.year}"
        if self.last_seen_precision == DatePrecision.MONTH:
            return f"{d:%m/%Y}"
        return f"{d:%d/%m/%Y}"

    @property
    def aliases(self) -> list[str]:
        return [a.strip() for a in (self.sought_aliases or "").split(",") if a.strip()]


class ReceiptCounter(models.Model):
    """ReceiptCounter — sổ số tiếp nhận: the last receipt number given in a year.

    Incremented with one UPDATE inside the creating transaction, which locks
    the row until commit, so two requests never get the same number.
    """

    year = models.PositiveSmallIntegerField(_("năm"), primary_key=True)
    last = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ số tiếp nhận")
        verbose_name_plural = _("sổ số tiếp nhận")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xem xét")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    REJECTED = "rejected", _("Không phải")


class MatchKind(models.TextChoices):
    REGISTRY = "registry", _("Người trong sổ đăng ký")
    SAME_PERSON = "same_person", _("Yêu cầu khác cùng tìm người này")
    RECIPROCAL = "reciprocal", _("Yêu cầu tìm nhau (hai chiều)")


class TracingMatch(models.Model):
    """TracingMatch — ứng viên: a registry person or another request that may be the one sought.

    ``score`` (0–100) is the sum of the points in ``explanation``, a list of
    ``{code, label, points, params}`` (``label`` is the Vietnamese text at the
    time of scoring; ``lines`` renders it in the reader's language). Matching
    replaces pending rows; confirmed and rejected ones keep their review.
    """

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="matches")
    kind = models.CharField(_("loại ứng viên"), max_length=20, choices=MatchKind.choices)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("người trong sổ đăng ký"),
    )
    other_request = models.ForeignKey(
        TracingRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("yêu cầu khác"),
    )
    score = models.PositiveSmallIntegerField(_("điểm"))
    explanation = models.JSONField(_("giải thích điểm"), default=list)
    status = models.CharField(_("xem xét"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người xem xét"),
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    review_note = models.CharField(_("ghi chú xem xét"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ứng viên tìm người thân")
        verbose_name_plural = _("ứng viên tìm người thân")
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False, other_request__isnull=True, kind="registry")
                           | Q(person__isnull=True, other_request__isnull=False, kind__in=["same_person", "reciprocal"])),
                name="tracing_match_one_target",
                violation_error_message=_("Ứng viên là một người trong sổ đăng ký hoặc một yêu cầu khác."),
            ),
            models.CheckConstraint(
                condition=Q(score__lte=100), name="tracing_match_score_range",
                violation_error_message=_("Điểm từ 0 đến 100."),
            ),
            models.CheckConstraint(
                condition=~Q(request=F("other_request")), name="tracing_match_not_self",
                violation_error_message=_("Một yêu cầu không là ứng viên của chính nó."),
            ),
            models.UniqueConstraint(
                fields=["request", "person"], condition=Q(person__isnull=False), name="tracing_match_unique_person",
                violation_error_message=_("Người này đã là ứng viên của yêu cầu."),
            ),
            models.UniqueConstraint(
                fields=["request", "other_request"], condition=Q(other_request__isnull=False),
                name="tracing_match_unique_request",
                violation_error_message=_("Yêu cầu này đã là ứng viên."),
            ),
            models.UniqueConstraint(
                fields=["request"], condition=Q(status="confirmed", person__isnull=False),
                name="tracing_one_confirmed_person",
                violation_error_message=_("Yêu cầu đã có một người được xác nhận; hãy bỏ xác nhận người đó trước."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} ~ {self.person_id or self.other_request_id} ({self.score})"

    @property
    def lines(self) -> list[tuple[str, int, bool]]:
        """The explanation as (label in the reader's language, points, whether it heads a group)."""
        from ctxh.tracing.matching import HEADER_CODES, render_label

        return [(render_label(item), int(item.get("points", 0)), item.get("code") in HEADER_CODES)
                for item in self.explanation or []]


class SubmissionOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Đã nhận")
    HONEYPOT = "honeypot", _("Bị chặn: điền ô bẫy")
    TOO_FAST = "too_fast", _("Bị chặn: gửi quá nhanh")


class PublicSubmission(models.Model):
    """PublicSubmission — lượt gửi biểu mẫu công khai: what the rate limit counts.

    Only a keyed hash of the client address is kept (never the address), and
    rows older than a day are deleted as new ones arrive. Not linked to the
    request it created: the log exists to slow down abuse, not to trace people.
    """

    ip_hash = models.CharField(max_length=64, db_index=True)
    outcome = models.CharField(max_length=10, choices=SubmissionOutcome.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lượt gửi biểu mẫu công khai")
        verbose_name_plural = _("lượt gửi biểu mẫu công khai")

    def __str__(self) -> str:
        return f"{self.ip_hash[:8]} {self.outcome} {self.created_at:%d/%m/%Y %H:%M}"
