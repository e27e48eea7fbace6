"""Scoring the candidates of a tracing request, with a reason for every point.

Candidates come from two places:

* the registry (``people.Person``): people whose folded given name is one of
  the given names the sought person is known by, in the last known province
  (anywhere when it is unknown), born within a few years of the known range;
  people of sealed cases are never candidates (a "relative" looking for a
  victim of violence or trafficking may be the person they fled);
* other open requests: one seeking the same person, or one whose seeker is the
  person sought here and which seeks this request's seeker (two relatives
  looking for each other).

Each piece of evidence is a ``Line`` (a code, its points, a few parameters);
the score is their sum held in 0–100. Weights, the threshold for keeping a
candidate and the family-name variants (Huỳnh/Hoàng, Võ/Vũ) are rule rows
(``ctxh.tracing.reference``), read on the day of the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ctxh.core.rules import rule_value
from ctxh.core.text import fold
from ctxh.people.models import Person, Sex
from ctxh.tracing.models import (
    OPEN_STATUSES,
    RECIPROCAL_RELATIONSHIP,
    MatchKind,
    MatchStatus,
    Relationship,
    TracingMatch,
    TracingRequest,
)
from ctxh.tracing.reference import RULE_FAMILY_VARIANTS, RULE_THRESHOLD, RULE_WEIGHTS

# Work bounds, not rules: how many rows one run may read and keep.
REGISTRY_SCAN_LIMIT = 400
REQUEST_SCAN_LIMIT = 400
KEEP_PER_KIND = 20
# Registry people born this many years outside the known range are not read at
# all; the scoring already takes points away from two years on.
BIRTH_WINDOW_YEARS = 5
# Words that start a legacy district name ("Huyện Hoành Bồ" → "hoanh bo").
_DISTRICT_PREFIXES = ("huyen ", "thi xa ", "thanh pho ", "quan ", "tp ")

LABELS: dict[str, Any] = {
    "name_exact": _("Họ và tên trùng khớp (không kể dấu)"),
    "given": _("Tên gọi trùng nhau"),
    "given_differs": _("Tên gọi khác nhau"),
    "family": _("Họ trùng nhau"),
    "family_variant": _("Họ %(a)s và %(b)s là cách viết khác nhau theo vùng miền"),
    "family_differs": _("Họ khác nhau"),
    "family_missing": _("Một bên chỉ ghi tên gọi, không ghi họ"),
    "middle": _("Tên đệm trùng nhau"),
    "middle_none": _("Cả hai đều không có tên đệm"),
    "middle_dropped": _("Một bên bỏ bớt tên đệm (như Nguyễn Văn An và Nguyễn An)"),
    "middle_differs": _("Tên đệm khác nhau"),
    "via_alias": _("So theo tên gọi khác “%(name)s”"),
    "birth_exact": _("Cùng năm sinh"),
    "birth_in_range": _("Năm sinh nằm trong khoảng đã biết"),
    "birth_1": _("Năm sinh lệch 1 năm"),
    "birth_2": _("Năm sinh lệch 2 năm"),
    "birth_far": _("Năm sinh lệch %(years)s năm"),
    "birth_unknown": _("Không đủ thông tin năm sinh để so sánh"),
    "sex_agree": _("Cùng giới tính"),
    "sex_conflict": _("Giới tính khác nhau"),
    "same_commune": _("Cùng xã/phường với nơi ở cuối cùng"),
    "same_province": _("Cùng tỉnh/thành phố với nơi ở cuối cùng"),
    "legacy_district": _("Nơi ở cuối cùng nhắc đến huyện cũ của người này (%(name)s)"),
    "same_person": _("Yêu cầu %(receipt)s cũng đang tìm một người như vậy"),
    "same_seeker_phone": _("Cùng số điện thoại người tìm (có thể là yêu cầu gửi trùng)"),
    "sought_is_their_seeker": _("Người được tìm so với người gửi yêu cầu %(receipt)s:"),
    "seeker_is_their_sought": _("Người tìm so với người mà yêu cầu %(receipt)s đang tìm:"),
    "relationship_reciprocal": _("Quan hệ hai chiều khớp nhau (%(a)s — %(b)s)"),
}
# Lines that introduce the comparisons under them rather than score anything.
HEADER_CODES = {"same_person", "sought_is_their_seeker", "seeker_is_their_sought", "via_alias"}


@dataclass(frozen=True)
class Line:
    """One piece of evidence: a label code, its points, and the label's parameters."""

    code: str
    points: int
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        with translation.override("vi"):
            label = render_label({"code": self.code, "params": self.params})
        return {"code": self.code, "label": label, "points": self.points, "params": self.params}


