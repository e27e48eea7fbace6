"""Social assistance (trợ giúp xã hội): decisions, entitlements, arrears and monthly payment lists.

An ``Entitlement`` is one person's right to a monthly payment under one scheme
and group, started and stopped by a ``Decision`` (since 1 July 2025 signed by
the commune People's Committee chair, Decree 147/2025 art. 5). The amount is
never stored on the entitlement: each month it is the rule value in force on
the first day of that month (``base_rule_key``, the base level by default) times
the decided coefficient, rounded to the đồng (``ctxh.assistance.services.amounts``).

A ``PaymentList`` is a commune's list for one month (danh sách chi trả). Once
closed it never changes: its lines refuse every save and delete, here in the
model and in the services; a mistake is put right on a *correction list* of
the same commune and month whose lines point at the line they correct
(``correction_of``) and carry the signed difference.

``ArrearsItem`` rows (truy lĩnh) record, per entitlement and month, what closed
lists paid against what the rules now say was due; the next generated list
adds the outstanding ones to the person's line and marks them settled by it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ctxh.core.exceptions import ConflictError
from ctxh.core.models import TimeStampedModel

BASE_LEVEL_KEY = "assistance.base_level"


class Scheme(models.TextChoices):
    MONTHLY_ALLOWANCE = "monthly_allowance", _("Trợ cấp xã hội hằng tháng")
    RESIDENTIAL_CARE = "residential_care", _("Trợ cấp nuôi dưỡng tại cơ sở")
    CARE_SUPPORT = "care_support", _("Hỗ trợ chăm sóc, nuôi dưỡng")
    SOCIAL_PENSION = "social_pension", _("Trợ cấp hưu trí xã hội")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Tiền mặt tại UBND xã")
    POST = "post", _("Qua bưu điện")
    BANK = "bank", _("Chuyển khoản ngân hàng")


class StopReason(models.TextChoices):
    DEATH = "death", _("Đối tượng qua đời")
    MOVED = "moved", _("Chuyển đi nơi khác")
    NOT_ELIGIBLE = "not_eligible", _("Không còn đủ điều kiện")
    OTHER = "other", _("Lý do khác")


class ListClosed(ConflictError):
    """A closed payment list (or one of its lines) was about to change."""


def month_start(on: dt.date) -> dt.date:
    return on.replace(day=1)


def month_end(on: dt.date) -> dt.date:
    nxt = (on.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def next_month(on: dt.date) -> dt.date:
    return (on.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


class Decision(TimeStampedModel):
    """Decision — quyết định: the signed act that starts, changes or stops a person's entitlement.

    The signer is data (name and title as printed on the decision): since
    1 July 2025 the commune chair signs (rule ``assistance.decision.signer_title``),
    before that the district chair. ``effective_on`` is when it takes effect,
    which may be before the signature (payments then carry arrears).
    """

    class Kind(models.TextChoices):
        START = "start", _("Hưởng trợ cấp")
        CHANGE = "change", _("Điều chỉnh mức hưởng")
        STOP = "stop", _("Thôi hưởng trợ cấp")

    number = models.CharField(_("số quyết định"), max_length=60)
    kind = models.CharField(_("loại quyết định"), max_length=10, choices=Kind.choices)
    signed_on = models.DateField(_("ngày ký"))
    signer_name = models.CharField(_("người ký"), max_length=150)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150)
    effective_on = models.DateField(_("có hiệu lực từ"))
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh/thành phố"))
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("xã/phường"))
    summary = models.TextField(_("trích yếu"), blank=True)
    document = models.FileField(_("bản quét quyết định"), upload_to="assistance/decisions/%Y/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("người nhập"))

    class Meta:
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["commune", "-signed_on"], name="decision_commune_signed")]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"


class EntitlementQuerySet(models.QuerySet["Entitlement"]):
    def active_in(self, month: dt.date) -> EntitlementQuerySet:
        """Decided entitlements paid for ``month``: started by its end, not stopped before it began."""
        first, last = month_start(month), month_end(month)
        return self.filter(status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.STOPPED],
                           start_on__lte=last).filter(Q(stop_on__isnull=True) | Q(stop_on__gte=first))


class Entitlement(TimeStampedModel):
    """Entitlement — hưởng trợ cấp: a person's monthly payment under one scheme and group.

    Proposed by staff from the eligibility engine's result (group, label,
    coefficient and the reasoning at that moment), decided by a ``Decision``,
    and stopped by another with the reason (death, moving away, no longer
    eligible). ``start_on`` is the first day paid; ``stop_on`` the last day of
    the right (the death date, the day of moving): the month containing it is
    still paid, the next is not. ``commune`` is where the person is paid.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề nghị, chờ quyết định")
        ACTIVE = "active", _("Đang hưởng")
        STOPPED = "stopped", _("Đã thôi hưởng")
        REJECTED = "rejected", _("Không được duyệt")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="entitlements",
                               verbose_name=_("đối tượng"))
    scheme = models.CharField(_("chế độ"), max_length=20, choices=Scheme.choices)
    group_code = models.CharField(_("mã diện hưởng"), max_length=60)
    label = models.CharField(_("diện hưởng"), max_length=300)
    coefficient = models.DecimalField(_("hệ số"), max_digits=5, decimal_places=2)
    base_rule_key = models.CharField(
        _("quy định mức chuẩn"), max_length=100, default=BASE_LEVEL_KEY,
        help_text=_("Mức hằng tháng = giá trị quy định này (hiệu lực ngày 1 của tháng) × hệ số."))
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh/thành phố"))
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("xã/phường chi trả"))
    payment_method = models.CharField(_("hình thức nhận"), max_length=10, choices=PaymentMethod.choices,
                                      default=PaymentMethod.CASH)
    bank_account = models.CharField(_("số tài khoản"), max_length=30, blank=True)
    bank_name = models.CharField(_("ngân hàng"), max_length=100, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người đề nghị"))
    proposed_on = models.DateField(_("ngày đề nghị"), null=True, blank=True)
    proposal_note = models.TextField(_("ghi chú đề nghị"), blank=True)
    reasoning = models.JSONField(_("căn cứ khi đề nghị"), default=list, blank=True)
    start_decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="started", verbose_name=_("quyết định hưởng"))
    start_on = models.DateField(_("hưởng từ ngày"), null=True, blank=True)
    stop_decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="stopped", verbose_name=_("quyết định thôi hưởng"))
    stop_on = models.DateField(_("thôi hưởng từ sau ngày"), null=True, blank=True)
    stop_reason = models.CharField(_("lý do thôi hưởng"), max_length=15, choices=StopReason.choices, blank=True)
    stop_note = models.TextField(_("ghi chú thôi hưởng"), blank=True)
    rejection_reason = models.TextField(_("lý do không duyệt"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EntitlementQuerySet.as_manager()

    class Meta:
        verbose_name = _("hưởng trợ cấp")
        verbose_name_plural = _("hưởng trợ cấp")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["province", "status", "commune"], name="entitlement_prov_status"),
            models.Index(fields=["commune", "status"], name="entitlement_commune_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(coefficient__gt=0), name="entitlement_coefficient_positive",
                                   violation_error_message=_("Hệ số phải lớn hơn 0.")),
            models.CheckConstraint(
                condition=Q(stop_on__isnull=True) | Q(start_on__isnull=True) | Q(stop_on__gte=F("start_on")),
                name="entitlement_stop_after_start",
                violation_error_message=_("Ngày thôi hưởng không được trước ngày bắt đầu hưởng.")),
            models.CheckConstraint(
                condition=~Q(status__in=["active", "stopped"])
                | (Q(start_decision__isnull=False) & Q(start_on__isnull=False)),
                name="entitlement_decided_has_decision",
                violation_error_message=_("Đang hưởng phải có quyết định và ngày bắt đầu hưởng.")),
            models.CheckConstraint(
                condition=~Q(status="stopped") | (Q(stop_on__isnull=False) & ~Q(stop_reason="")),
                name="entitlement_stopped_has_reason",
                violation_error_message=_("Thôi hưởng phải có ngày và lý do.")),
            models.CheckConstraint(
                condition=~Q(payment_method="bank") | ~Q(bank_account=""),
                name="entitlement_bank_has_account",
                violation_error_message=_("Nhận qua ngân hàng cần số tài khoản.")),
            models.UniqueConstraint(
                fields=["person", "scheme", "group_code"], condition=Q(status__in=["proposed", "active"]),
                name="entitlement_one_open_per_group",
                violation_error_message=_("Người này đã có đề nghị hoặc đang hưởng diện này.")),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.label}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.ACTIVE)


