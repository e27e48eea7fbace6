"""The eligibility check over JSON at /api/v1/entitlements/check.

``POST /api/v1/entitlements/check`` judges a described person (no registration
needed, nothing stored); ``GET /api/v1/entitlements/check/person/{id}?on=``
judges a registered person from the registry (scoped: 404 outside the user's
area; the reading is written to the access log). Both need
``entitlement.check`` (403 without) and run the same engine as the calculator
page and the entitlements. Errors travel to the handlers in ``ctxh.api.root``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from ctxh.accounts import access
from ctxh.assistance.eligibility import (
    Facts,
    Line,
    Result,
    RuleRef,
    evaluate,
    facts_for_person,
    validate_facts,
)
from ctxh.core.rules import RuleMissing
from ctxh.people.api import ErrorOut, StrictIn
from ctxh.people.selectors import person_open

router = Router(tags=["entitlements"])

CAPABILITY = "entitlement.check"


class CheckIn(StrictIn):
    """A person described: every field is optional but the more is known, the closer the answer."""

    on: dt.date | None = Field(None, description="Ngày xét (mặc định hôm nay).")
    birth_date: dt.date | None = Field(None, description="Ngày sinh; với độ chính xác year/month chỉ dùng năm/tháng.")
    birth_precision: str = Field("day", description="day | month | year")
    sex: str = Field("unknown", description="male | female | unknown")
    groups: list[str] = Field([], description="Mã diện: danh mục allowance_group, child_special, care_support.")
    disability_type: str | None = Field(None, description="Mã dạng tật (danh mục disability_type).")
    disability_level: str | None = Field(None, description="especially_severe | severe | mild")
    household_poverty: str | None = Field(None, description="poor | near_poor | none")
    has_pension: bool = Field(False, description="Đang hưởng lương hưu hoặc trợ cấp BHXH hằng tháng.")
    pension_amount: int = Field(0, description="Mức lương hưu, trợ cấp BHXH (đồng/tháng).")
    studying: bool = False
    hiv: bool = False
    children_raised: int = Field(0, description="Người đơn thân: số con dưới 16 tuổi (hoặc đến 22 tuổi đang học).")
    disadvantaged_commune: bool = Field(False, description="Sống ở xã, thôn vùng DTTS và miền núi đặc biệt khó khăn.")
    in_residential_care: bool = Field(False, description="Đang được nuôi dưỡng tại cơ sở bằng ngân sách nhà nước.")
    pregnant: bool = Field(False, description="Hỗ trợ chăm sóc: người khuyết tật đang mang thai.")
    young_children: int = Field(0, description="Hỗ trợ chăm sóc: số con dưới 36 tháng tuổi đang nuôi.")
    commune: int | None = Field(None, description="Mã xã/phường (5 chữ số).")


class RuleOut(Schema):
    key: str
    valid_from: dt.date
    value: Any
    unit: str
    source: str
    note: str


class LineOut(Schema):
    scheme: str = Field(..., description="monthly_allowance | residential_care | care_support | social_pension")
    group: str
    term: str = Field(..., description="Mã danh mục của diện (nếu có).")
    label: str
    coefficient: float = Field(..., description="Hệ số; 0 với trợ cấp hưu trí xã hội (số tiền cố định).")
    amount: int = Field(..., description="Đồng/tháng.")
    recipient: str = Field(..., description="self | carer")
    fixed_amount: bool
    reasons: list[str]
    rules: list[RuleOut]


class RejectionOut(Schema):
    scheme: str
    group: str
    label: str
    reasons: list[str]


class CheckOut(Schema):
    on: dt.date
    base_level: int
    base_rule: RuleOut
    age: int | None
    birth_assumed: dt.date | None = Field(..., description="Ngày sinh dùng để tính tuổi (theo quy ước nếu chỉ biết năm/tháng).")
    qualifying: list[LineOut]
    paid: list[LineOut]
    total: int
    reasoning: list[str]
    rejected: list[RejectionOut]
    rules: list[RuleOut]


class PersonRef(Schema):
    id: int
    full_name: str


class FactsOut(Schema):
    birth_date: dt.date | None
    birth_precision: str
    sex: str
    groups: list[str]
    disability_type: str | None
    disability_level: str | None
    household_poverty: str | None
    children_raised: int
    in_residential_care: bool
    commune: int | None


class PersonCheckOut(CheckOut):
    person: PersonRef
    facts: FactsOut


def _rule(ref: RuleRef) -> dict[str, Any]:
    return ref.as_dict()


def _line(line: Line) -> dict[str, Any]:
    return {"scheme": line.scheme, "group": line.group, "term": line.term, "label": line.label,
            "coefficient": float(line.coefficient), "amount": line.amount, "recipient": line.recipient,
            "fixed_amount": line.fixed_amount, "reasons": list(line.reasons), "rules": [_rule(r) for r in line.rules]}


def result_body(result: Result) -> dict[str, Any]:
    return {
        "on": result.on, "base_level": result.base_level, "base_rule": _rule(result.base_rule), "age": result.age,
        "birth_assumed": result.birth_assumed,
        "qualifying": [_line(ln) for ln in result.qualifying], "paid": [_line(ln) for ln in result.paid],
        "total": result.total, "reasoning": list(result.reasoning),
        "rejected": [{"scheme": r.scheme, "group": r.group, "label": r.label, "reasons": list(r.reasons)}
                     for r in result.rejected],
        "rules": [_rule(r) for r in result.rules],
    }


def _evaluate(facts: Facts) -> Result:
    try:
        return evaluate(facts)
    except RuleMissing as exc:
        raise ValidationError({"on": [str(exc)]}) from None


@router.post("", response={200: CheckOut, 422: ErrorOut, 403: dict}, summary="Xét điều kiện hưởng cho một người mô tả")
def check(request: HttpRequest, payload: CheckIn) -> Any:
    """The groups that qualify, each coefficient and amount, what is paid and the reasoning."""
    access.require(request.auth, CAPABILITY)  # type: ignore[attr-defined]
    facts = Facts(
        on=payload.on or timezone.localdate(),
        birth_date=payload.birth_date, birth_precision=payload.birth_precision, sex=payload.sex,
        groups=frozenset(payload.groups), disability_type=payload.disability_type,
        disability_level=payload.disability_level, household_poverty=payload.household_poverty,
        has_pension=payload.has_pension, pension_amount=payload.pension_amount, studying=payload.studying,
        hiv=payload.hiv, children_raised=payload.children_raised,
        disadvantaged_commune=payload.disadvantaged_commune, in_residential_care=payload.in_residential_care,
        pregnant=payload.pregnant, young_children=payload.young_children, commune_id=payload.commune,
    )
    validate_facts(facts)
    return result_body(_evaluate(facts))


@router.get("/person/{person_id}", response={200: PersonCheckOut, 404: dict, 403: dict, 422: ErrorOut},
            summary="Xét điều kiện hưởng cho một người đã đăng ký")
def check_person(request: HttpRequest, person_id: int, on: dt.date | None = None) -> Any:
    """The same answer for a registered person, from the groups, disability, poverty and residence on record."""
    user = request.auth  # type: ignore[attr-defined]
    access.require(user, CAPABILITY)
    person = person_open(user=user, pk=person_id, purpose=CAPABILITY)
    facts = facts_for_person(person, on or timezone.localdate())
    body = result_body(_evaluate(facts))
    body["person"] = {"id": person.pk, "full_name": person.full_name}
    body["facts"] = {
        "birth_date": facts.birth_date, "birth_precision": facts.birth_precision, "sex": facts.sex,
        "groups": sorted(facts.groups), "disability_type": facts.disability_type,
        "disability_level": facts.disability_level, "household_poverty": facts.household_poverty,
        "children_raised": facts.children_raised, "in_residential_care": facts.in_residential_care,
        "commune": facts.commune_id,
    }
    return body
