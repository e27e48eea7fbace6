"""Referral fixtures: a child's case worked by ``caseworker``, providers with and without an account, consent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import JsonClient
from tests.factories import PersonFactory
from tests.referrals.factories import ConsentFactory, ProviderFactory, term

PROVIDER_PASSWORD = "mat-khau-don-vi-2026"


@pytest.fixture
def child(geo):
    """A girl of commune c1, aged 10."""
    return PersonFactory(full_name="Lò Thị Hoa", commune=geo["c1"], sex="female", birth_date=dt.date(2016, 4, 2))


@pytest.fixture
def counselling(db):
    group = term("provider_service", "t_psych", "Hỗ trợ tâm lý (thử nghiệm)")
    return term("provider_service", "t_counselling", "Tư vấn tâm lý cá nhân (thử nghiệm)", parent=group)


@pytest.fixture
def legal_aid(db):
    return term("provider_service", "t_legal", "Trợ giúp pháp lý (thử nghiệm)")


@pytest.fixture
def provider(geo, counselling):
    """A provider without a CTXH account: it answers through one-time links."""
    return ProviderFactory(name="Trung tâm Tư vấn Hoa Sen", commune=geo["c1"], services=[counselling])


@pytest.fixture
def provider_org(geo):
    from ctxh.accounts.models import Organization

    return Organization.objects.create(name="Bệnh viện Sản Nhi Quảng Ninh", kind="provider", province=geo["province"])


@pytest.fixture
def account_provider(geo, provider_org, legal_aid):
    """A provider with a CTXH account (its organisation)."""
    return ProviderFactory(name="Bệnh viện Sản Nhi Quảng Ninh", commune=geo["c2"], organization=provider_org,
                           services=[legal_aid])


@pytest.fixture
def provider_staff(provider_org):
    """A member of the provider's organisation; no commune, so no person or case of the registry."""
    from ctxh.accounts.models import User
    from ctxh.accounts.services import membership_grant

    user = User.objects.create_user(username="benhvien", password=PROVIDER_PASSWORD, full_name="Bác sĩ Trần Minh")
    membership_grant(actor=None, user=user, organization=provider_org, role="facility_staff", whole_province=False,
                     communes=[])
    return user


@pytest.fixture
def caseworker2(cast):
    """A case worker of the Centre who is on no case team (the "unassigned worker")."""
    from ctxh.accounts.models import Organization, User
    from ctxh.accounts.services import membership_grant

    user = User.objects.create_user(username="caseworker2", password="x-mat-khau-2026", full_name="Caseworker2")
    centre = Organization.objects.get(name="Trung tâm CTXH Quảng Ninh")
    membership_grant(actor=None, user=user, organization=centre, role="case_worker", whole_province=True, communes=[])
    return user


def _open_case(cast, person, *, sealed: bool = False):
    from ctxh.cases import services
    from ctxh.cases.models import CaseType

    case = services.case_open(
        actor=cast.counsellor, case_type=CaseType.objects.get(code="child_protection"), person=person,
        summary="Cô giáo báo trẻ có nhiều vết bầm, sợ về nhà.", source="school",
        reported_at=timezone.now() - dt.timedelta(hours=1), sealed=sealed)
    services.case_assign(actor=cast.director, case=case, worker=cast.caseworker)
    case.refresh_from_db()
    return case


@pytest.fixture
def case(cast, child):
    """The child's case in c1, assigned to ``caseworker`` (the counsellor took the report)."""
    return _open_case(cast, child)


@pytest.fixture
def sealed_case(cast, geo):
    person = PersonFactory(full_name="Hà Thị Ngọc", commune=geo["c1"], sex="female", birth_date=dt.date(2012, 2, 2))
    ConsentFactory(person=person)
    return _open_case(cast, person, sealed=True)


@pytest.fixture
def consent(child):
    return ConsentFactory(person=child)


@pytest.fixture
def refer(cast, case, provider, consent):
    """Send a referral through the service (by ``caseworker`` from ``case`` to ``provider`` by default)."""
    from ctxh.referrals import services

    def _refer(**kwargs: Any):
        args: dict[str, Any] = {"actor": cast.caseworker, "provider": provider, "case": case,
                                "reason": "Trẻ cần tư vấn tâm lý sau sự việc bạo lực.", **kwargs}
        return services.referral_create(**args)

    return _refer


@pytest.fixture
def make_call(cast, geo):
    """A call about ``people`` (subjects), saved and ended through the hotline services."""
    from ctxh.core.models import Term
    from ctxh.hotline import services

    def _make(subjects, *, counsellor=None, **data):
        actor = counsellor or cast.counsellor
        call = services.call_start(actor=actor, started_at=timezone.now() - dt.timedelta(minutes=20))
        call = services.call_save(actor=actor, call=call, expected_version=call.version, data={
            "subjects": [(p, "subject") for p in subjects],
            "topics": [Term.objects.of("call_topic").first()], "summary": "Mẹ hỏi nơi tư vấn cho con.",
            "outcome": "advice", "urgency": "normal", **data})
        return services.call_end(actor=actor, call=call, ended_at=call.started_at + dt.timedelta(minutes=8))

    return _make


@pytest.fixture
def api_as(db):
    """A JSON client logged in (session) as the given user; None means anonymous."""

    def _as(user: Any) -> JsonClient:
        client = Client()
        if user is not None:
            client.force_login(user)
        return JsonClient(client)

    return _as


def token_of(url: str) -> str:
    """The token at the end of a link URL (…/referrals/r/<token>/)."""
    match = re.search(r"/referrals/r/([^/]+)/", url)
    assert match, url
    return match.group(1)
