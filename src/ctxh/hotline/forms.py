"""Forms of the hotline screens. They parse and present; services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ctxh.geo.models import Commune
from ctxh.hotline import selectors
from ctxh.hotline.models import Call, CallerRelation, Channel, Outcome, SubjectRole, Urgency
from ctxh.hotline.selectors import SORTS, STATUSES
from ctxh.people.forms import DateInput
from ctxh.people.models import Sex

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
# Outcomes a counsellor picks; "case opened/linked" come from the case buttons.
TYPED_OUTCOMES = [(v, label) for v, label in Outcome.choices if v not in ("case_opened", "case_linked")]


class DateTimeInput(forms.DateTimeInput):
    """dd/mm/yyyy hh:mm as text, like the date boxes elsewhere."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d/%m/%Y %H:%M",
                         attrs={"placeholder": "dd/mm/yyyy hh:mm", "inputmode": "numeric"}, **kwargs)


def case_types_in_force() -> Any:
    from django.db.models import Q

    from ctxh.cases.models import CaseType

    today = timezone.localdate()
    return CaseType.objects.filter(valid_from__lte=today).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))


class StartForm(forms.Form):
    channel = forms.ChoiceField(label=_l("Kênh"), choices=Channel.choices, initial=Channel.PHONE, required=False)


