"""Forms of the case pages. They parse and present; services decide.

Each form carries the case's ``version`` (or the draft plan's ``revision``)
when its service takes one, so a save made after someone else's is refused
(``ConflictError``) instead of overwriting it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from ctxh.accounts import access
from ctxh.accounts.models import User
from ctxh.cases.models import (
    Assessment,
    Case,
    CaseStep,
    CaseType,
    MemberRole,
    NoteVisibility,
    PlanItem,
    Priority,
    Review,
    RiskLevel,
)
from ctxh.core.models import Term
from ctxh.geo.models import Commune
from ctxh.people.forms import DateInput

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
SORTS = [("due", _l("Hạn gần nhất trước")), ("recent", _l("Mới tiếp nhận trước"))]
OPEN_STATUSES = [("", _l("Tất cả")), ("open", _l("Đang mở")), ("closed", _l("Đã đóng")),
                 ("awaiting_approval", _l("Chờ phê duyệt"))]
BLANK = [("", "—")]


class DateTimeInput(forms.DateTimeInput):
    """dd/mm/yyyy hh:mm as text, like the date boxes elsewhere."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d/%m/%Y %H:%M",
                         attrs={"placeholder": "dd/mm/yyyy hh:mm", "inputmode": "numeric"}, **kwargs)


def case_types_in_force() -> Any:
    today = timezone.localdate()
    return CaseType.objects.filter(valid_from__lte=today).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))


def terms_in_force(vocabulary: str) -> Any:
    return Term.objects.of(vocabulary).in_force()


def _queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def users(ids: list[int]) -> Any:
    """The active users among ``ids`` (choices the page already worked out from selectors)."""
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


class TextArea(forms.Textarea):
    def __init__(self, rows: int = 3, **kwargs: Any) -> None:
        super().__init__(attrs={"rows": rows}, **kwargs)


# Lists -------------------------------------------------------------------------------

def covered_communes(user: Any) -> Any:
    """The communes a user's memberships cover (for the commune lists of the forms)."""
    cov = access.coverage(user)
    return Commune.objects.filter(Q(province_id__in=cov.provinces) | Q(pk__in=cov.communes)).order_by("name")


def step_choices() -> list[tuple[str, str]]:
    """Step codes across the case types, each once, in workflow order."""
    seen: dict[str, str] = {}
    for code, name in CaseStep.objects.order_by("position", "case_type__position").values_list("code", "name"):
        seen.setdefault(code, name)
    return list(seen.items())


