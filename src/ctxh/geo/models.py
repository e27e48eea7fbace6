"""Administrative units since 1 July 2025: province and commune, no district."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """Province — tỉnh / thành phố trực thuộc trung ương (2-digit code, Decision 19/2025)."""

    code = models.PositiveSmallIntegerField(_("mã"), primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=40)
    codename = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = _("tỉnh/thành phố")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """Commune — xã / phường / đặc khu (5-digit code, never reused)."""

    code = models.PositiveIntegerField(_("mã"), primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=40)
    codename = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")
        ordering = ["province_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_urban(self) -> bool:
        """Wards (phường) are urban, communes (xã) and special zones rural."""
        return self.division_type == "phường"
