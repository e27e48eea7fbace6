"""Likely duplicates of a person about to be registered or edited.

Three signals, strongest first: the same CCCD; the same folded name and birth
year in the same province; a close spelling (a dropped middle name, Huỳnh for
Hoàng or Võ for Vũ, a typo) with the same given name and birth year.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Q

from ctxh.core.text import fold
from ctxh.people.models import Person

# Family names that regions spell differently for the same person.
_FAMILY_SWAPS = {"huynh": "hoang", "vo": "vu"}
_CLOSE_RATIO = 0.85
_SCAN_LIMIT = 500


@dataclass(frozen=True)
class Candidate:
    person: Person
    reason: str  # "cccd" | "same_name_year" | "close_name"


def _canonical(tokens: list[str]) -> list[str]:
    return [_FAMILY_SWAPS.get(tokens[0], tokens[0]), *tokens[1:]] if tokens else tokens


def names_close(a: str, b: str) -> bool:
    """Folded names that may belong to one person despite spelling drift."""
    ta, tb = _canonical(a.split()), _canonical(b.split())
    if not ta or not tb or ta[-1] != tb[-1]:
        return False
    if ta == tb:
        return True
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    # A dropped middle name: same family and given name, the rest a subset.
    if short[0] == long_[0] and set(short) <= set(long_):
        return True
    return difflib.SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio() >= _CLOSE_RATIO


def find_duplicates(
    *, full_name: str, birth_year: int | None, province_id: int | None, cccd: str = "",
    exclude_id: int | None = None,
) -> list[Candidate]:
    """Candidates across the whole registry; the caller decides what to reveal."""
    found: dict[int, Candidate] = {}
    base = Person.objects.exclude(pk=exclude_id) if exclude_id else Person.objects.all()
    if cccd:
        for p in base.filter(cccd=cccd)[:20]:
            found[p.pk] = Candidate(p, "cccd")
    folded = fold(full_name)
    if folded and province_id:
        tokens = folded.split()
        scope = base.filter(province_id=province_id, given_folded=tokens[-1])
        if birth_year:
            scope = scope.filter(
                Q(birth_date__year__in=[birth_year - 1, birth_year, birth_year + 1])
                | Q(birth_date__isnull=True)
            )
        for p in scope.only("id", "full_name", "name_folded", "birth_date", "birth_precision",
                            "commune_id", "province_id", "cccd")[:_SCAN_LIMIT]:
            if p.pk in found:
                continue
            same_year = birth_year is not None and p.birth_year == birth_year
            if p.name_folded == folded and same_year:
                found[p.pk] = Candidate(p, "same_name_year")
            elif names_close(folded, p.name_folded) and (same_year or p.birth_date is None or birth_year is None):
                found[p.pk] = Candidate(p, "close_name")
    order = {"cccd": 0, "same_name_year": 1, "close_name": 2}
    return sorted(found.values(), key=lambda c: (order[c.reason], c.person.name_folded))