class CaseFilterForm(forms.Form):
    """Filters of the case lists; every field optional, unknown values are form errors."""

    q = forms.CharField(label=_l("Số hồ sơ hoặc tên đối tượng"), required=False, max_length=100)
    status = forms.ChoiceField(label=_l("Tình trạng, bước"), required=False, choices=OPEN_STATUSES)
    case_type = forms.ModelChoiceField(label=_l("Loại trường hợp"), required=False, queryset=CaseType.objects.none(),
                                       to_field_name="code", empty_label=_l("Tất cả"))
    overdue = forms.ChoiceField(label=_l("Thời hạn"), required=False,
                                choices=[("", _l("Tất cả")), ("1", _l("Có bước quá hạn")),
                                         ("0", _l("Không quá hạn"))])
    sort = forms.ChoiceField(label=_l("Sắp xếp"), required=False, choices=SORTS)

    def __init__(self, *args: Any, default_sort: str = "recent", open_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_sort = default_sort
        _queryset(self, "case_type", CaseType.objects.all())
        statuses = OPEN_STATUSES if not open_only else [OPEN_STATUSES[0], OPEN_STATUSES[3]]
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [*statuses, *step_choices()]
        self.fields["sort"].initial = default_sort

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``selectors.case_list``."""
        if not self.is_bound or not self.is_valid():
            return {"sort": self.default_sort}
        d = self.cleaned_data
        overdue = {"1": True, "0": False}.get(d["overdue"])
        return {"q": d["q"], "status": d["status"] or None, "case_type": d["case_type"], "overdue": overdue,
                "sort": d["sort"] or self.default_sort}


# Opening and editing ------------------------------------------------------------------

class CaseOpenForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": _l("Cần tìm và chọn đối tượng của hồ sơ.")})
    case_type = forms.ModelChoiceField(label=_l("Loại trường hợp"), queryset=CaseType.objects.none(),
                                       empty_label=_l("— Chọn loại —"))
    source = forms.ChoiceField(label=_l("Nguồn tiếp nhận"), choices=BLANK + list(Case.Source.choices))
    reported_at = forms.DateTimeField(label=_l("Thời điểm nhận thông tin"), input_formats=DATETIME_FORMATS,
                                      widget=DateTimeInput(),
                                      help_text=_l("Thời hạn 12 giờ (trẻ có nguy cơ nghiêm trọng) tính từ lúc này."))
    summary = forms.CharField(label=_l("Tóm tắt thông tin tiếp nhận (ai báo, khi nào, việc gì)"),
                              widget=TextArea(5))
    serious_risk = forms.BooleanField(label=_l("Trẻ em có nguy cơ hoặc đang bị tổn hại nghiêm trọng"),
                                      required=False)
    commune = forms.ModelChoiceField(label=_l("Xã/phường nơi xảy ra"), queryset=Commune.objects.none(),
                                     required=False, empty_label=_l("— Theo nơi ở của đối tượng —"))
    sealed = forms.BooleanField(label=_l("Niêm phong hồ sơ (chỉ nhóm phụ trách và lãnh đạo được xem)"),
                                required=False)

    def __init__(self, *args: Any, communes: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault(
            "reported_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)
        _queryset(self, "case_type", case_types_in_force())
        _queryset(self, "commune", communes if communes is not None else Commune.objects.none())


class CaseEditForm(forms.Form):
    summary = forms.CharField(label=_l("Tóm tắt thông tin tiếp nhận"), widget=TextArea(5))
    source = forms.ChoiceField(label=_l("Nguồn tiếp nhận"), choices=Case.Source.choices)
    reported_at = forms.DateTimeField(label=_l("Thời điểm nhận thông tin"), input_formats=DATETIME_FORMATS,
                                      widget=DateTimeInput())
    serious_risk = forms.BooleanField(label=_l("Trẻ em có nguy cơ hoặc đang bị tổn hại nghiêm trọng"),
                                      required=False)
    risk_level = forms.ChoiceField(label=_l("Mức độ nguy cơ"), choices=BLANK + list(RiskLevel.choices),
                                   required=False)
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=Commune.objects.none(),
                                     empty_label=_l("— Chọn xã/phường —"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    FIELDS = ("summary", "source", "reported_at", "serious_risk", "risk_level", "commune")

    def __init__(self, data: Any = None, *, case: Case, communes: Any) -> None:
        initial = {f: getattr(case, f) for f in self.FIELDS}
        # To the minute, as the box shows it: an untouched time must not count as a change.
        initial["reported_at"] = timezone.localtime(case.reported_at).replace(second=0, microsecond=0)
        initial["version"] = case.version
        super().__init__(data, initial=initial)
        _queryset(self, "commune", communes)

    def changed_data_for_service(self) -> dict[str, Any]:
        """Only what the user changed, so an unchanged field never trips the lock's diff."""
        return {f: self.cleaned_data[f] for f in self.FIELDS if f in self.changed_data}


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TransitionForm(VersionForm):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    reason = forms.CharField(label=_l("Lý do"), required=False, widget=TextArea(3))


class SealForm(forms.Form):
    sealed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_l("Lý do"), widget=TextArea(2))


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_l("Lý do cần xem hồ sơ"), widget=TextArea(4),
        help_text=_l("Ghi rõ tình huống khẩn cấp. Lý do được lưu vào nhật ký truy cập và gửi cho lãnh đạo."))


# Team ---------------------------------------------------------------------------------

class AssignForm(VersionForm):
    worker = forms.ModelChoiceField(label=_l("Người phụ trách"), queryset=User.objects.none(),
                                    empty_label=_l("— Chọn —"))
    role = forms.ChoiceField(label=_l("Vai trò"), initial=MemberRole.LEAD,
                             choices=[c for c in MemberRole.choices if c[0] != MemberRole.INTAKE])

    def __init__(self, *args: Any, worker_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "worker", users(worker_ids))


class EndMemberForm(forms.Form):
    reason = forms.CharField(label=_l("Lý do"), required=False, max_length=300)


# Assessment -----------------------------------------------------------------------------

class AssessmentForm(VersionForm):
    kind = forms.ChoiceField(label=_l("Loại đánh giá"), choices=Assessment.Kind.choices)
    assessed_on = forms.DateField(label=_l("Ngày đánh giá"), widget=DateInput())
    risk_level = forms.ChoiceField(label=_l("Mức độ nguy cơ"), choices=BLANK + list(RiskLevel.choices))
    summary = forms.CharField(
        label=_l("Nhận định chung (thể chất, tâm lý, hoàn cảnh gia đình, khả năng bảo vệ)"), widget=TextArea(5))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class NeedForm(forms.Form):
    """One need domain's row; a row left without a description is not a need."""

    domain = forms.ModelChoiceField(queryset=Term.objects.none(), widget=forms.HiddenInput)
    description = forms.CharField(label=_l("Nhu cầu"), required=False, widget=TextArea(2))
    priority = forms.TypedChoiceField(label=_l("Mức ưu tiên"), required=False, coerce=int, empty_value=None,
                                      choices=BLANK + list(Priority.choices))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "domain", Term.objects.of("need_domain"))

    @property
    def domain_name(self) -> str:
        term = self.initial.get("domain")
        return str(term) if term is not None else ""


