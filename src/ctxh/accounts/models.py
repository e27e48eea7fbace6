"""Users, the organisations of the network, and what each membership covers."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctxh.core.models import TimeStampedModel


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")
    DIRECTOR = "director", _("Lãnh đạo (phê duyệt)")
    CASE_WORKER = "case_worker", _("Nhân viên quản lý trường hợp")
    COUNSELLOR = "counsellor", _("Tư vấn viên tổng đài")
    COLLABORATOR = "collaborator", _("Cộng tác viên CTXH cấp xã")
    FACILITY_STAFF = "facility_staff", _("Nhân viên cơ sở trợ giúp xã hội")
    STATISTICIAN = "statistician", _("Cán bộ thống kê")


class User(AbstractUser):
    """User — người dùng: one person who logs in; what they see comes from memberships."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    failed_logins = models.PositiveSmallIntegerField(_("số lần đăng nhập sai"), default=0)
    locked_until = models.DateTimeField(_("khóa đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class Organization(TimeStampedModel):
    """Organization — đơn vị: the Centre, a facility, a commune People's Committee, the Sở, a provider."""

    class Kind(models.TextChoices):
        CENTRE = "centre", _("Trung tâm Công tác xã hội")
        FACILITY = "facility", _("Cơ sở trợ giúp xã hội")
        COMMUNE_COMMITTEE = "commune_committee", _("UBND cấp xã")
        DEPARTMENT = "department", _("Sở Y tế")
        PROVIDER = "provider", _("Nhà cung cấp dịch vụ")
        ONE_STOP = "one_stop", _("Trung tâm hỗ trợ một cửa (Ngôi nhà Ánh Dương)")

    name = models.CharField(_("tên đơn vị"), max_length=200)
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, verbose_name=_("tỉnh/thành phố"))
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("xã/phường")
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """Membership — phân công: a user's role at an organisation and the communes it covers.

    ``whole_province`` covers every commune of the organisation's province (the
    Centre's staff); otherwise only ``communes`` are covered (a collaborator).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    whole_province = models.BooleanField(_("phụ trách toàn tỉnh"), default=False)
    communes = models.ManyToManyField("geo.Commune", blank=True, verbose_name=_("xã/phường phụ trách"))
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                name="membership_unique_role",
                violation_error_message=_("Người dùng đã có vai trò này ở đơn vị này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization}"


class ApiToken(models.Model):
    """ApiToken — khóa API cá nhân: only its SHA-256 hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Notification(models.Model):
    """Notification — thông báo: a message in a user's in-app inbox (a case assigned, a deadline near).

    ``verb`` is a namespaced code (``case.assigned``, ``deadline.overdue``);
    ``link`` is where the message leads; ``read_at`` is empty until it is read.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    verb = models.CharField(_("loại"), max_length=60)
    message = models.CharField(_("nội dung"), max_length=500)
    link = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("hồ sơ"),
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return f"{self.user}: {self.message[:60]}"
