"""Referrals that close the loop (chuyển gửi): from a case or a call to a provider, and back.

A referral is sent to a provider of the directory (``network.Provider``) only
with the person's active consent to sharing (``people.Consent`` purpose
``sharing``), or, in a life-threatening emergency, with a written reason
(Law 91/2025/QH15 on personal data: the emergency exception). The provider
accepts or declines, starts and completes; each move is one service
(``services.py``) checked against the transition table (``workflow.py``) and
lands on the case timeline.

Most providers have no CTXH account: they answer through a one-time link
(``ReferralLink``) — only the SHA-256 of its token is stored; it expires, can be
revoked, and is consumed by the action it carries. Every opening or use of a
link is written to ``ReferralLinkUse`` (the access log needs a user; a link
has none).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctxh.core.models import TimeStampedModel


class Status(models.TextChoices):
    SENT = "sent", _("Đã gửi, chờ trả lời")
    ACCEPTED = "accepted", _("Đơn vị đã nhận")
    DECLINED = "declined", _("Đơn vị từ chối")
    IN_PROGRESS = "in_progress", _("Đang cung cấp dịch vụ")
    COMPLETED = "completed", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Bình thường")
    URGENT = "urgent", _("Khẩn")
    EMERGENCY = "emergency", _("Khẩn cấp (nguy hiểm đến tính mạng)")


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", _("Có sự đồng ý chia sẻ thông tin")
    EMERGENCY = "emergency", _("Trường hợp khẩn cấp đe dọa tính mạng (không cần đồng ý)")


class Via(models.TextChoices):
    """Who made a move: the Centre's side, the provider logged in, or the provider through a link."""

    CENTRE = "centre", _("Trung tâm")
    PROVIDER = "provider", _("Đơn vị (tài khoản CTXH)")
    LINK = "link", _("Đơn vị (qua đường dẫn một lần)")


