"""PATCH /api/v1/people/{id}: partial changes, guarded by the version the client read."""

from __future__ import annotations

import pytest

from ctxh.audit.models import AuditEntry
from ctxh.core.cccd import cccd_make
from tests.api.conftest import errors_by_field, schema_fields


def test_it_changes_only_the_fields_sent(cast, geo, people, api_as):
    an = people["an"]
    response = api_as(cast.collaborator).patch(f"/people/{an.pk}", {
        "version": 1, "phone": "0987 654 321", "address_detail": "Thôn Đông"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["phone"] == "0987654321"
    assert body["address_detail"] == "Thôn Đông"
    assert body["full_name"] == "Nguyễn Văn An"
    assert body["version"] == 2
    an.refresh_from_db()
    assert an.phone == "0987654321" and an.version == 2
    entry = AuditEntry.objects.get(action="person.updated", object_id=str(an.pk))
    assert entry.changes["phone"] == ["", "0987654321"]


def test_it_moves_a_person_to_another_commune_by_code(cast, geo, people, api_as):
    response = api_as(cast.caseworker).patch(f"/people/{people['an'].pk}", {"version": 1, "commune": geo["c2"].pk})
    assert response.status_code == 200
    assert response.json()["commune"]["code"] == geo["c2"].pk


def test_it_refuses_a_stale_version_with_what_changed(cast, people, api_as):
    an = people["an"]
    first = api_as(cast.caseworker).patch(f"/people/{an.pk}", {"version": 1, "notes": "Đã gọi điện"})
    assert first.status_code == 200
    stale = api_as(cast.collaborator).patch(f"/people/{an.pk}", {"version": 1, "notes": "Ghi chú khác"})
    assert stale.status_code == 409
    body = stale.json()
    assert body["detail"]
    assert [(c["from"], c["to"]) for c in body["changes"]] == [("", "Đã gọi điện")]
    an.refresh_from_db()
    assert an.notes == "Đã gọi điện" and an.version == 2


def test_it_refuses_invalid_values_with_the_services_messages(cast, people, api_as):
    response = api_as(cast.caseworker).patch(f"/people/{people['an'].pk}", {
        "version": 1, "birth_date": "2999-01-01", "cccd": "abc"})
    assert response.status_code == 422
    assert {"birth_date", "cccd"} <= set(errors_by_field(response))


def test_it_asks_to_confirm_a_cccd_that_disagrees(cast, people, api_as):
    an = people["an"]  # male, born 1985
    client = api_as(cast.caseworker)
    body = {"version": 1, "cccd": cccd_make("022", "female", 1985, 9)}
    warned = client.patch(f"/people/{an.pk}", body)
    assert warned.status_code == 422
    assert warned.json()["warnings"]
    assert client.patch(f"/people/{an.pk}", {**body, "confirm_id_warning": True}).status_code == 200


def test_it_refuses_a_patch_without_version_or_with_unknown_fields(cast, people, api_as):
    client = api_as(cast.caseworker)
    assert "version" in schema_fields(client.patch(f"/people/{people['an'].pk}", {"notes": "x"}))
    assert "note" in schema_fields(client.patch(f"/people/{people['an'].pk}", {"version": 1, "note": "x"}))
    assert "full_name" in schema_fields(client.patch(f"/people/{people['an'].pk}", {"version": 1, "full_name": None}))


def test_it_refuses_a_commune_the_collaborator_does_not_cover(cast, geo, people, api_as):
    response = api_as(cast.collaborator).patch(f"/people/{people['an'].pk}", {"version": 1, "commune": geo["c2"].pk})
    assert response.status_code == 422
    assert "commune" in errors_by_field(response)


@pytest.mark.parametrize("who,status", [
    ("collaborator2", 404), ("far_worker", 404), ("statistician", 403), ("outsider", 403), (None, 401),
])
def test_it_refuses_a_person_outside_the_users_area(cast, people, api_as, who, status):
    an = people["an"]
    response = api_as(cast[who] if who else None).patch(f"/people/{an.pk}", {"version": 1, "notes": "x"})
    assert response.status_code == status
    an.refresh_from_db()
    assert an.notes == "" and an.version == 1
