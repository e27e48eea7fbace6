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
    return {"province": province.name}