def render_label(item: dict[str, Any]) -> str:
    """The label of a stored explanation line in the active language."""
    msg = LABELS.get(item.get("code", ""))
    if msg is None:
        return str(item.get("label", ""))
    try:
        return str(msg) % (item.get("params") or {})
    except (KeyError, TypeError, ValueError):
        return str(item.get("label", ""))


@dataclass(frozen=True)
class Scoring:
    """The rule values in force for one run."""

    weights: dict[str, int]
    threshold: int
    family_canon: dict[str, str]

    def w(self, key: str) -> int:
        return int(self.weights.get(key, 0))

    def canon(self, family: str) -> str:
        return self.family_canon.get(family, family)


def load_scoring(on: dt.date | None = None) -> Scoring:
    on = on or timezone.localdate()
    canon: dict[str, str] = {}
    for group in rule_value(RULE_FAMILY_VARIANTS, on).get("groups", []):
        names = [fold(n) for n in group if fold(n)]
        for n in names:
            canon[n] = names[0]
    return Scoring(
        weights=dict(rule_value(RULE_WEIGHTS, on)),
        threshold=int(rule_value(RULE_THRESHOLD, on)["score"]),
        family_canon=canon,
    )


@dataclass
class Scored:
    kind: str
    lines: list[Line]

    @property
    def score(self) -> int:
        return max(0, min(100, sum(line.points for line in self.lines)))

    def explanation(self) -> list[dict[str, Any]]:
        return [line.as_dict() for line in self.lines]


# Pieces of evidence ---------------------------------------------------------------


def compare_names(a: str, b: str, s: Scoring) -> list[Line]:
    """Two folded names: identical, or given name + family name + middle names part by part."""
    ta, tb = a.split(), b.split()
    if not ta or not tb:
        return []
    if ta == tb:
        return [Line("name_exact", s.w("name_exact"))]
    if ta[-1] != tb[-1]:
        return [Line("given_differs", 0)]
    lines = [Line("given", s.w("given"))]
    if len(ta) < 2 or len(tb) < 2:
        return [*lines, Line("family_missing", 0)]
    fa, fb = ta[0], tb[0]
    if fa == fb:
        lines.append(Line("family", s.w("family")))
    elif s.canon(fa) == s.canon(fb):
        lines.append(Line("family_variant", s.w("family_variant"), {"a": fa.capitalize(), "b": fb.capitalize()}))
    else:
        lines.append(Line("family_differs", s.w("family_differs")))
    ma, mb = ta[1:-1], tb[1:-1]
    if ma == mb:
        lines.append(Line("middle" if ma else "middle_none", s.w("middle")))
    elif not ma or not mb or set(ma) < set(mb) or set(mb) < set(ma):
        lines.append(Line("middle_dropped", s.w("middle_dropped")))
    else:
        lines.append(Line("middle_differs", 0))
    return lines


Names = list[tuple[str, str | None]]  # (folded name, the alias as typed, if it is one)


def best_names(names_a: Names, names_b: Names, s: Scoring) -> list[Line]:
    """The best comparison over every name each side is known by."""
    best: list[Line] = []
    best_points: int | None = None
    for fa, alias_a in names_a:
        for fb, alias_b in names_b:
            lines = compare_names(fa, fb, s)
            if not lines:
                continue
            points = sum(line.points for line in lines)
            if best_points is None or points > best_points:
                aliases = [Line("via_alias", 0, {"name": n}) for n in (alias_a, alias_b) if n]
                best, best_points = [*aliases, *lines], points
    return best


def _given_matches(lines: list[Line]) -> bool:
    return any(line.code in ("name_exact", "given") for line in lines)


def compare_birth(a: tuple[int, int] | None, b: tuple[int, int] | None, s: Scoring) -> Line:
    """Birth years or ranges: the gap between them, in years."""
    if not a or not b:
        return Line("birth_unknown", 0)
    gap = max(0, max(a[0], b[0]) - min(a[1], b[1]))
    if gap == 0:
        exact = a[0] == a[1] and b[0] == b[1]
        return Line("birth_exact", s.w("birth_exact")) if exact else Line("birth_in_range", s.w("birth_1"))
    if gap == 1:
        return Line("birth_1", s.w("birth_1"))
    if gap == 2:
        return Line("birth_2", s.w("birth_2"))
    return Line("birth_far", s.w("birth_far"), {"years": gap})


def compare_sex(a: str, b: str, s: Scoring) -> list[Line]:
    if Sex.UNKNOWN in (a, b) or not a or not b:
        return []
    return [Line("sex_agree", s.w("sex_agree"))] if a == b else [Line("sex_conflict", s.w("sex_conflict"))]


