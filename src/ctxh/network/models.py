"""The provider directory: who offers which service, where, to whom.

Providers are public and private social protection facilities, hospitals'
social work units, schools, the one-stop centre, police, legal aid,
vocational and employment centres. Most have no CTXH account; those that do
are linked to their ``Organization``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctxh.core.models import TimeStampedModel
from ctxh.core.text import digits, fold


class Provider(TimeStampedModel):
    """Provider — đơn vị cung cấp dịch vụ: one address in the handbook of services.

    ``type``, ``sector``, ``services`` and ``target_groups`` are category lists
    (``core.Term`` vocabularies ``provider_type``, ``provider_sector``,
    ``provider_service``, ``provider_target``). ``is_public`` decides whether
    the provider appears on the public portal and in the printed handbook.
    ``capacity`` is the number of places of a residential facility.
    """

    name = models.CharField(_("tên đơn vị"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    type = models.ForeignKey(
        "core.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("loại đơn vị"),
        limit_choices_to={"vocabulary": "provider_type"},
    )
    sector = models.ForeignKey(
        "core.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("lĩnh vực"),
        limit_choices_to={"vocabulary": "provider_sector"},
    )
    services = models.ManyToManyField(
        "core.Term", related_name="+", blank=True, verbose_name=_("dịch vụ cung cấp"),
        limit_choices_to={"vocabulary": "provider_service"},
    )
    target_groups = models.ManyToManyField(
        "core.Term", related_name="+", blank=True, verbose_name=_("đối tượng phục vụ"),
        limit_choices_to={"vocabulary": "provider_target"},
    )
    description = models.TextField(_("giới thiệu"), blank=True)
    hours = models.CharField(_("giờ làm việc"), max_length=200, blank=True)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh/thành phố")
    )
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("xã/phường"),
    )
    serves_province = models.BooleanField(
        _("phục vụ toàn tỉnh"), default=False,
        help_text=_("Đơn vị cấp tỉnh nhận người ở mọi xã (bệnh viện tỉnh, trợ giúp pháp lý, Ngôi nhà Ánh Dương…)."),
    )
    address_detail = models.CharField(_("địa chỉ"), max_length=250, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    phone_alt = models.CharField(_("điện thoại khác"), max_length=20, blank=True)
    hotline = models.CharField(_("đường dây nóng"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang web"), blank=True)
    contact_person = models.CharField(_("người liên hệ"), max_length=150, blank=True)
    is_residential = models.BooleanField(_("có nuôi dưỡng tập trung"), default=False)
    capacity = models.PositiveIntegerField(_("số chỗ nuôi dưỡng"), null=True, blank=True)
    is_public = models.BooleanField(_("được công khai"), default=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="providers",
        verbose_name=_("đơn vị có tài khoản CTXH"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # Name, street address and commune folded together: what a search matches,
    # with or without marks ("tro giup phap ly ha long").
    search_folded = models.CharField(max_length=600, editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("đơn vị cung cấp dịch vụ")
        verbose_name_plural = _("đơn vị cung cấp dịch vụ")
        ordering = ["name"]
        indexes = [models.Index(fields=["province", "commune"], name="provider_place")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_residential=True) | models.Q(capacity__isnull=True),
                name="provider_capacity_only_residential",
                violation_error_message=_("Chỉ cơ sở có nuôi dưỡng tập trung mới có số chỗ."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.name)
        self.search_folded = self.folded_for_search()
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "name_folded", "search_folded"}
        super().save(*args, **kwargs)

    def folded_for_search(self) -> str:
        commune = self.commune.name if self.commune_id and self.commune is not None else ""
        numbers = [digits(p) for p in (self.hotline, self.phone, self.phone_alt) if p]
        return fold(" ".join(p for p in (self.name, self.address_detail, commune, *numbers) if p))[:600]

    @property
    def address(self) -> str:
        """The address as printed: street, commune, province."""
        parts = [self.address_detail]
        if self.commune_id:
            parts.append(str(self.commune))
        parts.append(str(self.province))
        return ", ".join(p for p in parts if p)

    @property
    def phones(self) -> list[str]:
        return [p for p in (self.hotline, self.phone, self.phone_alt) if p]


class HandbookRenderCount(models.Model):
    """How many new handbook PDFs one caller (a hash of the address) had built in one hour.

    The limit is counted in the database, where an ``UPDATE … SET n = n + 1``
    is atomic for every web process; a file cache's increment is not.
    """

    client = models.CharField(_("người gọi (băm)"), max_length=64)
    hour = models.DateTimeField(_("giờ"))
    count = models.PositiveIntegerField(_("số lần"), default=0)

    class Meta:
        verbose_name = _("lượt in sổ tay")
        verbose_name_plural = _("lượt in sổ tay")
        constraints = [models.UniqueConstraint(fields=["client", "hour"], name="handbook_render_client_hour")]

    def __str__(self) -> str:
        return f"{self.client[:8]} {self.hour:%d/%m/%Y %H}h: {self.count}"
