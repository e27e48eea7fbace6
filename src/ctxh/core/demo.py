"""The demo province: organisations, one user per role, and synthetic people."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from ctxh.accounts.models import Membership, Organization, User
from ctxh.accounts.services import membership_grant
from ctxh.geo.models import Commune, Province


def _organizations(province: Province) -> dict[str, Organization]:
    communes = list(Commune.objects.filter(province=province).order_by("code")[:2])
    specs = {
        "centre": (f"Trung tâm Công tác xã hội {province.name.replace('Tỉnh ', 'tỉnh ')}", "centre", None),
        "department": (f"Sở Y tế {province.name.replace('Tỉnh ', 'tỉnh ')}", "department", None),
        "facility": ("Cơ sở Bảo trợ xã hội tổng hợp", "facility", communes[0]),
        "commune1": (f"UBND {communes[0].name}", "commune_committee", communes[0]),
        "commune2": (f"UBND {communes[1].name}", "commune_committee", communes[1]),
    }
    out = {}
    for key, (name, kind, commune) in specs.items():
        org, _ = Organization.objects.get_or_create(
            name=name, province=province, defaults={"kind": kind, "commune": commune})
        out[key] = org
    return out


@transaction.atomic
def _users(password: str, orgs: dict[str, Organization]) -> None:
    from ctxh.core.management.commands.demo import DEMO_USERS

    # Checking a password costs ~0.5 s; if the first demo user already has this
    # one, the others do too, and a second start stays fast.
    first = User.objects.filter(username=DEMO_USERS[0][0]).first()
    same_password = first is not None and first.check_password(password)
    for username, full_name, org_key, role, cover in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name)
            user.set_password(password)
            user.save()
        elif not same_password and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        org = orgs[org_key]
        if Membership.objects.filter(user=user, organization=org, role=role).exists():
            continue
        communes = []
        if cover in ("commune1", "commune2"):
            communes = [orgs[cover].commune]
        membership_grant(actor=None, user=user, organization=org, role=role,
                         whole_province=cover == "province", communes=communes)


def ensure_demo(*, password: str, persons: int) -> dict[str, Any]:
    from ctxh.people.models import Person
    from ctxh.people.seed import seed_people

    province = Province.objects.get(pk=settings.CTXH_PROVINCE_CODE)
    orgs = _organizations(province)
    _users(password, orgs)
    if not Person.objects.filter(province=province).exists():
        seed_people(province_code=province.pk, persons=persons, random_seed=2026,
                    focus_communes=[orgs["commune1"].commune_id, orgs["commune2"].commune_id])
    _cases_and_calls(province)
    _network_and_assistance(province, orgs)
    return {"province": province.name}


def _cases_and_calls(province: Province) -> None:
    """A few dozen case files and calls, so referrals and support have something to hang on."""
    from ctxh.cases.models import Case
    from ctxh.cases.seed import seed_cases
    from ctxh.hotline.models import Call
    from ctxh.hotline.seed import seed_calls

    if not Case.objects.exists():
        seed_cases(province_code=province.pk, cases=60, random_seed=2026, years=1, worker_open_cases=10)
    if not Call.objects.exists():
        seed_calls(province_code=province.pk, calls=80, random_seed=2026, years=1)


# Each app's demo records, in the order they depend on each other (providers
# before the residents and referrals that point at them). Each loader adds only
# what is missing.
DEMO_LOADERS = (
    "ctxh.network.demo",
    "ctxh.residential.demo",
    "ctxh.referrals.demo",
    "ctxh.tracing.demo",
    "ctxh.assistance.demo",
    "ctxh.support.demo",
    "ctxh.people.poverty_demo",
)


def _network_and_assistance(province: Province, orgs: dict[str, Organization]) -> None:
    import importlib
    import random

    for name in DEMO_LOADERS:
        module = importlib.import_module(name)
        with transaction.atomic():
            module.load_demo(province=province, orgs=orgs, rng=random.Random(f"{name}-2026"))

