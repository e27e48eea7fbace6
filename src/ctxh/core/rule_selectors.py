"""Reads for the rule editor and the category lists (danh mục): administrators only."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from ctxh.accounts import access
from ctxh.core.models import Rule, Term
from ctxh.core.text import fold


def value_display(value: Any) -> str:
    """A rule value the Vietnamese way: 500.000, 1,5, text as is, anything else as JSON."""
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        whole, _sep, frac = repr(value).partition(".")
        whole_txt = f"{int(whole):,}".replace(",", ".") if whole.lstrip("-").isdigit() else whole
        return whole_txt if frac in ("", "0") else f"{whole_txt},{frac}"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def key_prefix(key: str) -> str:
    return key.split(".", 1)[0]


@dataclass
class RuleKey:
    """One rule and its rows: the row in force on ``on``, the later ones, the history."""

    key: str
    rows: list[Rule] = field(default_factory=list)  # newest valid_from first
    on: dt.date = field(default_factory=timezone.localdate)

    @property
    def prefix(self) -> str:
        return key_prefix(self.key)

    @property
    def current(self) -> Rule | None:
        return next((r for r in self.rows if r.valid_from <= self.on), None)

    @property
    def upcoming(self) -> list[Rule]:
        return [r for r in self.rows if r.valid_from > self.on]


def _decorate(rule: Rule, on: dt.date, current: Rule | None) -> Rule:
    rule.display = value_display(rule.value)  # type: ignore[attr-defined]
    rule.is_future = rule.valid_from > on  # type: ignore[attr-defined]
    rule.is_current = current is not None and rule.pk == current.pk  # type: ignore[attr-defined]
    return rule


def _group(rows: list[Rule], on: dt.date) -> list[RuleKey]:
    keys: dict[str, RuleKey] = {}
    for row in rows:
        keys.setdefault(row.key, RuleKey(key=row.key, on=on)).rows.append(row)
    for k in keys.values():
        current = k.current
        for row in k.rows:
            _decorate(row, on, current)
    return list(keys.values())


def rule_prefixes(*, user: Any) -> list[str]:
    access.require(user, "rules.manage")
    return sorted({key_prefix(k) for k in Rule.objects.values_list("key", flat=True).distinct()})


def rule_keys(*, user: Any, q: str = "", prefix: str = "") -> list[RuleKey]:
    """Every rule (key) with its rows, filtered by group and by words in key, value, unit, source or note.

    The table holds hundreds of rows, not millions: it is read whole and
    searched without diacritics in Python, so the search works alike on
    SQLite and PostgreSQL.
    """
    access.require(user, "rules.manage")
    on = timezone.localdate()
    qs = Rule.objects.order_by("key", "-valid_from")
    if prefix:
        qs = qs.filter(Q(key=prefix) | Q(key__startswith=prefix + "."))
    keys = _group(list(qs), on)
    words = fold(q).split()
    if words:
        def text(k: RuleKey) -> str:
            parts = [k.key]
            for r in k.rows:
                parts += [value_display(r.value), r.unit, r.source, r.note]
            return fold(" ".join(parts))
        keys = [k for k in keys if all(w in text(k) for w in words)]
    return keys


def rule_history(*, user: Any, key: str) -> RuleKey:
    access.require(user, "rules.manage")
    rows = list(Rule.objects.filter(key=key).order_by("-valid_from"))
    if not rows:
        raise Http404
    return _group(rows, timezone.localdate())[0]


def rule_get(*, user: Any, pk: int) -> Rule:
    access.require(user, "rules.manage")
    rule = Rule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    return _decorate(rule, timezone.localdate(), None)


@dataclass
class Vocabulary:
    name: str
    count: int
    in_force: int


def term_vocabularies(*, user: Any) -> list[Vocabulary]:
    access.require(user, "rules.manage")
    today = timezone.localdate()
    total = dict(Term.objects.values_list("vocabulary").annotate(n=Count("id")).values_list("vocabulary", "n"))
    now = dict(Term.objects.in_force(today).values_list("vocabulary").annotate(n=Count("id"))
               .values_list("vocabulary", "n"))
    return [Vocabulary(name=v, count=total[v], in_force=now.get(v, 0)) for v in sorted(total)]


def term_list(*, user: Any, vocabulary: str, q: str = "") -> list[Term]:
    """A category list, in its order, with each entry's dates; 404 for an unknown list."""
    access.require(user, "rules.manage")
    terms = list(Term.objects.of(vocabulary).select_related("parent").order_by("position", "code"))
    if not terms:
        raise Http404
    today = timezone.localdate()
    words = fold(q).split()
    out = []
    for t in terms:
        t.in_force = t.valid_from <= today and (t.valid_to is None or t.valid_to >= today)  # type: ignore[attr-defined]
        if words and not all(w in fold(f"{t.code} {t.name} {t.name_en} {t.source}") for w in words):
            continue
        out.append(t)
    return out
