"""Fixtures of the directory tests: a few providers across sectors, and a clean cache."""

from __future__ import annotations

from typing import Any

import pytest

from tests.network.factories import ProviderFactory, term


@pytest.fixture(autouse=True)
def _clear_cache():
    # The handbook PDF is cached by content fingerprint; start every test afresh.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def providers(geo) -> dict[str, Any]:
    """Legal aid (province-wide, public), a commune health station, a hidden shelter, a closed NGO, one far away."""
    return {
        "legal": ProviderFactory(
            name="Trung tâm Trợ giúp pháp lý nhà nước tỉnh", commune=geo["c1"], serves_province=True,
            type=term("provider_type", "legal_aid"), sector=term("provider_sector", "legal"),
            address_detail="Số 12, đường Lê Thánh Tông", phone="0203 3835 111", hotline="1900 6198",
            contact_person="Bà Đỗ Thị Quyên", services=["legal_aid", "civil_papers"],
            target_groups=["poor_households"]),
        "health": ProviderFactory(
            name="Trạm Y tế phường Đông Hà", commune=geo["c2"], phone="0203 3600 222",
            services=["health_care", "rehabilitation"], target_groups=["anyone"]),
        "shelter": ProviderFactory(
            name="Nhà tạm lánh Bình Yên", commune=geo["c2"], is_public=False, is_residential=True, capacity=12,
            type=term("provider_type", "public_sp_facility"), sector=term("provider_sector", "social_protection"),
            hotline="0203 3999 112", services=["emergency_shelter", "gbv_support"]),
        "closed": ProviderFactory(
            name="Nhóm Thiện Tâm (đã giải thể)", commune=geo["c3"], is_active=False,
            type=term("provider_type", "social_org"), sector=term("provider_sector", "civil_society"),
            services=["material_aid"]),
        "far": ProviderFactory(
            name="Bệnh viện Nhi Trung ương — Phòng Công tác xã hội", commune=geo["far"],
            type=term("provider_type", "hospital_sw_unit"), phone="024 6273 8532",
            services=["health_care", "psych_support"]),
    }


@pytest.fixture
def far_director(geo):
    """A director of another province's Centre: may manage providers there, not here."""
    from ctxh.accounts.models import Organization, User
    from ctxh.accounts.services import membership_grant

    org = Organization.objects.create(name="Trung tâm CTXH Hà Nội (lãnh đạo)", kind="centre",
                                      province=geo["other_province"])
    user = User.objects.create_user(username="far_director", password="mat-khau-thu-nghiem-2026",
                                    full_name="Far Director")
    membership_grant(actor=None, user=user, organization=org, role="director", whole_province=True, communes=[])
    return user
