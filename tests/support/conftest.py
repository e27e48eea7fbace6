"""Support fixtures: the legal rule rows, a few people and households, donations, and helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ctxh.core.cccd import cccd_make
from tests.api.conftest import api_as  # noqa: F401  (the JSON client fixture, shared)
from tests.factories import HouseholdFactory, PersonFactory

D = dt.date

# The rows the eligibility helper loads into core.Rule (Decree 20/2021 and 76/2024). A test
# database built before they exist gets them here; rows already present are left alone.
LEGAL_ROWS = [
    ("assistance.base_level", D(2021, 7, 1), 360_000),
    ("assistance.base_level", D(2024, 7, 1), 500_000),
    ("support.funeral_multiplier", D(2021, 7, 1), 20),
    ("support.resident_funeral_multiplier", D(2021, 7, 1), 50),
    ("support.disaster_death_multiplier", D(2021, 7, 1), 50),
    ("support.injury_multiplier", D(2021, 7, 1), 10),
    ("support.rice_kg_per_person_month", D(2021, 7, 1), 15),
    ("support.rice_max_months", D(2021, 7, 1), 3),
    ("support.housing_rebuild", D(2021, 7, 1), 40_000_000),
    ("support.housing_relocation", D(2021, 7, 1), 30_000_000),
    ("support.housing_repair", D(2021, 7, 1), 20_000_000),
]


def ensure_rules() -> None:
    from ctxh.core.models import Rule, Term
    from ctxh.support.reference import load_reference

    load_reference(Rule, Term)
    have = set(Rule.objects.values_list("key", flat=True))
    for key, since, value in LEGAL_ROWS:
        if key in have and key != "assistance.base_level":
            continue
        Rule.objects.get_or_create(key=key, valid_from=since, defaults={
            "value": value, "unit": "", "source": "Nghị định 20/2021/NĐ-CP (dữ liệu kiểm thử)"})


@pytest.fixture
def geo(geo):
    """The root ``geo``, plus the legal rows and the app's vocabularies every support test needs."""
    ensure_rules()
    return geo


def term(vocabulary: str, code: str) -> Any:
    from ctxh.core.models import Term

    return Term.objects.of(vocabulary).get(code=code)


@pytest.fixture
def people(geo) -> dict[str, Any]:
    """Two people and a child in commune 1, one in commune 2, one in another province."""
    return {
        "han": PersonFactory(full_name="Đặng Thị Ngọc Hân", commune=geo["c1"], birth_date=D(1990, 5, 17),
                             cccd=cccd_make("022", "female", 1990, 4321)),
        "an": PersonFactory(full_name="Nguyễn Văn An", sex="male", commune=geo["c1"], birth_date=D(1985, 1, 2),
                            cccd=cccd_make("022", "male", 1985, 1111)),
        "binh": PersonFactory(full_name="Trần Thị Bình", commune=geo["c1"], birth_date=D(2012, 3, 4)),
        "cuong": PersonFactory(full_name="Lê Văn Cường", sex="male", commune=geo["c2"],
                               cccd=cccd_make("022", "male", 1980, 2222)),
        "far": PersonFactory(full_name="Phạm Thị Dung", commune=geo["far"], cccd=cccd_make("001", "female", 1975, 3333)),
    }


@pytest.fixture
def households(geo, people) -> dict[str, Any]:
    """h1 in commune 1 headed by An (Bình is his child), h2 in commune 2, one far away."""
    from ctxh.people.models import HouseholdMember

    h1 = HouseholdFactory(commune=geo["c1"], address_detail="Thôn 1")
    HouseholdMember.objects.create(household=h1, person=people["an"], relationship="head")
    HouseholdMember.objects.create(household=h1, person=people["binh"], relationship="child")
    h2 = HouseholdFactory(commune=geo["c2"])
    HouseholdMember.objects.create(household=h2, person=people["cuong"], relationship="head")
    return {"h1": h1, "h2": h2, "far": HouseholdFactory(commune=geo["far"])}


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def record_grant(cast):
    """Record a grant through the service; defaults: a 5,000,000 VND livelihood grant from the state budget."""
    from ctxh.support import services

    def _record(*, actor=None, **kwargs: Any):
        args: dict[str, Any] = {
            "kind": term("support_kind", "livelihood"), "amount": 5_000_000, "given_on": D(2025, 3, 10),
            "funding": term("funding_source_kind", "state_budget"), "reason": "Hộ nghèo, mẹ đơn thân",
        }
        args.update(kwargs)
        return services.grant_record(actor=actor or cast.caseworker, **args)

    return _record


@pytest.fixture
def donor(cast, geo):
    from ctxh.support import services

    return services.donor_create(actor=cast.director, name="Tập đoàn Vingroup", kind="company",
                                 province_id=geo["province"].pk)


@pytest.fixture
def heifers(cast, donor):
    """1,000 heifers for poor households."""
    from ctxh.support import services

    return services.donation_record(actor=cast.director, donor=donor, received_on=D(2025, 1, 15),
                                    item=term("support_item", "heifer"), quantity=1000,
                                    purpose="Bê cái giống cho hộ nghèo")


@pytest.fixture
def cash_donation(cast, donor):
    from ctxh.support import services

    return services.donation_record(actor=cast.director, donor=donor, received_on=D(2025, 1, 15), amount=50_000_000,
                                    purpose="Quỹ hỗ trợ khẩn cấp")


@pytest.fixture
def survey(cast, geo):
    from ctxh.support import services

    return services.survey_create(
        actor=cast.caseworker, name="Khảo sát nhu cầu học nghề của người khuyết tật", starts_on=D(2025, 2, 1),
        communes=[geo["c1"], geo["c2"]],
        need_types=[term("need_type", "vocational_training"), term("need_type", "job"),
                    term("need_type", "wheelchair")])
