"""One-off and in-kind support, needs and surveys, donors and donations.

A ``Grant`` is support given once (emergency support, a livelihood grant, a
scholarship, goods); a ``Need`` is what a person or household lacks and where
it stands; a ``NeedsSurvey`` records needs in bulk; a ``Donation`` is drawn
down by ``Allocation`` rows until nothing remains. Kinds, items, need types
and funding sources are ``core.Term`` vocabularies (``support/reference.py``);
amounts come from ``core.Rule`` rows on the event date (``support/amounts.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ctxh.core.models import TimeStampedModel


def _one_recipient(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(person__isnull=False) & Q(household__isnull=True))
        | (Q(person__isnull=True) & Q(household__isnull=False)),
        name=name,
        violation_error_message=_("Người nhận là một người hoặc một hộ gia đình, không phải cả hai hay không ai."),
    )


class Recipient(models.Model):
    """A person or a household (exactly one), and the place the record belongs to."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người nhận"),
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("hộ nhận"),
    )
    # The place when the record was made: reports count where support went,
    # even if the person moves later. Visibility follows the recipient.
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("xã/phường"))

    class Meta:
        abstract = True

    @property
    def recipient(self) -> object:
        return self.person if self.person_id else self.household

    @property
    def recipient_label(self) -> str:
        if self.person_id:
            return str(self.person)
        household = self.household
        return str(_("Hộ %(code)s") % {"code": household.code}) if household is not None else ""


class ReceiptProof(models.Model):
    """Proof of receipt (biên nhận): who signed, when, the receipt number, an optional scanned file.

    The file is kept under ``MEDIA_ROOT/support`` with a random name; a view
    hands it out only after the selector says the user may see the record.
    """

    received_by = models.CharField(_("người ký nhận"), max_length=150, blank=True)
    received_on = models.DateField(_("ngày nhận"), null=True, blank=True)
    receipt_number = models.CharField(_("số biên nhận"), max_length=50, blank=True)
    proof_name = models.CharField(_("tệp minh chứng"), max_length=200, blank=True)
    proof_stored = models.CharField(max_length=80, blank=True, editable=False)
    proof_content_type = models.CharField(max_length=100, blank=True, editable=False)
    proof_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    proof_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def has_receipt(self) -> bool:
        return self.received_on is not None

    @property
    def has_proof_file(self) -> bool:
        return bool(self.proof_stored)


