"""Deactivating a provider needs a confirmation; it leaves the public lists at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ctxh.audit.models import AuditEntry
from ctxh.core.exceptions import ConflictError
from ctxh.network import selectors, services
from tests.network.factories import ProviderFactory


@pytest.fixture
def station(geo):
    return ProviderFactory(name="Trạm Y tế phường Hà Tu", commune=geo["c1"])


def test_it_asks_for_a_confirmation_first(cast, station):
    with pytest.raises(ValidationError) as exc:
        services.provider_set_active(actor=cast.director, provider=station, active=False, confirmed=False)
    assert exc.value.message_dict["confirmed"] == [
        "Hãy xác nhận: đơn vị sẽ không còn hiện trong danh bạ, cổng thông tin và sổ tay."]
    station.refresh_from_db()
    assert station.is_active


def test_a_deactivated_provider_leaves_the_public_list_but_staff_still_find_it(cast, station):
    services.provider_set_active(actor=cast.director, provider=station, active=False, confirmed=True,
                                 reason="Sáp nhập vào Trung tâm Y tế")
    station.refresh_from_db()
    assert not station.is_active and station.version == 2
    assert not selectors.provider_list(user=None).filter(pk=station.pk).exists()
    assert not selectors.provider_list(user=cast.caseworker).filter(pk=station.pk).exists()  # active by default
    assert selectors.provider_list(user=cast.caseworker, filters=selectors.ProviderFilters(status="all")).filter(
        pk=station.pk).exists()
    entry = AuditEntry.objects.get(action="provider.deactivated")
    assert entry.changes["reason"] == "Sáp nhập vào Trung tâm Y tế" and entry.changes["is_active"] == [True, False]
    services.provider_set_active(actor=cast.director, provider=station, active=True, confirmed=True)
    assert AuditEntry.objects.filter(action="provider.activated").exists()
    assert selectors.provider_list(user=None).filter(pk=station.pk).exists()


def test_a_stale_version_is_a_conflict(cast, station):
    services.provider_update(actor=cast.admin, provider=station, expected_version=1, data={"hours": "24/7"})
    with pytest.raises(ConflictError):
        services.provider_set_active(actor=cast.director, provider=station, active=False, confirmed=True,
                                     expected_version=1)


def test_only_managers_of_the_province_deactivate(cast, station, far_director):
    for user in (cast.caseworker, cast.counsellor, cast.statistician, cast.outsider, far_director):
        with pytest.raises(PermissionDenied):
            services.provider_set_active(actor=user, provider=station, active=False, confirmed=True)