class CallForm(forms.Form):
    """The call screen. Subjects come as parallel lists ``subject`` / ``subject_role``."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_l("Kênh"), choices=Channel.choices)
    line = forms.ModelChoiceField(label=_l("Đầu số"), queryset=None, required=False,
                                  empty_label=_l("— Không qua tổng đài —"))
    caller_anonymous = forms.BooleanField(label=_l("Người gọi giấu tên"), required=False)
    caller = forms.IntegerField(widget=forms.HiddenInput, required=False)
    caller_name = forms.CharField(label=_l("Người gọi tự xưng"), required=False, max_length=150)
    caller_phone = forms.CharField(label=_l("Số máy gọi đến"), required=False, max_length=20)
    caller_relation = forms.ChoiceField(label=_l("Quan hệ với người được nói đến"), required=False,
                                        choices=[("", _l("— Chưa rõ —")), *CallerRelation.choices])
    topics = forms.ModelMultipleChoiceField(label=_l("Chủ đề"), queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    urgency = forms.ChoiceField(label=_l("Mức độ khẩn cấp"), choices=Urgency.choices)
    summary = forms.CharField(label=_l("Tóm tắt nội dung"), required=False,
                              widget=forms.Textarea(attrs={"rows": 7}))
    outcome = forms.ChoiceField(label=_l("Kết quả"), required=False)
    referred_to = forms.CharField(label=_l("Chuyển gửi đến"), required=False, max_length=300)
    follow_up_at = forms.DateTimeField(label=_l("Hẹn gọi lại lúc"), required=False,
                                       input_formats=DATETIME_FORMATS, widget=DateTimeInput())
    follow_up_note = forms.CharField(label=_l("Việc cần làm khi gọi lại"), required=False, max_length=300)
    # "Open a case from this call" (Alt+K) and "link to a case".
    case_type = forms.ModelChoiceField(label=_l("Loại trường hợp"), queryset=None, required=False,
                                       empty_label=_l("— Chọn loại —"))
    case_person = forms.IntegerField(label=_l("Hồ sơ cho người"), required=False)
    serious_risk = forms.BooleanField(label=_l("Trẻ em/người có nguy cơ bị tổn hại nghiêm trọng"), required=False)
    case_number = forms.CharField(label=_l("Số hồ sơ đã có"), required=False, max_length=30)

    def __init__(self, *args: Any, user: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.call = call
        self.fields["line"].queryset = selectors.lines_for(user=user)
        on = timezone.localdate(call.started_at)
        self.fields["topics"].queryset = selectors.topics_in_force(on=on)
        self.fields["case_type"].queryset = case_types_in_force()
        outcomes = list(TYPED_OUTCOMES)
        if call.outcome in ("case_opened", "case_linked"):
            outcomes.insert(0, (call.outcome, call.get_outcome_display()))
        self.fields["outcome"].choices = [("", _("— Chưa chọn —")), *outcomes]
        self.people: dict[int, Any] = {}
        self.fields["summary"].widget.attrs.update({"accesskey": "o"})
        self.fields["caller_name"].widget.attrs.update({"accesskey": "g", "autocomplete": "off"})
        self.fields["caller_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ids = self.data.getlist("subject") if hasattr(self.data, "getlist") else []
        roles = self.data.getlist("subject_role") if hasattr(self.data, "getlist") else []
        wanted = [i for i in ids if str(i).isdigit()]
        caller = data.get("caller")
        self.people = selectors.persons_by_id(user=self.user, ids=[*wanted, *([caller] if caller else [])])
        subjects: list[tuple[int, str]] = []
        for i, pid in enumerate(ids):
            if not str(pid).isdigit():
                continue
            role = roles[i] if i < len(roles) and roles[i] in SubjectRole.values else SubjectRole.SUBJECT
            if int(pid) not in self.people:
                self.add_error(None, _("Không tìm thấy đối tượng mã %(id)s trong địa bàn bạn phụ trách.") % {"id": pid})
                continue
            subjects.append((int(pid), role))
        data["subjects"] = subjects
        if caller and caller not in self.people:
            self.add_error("caller", _("Không tìm thấy người gọi trong địa bàn bạn phụ trách."))
        return data

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "channel": d["channel"], "line": d["line"], "caller_anonymous": d["caller_anonymous"],
            "caller": self.people.get(d["caller"]) if d.get("caller") else None,
            "caller_name": d["caller_name"], "caller_phone": d["caller_phone"],
            "caller_relation": d["caller_relation"], "subjects": d["subjects"], "topics": list(d["topics"]),
            "urgency": d["urgency"], "summary": d["summary"], "outcome": d["outcome"],
            "referred_to": d["referred_to"], "follow_up_at": d["follow_up_at"],
            "follow_up_note": d["follow_up_note"],
        }


class QuickPersonForm(forms.Form):
    """A minimal record registered mid-call (prefix ``new``): name, sex, birth year, commune."""

    full_name = forms.CharField(label=_l("Họ và tên"), max_length=150)
    sex = forms.ChoiceField(label=_l("Giới tính"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(label=_l("Năm sinh"), required=False, min_value=1880)
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=Commune.objects.none(), required=False,
                                     empty_label=_l("— Chưa rõ —"))
    duplicate_reason = forms.CharField(label=_l("Lý do vẫn đăng ký dù có hồ sơ nghi trùng"), required=False,
                                       max_length=300)
    role = forms.ChoiceField(choices=[("subject", "subject"), ("caller", "caller")], required=False)

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["birth_year"].max_value = timezone.localdate().year

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("Năm sinh không được ở tương lai."))
        return year

    def service_data(self, province: Any) -> dict[str, Any]:
        d = self.cleaned_data
        commune = d.get("commune")
        return {
            "full_name": d["full_name"], "sex": d["sex"],
            "birth_date": dt.date(d["birth_year"], 1, 1) if d.get("birth_year") else None,
            "birth_precision": "year",
            "province": commune.province if commune else province, "commune": commune,
        }


class CallFilterForm(forms.Form):
    date_from = forms.DateField(label=_l("Từ ngày"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_l("Đến ngày"), required=False, widget=DateInput())
    counsellor = forms.ModelChoiceField(label=_l("Tư vấn viên"), queryset=None, required=False,
                                        empty_label=_l("Tất cả"))
    topic = forms.ChoiceField(label=_l("Chủ đề"), required=False)
    outcome = forms.ChoiceField(label=_l("Kết quả"), required=False,
                                choices=[("", _l("Tất cả")), *Outcome.choices])
    urgency = forms.ChoiceField(label=_l("Mức độ"), required=False,
                                choices=[("", _l("Tất cả")), *Urgency.choices])
    status = forms.ChoiceField(label=_l("Trạng thái"), required=False, choices=[
        ("", _l("Tất cả")), ("open", _l("Đang diễn ra")), ("ended", _l("Đã kết thúc"))])
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS], widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = selectors.counsellors_for(user=user)
        choices: list[tuple[str, str]] = [("", _("Tất cả"))]
        for parent, children in selectors.topic_tree():
            choices.append((parent.code, f"{parent.extra.get('number', '')}. {parent.label}"))
            choices.extend((c.code, f"\u00a0\u00a0{c.extra.get('number', '')} {c.label}") for c in children)
        self.fields["topic"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("“Đến ngày” phải sau “Từ ngày”."))
        return data

    def filters(self) -> selectors.CallFilters:
        if not self.is_bound or not self.is_valid():
            return selectors.CallFilters()
        d = self.cleaned_data
        return selectors.CallFilters(
            date_from=d["date_from"], date_to=d["date_to"],
            counsellor=d["counsellor"].pk if d["counsellor"] else None, topic=d["topic"],
            outcome=d["outcome"], urgency=d["urgency"],
            status=d["status"] if d["status"] in STATUSES else "", sort=d["sort"] or "-started",
        )


class FollowUpForm(forms.Form):
    follow_up_at = forms.DateTimeField(label=_l("Hẹn gọi lại lúc"), input_formats=DATETIME_FORMATS,
                                       widget=DateTimeInput())
    follow_up_note = forms.CharField(label=_l("Việc cần làm khi gọi lại"), required=False, max_length=300)


class OpenCaseForm(forms.Form):
    case_type = forms.ModelChoiceField(label=_l("Loại trường hợp"), queryset=None,
                                       empty_label=_l("— Chọn loại —"))
    person = forms.TypedChoiceField(label=_l("Hồ sơ cho người"), coerce=int)
    serious_risk = forms.BooleanField(label=_l("Trẻ em/người có nguy cơ bị tổn hại nghiêm trọng"), required=False)

    def __init__(self, *args: Any, subjects: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = case_types_in_force()
        self.fields["person"].choices = [(s.person_id, s.person.full_name) for s in subjects]


class LinkCaseForm(forms.Form):
    case_number = forms.CharField(label=_l("Số hồ sơ"), max_length=30)
