"""Case management (quản lý trường hợp): the case file and its type.

The steps, transitions and deadlines of each case type are data (see
``workflow.py``); a case's ``status`` is the code of its current step.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctxh.core.models import TimeStampedModel


class CaseType(models.Model):
    """CaseType — loại trường hợp: child protection, Circular 02/2020, GBV, elderly…

    ``sealed_by_default``: cases of this type are visible to their team and the
    director only (gender-based violence, sexual abuse, trafficking).
    """

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    sealed_by_default = models.BooleanField(_("mặc định niêm phong"), default=False)
    source = models.CharField(_("văn bản"), max_length=300)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại trường hợp")
        verbose_name_plural = _("loại trường hợp")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Case(TimeStampedModel):
    """Case — hồ sơ quản lý trường hợp: one person's case file and where it stands."""

    class Source(models.TextChoices):
        CALL = "call", _("Cuộc gọi tổng đài")
        WALK_IN = "walk_in", _("Trực tiếp đến Trung tâm")
        POLICE = "police", _("Công an chuyển đến")
        SCHOOL = "school", _("Nhà trường chuyển đến")
        COLLABORATOR = "collaborator", _("Cộng tác viên báo tin")
        HEALTH = "health", _("Cơ sở y tế chuyển đến")
        OTHER = "other", _("Khác")

    class Risk(models.TextChoices):
        HIGH = "high", _("Cao")
        MEDIUM = "medium", _("Trung bình")
        LOW = "low", _("Thấp")

    number = models.CharField(_("số hồ sơ"), max_length=30, unique=True)
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, verbose_name=_("loại trường hợp"))
    status = models.CharField(_("bước hiện tại"), max_length=40, db_index=True)
    sealed = models.BooleanField(_("niêm phong"), default=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("đối tượng"))
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    summary = models.TextField(_("tóm tắt"))
    source = models.CharField(_("nguồn tiếp nhận"), max_length=20, choices=Source.choices)
    reported_at = models.DateTimeField(_("thời điểm nhận thông tin"))
    serious_risk = models.BooleanField(_("nguy cơ tổn hại nghiêm trọng"), default=False)
    risk_level = models.CharField(_("mức độ nguy cơ"), max_length=10, choices=Risk.choices, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="assigned_cases", verbose_name=_("người phụ trách"))
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("hồ sơ trường hợp")
        verbose_name_plural = _("hồ sơ trường hợp")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["assigned_to", "status"], name="case_assignee_status"),
            models.Index(fields=["province", "commune"], name="case_place"),
        ]

    def __str__(self) -> str:
        return self.number
