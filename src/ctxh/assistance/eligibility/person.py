"""The facts of a registered person on a date, read from the registry.

What the registry holds is used; what it does not hold yet (a pension, studying,
a pregnancy) is taken as absent, and the calculator lets staff try it.
Callers check access: these functions do not scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from ctxh.assistance.eligibility.base import RuleBook
from ctxh.assistance.eligibility.engine import evaluate
from ctxh.assistance.eligibility.facts import Facts, Result


def _is_resident(person_id: int, on: dt.date) -> bool:
    try:
        from ctxh.residential.selectors import is_resident  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return False
    return bool(is_resident(person_id=person_id, on=on))


def _age(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None or birth > on:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def facts_for_person(person: Any, on: dt.date, *, book: RuleBook | None = None) -> Facts:
    """Groups in force on ``on``, disability level, household poverty of ``on.year``, residence."""
    from ctxh.people.models import (
        Disability,
        GroupMembership,
        HouseholdMember,
        HouseholdPoverty,
        Relationship,
    )

    groups = frozenset(
        GroupMembership.objects.filter(person=person, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list("group__code", flat=True)
    )
    book = book if book is not None and book.on == on else RuleBook.load(on)
    hiv_ref = book.get("assistance.hiv_codes")  # the groups that say the person lives with HIV
    disability = (
        Disability.objects.filter(person=person)
        .filter(Q(certificate_date__isnull=True) | Q(certificate_date__lte=on))
        .select_related("type", "level").order_by("-certificate_date", "-id").first()
    )
    member = HouseholdMember.objects.filter(person=person).select_related("household").first()
    poverty = None
    children = 0
    if member is not None:
        poverty = (HouseholdPoverty.objects.filter(household_id=member.household_id, year=on.year)
                   .values_list("status", flat=True).first())
        if member.relationship in (Relationship.HEAD, Relationship.SPOUSE):
            # Children of the head (and so of a single head's own raising) under the child age limit.
            limit_ref = book.get("assistance.age.child_limit")
            limit = int(limit_ref.value) if limit_ref is not None else None
            kids = (HouseholdMember.objects.filter(household_id=member.household_id, relationship=Relationship.CHILD)
                    .values_list("person__birth_date", flat=True))
            children = sum(1 for b in kids if limit is not None and (a := _age(b, on)) is not None and a < limit)
    return Facts(
        on=on,
        birth_date=person.birth_date,
        birth_precision=person.birth_precision or "day",
        sex=person.sex,
        groups=groups,
        disability_level=disability.level.code if disability else None,
        disability_type=disability.type.code if disability else None,
        household_poverty=poverty,
        hiv=bool(groups & frozenset(hiv_ref.value or [])) if hiv_ref is not None else False,
        children_raised=children,
        in_residential_care=_is_resident(person.pk, on),
        commune_id=person.commune_id,
    )


def person_check(person: Any, on: dt.date, *, book: RuleBook | None = None) -> Result:
    """What a registered person qualifies for on ``on`` (the same engine as the calculator)."""
    book = book if book is not None and book.on == on else RuleBook.load(on)
    return evaluate(facts_for_person(person, on, book=book), book=book)
