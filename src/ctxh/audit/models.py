"""Who changed what (AuditEntry) and who read what (AccessEntry)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """AuditEntry — nhật ký thay đổi: one write, by whom, with the fields it changed."""

    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("người thực hiện"),
    )
    action = models.CharField(_("hành động"), max_length=60, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=60)
    object_id = models.CharField(_("mã đối tượng"), max_length=40)
    object_repr = models.CharField(_("đối tượng"), max_length=200, blank=True)
    person_id = models.BigIntegerField(_("người liên quan"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"


class AccessEntry(models.Model):
    """AccessEntry — nhật ký truy cập: one opening of a sensitive record."""

    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người xem"),
    )
    object_type = models.CharField(_("loại đối tượng"), max_length=60)
    object_id = models.CharField(_("mã đối tượng"), max_length=40)
    person_id = models.BigIntegerField(_("người liên quan"), null=True, blank=True, db_index=True)
    purpose = models.CharField(_("mục đích"), max_length=60, default="view")
    break_glass = models.BooleanField(_("truy cập khẩn cấp"), default=False)
    reason = models.TextField(_("lý do"), blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_id} read {self.object_type}#{self.object_id}"
