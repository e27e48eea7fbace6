"""Editing a provider: only what changed is written and audited; a stale version is a conflict."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ctxh.audit.models import AuditEntry
from ctxh.core.exceptions import ConflictError
from ctxh.network import services
from tests.network.factories import ProviderFactory, term


@pytest.fixture
def station(geo):
    return ProviderFactory(name="Trạm Y tế phường Hà Tu", commune=geo["c1"], services=["health_care"])


def test_it_saves_the_changes_and_bumps_the_version(cast, geo, station):
    updated = services.provider_update(actor=cast.director, provider=station, expected_version=1, data={
        "phone": "0203 3999 000", "address_detail": "Tổ 5, khu 3",
        "services": [term("provider_service", "health_care"), term("provider_service", "rehabilitation")],
    })
    assert updated.version == 2 and updated.phone == "0203 3999 000"
    assert {s.code for s in updated.services.all()} == {"health_care", "rehabilitation"}
    assert "to 5 khu 3" in updated.search_folded and "02033999000" in updated.search_folded
    entry = AuditEntry.objects.get(action="provider.updated", object_id=str(station.pk))
    assert entry.changes["phone"] == ["0203 3825 000", "0203 3999 000"]
    assert entry.changes["services"] == ["Khám, chữa bệnh", "Khám, chữa bệnh; Phục hồi chức năng, vật lý trị liệu"]
    assert entry.changes["_version"] == 2


def test_saving_without_a_change_writes_nothing(cast, station):
    same = services.provider_update(actor=cast.director, provider=station, expected_version=1,
                                    data={"phone": station.phone})
    assert same.version == 1
    assert not AuditEntry.objects.filter(action="provider.updated").exists()


def test_a_stale_version_is_refused_with_what_changed(cast, station):
    services.provider_update(actor=cast.admin, provider=station, expected_version=1, data={"hours": "24/7"})
    with pytest.raises(ConflictError) as exc:
        services.provider_update(actor=cast.director, provider=station, expected_version=1, data={"hours": "7h – 17h"})
    assert "đã được người khác sửa" in exc.value.message
    (label, old, new), = exc.value.changes
    assert label.startswith("Giờ làm việc (Admin") and old == "" and new == "24/7"
    station.refresh_from_db()
    assert station.hours == "24/7" and station.version == 2


def test_validation_applies_to_edits(cast, geo, station):
    with pytest.raises(ValidationError) as exc:
        services.provider_update(actor=cast.director, provider=station, expected_version=1,
                                 data={"commune": geo["far"], "capacity": 5})
    assert set(exc.value.message_dict) == {"commune", "capacity"}


def test_only_managers_of_the_province_edit(cast, station, far_director):
    for user in (cast.caseworker, cast.collaborator, cast.statistician):
        with pytest.raises(PermissionDenied):
            services.provider_update(actor=user, provider=station, expected_version=1, data={"hours": "x"})
    with pytest.raises(PermissionDenied):
        services.provider_update(actor=far_director, provider=station, expected_version=1, data={"hours": "x"})
    with pytest.raises(PermissionDenied):
        services.provider_update(actor=cast.outsider, provider=station, expected_version=1, data={"hours": "x"})


def test_a_manager_cannot_move_a_provider_out_of_their_province(cast, geo, station):
    with pytest.raises(ValidationError) as exc:
        services.provider_update(actor=cast.director, provider=station, expected_version=1,
                                 data={"province": geo["other_province"], "commune": geo["far"]})
    assert exc.value.message_dict["province"] == ["Bạn chỉ được chuyển đơn vị sang tỉnh mình phụ trách."]


def test_an_unknown_provider_is_not_found(cast, station):
    station.pk = 999999
    with pytest.raises(Http404):
        services.provider_update(actor=cast.director, provider=station, expected_version=1, data={})
