"""The counselling hotline (tổng đài tư vấn): lines, calls and the people a call is about.

Topics are ``core.Term`` rows of the ``call_topic`` vocabulary (two levels via
``parent``), loaded by a data migration with their source. A call is created the
moment the counsellor presses "New call" and stays *open* (``ended_at`` empty)
until it is ended; while it is open, what the counsellor types is kept in
``draft`` so that a refresh or a dropped connection loses nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctxh.core.models import TimeStampedModel

TOPIC_VOCABULARY = "call_topic"


class HotlineLine(models.Model):
    """HotlineLine — đầu số tổng đài: a number people call (111, the province's free line).

    ``province`` is empty for a national line. Lines are data: an administrator
    adds or retires them without a code change.
    """

    number = models.CharField(_("số tổng đài"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("tỉnh/thành phố (trống nếu là tổng đài quốc gia)"),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    source = models.CharField(_("căn cứ"), max_length=300)

    class Meta:
        verbose_name = _("đầu số tổng đài")
        verbose_name_plural = _("đầu số tổng đài")
        ordering = ["position", "number"]

    def __str__(self) -> str:
        return f"{self.number} — {self.name}"


class Channel(models.TextChoices):
    PHONE = "phone", _("Điện thoại")
    ZALO = "zalo", _("Zalo")
    WALK_IN = "walk_in", _("Trực tiếp tại Trung tâm")
    WEB_FORM = "web_form", _("Biểu mẫu trên trang web")
    OTHER = "other", _("Khác")


class Urgency(models.TextChoices):
    LOW = "low", _("Thấp")
    NORMAL = "normal", _("Bình thường")
    HIGH = "high", _("Cao")
    EMERGENCY = "emergency", _("Khẩn cấp")


# Rank for sorting by urgency (most urgent first when descending).
URGENCY_RANK = {Urgency.LOW: 0, Urgency.NORMAL: 1, Urgency.HIGH: 2, Urgency.EMERGENCY: 3}


class Outcome(models.TextChoices):
    ADVICE = "advice", _("Đã cung cấp thông tin, tư vấn")
    REFERRED = "referred", _("Đã chuyển gửi, giới thiệu dịch vụ")
    CASE_OPENED = "case_opened", _("Đã mở hồ sơ trường hợp")
    CASE_LINKED = "case_linked", _("Gắn với hồ sơ đã có")
    ESCALATED = "escalated", _("Chuyển cấp cứu, can thiệp khẩn cấp")
    NO_CONTENT = "no_content", _("Không có nội dung (gọi nhầm, im lặng, bị ngắt)")


class CallerRelation(models.TextChoices):
    SELF = "self", _("Chính người được nói đến")
    PARENT = "parent", _("Cha, mẹ, người giám hộ")
    SPOUSE = "spouse", _("Vợ, chồng, bạn đời")
    RELATIVE = "relative", _("Người thân khác")
    NEIGHBOUR = "neighbour", _("Hàng xóm, người quen")
    SCHOOL = "school", _("Giáo viên, nhà trường")
    OFFICIAL = "official", _("Cán bộ, cộng tác viên")
    OTHER = "other", _("Khác")


class SubjectRole(models.TextChoices):
    SUBJECT = "subject", _("Người cần hỗ trợ")
    FAMILY = "family", _("Thành viên gia đình")
    ALLEGED_PERPETRATOR = "alleged_perpetrator", _("Người bị nghi gây hại")
    OTHER = "other", _("Khác")


class Call(TimeStampedModel):
    """Call — cuộc gọi tư vấn: one contact with the hotline, from the first word to its outcome.

    ``province``/``commune`` scope who may see the call: the first person the
    call is about, or the counsellor's organisation while nobody is named.
    ``draft`` holds the screen's fields exactly as typed (possibly incomplete)
    until the counsellor saves; only the counsellor who took the call sees it.
    """

    started_at = models.DateTimeField(_("bắt đầu"), default=timezone.now, db_index=True)
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    channel = models.CharField(_("kênh"), max_length=20, choices=Channel.choices, default=Channel.PHONE)
    line = models.ForeignKey(
        HotlineLine, on_delete=models.PROTECT, null=True, blank=True, related_name="calls",
        verbose_name=_("đầu số"),
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calls_taken",
        verbose_name=_("tư vấn viên"),
    )
    caller_anonymous = models.BooleanField(_("người gọi giấu tên"), default=False)
    caller = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="calls_made",
        verbose_name=_("người gọi"),
    )
    caller_name = models.CharField(_("tên người gọi tự xưng"), max_length=150, blank=True)
    caller_phone = models.CharField(_("số điện thoại người gọi"), max_length=15, blank=True)
    caller_relation = models.CharField(
        _("quan hệ của người gọi với người được nói đến"), max_length=20,
        choices=CallerRelation.choices, blank=True,
    )
    subjects = models.ManyToManyField(
        "people.Person", through="CallSubject", related_name="calls_about",
        verbose_name=_("người được nói đến"),
    )
    topics = models.ManyToManyField(
        "core.Term", related_name="+", blank=True, limit_choices_to={"vocabulary": TOPIC_VOCABULARY},
        verbose_name=_("chủ đề"),
    )
    urgency = models.CharField(_("mức độ khẩn cấp"), max_length=10, choices=Urgency.choices,
                               default=Urgency.NORMAL)
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices, blank=True)
    referred_to = models.CharField(_("chuyển gửi đến"), max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="calls",
        verbose_name=_("hồ sơ trường hợp"),
    )
    follow_up_at = models.DateTimeField(_("hẹn gọi lại lúc"), null=True, blank=True)
    follow_up_note = models.CharField(_("việc cần làm khi gọi lại"), max_length=300, blank=True)
    follow_up_done_at = models.DateTimeField(_("đã gọi lại lúc"), null=True, blank=True)
    follow_up_reminded_at = models.DateTimeField(_("đã nhắc gọi lại lúc"), null=True, blank=True, editable=False)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh/thành phố"))
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("xã/phường"))
    draft = models.JSONField(_("bản nháp"), default=dict, blank=True, editable=False)
    draft_saved_at = models.DateTimeField(_("lưu nháp lúc"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("cuộc gọi")
        verbose_name_plural = _("cuộc gọi")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["province", "started_at"], name="call_prov_started"),
            models.Index(fields=["counsellor", "started_at"], name="call_counsellor_started"),
            models.Index(fields=["counsellor", "follow_up_at"], name="call_follow_up_open",
                         condition=Q(follow_up_at__isnull=False, follow_up_done_at__isnull=True)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["counsellor"], condition=Q(ended_at__isnull=True), name="call_one_open_per_counsellor",
                violation_error_message=_("Tư vấn viên đang có một cuộc gọi chưa kết thúc."),
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="call_ends_after_start",
                violation_error_message=_("Thời điểm kết thúc không được trước thời điểm bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_done_at__isnull=True) | Q(follow_up_at__isnull=False),
                name="call_follow_up_done_needs_date",
                violation_error_message=_("Chỉ ghi đã gọi lại khi đã có lịch hẹn gọi lại."),
            ),
            models.CheckConstraint(
                condition=~Q(caller_anonymous=True, caller__isnull=False),
                name="call_anonymous_caller_unnamed",
                violation_error_message=_("Người gọi giấu tên thì không gắn với hồ sơ đối tượng."),
            ),
        ]

    def __str__(self) -> str:
        return _("Cuộc gọi #%(id)s") % {"id": self.pk}

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def duration(self) -> dt.timedelta | None:
        if self.ended_at is None:
            return None
        return self.ended_at - self.started_at

    @property
    def duration_display(self) -> str:
        d = self.duration
        if d is None:
            return ""
        seconds = int(d.total_seconds())
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"

    @property
    def follow_up_pending(self) -> bool:
        return self.follow_up_at is not None and self.follow_up_done_at is None

    @property
    def follow_up_overdue(self) -> bool:
        return self.follow_up_pending and self.follow_up_at < timezone.now()  # type: ignore[operator]


class CallSubject(models.Model):
    """CallSubject — người được nói đến trong cuộc gọi: a person the call is about, and their role."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="call_subjects")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("người"))
    role = models.CharField(_("vai trò"), max_length=30, choices=SubjectRole.choices,
                            default=SubjectRole.SUBJECT)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("người được nói đến")
        verbose_name_plural = _("người được nói đến")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "person"], name="call_subject_once",
                violation_error_message=_("Người này đã có trong cuộc gọi."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"