NeedFormSet = forms.formset_factory(NeedForm, extra=0)


def need_formset(data: Any = None) -> Any:
    """One row per need domain in force, in the list's order."""
    domains = list(terms_in_force("need_domain"))
    return NeedFormSet(data, prefix="needs", initial=[{"domain": d} for d in domains])


# Plan -----------------------------------------------------------------------------------

class PlanForm(forms.Form):
    goals = forms.CharField(label=_l("Mục tiêu của kế hoạch"), widget=TextArea(4))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanItemForm(forms.Form):
    action = forms.CharField(label=_l("Dịch vụ, hoạt động"), required=False, widget=TextArea(2))
    domain = forms.ModelChoiceField(label=_l("Lĩnh vực"), required=False, queryset=Term.objects.none(),
                                    empty_label="—")
    responsible = forms.ModelChoiceField(label=_l("Người thực hiện"), required=False,
                                         queryset=User.objects.none(), empty_label="—")
    provider = forms.CharField(label=_l("Hoặc đơn vị cung cấp"), required=False, max_length=200)
    due_date = forms.DateField(label=_l("Thời hạn"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_l("Tiến độ"), choices=PlanItem.Status.choices, initial=PlanItem.Status.TODO)

    def __init__(self, *args: Any, people_ids: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "domain", terms_in_force("need_domain"))
        _queryset(self, "responsible", users(people_ids or []))

    def is_blank(self) -> bool:
        d = getattr(self, "cleaned_data", {}) or {}
        return not (d.get("action") or "").strip() and not d.get("provider") and not d.get("responsible")


PlanItemFormSet = forms.formset_factory(PlanItemForm, extra=3)


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanItem.Status.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_l("Lý do"), widget=TextArea(3))


# Notes and attachments ---------------------------------------------------------------------

class NoteForm(forms.Form):
    text = forms.CharField(label=_l("Ghi chép"), widget=TextArea(4))
    visibility = forms.ChoiceField(label=_l("Ai được xem"), choices=NoteVisibility.choices,
                                   initial=NoteVisibility.CASE)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_l("Tệp"))
    description = forms.CharField(label=_l("Mô tả"), required=False, max_length=300)
    visibility = forms.ChoiceField(label=_l("Ai được xem"), choices=NoteVisibility.choices,
                                   initial=NoteVisibility.CASE)


# Reviews and closure ------------------------------------------------------------------------

class ReviewForm(VersionForm):
    reviewed_on = forms.DateField(label=_l("Ngày rà soát"), widget=DateInput())
    summary = forms.CharField(label=_l("Kết quả rà soát"), widget=TextArea(4))
    risk_level = forms.ChoiceField(label=_l("Mức độ nguy cơ hiện nay"), choices=BLANK + list(RiskLevel.choices))
    decision = forms.ChoiceField(label=_l("Quyết định sau rà soát"), choices=BLANK + list(Review.Decision.choices))
    closure_reason = forms.ModelChoiceField(label=_l("Lý do đóng hồ sơ (nếu đề nghị đóng)"), required=False,
                                            queryset=Term.objects.none(), empty_label="—")
    closure_outcome = forms.CharField(label=_l("Kết quả, tình trạng khi đóng (nếu đề nghị đóng)"), required=False,
                                      widget=TextArea(3))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("reviewed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _queryset(self, "closure_reason", terms_in_force("case_closure_reason"))


class ClosureRequestForm(forms.Form):
    reason = forms.ModelChoiceField(label=_l("Lý do đóng hồ sơ"), queryset=Term.objects.none(),
                                    empty_label=_l("— Chọn lý do —"))
    outcome = forms.CharField(label=_l("Kết quả, tình trạng của đối tượng khi đóng hồ sơ"), widget=TextArea(4))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "reason", terms_in_force("case_closure_reason"))


class ClosureDecisionForm(forms.Form):
    note = forms.CharField(label=_l("Ý kiến của lãnh đạo"), required=False, widget=TextArea(2))
    code = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