class Referral(TimeStampedModel):
    """Referral — chuyển gửi: one person sent from a case or a call to a provider, and the answer.

    ``case`` or ``call`` (or both, when the call has a case) says where it comes
    from; ``person`` is whom it is about. ``reason`` is only what the provider
    needs to know. ``due_on``: the answer is expected by then (rule
    ``referral.response_days``); a referral still ``sent`` after it is overdue.
    ``consent_basis`` records why sharing was lawful: the consent row used, or
    the emergency exception with its written reason.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="referrals", verbose_name=_("hồ sơ"))
    call = models.ForeignKey("hotline.Call", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="referrals", verbose_name=_("cuộc gọi"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals",
                               verbose_name=_("đối tượng"))
    provider = models.ForeignKey("network.Provider", on_delete=models.PROTECT, related_name="referrals",
                                 verbose_name=_("đơn vị nhận"))
    services = models.ManyToManyField("core.Term", blank=True, related_name="+", verbose_name=_("dịch vụ đề nghị"),
                                      limit_choices_to={"vocabulary": "provider_service"})
    reason = models.TextField(_("nhu cầu, lý do chuyển gửi"))
    urgency = models.CharField(_("mức độ khẩn"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.SENT,
                              db_index=True)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made",
                                    verbose_name=_("người chuyển gửi"))
    consent_basis = models.CharField(_("căn cứ chia sẻ thông tin"), max_length=10, choices=ConsentBasis.choices)
    consent = models.ForeignKey("people.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("sự đồng ý"))
    emergency_reason = models.TextField(_("lý do khẩn cấp"), blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"))
    due_on = models.DateField(_("hạn trả lời"), db_index=True)
    accepted_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    declined_at = models.DateTimeField(_("từ chối lúc"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    decline_reason = models.TextField(_("lý do từ chối"), blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    provider_note = models.TextField(_("ghi chú của đơn vị"), blank=True)
    provider_feedback = models.TextField(_("kết quả, phản hồi của đơn vị"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("chuyển gửi")
        verbose_name_plural = _("chuyển gửi")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="referral_status_due"),
            models.Index(fields=["provider", "status"], name="referral_provider_status"),
            models.Index(fields=["referred_by", "status"], name="referral_by_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(call__isnull=False), name="referral_from_case_or_call",
                violation_error_message=_("Chuyển gửi phải xuất phát từ một hồ sơ hoặc một cuộc gọi."),
            ),
            models.CheckConstraint(
                condition=Q(consent_basis="consent", consent__isnull=False)
                | (Q(consent_basis="emergency") & ~Q(emergency_reason="")),
                name="referral_lawful_basis",
                violation_error_message=_("Cần có sự đồng ý chia sẻ thông tin, hoặc ghi rõ lý do khẩn cấp."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="referral_decline_has_reason",
                violation_error_message=_("Cần ghi lý do từ chối."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """CG-<year sent>-<id>: what the letter and the provider quote."""
        year = timezone.localtime(self.sent_at).year if self.sent_at else timezone.localdate().year
        return f"CG-{year}-{self.pk or 0:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in (Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.SENT and self.due_on < timezone.localdate()


class ReferralChange(models.Model):
    """ReferralChange — diễn biến chuyển gửi: one status change, who made it and how.

    The referral's own history, whether or not it hangs on a case (a referral
    from a call has no case timeline). ``actor`` is empty when the provider
    answered through a link (``via`` = ``link``; ``link`` says which).
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("từ trạng thái"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=12, choices=Status.choices)
    at = models.DateTimeField(_("lúc"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("người thực hiện"))
    via = models.CharField(_("thực hiện bởi"), max_length=10, choices=Via.choices)
    link = models.ForeignKey("ReferralLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("diễn biến chuyển gửi")
        verbose_name_plural = _("diễn biến chuyển gửi")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral}: {self.from_status} → {self.to_status}"


class LinkPurpose(models.TextChoices):
    RESPOND = "respond", _("Trả lời nhận hoặc từ chối")
    PROGRESS = "progress", _("Báo tiến độ, kết quả")


class ReferralLink(models.Model):
    """ReferralLink — đường dẫn một lần: how a provider without an account answers one referral.

    Only ``token_hash`` (SHA-256 of the token) is stored; the token is shown
    once, to the worker who issues it, and printed on the letter. A link is
    refused once ``expires_at`` passed, once ``revoked_at`` is set, or once it
    was used (``used_at``): every action through a link consumes it.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="links")
    purpose = models.CharField(_("dùng để"), max_length=10, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("người cấp"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)
    used_action = models.CharField(_("đã dùng để"), max_length=20, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("người thu hồi"))

    class Meta:
        verbose_name = _("đường dẫn trả lời chuyển gửi")
        verbose_name_plural = _("đường dẫn trả lời chuyển gửi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | ~Q(used_action=""), name="referral_link_use_named",
                violation_error_message=_("Đường dẫn đã dùng phải ghi dùng để làm gì."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral} — {self.get_purpose_display()}"

    @property
    def state(self) -> str:
        """``active``, ``used``, ``revoked`` or ``expired`` (in that order of precedence)."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    @property
    def is_active(self) -> bool:
        return self.state == "active"


class ReferralLinkUse(models.Model):
    """ReferralLinkUse — nhật ký dùng đường dẫn: each opening, answer or refusal of a link.

    The access log for readers without an account (``AccessEntry`` needs a
    user). ``link`` is empty for a token that matches no link.
    """

    link = models.ForeignKey(ReferralLink, on_delete=models.CASCADE, null=True, blank=True, related_name="uses")
    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    action = models.CharField(_("thao tác"), max_length=20)
    outcome = models.CharField(_("kết quả"), max_length=20, default="ok")
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lượt dùng đường dẫn")
        verbose_name_plural = _("nhật ký dùng đường dẫn")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.link_id}: {self.action} ({self.outcome})"