def _district_key(name: str) -> str:
    key = fold(name)
    for prefix in _DISTRICT_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def compare_place(
    *, commune_a: int | None, province_a: int | None, commune_b: int | None, province_b: int | None, s: Scoring,
) -> list[Line]:
    if commune_a and commune_a == commune_b:
        return [Line("same_commune", s.w("same_commune"))]
    if province_a and province_a == province_b:
        return [Line("same_province", s.w("same_province"))]
    return []


def _birth_range(req: TracingRequest) -> tuple[int, int] | None:
    if req.birth_year_from is None:
        return None
    return req.birth_year_from, req.birth_year_to or req.birth_year_from


def sought_names(req: TracingRequest) -> Names:
    names: Names = [(req.name_folded, None)]
    names += [(fold(a), a) for a in req.aliases if fold(a) and fold(a) != req.name_folded]
    return names


def seeker_names(req: TracingRequest) -> Names:
    return [(req.seeker_name_folded, None)] if req.seeker_name_folded else []


# Candidates ------------------------------------------------------------------------


def score_person(req: TracingRequest, person: Person, s: Scoring) -> Scored:
    lines = best_names(sought_names(req), [(person.name_folded, None)], s)
    year = person.birth_date.year if person.birth_date else None
    lines.append(compare_birth(_birth_range(req), (year, year) if year else None, s))
    lines += compare_sex(req.sought_sex, person.sex, s)
    place = compare_place(commune_a=req.last_commune_id, province_a=req.last_province_id,
                          commune_b=person.commune_id, province_b=person.province_id, s=s)
    lines += place
    legacy = _district_key(person.legacy_district or "")
    if legacy and not any(p.code == "same_commune" for p in place) and \
            f" {legacy} " in f" {fold(req.last_place_text)} ":
        lines.append(Line("legacy_district", s.w("legacy_district"), {"name": person.legacy_district}))
    return Scored(MatchKind.REGISTRY, lines)


def score_same_person(req: TracingRequest, other: TracingRequest, s: Scoring) -> Scored:
    lines = [Line("same_person", 0, {"receipt": other.receipt_number})]
    names = best_names(sought_names(req), sought_names(other), s)
    lines += names
    if _given_matches(names):
        lines.append(compare_birth(_birth_range(req), _birth_range(other), s))
        lines += compare_sex(req.sought_sex, other.sought_sex, s)
        lines += compare_place(commune_a=req.last_commune_id, province_a=req.last_province_id,
                               commune_b=other.last_commune_id, province_b=other.last_province_id, s=s)
        if req.seeker_phone and req.seeker_phone == other.seeker_phone:
            lines.append(Line("same_seeker_phone", s.w("same_seeker_phone")))
    return Scored(MatchKind.SAME_PERSON, lines)


def score_reciprocal(req: TracingRequest, other: TracingRequest, s: Scoring) -> Scored:
    receipt = {"receipt": other.receipt_number}
    ours = best_names(sought_names(req), seeker_names(other), s)
    theirs = best_names(seeker_names(req), sought_names(other), s)
    lines = [Line("sought_is_their_seeker", 0, receipt), *ours,
             Line("seeker_is_their_sought", 0, receipt), *theirs]
    if _given_matches(ours) and _given_matches(theirs) and \
            RECIPROCAL_RELATIONSHIP.get(Relationship(req.seeker_relationship)) == other.seeker_relationship:
        with translation.override("vi"):  # stored labels and their parameters are Vietnamese
            pair = {"a": req.get_seeker_relationship_display(), "b": other.get_seeker_relationship_display()}
        lines.append(Line("relationship_reciprocal", s.w("relationship_reciprocal"), pair))
    return Scored(MatchKind.RECIPROCAL, lines)


def score_requests(req: TracingRequest, other: TracingRequest, s: Scoring) -> Scored:
    """The stronger of "seeking the same person" and "seeking each other"."""
    same = score_same_person(req, other, s)
    mutual = score_reciprocal(req, other, s)
    return mutual if mutual.score > same.score else same


def _sealed_person_ids() -> QuerySet[Any, int]:
    from ctxh.cases.models import Case

    return Case.objects.filter(sealed=True).values_list("person_id", flat=True)


