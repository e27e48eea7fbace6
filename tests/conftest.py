"""The cast every test can use: one user per role, an outsider, two communes."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROVINCE = 22  # Quảng Ninh, the demo province
OTHER_PROVINCE = 1  # Hà Nội
PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture
def geo(db):
    from ctxh.geo.models import Commune, Province

    communes = list(Commune.objects.filter(province_id=PROVINCE).order_by("code")[:3])
    return {
        "province": Province.objects.get(pk=PROVINCE),
        "other_province": Province.objects.get(pk=OTHER_PROVINCE),
        "c1": communes[0],
        "c2": communes[1],
        "c3": communes[2],
        "far": Commune.objects.filter(province_id=OTHER_PROVINCE).order_by("code").first(),
    }


class Cast(dict):
    """Users by role name; attribute access for brevity (cast.collaborator)."""

    __getattr__ = dict.__getitem__


@pytest.fixture
def cast(geo):
    from ctxh.accounts.models import Organization, User
    from ctxh.accounts.services import membership_grant

    centre = Organization.objects.create(name="Trung tâm CTXH Quảng Ninh", kind="centre", province=geo["province"])
    dept = Organization.objects.create(name="Sở Y tế Quảng Ninh", kind="department", province=geo["province"])
    com1 = Organization.objects.create(name="UBND xã 1", kind="commune_committee", province=geo["province"], commune=geo["c1"])
    com2 = Organization.objects.create(name="UBND xã 2", kind="commune_committee", province=geo["province"], commune=geo["c2"])
    far = Organization.objects.create(name="Trung tâm CTXH Hà Nội", kind="centre", province=geo["other_province"])
    specs = {
        "admin": (centre, "administrator", True, []),
        "director": (centre, "director", True, []),
        "caseworker": (centre, "case_worker", True, []),
        "counsellor": (centre, "counsellor", True, []),
        "collaborator": (com1, "collaborator", False, [geo["c1"]]),
        "collaborator2": (com2, "collaborator", False, [geo["c2"]]),
        "facility": (com1, "facility_staff", False, [geo["c1"]]),
        "statistician": (dept, "statistician", False, []),
        "far_worker": (far, "case_worker", True, []),
    }
    cast = Cast()
    for username, (org, role, whole, communes) in specs.items():
        user = User.objects.create_user(username=username, password=PASSWORD, full_name=username.title())
        membership_grant(actor=None, user=user, organization=org, role=role, whole_province=whole, communes=communes)
        cast[username] = user
    cast["outsider"] = User.objects.create_user(username="outsider", password=PASSWORD)
    return cast


@pytest.fixture
def login(client):
    """Log the test client in as a user and return it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run tests with a live server (transactional: they flush the database) last.

    pytest-django runs tests marked ``django_db`` first and unmarked ones after
    the transactional ones; most of our tests reach the database through the
    ``cast``/``geo`` fixtures without a marker, and would then find the tables
    emptied of the units and lists that the data migrations load.
    """
    def flushes(item):
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        return transactional or "live_server" in getattr(item, "fixturenames", ())

    items[:] = [i for i in items if not flushes(i)] + [i for i in items if flushes(i)]