class PaymentListQuerySet(models.QuerySet["PaymentList"]):
    def delete(self):  # type: ignore[override]
        if self.filter(status="closed").exists():
            raise ListClosed(str(_("Danh sách đã khóa không thể xóa.")))
        return super().delete()


class PaymentList(TimeStampedModel):
    """PaymentList — danh sách chi trả: a commune's payments for one month.

    ``regular``: the month's list (one per commune and month). ``correction``:
    lines putting right a closed list (``corrects``), each pointing at the line
    it corrects. Draft → closed; a closed list is frozen. Totals are kept in
    step with the lines by the services (a test checks they equal their sums).
    """

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Danh sách tháng")
        CORRECTION = "correction", _("Danh sách điều chỉnh")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang lập")
        CLOSED = "closed", _("Đã khóa")

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh/thành phố"))
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("xã/phường"))
    month = models.DateField(_("tháng"))
    kind = models.CharField(_("loại danh sách"), max_length=12, choices=Kind.choices, default=Kind.REGULAR)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="corrections", verbose_name=_("điều chỉnh cho danh sách"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    line_count = models.PositiveIntegerField(_("số dòng"), default=0)
    total_amount = models.BigIntegerField(_("tổng mức hưởng"), default=0)
    total_arrears = models.BigIntegerField(_("tổng truy lĩnh"), default=0)
    total = models.BigIntegerField(_("tổng cộng"), default=0)
    paid_count = models.PositiveIntegerField(_("số dòng đã chi"), default=0)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("người lập"))
    closed_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("người khóa"))
    note = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PaymentListQuerySet.as_manager()

    class Meta:
        verbose_name = _("danh sách chi trả")
        verbose_name_plural = _("danh sách chi trả")
        ordering = ["-month", "commune_id", "id"]
        indexes = [models.Index(fields=["province", "month"], name="paylist_province_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "month"], condition=Q(kind="regular"), name="paylist_one_regular_per_month",
                violation_error_message=_("Xã này đã có danh sách chi trả của tháng đó.")),
            models.CheckConstraint(
                condition=Q(kind="regular", corrects__isnull=True) | Q(kind="correction", corrects__isnull=False),
                name="paylist_correction_points_to_list",
                violation_error_message=_("Danh sách điều chỉnh phải chỉ rõ danh sách được điều chỉnh.")),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(closed_at__isnull=False),
                name="paylist_closed_has_time",
                violation_error_message=_("Danh sách đã khóa phải có thời điểm khóa.")),
        ]

    def __str__(self) -> str:
        kind = "" if self.kind == self.Kind.REGULAR else f" ({self.get_kind_display()})"
        return f"{self.commune} — {self.month:%m/%Y}{kind}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def delete(self, *args, **kwargs):  # type: ignore[override]
        if PaymentList.objects.filter(pk=self.pk, status=self.Status.CLOSED).exists():
            raise ListClosed(str(_("Danh sách đã khóa không thể xóa.")))
        return super().delete(*args, **kwargs)


