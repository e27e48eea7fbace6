"""person_update: optimistic locking with a readable conflict."""

import pytest
from django.http import Http404

from ctxh.core.exceptions import ConflictError
from ctxh.people import services


def test_it_updates_and_bumps_the_version(cast, han):
    updated = services.person_update(actor=cast.collaborator, person=han, data={"phone": "0987000111"},
                                     expected_version=1)
    assert updated.version == 2 and updated.phone == "0987000111"


def test_it_refuses_a_stale_save_and_says_what_changed(cast, han):
    services.person_update(actor=cast.caseworker, person=han, data={"phone": "0987000111"}, expected_version=1)
    with pytest.raises(ConflictError) as exc:
        services.person_update(actor=cast.collaborator, person=han, data={"notes": "ghi chú"}, expected_version=1)
    changes = exc.value.changes
    assert len(changes) == 1
    label, old, new = changes[0]
    assert "Caseworker" in label and old == "0912345678" and new == "0987000111"
    han.refresh_from_db()
    assert han.notes == ""


def test_it_refuses_a_person_outside_the_users_area(cast, han):
    with pytest.raises(Http404):
        services.person_update(actor=cast.collaborator2, person=han, data={"notes": "x"}, expected_version=1)
