"""Residential fixtures: two facilities with their own staff, people to admit, and a way to admit them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import PersonFactory

PASSWORD = "mat-khau-co-so-2026"


def _term(vocabulary: str, code: str, name: str) -> Any:
    from ctxh.core.models import Term

    term, _ = Term.objects.get_or_create(vocabulary=vocabulary, code=code, defaults={
        "name": name, "valid_from": dt.date(2000, 1, 1), "source": "Kiểm thử"})
    return term


def make_facility(geo: dict[str, Any], name: str, *, capacity: int | None = 3, commune: Any = None,
                  province: Any = None, residential: bool = True) -> Any:
    """A residential Provider with its own facility Organization."""
    from ctxh.accounts.models import Organization
    from ctxh.network.models import Provider

    province = province or geo["province"]
    org = Organization.objects.create(name=name, kind="facility", province=province, commune=commune)
    return Provider.objects.create(
        name=name, type=_term("provider_type", "test_social_protection", "Cơ sở trợ giúp xã hội"),
        sector=_term("provider_sector", "test_public", "Công lập"), province=province, commune=commune,
        is_residential=residential, capacity=capacity if residential else None, organization=org)


def make_staff(username: str, facility: Any, role: str = "facility_staff") -> Any:
    from ctxh.accounts.models import User
    from ctxh.accounts.services import membership_grant

    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username.title())
    membership_grant(actor=None, user=user, organization=facility.organization, role=role)
    return user


@pytest.fixture
def home(geo):
    """Cơ sở Bảo trợ xã hội tổng hợp, 3 places, in commune c1."""
    return make_facility(geo, "Cơ sở Bảo trợ xã hội tổng hợp Quảng Ninh", capacity=3, commune=geo["c1"])


@pytest.fixture
def other_home(geo):
    return make_facility(geo, "Làng trẻ em SOS Hạ Long", capacity=10, commune=geo["c2"])


@pytest.fixture
def far_home(geo):
    return make_facility(geo, "Trung tâm Bảo trợ xã hội Hà Nội", capacity=50, commune=geo["far"],
                         province=geo["other_province"])


@pytest.fixture
def staff(cast, home):
    """A facility staff member of ``home`` (the cast's ``facility`` user belongs to a commune committee)."""
    return make_staff("nhanvien_coso", home)


@pytest.fixture
def other_staff(cast, other_home):
    return make_staff("nhanvien_sos", other_home)


@pytest.fixture
def elder(geo):
    return PersonFactory(full_name="Hoàng Văn Thọ", sex="male", commune=geo["c1"], birth_date=dt.date(1945, 3, 8))


@pytest.fixture
def child(geo):
    return PersonFactory(full_name="Lò Thị Hoa", commune=geo["c2"], birth_date=dt.date(2016, 4, 2))


@pytest.fixture
def adult(geo):
    return PersonFactory(full_name="Đinh Văn Lâm", sex="male", commune=geo["c1"], birth_date=dt.date(1988, 1, 1))


@pytest.fixture
def admit(cast):
    """Admit through the service (as the director unless ``actor``); keyword arguments go to the service."""
    from ctxh.residential import services

    def _admit(person: Any, facility: Any, *, actor: Any = None, **kwargs: Any) -> Any:
        args = {"kind": "state", "admitted_on": timezone.localdate() - dt.timedelta(days=30),
                "reason": "Không nơi nương tựa, thuộc diện nuôi dưỡng tập trung.", **kwargs}
        return services.admission_create(actor=actor or cast.director, person=person, facility=facility, **args)

    return _admit


def fill(facility: Any, n: int, geo: dict[str, Any], admit: Any) -> list[Any]:
    """Admit ``n`` new people to ``facility``."""
    return [admit(PersonFactory(full_name=f"Người Thứ {i}", commune=geo["c3"]), facility) for i in range(n)]


@pytest.fixture
def api_as(db):
    """A JSON client for /api/v1 logged in (session) as the given user; None means anonymous."""
    from django.test import Client

    from tests.api.conftest import JsonClient

    def _as(user: Any) -> Any:
        client = Client()
        if user is not None:
            client.force_login(user)
        return JsonClient(client)

    return _as
