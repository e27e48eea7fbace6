"""Case fixtures: the case types from the data migration, a child, and ways to open and place cases."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

import pytest
from django.utils import timezone

from tests.factories import PersonFactory

ZONE = dt.timezone(dt.timedelta(hours=7))


def local(*args: int) -> dt.datetime:
    """An aware datetime in Vietnam's time (UTC+7, no daylight saving)."""
    return dt.datetime(*args, tzinfo=ZONE)


@contextmanager
def frozen(at: dt.datetime):
    """Make ``timezone.now()`` answer ``at`` (services read the clock through it)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


@pytest.fixture
def types(db):
    from ctxh.cases.models import CaseType

    return {t.code: t for t in CaseType.objects.all()}


@pytest.fixture
def child(geo):
    """A girl of commune c1, aged 10."""
    return PersonFactory(full_name="Lò Thị Hoa", commune=geo["c1"], sex="female", birth_date=dt.date(2016, 4, 2))


@pytest.fixture
def adult(geo):
    return PersonFactory(full_name="Đinh Thị Lan", commune=geo["c1"], sex="female", birth_date=dt.date(1990, 1, 1))


@pytest.fixture
def caseworker2(cast):
    """A second case worker of the Centre who is not on any case team (the "unassigned worker")."""
    from ctxh.accounts.models import Organization, User
    from ctxh.accounts.services import membership_grant

    user = User.objects.create_user(username="caseworker2", password="x-mat-khau-2026", full_name="Caseworker2")
    centre = Organization.objects.get(name="Trung tâm CTXH Quảng Ninh")
    membership_grant(actor=None, user=user, organization=centre, role="case_worker", whole_province=True, communes=[])
    return user


@pytest.fixture
def open_case(cast, types, child):
    """Open a case as the counsellor (or ``actor``); keyword arguments go to ``case_open``."""
    from ctxh.cases import services

    def _open(type_code: str = "child_protection", *, actor=None, person=None, **kwargs):
        args = {"summary": "Hàng xóm báo trẻ bị đánh nhiều lần.", "source": "call",
                "reported_at": timezone.now() - dt.timedelta(minutes=5), **kwargs}
        return services.case_open(actor=actor or cast.counsellor, case_type=types[type_code],
                                  person=person or child, **args)

    return _open


@pytest.fixture
def assigned_case(cast, open_case):
    """A child-protection case assigned to ``caseworker``; keyword arguments go to ``case_open``."""
    from ctxh.cases import services

    def _make(type_code: str = "child_protection", **kwargs):
        case = open_case(type_code, **kwargs)
        services.case_assign(actor=cast.director, case=case, worker=cast.caseworker)
        case.refresh_from_db()
        return case

    return _make


def put_at(case, step_code: str):
    """Place a case at a step directly (a test shortcut around the moves before it)."""
    from ctxh.cases.models import Case

    closed_at = timezone.now() if step_code == "closed" else None
    Case.objects.filter(pk=case.pk).update(status=step_code, closed_at=closed_at)
    case.refresh_from_db()
    return case


@pytest.fixture
def need(db):
    from ctxh.core.models import Term

    def _need(code: str):
        return Term.objects.get(vocabulary="need_domain", code=code)

    return _need


@pytest.fixture
def closure_reason(db):
    from ctxh.core.models import Term

    def _reason(code: str = "goals_met"):
        return Term.objects.get(vocabulary="case_closure_reason", code=code)

    return _reason


def plan_items(worker=None, provider: str = ""):
    return [{"domain": None, "action": "Tư vấn tâm lý hằng tuần", "responsible": worker, "provider": provider,
             "due_date": None}]
