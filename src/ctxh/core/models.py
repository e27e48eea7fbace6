"""Versioned legal data: rule values and category lists (danh mục).

The law changes often, so nothing legal is a literal in code. A ``Rule`` row is
one value of a named rule from a date, with the document that set it; a
``Term`` is one entry of a category list with the dates it is in force.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for every domain model: when the row was created and last changed."""

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class Rule(models.Model):
    """Rule — quy định: the value of a legal parameter from ``valid_from`` on.

    The value in force on a date is the row with the latest ``valid_from`` not
    after that date (``ctxh.core.rules.rule_value``).
    """

    key = models.CharField(_("mã quy định"), max_length=100)
    valid_from = models.DateField(_("hiệu lực từ"))
    value = models.JSONField(_("giá trị"))
    unit = models.CharField(_("đơn vị"), max_length=40, blank=True)
    source = models.CharField(_("văn bản"), max_length=300)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quy định")
        verbose_name_plural = _("quy định")
        ordering = ["key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "valid_from"],
                name="rule_one_value_per_day",
                violation_error_message=_("Quy định này đã có giá trị từ ngày đó."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.valid_from:%d/%m/%Y})"


class TermQuerySet(models.QuerySet["Term"]):
    def of(self, vocabulary: str) -> TermQuerySet:
        return self.filter(vocabulary=vocabulary)

    def in_force(self, on: dt.date | None = None) -> TermQuerySet:
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on)
        )


class Term(models.Model):
    """Term — mục danh mục: one entry of a category list set by law or practice.

    ``vocabulary`` names the list (``ethnicity``, ``disability_type``,
    ``allowance_group``, ``child_special``…); ``code`` is stable and is what
    code and data refer to.
    """

    vocabulary = models.CharField(_("danh mục"), max_length=40)
    code = models.CharField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    source = models.CharField(_("văn bản"), max_length=300)
    extra = models.JSONField(_("thuộc tính"), default=dict, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("mục danh mục")
        verbose_name_plural = _("danh mục")
        ordering = ["vocabulary", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code"],
                name="term_code_unique_in_vocabulary",
                violation_error_message=_("Mã này đã có trong danh mục."),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.label}


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc")


class CalendarDay(models.Model):
    """CalendarDay — ngày nghỉ, ngày làm bù: one day the government moved this year.

    The fixed public holidays come from the ``holidays`` package's Vietnamese
    calendar; these rows add what it cannot know: each year's official Tết and
    National Day schedule (extra days off) and the swapped working days (a
    Saturday made a working day, ``working_day``). A row wins over the package
    and over the weekend (``ctxh.core.calendar.is_working_day``).
    """

    date = models.DateField(_("ngày"), unique=True, error_messages={
        "unique": _("Ngày này đã có trong lịch."),
    })
    kind = models.CharField(_("loại ngày"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    source = models.CharField(_("văn bản"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("người thêm"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ngày trong lịch làm việc")
        verbose_name_plural = _("lịch làm việc")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"
