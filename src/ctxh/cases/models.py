"""Case management (quản lý trường hợp): the case file and its type.

The steps, transitions and deadlines of each case type are data (``CaseStep``,
``CaseTransition``, ``DeadlineTrigger`` rows loaded by a data migration from
``reference.py``); ``workflow.py`` is the one engine that moves a case along
them. A case's ``status`` is the code of its current step.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctxh.core.models import TimeStampedModel


class RiskLevel(models.TextChoices):
    HIGH = "high", _("Cao")
    MEDIUM = "medium", _("Trung bình")
    LOW = "low", _("Thấp")


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


class StepKind(models.TextChoices):
    """What a step is for; the engine and the services key on this, never on a step's code."""

    INTAKE = "intake", _("Tiếp nhận")
    ASSESSMENT = "assessment", _("Đánh giá")
    PLAN = "plan", _("Lập kế hoạch")
    IMPLEMENTATION = "implementation", _("Thực hiện kế hoạch")
    REVIEW = "review", _("Theo dõi, rà soát")
    CLOSURE = "closure", _("Đề nghị đóng hồ sơ (chờ phê duyệt)")
    CLOSED = "closed", _("Đã đóng")


class CaseStep(models.Model):
    """CaseStep — bước quản lý trường hợp: one step of a case type, in order.

    ``needs_approval``: the work of this step (a plan, a closure) waits for the
    director's approval before the case moves on. ``form`` names the legal form
    the step fills in (mẫu 01–06 of Decree 56/2017).
    """

    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    kind = models.CharField(_("loại bước"), max_length=20, choices=StepKind.choices)
    position = models.PositiveIntegerField(_("thứ tự"))
    needs_approval = models.BooleanField(_("cần phê duyệt"), default=False)
    form = models.CharField(_("biểu mẫu"), max_length=100, blank=True)
    source = models.CharField(_("văn bản"), max_length=300)

    class Meta:
        verbose_name = _("bước quản lý trường hợp")
        verbose_name_plural = _("bước quản lý trường hợp")
        ordering = ["case_type", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case_type", "code"], name="case_step_code_unique",
                                    violation_error_message=_("Loại trường hợp này đã có bước với mã đó.")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.kind == StepKind.CLOSED


class TransitionKind(models.TextChoices):
    """What else happens when the case moves; MOVE is a plain move."""

    MOVE = "move", _("Chuyển bước")
    APPROVE_PLAN = "approve_plan", _("Phê duyệt kế hoạch")
    REQUEST_CLOSURE = "request_closure", _("Đề nghị đóng hồ sơ")
    APPROVE_CLOSURE = "approve_closure", _("Phê duyệt đóng hồ sơ")
    REJECT_CLOSURE = "reject_closure", _("Không duyệt đóng hồ sơ")
    REOPEN = "reopen", _("Mở lại hồ sơ")


class CaseTransition(models.Model):
    """CaseTransition — chuyển bước: one legal move of a case type from a step to another.

    Who may make it: ``requires_capability`` (e.g. ``case.approve``) when set,
    else any member of the case team (or a director) with ``case.work``;
    ``assignee_may``: the worker in charge may make it too (reopening).
    ``requires_reason``: the move is refused without a written reason.
    """

    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="transitions")
    from_step = models.ForeignKey(CaseStep, on_delete=models.CASCADE, related_name="transitions_out")
    to_step = models.ForeignKey(CaseStep, on_delete=models.CASCADE, related_name="transitions_in")
    code = models.CharField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=TransitionKind.choices, default=TransitionKind.MOVE)
    requires_capability = models.CharField(_("quyền cần có"), max_length=40, blank=True)
    assignee_may = models.BooleanField(_("người phụ trách cũng được làm"), default=False)
    requires_reason = models.BooleanField(_("phải ghi lý do"), default=False)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    source = models.CharField(_("văn bản"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chuyển bước")
        verbose_name_plural = _("bảng chuyển bước")
        ordering = ["case_type", "from_step__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["case_type", "from_step", "code"], name="case_transition_unique",
                                    violation_error_message=_("Bước này đã có thao tác với mã đó.")),
        ]

    def __str__(self) -> str:
        return f"{self.from_step.code} → {self.to_step.code} ({self.code})"


class ClockEvent(models.TextChoices):
    OPENED = "opened", _("Mở hồ sơ (tính từ lúc nhận thông tin)")
    STEP_ENTERED = "step_entered", _("Bắt đầu một bước")
    STEP_LEFT = "step_left", _("Hoàn thành một bước")
    PLAN_SUBMITTED = "plan_submitted", _("Trình kế hoạch")
    PLAN_APPROVED = "plan_approved", _("Phê duyệt kế hoạch")
    CLOSED = "closed", _("Đóng hồ sơ")


class DeadlineTrigger(models.Model):
    """DeadlineTrigger — căn cứ tính hạn: when a rule's clock starts and stops for a case type.

    ``rule_key`` names a ``core.Rule`` (``{"hours": N}`` or ``{"working_days": N}``);
    the clock starts on ``start_event`` (for step events, of ``start_step``) and
    the deadline is done on ``stop_event``. ``serious_risk_only``: only for a
    case marked at risk of serious harm. ``step`` is the step whose work is timed.
    """

    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="deadline_triggers")
    step = models.ForeignKey(CaseStep, on_delete=models.CASCADE, related_name="+", verbose_name=_("bước"))
    rule_key = models.CharField(_("mã quy định"), max_length=100)
    start_event = models.CharField(_("bắt đầu tính khi"), max_length=20, choices=ClockEvent.choices)
    start_step = models.ForeignKey(CaseStep, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    stop_event = models.CharField(_("hoàn thành khi"), max_length=20, choices=ClockEvent.choices)
    stop_step = models.ForeignKey(CaseStep, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    serious_risk_only = models.BooleanField(_("chỉ khi có nguy cơ tổn hại nghiêm trọng"), default=False)
    name = models.CharField(_("tên"), max_length=200)
    source = models.CharField(_("văn bản"), max_length=300)

    class Meta:
        verbose_name = _("căn cứ tính hạn")
        verbose_name_plural = _("căn cứ tính hạn")
        ordering = ["case_type", "step__position", "id"]

    def __str__(self) -> str:
        return f"{self.case_type.code}: {self.name}"


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

    Risk = RiskLevel

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
    risk_level = models.CharField(_("mức độ nguy cơ"), max_length=10, choices=RiskLevel.choices, blank=True)
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
            models.Index(fields=["province", "-reported_at"], name="case_province_recent"),
            # Hiding the people of sealed cases from search reads only these rows.
            models.Index(fields=["person", "id"], condition=Q(sealed=True), name="case_sealed_person"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CaseCounter(models.Model):
    """CaseCounter — bộ đếm số hồ sơ: the last case number given in a year."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm số hồ sơ")
        verbose_name_plural = _("bộ đếm số hồ sơ")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Phụ trách chính")
    CO_WORKER = "co_worker", _("Cùng phụ trách")
    SUPERVISOR = "supervisor", _("Giám sát chuyên môn")
    COLLABORATOR = "collaborator", _("Cộng tác viên tại xã")
    INTAKE = "intake", _("Người tiếp nhận thông tin")


class CaseMember(models.Model):
    """CaseMember — thành viên nhóm phụ trách: one person on a case team, for a period.

    The team is the rows without ``ended_at``; all rows together are the
    assignment history (who assigned whom, when, and when it ended). The
    ``lead`` row is the case's ``assigned_to``.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships",
                             verbose_name=_("người"))
    role = models.CharField(_("vai trò"), max_length=20, choices=MemberRole.choices)
    assigned_at = models.DateTimeField(_("phân công lúc"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người phân công"))
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("người kết thúc"))
    end_reason = models.CharField(_("lý do kết thúc"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("thành viên nhóm phụ trách")
        verbose_name_plural = _("nhóm phụ trách")
        ordering = ["case", "-assigned_at", "-id"]
        indexes = [models.Index(fields=["user", "ended_at"], name="case_member_user_active")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(role="lead", ended_at__isnull=True), name="case_one_active_lead",
                violation_error_message=_("Mỗi hồ sơ chỉ có một người phụ trách chính."),
            ),
            models.UniqueConstraint(
                fields=["case", "user"], condition=Q(ended_at__isnull=True), name="case_member_once",
                violation_error_message=_("Người này đã ở trong nhóm phụ trách."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} — {self.user} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class CaseDeadline(models.Model):
    """CaseDeadline — thời hạn: one running or finished clock of a case.

    ``done_at`` is set when the timed step is completed; ``cancelled`` when the
    case closed before it was. ``reminded_at`` / ``overdue_reminded_at``: the
    reminders already sent (``tasks.send_deadline_reminders``).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    step = models.ForeignKey(CaseStep, on_delete=models.PROTECT, related_name="+", verbose_name=_("bước"))
    trigger = models.ForeignKey(DeadlineTrigger, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    rule_key = models.CharField(_("mã quy định"), max_length=100)
    name = models.CharField(_("nội dung"), max_length=200)
    started_at = models.DateTimeField(_("bắt đầu tính từ"))
    due_at = models.DateTimeField(_("hạn"), db_index=True)
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    cancelled = models.BooleanField(_("không còn áp dụng"), default=False)
    reminded_at = models.DateTimeField(_("đã nhắc sắp đến hạn lúc"), null=True, blank=True)
    overdue_reminded_at = models.DateTimeField(_("đã nhắc quá hạn lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thời hạn")
        verbose_name_plural = _("thời hạn")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["done_at", "due_at"], name="case_deadline_open_due")]

    def __str__(self) -> str:
        return f"{self.case}: {self.name}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None


class Assessment(models.Model):
    """Assessment — đánh giá: a risk or needs assessment of the person, with its needs.

    ``kind`` follows the legal forms: initial risk assessment (Decree 56/2017
    mẫu 02), detailed assessment (mẫu 03), needs assessment (Circular 02/2020).
    """

    class Kind(models.TextChoices):
        INITIAL_RISK = "initial_risk", _("Đánh giá nguy cơ ban đầu")
        DETAILED = "detailed", _("Đánh giá chi tiết")
        NEEDS = "needs", _("Thu thập thông tin, đánh giá nhu cầu")
        REASSESSMENT = "reassessment", _("Đánh giá lại")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("loại đánh giá"), max_length=20, choices=Kind.choices)
    assessed_on = models.DateField(_("ngày đánh giá"))
    summary = models.TextField(_("nhận định chung"))
    risk_level = models.CharField(_("mức độ nguy cơ"), max_length=10, choices=RiskLevel.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()} {self.assessed_on:%d/%m/%Y}"


class Priority(models.IntegerChoices):
    HIGH = 1, _("Ưu tiên cao")
    MEDIUM = 2, _("Ưu tiên trung bình")
    LOW = 3, _("Ưu tiên thấp")


class AssessmentNeed(models.Model):
    """AssessmentNeed — nhu cầu: one need found, in a domain of the ``need_domain`` list."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="needs")
    domain = models.ForeignKey("core.Term", on_delete=models.PROTECT, related_name="+",
                               limit_choices_to={"vocabulary": "need_domain"}, verbose_name=_("lĩnh vực"))
    description = models.TextField(_("mô tả nhu cầu"))
    priority = models.PositiveSmallIntegerField(_("mức ưu tiên"), choices=Priority.choices)

    class Meta:
        verbose_name = _("nhu cầu")
        verbose_name_plural = _("nhu cầu")
        ordering = ["priority", "domain__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_need_domain_once",
                                    violation_error_message=_("Mỗi lĩnh vực chỉ ghi một lần trong một đánh giá.")),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.get_priority_display()}"


class Plan(models.Model):
    """Plan — kế hoạch trợ giúp: one version of a case's support or intervention plan.

    A plan is drafted, submitted and approved by the director; an approved plan
    is never edited again: a change makes the next version (a new draft), and
    when that is approved the old one is ``superseded``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Chờ phê duyệt")
        APPROVED = "approved", _("Đã phê duyệt")
        SUPERSEDED = "superseded", _("Đã thay thế bằng phiên bản mới")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    goals = models.TextField(_("mục tiêu"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người phê duyệt"))
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("kế hoạch trợ giúp")
        verbose_name_plural = _("kế hoạch trợ giúp")
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="plan_number_unique",
                                    violation_error_message=_("Hồ sơ đã có kế hoạch với số phiên bản này.")),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status__in=["draft", "submitted"]), name="plan_one_open_version",
                violation_error_message=_("Hồ sơ đã có một kế hoạch đang soạn hoặc chờ duyệt."),
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="approved"), name="plan_one_in_force",
                violation_error_message=_("Hồ sơ chỉ có một kế hoạch đang có hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} — {_('kế hoạch')} {self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class PlanItem(models.Model):
    """PlanItem — hoạt động của kế hoạch: one service or action, who does it, by when."""

    class Status(models.TextChoices):
        TODO = "todo", _("Chưa làm")
        DOING = "doing", _("Đang làm")
        DONE = "done", _("Đã xong")
        CANCELLED = "cancelled", _("Hủy")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    domain = models.ForeignKey("core.Term", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               limit_choices_to={"vocabulary": "need_domain"}, verbose_name=_("lĩnh vực"))
    action = models.TextField(_("dịch vụ, hoạt động"))
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người thực hiện"))
    provider = models.CharField(_("đơn vị, người cung cấp khác"), max_length=200, blank=True)
    due_date = models.DateField(_("thời hạn"), null=True, blank=True)
    status = models.CharField(_("tiến độ"), max_length=10, choices=Status.choices, default=Status.TODO)
    done_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hoạt động của kế hoạch")
        verbose_name_plural = _("hoạt động của kế hoạch")
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible__isnull=False) | ~Q(provider=""), name="plan_item_has_someone",
                violation_error_message=_("Cần ghi người thực hiện hoặc đơn vị cung cấp."),
            ),
        ]

    def __str__(self) -> str:
        return self.action[:80]


class NoteVisibility(models.TextChoices):
    CASE = "case", _("Mọi người được xem hồ sơ")
    TEAM = "team", _("Chỉ nhóm phụ trách và lãnh đạo")


class Note(models.Model):
    """Note — ghi chép: a case note on the timeline; ``team`` notes stay within the team."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung"))
    visibility = models.CharField(_("ai được xem"), max_length=10, choices=NoteVisibility.choices,
                                  default=NoteVisibility.CASE)
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ghi chép")
        verbose_name_plural = _("ghi chép")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]


class Attachment(models.Model):
    """Attachment — tài liệu đính kèm: a file kept under MEDIA_ROOT/cases with a random name.

    The directory is not served by the web server: a view hands the file out
    only after the case selector says the user may see the case.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    note = models.ForeignKey(Note, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("tên tệp"), max_length=200)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64, editable=False)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    visibility = models.CharField(_("ai được xem"), max_length=10, choices=NoteVisibility.choices,
                                  default=NoteVisibility.CASE)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu đính kèm")
        verbose_name_plural = _("tài liệu đính kèm")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class Review(models.Model):
    """Review — rà soát: a periodic review, the risk re-rated and what happens next (mẫu 06)."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("Tiếp tục thực hiện kế hoạch")
        NEW_PLAN = "new_plan", _("Lập kế hoạch mới")
        CLOSE = "close", _("Đề nghị đóng hồ sơ")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("ngày rà soát"))
    summary = models.TextField(_("kết quả rà soát"))
    risk_level = models.CharField(_("mức độ nguy cơ"), max_length=10, choices=RiskLevel.choices)
    decision = models.CharField(_("quyết định"), max_length=10, choices=Decision.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("rà soát")
        verbose_name_plural = _("rà soát")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case}: {self.reviewed_on:%d/%m/%Y}"


class Closure(models.Model):
    """Closure — đóng hồ sơ: a request to close, with reason and outcome, and the director's decision."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Chờ phê duyệt")
        APPROVED = "approved", _("Đã phê duyệt")
        REJECTED = "rejected", _("Không phê duyệt")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    reason = models.ForeignKey("core.Term", on_delete=models.PROTECT, related_name="+",
                               limit_choices_to={"vocabulary": "case_closure_reason"}, verbose_name=_("lý do"))
    outcome = models.TextField(_("kết quả, tình trạng khi đóng"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("đề nghị lúc"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người quyết định"))
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến của lãnh đạo"), blank=True)

    class Meta:
        verbose_name = _("đóng hồ sơ")
        verbose_name_plural = _("đóng hồ sơ")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="requested"), name="closure_one_pending",
                                    violation_error_message=_("Hồ sơ đã có một đề nghị đóng đang chờ duyệt.")),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.reason}"


class BreakGlass(models.Model):
    """BreakGlass — truy cập khẩn cấp: a user outside a case opened it with a reason, until ``expires_at``.

    The reason is also in the access log (``AccessEntry.break_glass``) and on the
    case timeline, and the directors are told.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glasses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do"))
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hiệu lực lúc"))

    class Meta:
        verbose_name = _("truy cập khẩn cấp")
        verbose_name_plural = _("truy cập khẩn cấp")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"], name="break_glass_user_expiry")]

    def __str__(self) -> str:
        return f"{self.user} → {self.case}"


class CaseEvent(models.Model):
    """CaseEvent — sự kiện: one entry of the case timeline (every change lands here).

    ``team_only`` events (team notes, break-the-glass) show to the team and the
    directors only. ``data`` carries what the timeline shows (steps, reasons).
    """

    class Kind(models.TextChoices):
        OPENED = "opened", _("Mở hồ sơ")
        UPDATED = "updated", _("Sửa thông tin hồ sơ")
        SEALED = "sealed", _("Thay đổi niêm phong")
        ASSIGNED = "assigned", _("Phân công")
        UNASSIGNED = "unassigned", _("Kết thúc phân công")
        TRANSITION = "transition", _("Chuyển bước")
        ASSESSMENT = "assessment", _("Ghi kết quả đánh giá")
        PLAN_SAVED = "plan_saved", _("Soạn kế hoạch")
        PLAN_SUBMITTED = "plan_submitted", _("Trình kế hoạch")
        PLAN_APPROVED = "plan_approved", _("Phê duyệt kế hoạch")
        PLAN_RETURNED = "plan_returned", _("Trả lại kế hoạch")
        PLAN_ITEM = "plan_item", _("Cập nhật tiến độ hoạt động")
        NOTE = "note", _("Ghi chép")
        ATTACHMENT = "attachment", _("Tài liệu đính kèm")
        REVIEW = "review", _("Rà soát")
        CLOSURE_REQUESTED = "closure_requested", _("Đề nghị đóng hồ sơ")
        CLOSURE_APPROVED = "closure_approved", _("Phê duyệt đóng hồ sơ")
        CLOSURE_REJECTED = "closure_rejected", _("Không duyệt đóng hồ sơ")
        REOPENED = "reopened", _("Mở lại hồ sơ")
        BREAK_GLASS = "break_glass", _("Truy cập khẩn cấp")
        REFERRAL_SENT = "referral_sent", _("Chuyển gửi đến đơn vị cung cấp dịch vụ")
        REFERRAL_UPDATE = "referral_update", _("Phản hồi chuyển gửi")
        RESIDENCE = "residence", _("Tiếp nhận, rời cơ sở nuôi dưỡng")
        SUPPORT_GIVEN = "support_given", _("Nhận hỗ trợ")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("người thực hiện"))
    at = models.DateTimeField(_("lúc"), db_index=True)
    data = models.JSONField(default=dict, blank=True)
    team_only = models.BooleanField(default=False)
    note = models.ForeignKey(Note, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    attachment = models.ForeignKey(Attachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("sự kiện của hồ sơ")
        verbose_name_plural = _("dòng thời gian hồ sơ")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_timeline")]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()}"