class PaymentLineQuerySet(models.QuerySet["PaymentLine"]):
    """Bulk updates and deletes refuse lines of closed lists, like ``PaymentLine.save``."""

    def _refuse_closed(self) -> None:
        if self.filter(payment_list__status=PaymentList.Status.CLOSED).exists():
            raise ListClosed(str(_("Danh sách chi trả đã khóa: không được sửa; hãy lập dòng điều chỉnh.")))

    def update(self, **kwargs):  # type: ignore[override]
        self._refuse_closed()
        return super().update(**kwargs)

    def delete(self):  # type: ignore[override]
        self._refuse_closed()
        return super().delete()


class PaymentLine(models.Model):
    """PaymentLine — dòng chi trả: one person's payment on a list, with the arrears it settles.

    Name, birth year, address, group, coefficient and base level are copied
    when the line is made, so a closed list shows what was paid to whom even if
    the person's record changes later. On a correction list ``amount`` and
    ``arrears`` are the signed differences to the line in ``correction_of``.
    """

    # Few indexes on purpose: a province's month writes 300,000 lines at once, and
    # every index is written for each of them. (payment_list, position) and the
    # unique (payment_list, entitlement) serve the list; entitlement the history.
    payment_list = models.ForeignKey(PaymentList, on_delete=models.CASCADE, related_name="lines",
                                     verbose_name=_("danh sách"), db_index=False)
    position = models.PositiveIntegerField(_("STT"))
    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="payment_lines",
                                    verbose_name=_("hưởng trợ cấp"))
    # A copy of entitlement.person for reading lists without the join; the entitlement's
    # own foreign key protects the person, so no second database check at each insert.
    person = models.ForeignKey("people.Person", on_delete=models.DO_NOTHING, related_name="+",
                               verbose_name=_("đối tượng"), db_index=False, db_constraint=False)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    scheme = models.CharField(_("chế độ"), max_length=20, choices=Scheme.choices)
    group_code = models.CharField(_("mã diện hưởng"), max_length=60)
    group_label = models.CharField(_("diện hưởng"), max_length=300)
    coefficient = models.DecimalField(_("hệ số"), max_digits=5, decimal_places=2)
    base_level = models.BigIntegerField(_("mức chuẩn"))
    amount = models.BigIntegerField(_("mức hưởng"))
    arrears = models.BigIntegerField(_("truy lĩnh"), default=0)
    total = models.BigIntegerField(_("tổng"))
    method = models.CharField(_("hình thức"), max_length=10, choices=PaymentMethod.choices)
    bank_account = models.CharField(_("số tài khoản"), max_length=30, blank=True)
    paid_at = models.DateTimeField(_("đã chi lúc"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("người chi"), db_index=False)
    signed = models.BooleanField(_("đã ký nhận"), default=False)
    receipt_note = models.CharField(_("ghi chú nhận tiền"), max_length=200, blank=True)
    correction_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="corrections", verbose_name=_("điều chỉnh cho dòng"),
                                      db_index=False)
    correction_reason = models.TextField(_("lý do điều chỉnh"), blank=True)

    objects = PaymentLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("dòng chi trả")
        verbose_name_plural = _("dòng chi trả")
        ordering = ["payment_list", "position"]
        indexes = [
            models.Index(fields=["payment_list", "position"], name="payline_list_position"),
            models.Index(fields=["correction_of"], name="payline_correction_of",
                         condition=Q(correction_of__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total=F("amount") + F("arrears")), name="payline_total_is_sum",
                                   violation_error_message=_("Tổng phải bằng mức hưởng cộng truy lĩnh.")),
            models.UniqueConstraint(
                fields=["payment_list", "entitlement"], condition=Q(correction_of__isnull=True),
                name="payline_once_per_list",
                violation_error_message=_("Người này đã có dòng trên danh sách.")),
            models.CheckConstraint(
                condition=Q(correction_of__isnull=True) | ~Q(correction_reason=""),
                name="payline_correction_has_reason",
                violation_error_message=_("Dòng điều chỉnh phải có lý do.")),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.full_name}"

    def save(self, *args, **kwargs):  # type: ignore[override]
        self._refuse_if_closed()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        self._refuse_if_closed()
        return super().delete(*args, **kwargs)

    def _refuse_if_closed(self) -> None:
        if self.payment_list_id and PaymentList.objects.filter(
                pk=self.payment_list_id, status=PaymentList.Status.CLOSED).exists():
            raise ListClosed(str(_("Danh sách chi trả đã khóa: không được sửa; hãy lập dòng điều chỉnh.")))

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None