def registry_candidates(req: TracingRequest) -> QuerySet[Person]:
    """A bounded read of the registry: same given name, last known province, near birth years."""
    givens = req.given_keys.split()
    if not givens:
        return Person.objects.none()
    qs = Person.objects.filter(given_folded__in=givens)
    if req.last_province_id:
        qs = qs.filter(province_id=req.last_province_id)
    birth = _birth_range(req)
    if birth:
        qs = qs.filter(Q(birth_date__isnull=True) | Q(
            birth_date__gte=dt.date(max(1, birth[0] - BIRTH_WINDOW_YEARS), 1, 1),
            birth_date__lte=dt.date(birth[1] + BIRTH_WINDOW_YEARS, 12, 31)))
    return (qs.exclude(pk__in=_sealed_person_ids())
            .only("id", "name_folded", "given_folded", "sex", "birth_date", "province_id", "commune_id",
                  "legacy_district")
            .order_by("id")[:REGISTRY_SCAN_LIMIT])


def request_candidates(req: TracingRequest) -> QuerySet[TracingRequest]:
    """Open requests seeking someone with one of our given names, or filed by or seeking such a person."""
    givens = req.given_keys.split()
    q = Q(seeker_given_folded__in=givens) if givens else Q(pk__in=[])
    for g in givens:
        q |= Q(given_keys__contains=f" {g} ")
    if req.seeker_given_folded:
        q |= Q(given_keys__contains=f" {req.seeker_given_folded} ")
    return (TracingRequest.objects.filter(status__in=OPEN_STATUSES).exclude(pk=req.pk).filter(q)
            .order_by("-id")[:REQUEST_SCAN_LIMIT])


# A run ----------------------------------------------------------------------------


@dataclass
class MatchRun:
    registry: int = 0
    requests: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"registry": self.registry, "requests": self.requests}


def _upsert(req: TracingRequest, scored: Scored, *, person_id: int | None = None,
            other_id: int | None = None) -> None:
    lookup = {"person_id": person_id} if person_id else {"other_request_id": other_id}
    explanation = scored.explanation()
    row = TracingMatch.objects.filter(request=req, **lookup).first()
    if row is None:
        try:
            with transaction.atomic():
                TracingMatch.objects.create(request=req, kind=scored.kind, score=scored.score,
                                            explanation=explanation, **lookup)
            return
        except IntegrityError:  # a run for the other request wrote the same pair just now
            row = TracingMatch.objects.get(request=req, **lookup)
    if (row.score, row.explanation, row.kind) != (scored.score, explanation, scored.kind):
        row.score, row.explanation, row.kind = scored.score, explanation, scored.kind
        row.save(update_fields=["score", "explanation", "kind", "updated_at"])


def _top(results: dict[int, Scored]) -> dict[int, Scored]:
    ranked = sorted(results.items(), key=lambda kv: (-kv[1].score, kv[0]))[:KEEP_PER_KIND]
    return dict(ranked)


@transaction.atomic
def match_request(request_id: int, *, on: dt.date | None = None) -> MatchRun:
    """Score a request's candidates and bring its pending matches up to date.

    Pending candidates that no longer reach the threshold go; confirmed and
    rejected ones stay with their review (their score is refreshed). A match
    with another request is kept on both requests, each from its own side.
    """
    from ctxh.audit.services import audit_record

    req = TracingRequest.objects.select_for_update().filter(pk=request_id).first()
    run = MatchRun()
    if req is None or not req.is_open:
        return run
    s = load_scoring(on)

    people: dict[int, Scored] = {}
    for person in registry_candidates(req):
        scored = score_person(req, person, s)
        if scored.score >= s.threshold:
            people[person.pk] = scored
    people = _top(people)
    for person_id, scored in people.items():
        _upsert(req, scored, person_id=person_id)
    req.matches.filter(person__isnull=False, status=MatchStatus.PENDING).exclude(
        person_id__in=list(people)).delete()

    others: dict[int, tuple[Scored, TracingRequest]] = {}
    for other in request_candidates(req):
        scored = score_requests(req, other, s)
        if scored.score >= s.threshold:
            others[other.pk] = (scored, other)
    kept = _top({pk: sc for pk, (sc, _o) in others.items()})
    for other_id, scored in kept.items():
        other = others[other_id][1]
        _upsert(req, scored, other_id=other_id)
        _upsert(other, score_requests(other, req, s), other_id=req.pk)
    stale = TracingMatch.objects.filter(status=MatchStatus.PENDING).filter(
        Q(request=req, other_request__isnull=False) | Q(other_request=req)
    ).exclude(Q(request=req, other_request_id__in=list(kept)) | Q(other_request=req, request_id__in=list(kept)))
    stale.delete()

    run.registry, run.requests = len(people), len(kept)
    audit_record(actor=None, action="tracing.matched", obj=req, changes=run.as_dict())
    return run
