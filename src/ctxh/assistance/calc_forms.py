"""The calculator's form: a person described, not registered."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ctxh.assistance.eligibility import ALLOWANCE_VOCABULARIES, CARE_VOCABULARY, Facts
from ctxh.core.models import Term
from ctxh.geo.models import Commune
from ctxh.people.forms import DateInput, format_partial_date, parse_partial_date
from ctxh.people.models import DatePrecision, PovertyStatus, Sex

GROUP_SECTIONS = (
    ("allowance_group", _l("Diện đối tượng bảo trợ xã hội (Nghị định 20/2021/NĐ-CP, Điều 5)")),
    ("child_special", _l("Trẻ em có hoàn cảnh đặc biệt")),
    (CARE_VOCABULARY, _l("Chăm sóc, nuôi dưỡng (Điều 20)")),
)


class CalculatorForm(forms.Form):
    on = forms.DateField(label=_l("Ngày xét"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], widget=DateInput(),
                         help_text=_l("Mặc định là hôm nay; nhập ngày khác để xét một tháng trước hoặc sau."))
    birth = forms.CharField(label=_l("Ngày sinh"), required=False, max_length=10,
                            help_text=_l("dd/mm/yyyy; chỉ biết tháng: mm/yyyy; chỉ biết năm: yyyy."))
    sex = forms.ChoiceField(label=_l("Giới tính"), choices=Sex.choices, initial=Sex.UNKNOWN)
    groups = forms.MultipleChoiceField(label=_l("Diện đối tượng"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    disability_type = forms.ChoiceField(label=_l("Dạng tật"), required=False)
    disability_level = forms.ChoiceField(label=_l("Mức độ khuyết tật"), required=False)
    household_poverty = forms.ChoiceField(label=_l("Phân loại hộ"), required=False,
                                          choices=[("", _l("Chưa rõ")), *PovertyStatus.choices])
    has_pension = forms.BooleanField(label=_l("Đang hưởng lương hưu hoặc trợ cấp BHXH hằng tháng"), required=False)
    pension_amount = forms.IntegerField(label=_l("Mức lương hưu, trợ cấp BHXH (đồng/tháng)"), required=False,
                                        min_value=0, max_value=1_000_000_000)
    studying = forms.BooleanField(label=_l("Đang đi học (phổ thông, nghề, cao đẳng, đại học văn bằng thứ nhất)"),
                                  required=False)
    hiv = forms.BooleanField(label=_l("Nhiễm HIV/AIDS"), required=False)
    children_raised = forms.IntegerField(label=_l("Số con đang nuôi (đơn thân)"), required=False, min_value=0,
                                         max_value=30, help_text=_l("Con dưới 16 tuổi, hoặc đến 22 tuổi đang đi học."))
    pregnant = forms.BooleanField(label=_l("Đang mang thai"), required=False)
    young_children = forms.IntegerField(label=_l("Số con dưới 36 tháng tuổi đang nuôi"), required=False,
                                        min_value=0, max_value=20)
    disadvantaged_commune = forms.BooleanField(
        label=_l("Sống ở xã, thôn vùng đồng bào DTTS và miền núi đặc biệt khó khăn"), required=False)
    in_residential_care = forms.BooleanField(
        label=_l("Đang được nuôi dưỡng tại cơ sở trợ giúp xã hội (ngân sách nhà nước)"), required=False)
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=Commune.objects.none(), required=False,
                                     empty_label=_l("Không chọn"))

    def __init__(self, *args: Any, communes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["commune"]).queryset = communes if communes is not None else Commune.objects.none()
        terms = list(Term.objects.filter(vocabulary__in=[*ALLOWANCE_VOCABULARIES, CARE_VOCABULARY])
                     .order_by("vocabulary", "position", "code"))
        cast(forms.ChoiceField, self.fields["groups"]).choices = [(t.code, t.label) for t in terms]
        self.group_sections = [
            {"title": title, "terms": [t for t in terms if t.vocabulary == vocabulary]}
            for vocabulary, title in GROUP_SECTIONS
        ]
        for name, vocabulary in (("disability_type", "disability_type"), ("disability_level", "disability_level")):
            cast(forms.ChoiceField, self.fields[name]).choices = [("", _("Không"))] + [
                (t.code, t.label) for t in Term.objects.filter(vocabulary=vocabulary).order_by("position")]
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate())

    def clean_birth(self) -> tuple[dt.date, str] | None:
        text = self.cleaned_data.get("birth", "").strip()
        if not text:
            return None
        try:
            return parse_partial_date(text)
        except ValueError:
            raise forms.ValidationError(_("Ngày sinh không đúng dạng. Nhập dd/mm/yyyy, mm/yyyy hoặc yyyy.")) from None

    def facts(self) -> Facts:
        """The cleaned form as the engine's input."""
        d = self.cleaned_data
        birth = d.get("birth")
        return Facts(
            on=d["on"],
            birth_date=birth[0] if birth else None,
            birth_precision=str(birth[1]) if birth else DatePrecision.DAY.value,
            sex=d.get("sex") or Sex.UNKNOWN.value,
            groups=frozenset(d.get("groups") or []),
            disability_type=d.get("disability_type") or None,
            disability_level=d.get("disability_level") or None,
            household_poverty=d.get("household_poverty") or None,
            has_pension=bool(d.get("has_pension")),
            pension_amount=d.get("pension_amount") or 0,
            studying=bool(d.get("studying")),
            hiv=bool(d.get("hiv")),
            children_raised=d.get("children_raised") or 0,
            pregnant=bool(d.get("pregnant")),
            young_children=d.get("young_children") or 0,
            disadvantaged_commune=bool(d.get("disadvantaged_commune")),
            in_residential_care=bool(d.get("in_residential_care")),
            commune_id=d["commune"].pk if d.get("commune") else None,
        )


def form_data_from_facts(facts: Facts) -> dict[str, Any]:
    """Facts as the form's data (a registered person's facts opened in the calculator)."""
    data: dict[str, Any] = {
        "on": f"{facts.on:%d/%m/%Y}",
        "birth": format_partial_date(facts.birth_date, facts.birth_precision),
        "sex": facts.sex,
        "groups": sorted(facts.groups),
        "disability_type": facts.disability_type or "",
        "disability_level": facts.disability_level or "",
        "household_poverty": facts.household_poverty or "",
        "pension_amount": facts.pension_amount or "",
        "children_raised": facts.children_raised or "",
        "young_children": facts.young_children or "",
        "commune": facts.commune_id or "",
    }
    for flag in ("has_pension", "studying", "hiv", "pregnant", "disadvantaged_commune", "in_residential_care"):
        if getattr(facts, flag):
            data[flag] = "on"
    return data