class ArrearsItem(models.Model):
    """ArrearsItem — khoản truy lĩnh: the difference for one month between what was paid and what was due.

    Made by ``arrears_compute`` when a rule row (base level, or an amount the
    entitlement uses) takes effect from a month already paid on a closed list,
    or when an entitlement is decided from a month already paid without it.
    ``difference`` = ``due`` − ``paid``; negative means overpaid (recovered on
    the next list). ``settled_line`` is the line that paid it.
    """

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="arrears_items",
                                    verbose_name=_("hưởng trợ cấp"))
    month = models.DateField(_("tháng"))
    paid = models.BigIntegerField(_("đã chi"))
    due = models.BigIntegerField(_("phải chi"))
    difference = models.BigIntegerField(_("chênh lệch"))
    reason = models.CharField(_("căn cứ"), max_length=300, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"), auto_now_add=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người tính"))
    settled_line = models.ForeignKey(PaymentLine, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="arrears_items", verbose_name=_("đã trả ở dòng"))

    class Meta:
        verbose_name = _("khoản truy lĩnh")
        verbose_name_plural = _("khoản truy lĩnh")
        ordering = ["entitlement", "month", "id"]
        indexes = [
            models.Index(fields=["entitlement", "month"], name="arrears_entitlement_month"),
            models.Index(fields=["settled_line"], name="arrears_settled_line"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(difference=F("due") - F("paid")), name="arrears_difference_is_due_less_paid",
                                   violation_error_message=_("Chênh lệch phải bằng phải chi trừ đã chi.")),
        ]

    def __str__(self) -> str:
        return f"{self.entitlement_id} {self.month:%m/%Y}: {self.difference}"


