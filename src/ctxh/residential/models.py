"""Residential care (chăm sóc, nuôi dưỡng tại cơ sở): who lives at which facility, and after.

A facility is a ``network.Provider`` with ``is_residential`` and a ``capacity``.
An ``Admission`` is one stay from admission to discharge; a person has at most
one open stay. A person who goes home (to the family or the commune) gets a
``Reintegration`` with the follow-up period the law asks for and the
``FollowUp`` visits made during it.

Other apps read ``Admission`` by these field names: ``person``, ``facility``,
``kind`` (``"state"`` = state-funded care under Decree 20/2021 art. 25),
``admitted_on`` and ``discharged_on`` (empty while the person lives there).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ctxh.core.models import TimeStampedModel


class AdmissionKind(models.TextChoices):
    STATE = "state", _("Nuôi dưỡng theo chế độ (Điều 25 Nghị định 20/2021/NĐ-CP)")
    VOLUNTARY_PAID = "voluntary_paid", _("Tự nguyện, có trả phí")
    TEMPORARY = "temporary", _("Tiếp nhận tạm thời, khẩn cấp")


class DischargeReason(models.TextChoices):
    RETURNED_FAMILY = "returned_family", _("Trở về gia đình")
    RETURNED_COMMUNITY = "returned_community", _("Trở về cộng đồng (UBND cấp xã tiếp nhận)")
    TRANSFERRED = "transferred", _("Chuyển đến cơ sở khác")
    DIED = "died", _("Qua đời")
    LEFT = "left", _("Tự ý rời cơ sở")
    OTHER = "other", _("Lý do khác")


# Discharges after which the person is followed up at home (Circular 02/2020 art. 10.2).
REINTEGRATION_REASONS = (DischargeReason.RETURNED_FAMILY, DischargeReason.RETURNED_COMMUNITY)


class Admission(TimeStampedModel):
    """Admission — tiếp nhận vào cơ sở: one stay of a person at a residential facility.

    ``discharged_on`` is empty while the person lives there; the database allows
    one open stay per person. ``monthly_fee``, ``contract_number`` and
    ``payer_name`` belong to voluntary paid care only. ``over_capacity_reason``
    is the director's written reason when a full facility took the person in.
    """

    Kind = AdmissionKind
    DischargeReason = DischargeReason

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="admissions",
                               verbose_name=_("đối tượng"))
    facility = models.ForeignKey("network.Provider", on_delete=models.PROTECT, related_name="admissions",
                                 verbose_name=_("cơ sở"))
    kind = models.CharField(_("hình thức"), max_length=20, choices=AdmissionKind.choices)
    admitted_on = models.DateField(_("ngày tiếp nhận"))
    reason = models.TextField(_("lý do tiếp nhận"))
    decision_number = models.CharField(_("số quyết định tiếp nhận"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.CharField(_("người ký quyết định"), max_length=150, blank=True)
    monthly_fee = models.PositiveBigIntegerField(_("phí hằng tháng (đồng)"), null=True, blank=True)
    contract_number = models.CharField(_("số hợp đồng"), max_length=60, blank=True)
    payer_name = models.CharField(_("người trả phí"), max_length=150, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="admissions", verbose_name=_("hồ sơ trường hợp"))
    over_capacity_reason = models.TextField(_("lý do tiếp nhận vượt số chỗ"), blank=True)
    discharged_on = models.DateField(_("ngày rời cơ sở"), null=True, blank=True)
    discharge_reason = models.CharField(_("lý do rời cơ sở"), max_length=20, choices=DischargeReason.choices,
                                        blank=True)
    discharge_decision = models.CharField(_("số quyết định cho rời cơ sở"), max_length=60, blank=True)
    discharge_note = models.TextField(_("ghi chú khi rời cơ sở"), blank=True)
    transferred_to = models.ForeignKey("network.Provider", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("chuyển đến cơ sở"))
    notes = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("lượt tiếp nhận vào cơ sở")
        verbose_name_plural = _("lượt tiếp nhận vào cơ sở")
        ordering = ["-admitted_on", "-id"]
        indexes = [
            models.Index(fields=["facility", "discharged_on"], name="admission_facility_open"),
            models.Index(fields=["person", "admitted_on"], name="admission_person_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(discharged_on__isnull=True), name="admission_one_open_per_person",
                violation_error_message=_("Người này đang ở tại một cơ sở; cần làm thủ tục rời cơ sở trước."),
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("admitted_on")),
                name="admission_discharge_after_admission",
                violation_error_message=_("Ngày rời cơ sở không được trước ngày tiếp nhận."),
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True, discharge_reason="")
                | (Q(discharged_on__isnull=False) & ~Q(discharge_reason="")),
                name="admission_discharge_reason_with_date",
                violation_error_message=_("Ngày rời cơ sở và lý do rời cơ sở phải đi cùng nhau."),
            ),
            models.CheckConstraint(
                condition=Q(kind=AdmissionKind.VOLUNTARY_PAID, monthly_fee__isnull=False)
                | (~Q(kind=AdmissionKind.VOLUNTARY_PAID) & Q(monthly_fee__isnull=True, contract_number="",
                                                              payer_name="")),
                name="admission_fee_only_voluntary",
                violation_error_message=_("Phí, hợp đồng và người trả phí chỉ ghi cho hình thức tự nguyện có trả "
                                          "phí, và hình thức này phải có mức phí."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.facility}"

    @property
    def is_open(self) -> bool:
        return self.discharged_on is None


class Destination(models.TextChoices):
    FAMILY = "family", _("Gia đình")
    COMMUNE = "commune", _("Cộng đồng (UBND cấp xã)")


class Reintegration(TimeStampedModel):
    """Reintegration — tái hòa nhập cộng đồng: the return home after a stay, and who took the person in.

    ``follow_up_until`` is at least the discharge date plus the months of the
    rule ``residential.follow_up_months`` (Circular 02/2020 art. 10.2: at
    least 6 months); the facility may follow up longer.
    """

    Destination = Destination

    admission = models.OneToOneField(Admission, on_delete=models.CASCADE, related_name="reintegration",
                                     verbose_name=_("lượt ở cơ sở"))
    destination = models.CharField(_("nơi trở về"), max_length=10, choices=Destination.choices)
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("xã/phường nơi trở về"))
    address_detail = models.CharField(_("địa chỉ"), max_length=250, blank=True)
    receiver_name = models.CharField(_("người tiếp nhận"), max_length=150)
    receiver_relationship = models.CharField(_("quan hệ với đối tượng"), max_length=100, blank=True)
    receiver_phone = models.CharField(_("điện thoại người tiếp nhận"), max_length=20, blank=True)
    follow_up_until = models.DateField(_("theo dõi đến ngày"))
    notes = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("tái hòa nhập cộng đồng")
        verbose_name_plural = _("tái hòa nhập cộng đồng")
        ordering = ["-follow_up_until", "-id"]

    def __str__(self) -> str:
        return f"{self.admission.person} — {self.get_destination_display()}"


class Situation(models.TextChoices):
    STABLE = "stable", _("Ổn định")
    AT_RISK = "at_risk", _("Có nguy cơ")
    NEEDS_SUPPORT = "needs_support", _("Cần hỗ trợ thêm")


class FollowUp(models.Model):
    """FollowUp — theo dõi sau tái hòa nhập: one visit (or call) to a person who went home."""

    Situation = Situation

    reintegration = models.ForeignKey(Reintegration, on_delete=models.CASCADE, related_name="follow_ups",
                                      verbose_name=_("tái hòa nhập"))
    visited_on = models.DateField(_("ngày theo dõi"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("người theo dõi"))
    situation = models.CharField(_("tình hình"), max_length=20, choices=Situation.choices)
    notes = models.TextField(_("ghi chép"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần theo dõi")
        verbose_name_plural = _("các lần theo dõi")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["reintegration", "visited_on"], name="follow_up_latest")]

    def __str__(self) -> str:
        return f"{self.reintegration} — {self.visited_on:%d/%m/%Y}"