class Grant(Recipient, ReceiptProof, TimeStampedModel):
    """Grant — hỗ trợ: support given once to a person or a household.

    Money (``amount``, integer VND), goods (``item`` × ``quantity`` ``unit``) or
    both. ``calculation`` keeps what the rule rows gave on the event date (the
    legal minimum, the formula, the documents) so the record explains itself
    after the rules change. Funded by the state budget, a project, or a
    donation (then ``allocation`` is the draw on that donation).
    """

    kind = models.ForeignKey("core.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("loại hỗ trợ"),
                             limit_choices_to={"vocabulary": "support_kind"})
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="support_grants", verbose_name=_("hồ sơ trường hợp"))
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"), null=True, blank=True)
    item = models.ForeignKey("core.Term", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("hiện vật"), limit_choices_to={"vocabulary": "support_item"})
    quantity = models.PositiveIntegerField(_("số lượng"), null=True, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=20, blank=True)
    persons_count = models.PositiveSmallIntegerField(_("số nhân khẩu được hỗ trợ"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("số tháng"), null=True, blank=True)
    calculation = models.JSONField(_("căn cứ tính mức"), default=dict, blank=True)
    funding = models.ForeignKey("core.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("nguồn kinh phí"),
                                limit_choices_to={"vocabulary": "funding_source_kind"})
    allocation = models.OneToOneField("support.Allocation", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="grant", verbose_name=_("phân bổ từ khoản tài trợ"))
    project_name = models.CharField(_("tên dự án, chương trình"), max_length=200, blank=True)
    given_on = models.DateField(_("ngày hỗ trợ"))
    event_date = models.DateField(_("ngày xảy ra sự việc"), null=True, blank=True,
                                  help_text=_("Ngày mất, ngày thiên tai, ngày bị thương…: mức hỗ trợ tính theo quy định "
                                              "có hiệu lực vào ngày này."))
    reason = models.TextField(_("lý do, hoàn cảnh"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("người ghi"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("hỗ trợ")
        verbose_name_plural = _("hỗ trợ")
        ordering = ["-given_on", "-id"]
        indexes = [
            models.Index(fields=["province", "-given_on"], name="grant_province_recent"),
            models.Index(fields=["commune", "-given_on"], name="grant_commune_recent"),
            models.Index(fields=["person", "-given_on"], name="grant_person"),
            models.Index(fields=["household", "-given_on"], name="grant_household"),
        ]
        constraints = [
            _one_recipient("grant_one_recipient"),
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | Q(item__isnull=False),
                name="grant_money_or_goods",
                violation_error_message=_("Cần ghi số tiền hoặc hiện vật hỗ trợ."),
            ),
            models.CheckConstraint(
                condition=(Q(item__isnull=True) & Q(quantity__isnull=True))
                | (Q(item__isnull=False) & Q(quantity__gt=0)),
                name="grant_item_with_quantity",
                violation_error_message=_("Hiện vật cần có số lượng lớn hơn 0 (và số lượng cần có hiện vật)."),
            ),
            models.CheckConstraint(
                condition=Q(event_date__isnull=True) | Q(event_date__lte=F("given_on")),
                name="grant_event_before_support",
                violation_error_message=_("Ngày xảy ra sự việc không được sau ngày hỗ trợ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.recipient_label} ({self.given_on:%d/%m/%Y})"


class NeedStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Đã xác định")
    REQUESTED = "requested", _("Đã đề nghị hỗ trợ")
    FULFILLED = "fulfilled", _("Đã đáp ứng")
    DECLINED = "declined", _("Không đáp ứng")


class NeedsSurvey(TimeStampedModel):
    """NeedsSurvey — đợt khảo sát nhu cầu: a campaign that records needs in bulk.

    E.g. the vocational and job needs of people with disabilities in 46
    communes, or wheelchairs and tricycles before asking a donor. ``need_types``
    empty means any type.
    """

    name = models.CharField(_("tên đợt khảo sát"), max_length=200)
    purpose = models.TextField(_("mục đích"), blank=True)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    communes = models.ManyToManyField("geo.Commune", related_name="+", verbose_name=_("xã/phường khảo sát"))
    need_types = models.ManyToManyField("core.Term", related_name="+", blank=True,
                                        verbose_name=_("loại nhu cầu khảo sát"),
                                        limit_choices_to={"vocabulary": "need_type"})
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("đợt khảo sát nhu cầu")
        verbose_name_plural = _("đợt khảo sát nhu cầu")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="survey_dates_ordered",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Need(Recipient, TimeStampedModel):
    """Need — nhu cầu: what a person or household lacks, and where it stands.

    identified → requested → fulfilled | declined (``services.NEED_MOVES``).
    A fulfilled need points at the grant or the donation allocation that met it.
    """

    need_type = models.ForeignKey("core.Term", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("loại nhu cầu"), limit_choices_to={"vocabulary": "need_type"})
    detail = models.TextField(_("chi tiết"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=NeedStatus.choices,
                              default=NeedStatus.IDENTIFIED)
    survey = models.ForeignKey(NeedsSurvey, on_delete=models.PROTECT, null=True, blank=True, related_name="needs",
                               verbose_name=_("đợt khảo sát"))
    identified_on = models.DateField(_("ngày xác định"))
    requested_on = models.DateField(_("ngày đề nghị"), null=True, blank=True)
    closed_on = models.DateField(_("ngày đáp ứng/kết thúc"), null=True, blank=True)
    decline_reason = models.TextField(_("lý do không đáp ứng"), blank=True)
    fulfilled_grant = models.ForeignKey(Grant, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="fulfilled_needs", verbose_name=_("đáp ứng bằng hỗ trợ"))
    fulfilled_allocation = models.ForeignKey("support.Allocation", on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="fulfilled_needs",
                                             verbose_name=_("đáp ứng bằng phân bổ tài trợ"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("nhu cầu")
        verbose_name_plural = _("nhu cầu")
        ordering = ["-identified_on", "-id"]
        indexes = [
            models.Index(fields=["survey", "commune", "need_type"], name="need_survey_report"),
            models.Index(fields=["province", "status"], name="need_province_status"),
            models.Index(fields=["person", "status"], name="need_person"),
        ]
        constraints = [
            _one_recipient("need_one_recipient"),
            models.CheckConstraint(
                condition=(Q(status="fulfilled") & (Q(fulfilled_grant__isnull=False)
                                                    | Q(fulfilled_allocation__isnull=False)))
                | (~Q(status="fulfilled") & Q(fulfilled_grant__isnull=True) & Q(fulfilled_allocation__isnull=True)),
                name="need_fulfilled_has_support",
                violation_error_message=_("Nhu cầu đã đáp ứng phải gắn với khoản hỗ trợ hoặc phân bổ đã đáp ứng nó."),
            ),
            models.CheckConstraint(
                condition=Q(fulfilled_grant__isnull=True) | Q(fulfilled_allocation__isnull=True),
                name="need_fulfilled_once",
                violation_error_message=_("Nhu cầu được đáp ứng bằng một khoản hỗ trợ hoặc một phân bổ, không cả hai."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="need_declined_with_reason",
                violation_error_message=_("Cần ghi lý do không đáp ứng."),
            ),
            models.UniqueConstraint(
                fields=["survey", "person", "need_type"], condition=Q(survey__isnull=False, person__isnull=False),
                name="need_once_per_survey_person",
                violation_error_message=_("Người này đã có nhu cầu loại này trong đợt khảo sát."),
            ),
            models.UniqueConstraint(
                fields=["survey", "household", "need_type"],
                condition=Q(survey__isnull=False, household__isnull=False),
                name="need_once_per_survey_household",
                violation_error_message=_("Hộ này đã có nhu cầu loại này trong đợt khảo sát."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need_type} — {self.recipient_label}"


class DonorKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    COMPANY = "company", _("Doanh nghiệp")
    ORGANISATION = "organisation", _("Tổ chức")


class Donor(TimeStampedModel):
    """Donor — nhà tài trợ: a person, company or organisation that gives money or goods."""

    name = models.CharField(_("tên nhà tài trợ"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False)
    kind = models.CharField(_("loại"), max_length=20, choices=DonorKind.choices)
    contact_name = models.CharField(_("người liên hệ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("nhà tài trợ")
        verbose_name_plural = _("nhà tài trợ")
        ordering = ["name_folded", "id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name_folded"], name="donor_name_once_per_province",
                                    violation_error_message=_("Đã có nhà tài trợ với tên này.")),
        ]

    def __str__(self) -> str:
        return self.name


class Donation(TimeStampedModel):
    """Donation — khoản tài trợ: money (VND) or goods (item × quantity) a donor gave.

    ``remaining`` is what is left to allocate, in the donation's own unit
    (đồng, or the item's unit). The allocation service decrements it under a
    row lock; the CHECK constraints keep it between 0 and the total even if a
    write ever bypassed the service.
    """

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="donations", verbose_name=_("nhà tài trợ"))
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("ngày tiếp nhận"))
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"), null=True, blank=True)
    item = models.ForeignKey("core.Term", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("hiện vật"), limit_choices_to={"vocabulary": "support_item"})
    quantity = models.PositiveIntegerField(_("số lượng"), null=True, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=20, blank=True)
    remaining = models.BigIntegerField(_("còn lại"))
    purpose = models.TextField(_("mục đích"))
    restrictions = models.TextField(_("điều kiện, giới hạn của nhà tài trợ"), blank=True)
    communes = models.ManyToManyField("geo.Commune", related_name="+", blank=True,
                                      verbose_name=_("xã/phường được hỗ trợ"))
    reference = models.CharField(_("số biên bản tiếp nhận"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("khoản tài trợ")
        verbose_name_plural = _("khoản tài trợ")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(amount__isnull=False) & Q(item__isnull=True) & Q(quantity__isnull=True))
                | (Q(amount__isnull=True) & Q(item__isnull=False) & Q(quantity__gt=0)),
                name="donation_cash_or_goods",
                violation_error_message=_("Khoản tài trợ là tiền (số tiền) hoặc hiện vật (loại và số lượng), một trong hai."),
            ),
            models.CheckConstraint(
                condition=Q(remaining__gte=0),
                name="donation_remaining_not_negative",
                violation_error_message=_("Số còn lại của khoản tài trợ không được âm: đã phân bổ vượt quá số nhận."),
            ),
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) | Q(remaining__lte=F("amount")))
                & (Q(quantity__isnull=True) | Q(remaining__lte=F("quantity"))),
                name="donation_remaining_within_total",
                violation_error_message=_("Số còn lại không được lớn hơn số đã nhận."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor} — {self.what} ({self.received_on:%d/%m/%Y})"

    @property
    def is_cash(self) -> bool:
        return self.amount is not None

    @property
    def total(self) -> int:
        return int(self.amount if self.amount is not None else (self.quantity or 0))

    @property
    def allocated(self) -> int:
        return self.total - int(self.remaining)

    @property
    def what(self) -> str:
        if self.is_cash:
            return f"{self.amount:,}".replace(",", ".") + " ₫"
        return f"{self.quantity:,}".replace(",", ".") + f" {self.unit} {self.item}".rstrip()


class Allocation(Recipient, ReceiptProof, TimeStampedModel):
    """Allocation — phân bổ: part of a donation given to a person or a household.

    ``amount`` for a cash donation, ``quantity`` for goods. A cancelled
    allocation (``cancelled_at``) gives its share back to the donation.
    """

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="allocations",
                                 verbose_name=_("khoản tài trợ"))
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("số lượng"), null=True, blank=True)
    allocated_on = models.DateField(_("ngày phân bổ"))
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("phân bổ tài trợ")
        verbose_name_plural = _("phân bổ tài trợ")
        ordering = ["-allocated_on", "-id"]
        indexes = [
            models.Index(fields=["donation", "cancelled_at"], name="allocation_donation_active"),
            models.Index(fields=["person"], name="allocation_person"),
            models.Index(fields=["household"], name="allocation_household"),
        ]
        constraints = [
            _one_recipient("allocation_one_recipient"),
            models.CheckConstraint(
                condition=(Q(amount__gt=0) & Q(quantity__isnull=True)) | (Q(amount__isnull=True) & Q(quantity__gt=0)),
                name="allocation_amount_or_quantity",
                violation_error_message=_("Phân bổ ghi số tiền (tài trợ tiền) hoặc số lượng (hiện vật), lớn hơn 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donation.donor} → {self.recipient_label}: {self.value} {self.unit_label}"

    @property
    def value(self) -> int:
        return int(self.amount if self.amount is not None else (self.quantity or 0))

    @property
    def unit_label(self) -> str:
        return "₫" if self.amount is not None else self.donation.unit

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None