class PaymentRun(models.Model):
    """PaymentRun — lượt lập danh sách toàn tỉnh: progress of a province's lists for one month (polled by the page)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang lập")
        DONE = "done", _("Hoàn tất")
        FAILED = "failed", _("Lỗi")

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh/thành phố"))
    month = models.DateField(_("tháng"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(_("bước"), max_length=200, blank=True)
    communes_total = models.PositiveIntegerField(_("số xã"), default=0)
    communes_done = models.PositiveIntegerField(_("số xã đã lập"), default=0)
    lists_made = models.PositiveIntegerField(_("số danh sách mới"), default=0)
    lines_made = models.PositiveIntegerField(_("số dòng mới"), default=0)
    export_file = models.CharField(_("tệp Excel"), max_length=300, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("người yêu cầu"))
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt lập danh sách toàn tỉnh")
        verbose_name_plural = _("lượt lập danh sách toàn tỉnh")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.province} {self.month:%m/%Y} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.communes_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.communes_done / self.communes_total))


def _connect_rule_signals() -> None:
    """Arrears follow a change of the amount rules (``ctxh.assistance.tasks.rule_saved``)."""
    from django.db.models.signals import post_delete, post_save

    from ctxh.assistance import tasks

    post_save.connect(tasks.rule_saved, sender="core.Rule", dispatch_uid="assistance-rule-saved")
    post_delete.connect(tasks.rule_saved, sender="core.Rule", dispatch_uid="assistance-rule-deleted")


_connect_rule_signals()
