"""Who may open the residential pages: the facility's own staff and the province's centre roles only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctxh.audit.models import AccessEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(home, adult, admit):
    return admit(adult, home)


def _pages(home, resident):
    return [
        reverse("residential:facilities"),
        reverse("residential:follow-ups"),
        reverse("residential:facility", args=[home.pk]),
        reverse("residential:resident", args=[resident.pk]),
        reverse("residential:admit", args=[home.pk]),
        reverse("residential:resident-edit", args=[resident.pk]),
    ]


def _posts(home, resident):
    return [
        reverse("residential:admit", args=[home.pk]),
        reverse("residential:resident-edit", args=[resident.pk]),
        reverse("residential:discharge", args=[resident.pk]),
        reverse("residential:reintegration", args=[resident.pk]),
        reverse("residential:follow-up", args=[resident.pk]),
    ]


def test_anonymous_users_are_sent_to_login(client, home, resident):
    for url in _pages(home, resident) + _posts(home, resident):
        response = client.post(url) if url in _posts(home, resident) else client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"], url


@pytest.mark.parametrize("who", ["outsider", "collaborator", "collaborator2", "statistician", "counsellor"])
def test_roles_without_residence_view_get_403(cast, login, home, resident, who):
    client = login(cast[who])
    for url in _pages(home, resident):
        assert client.get(url).status_code == 403, url
    for url in _posts(home, resident):
        assert client.post(url, {}).status_code == 403, url


def test_other_facility_staff_and_other_province_get_404_and_see_no_facility(
        cast, login, home, resident, other_staff):
    for user in (other_staff, cast.far_worker, cast.facility):
        client = login(user)
        for url in _pages(home, resident)[2:]:
            assert client.get(url).status_code in (403, 404), (user, url)
        assert client.get(reverse("residential:resident", args=[resident.pk])).status_code == 404
        for url in _posts(home, resident):
            assert client.post(url, {}).status_code in (403, 404), (user, url)
        listing = client.get(reverse("residential:facilities"))
        assert listing.status_code in (200, 403) and home.name not in listing.content.decode()
    assert not AccessEntry.objects.exists()


def test_a_case_worker_of_the_province_may_look_but_not_change(cast, login, home, resident):
    client = login(cast.caseworker)
    assert client.get(reverse("residential:resident", args=[resident.pk])).status_code == 200
    assert client.get(reverse("residential:admit", args=[home.pk])).status_code == 403
    assert client.post(reverse("residential:discharge", args=[resident.pk]), {}).status_code == 403
    assert resident.__class__.objects.get(pk=resident.pk).is_open


def test_reading_a_resident_is_written_to_the_access_log(login, staff, resident):
    response = login(staff).get(reverse("residential:resident", args=[resident.pk]))
    assert response.status_code == 200
    entry = AccessEntry.objects.get()
    assert (entry.actor, entry.object_type, entry.object_id, entry.person_id) == (
        staff, "residential.admission", str(resident.pk), resident.person_id)


def test_lists_are_not_access_logged(login, staff, home, resident):
    client = login(staff)
    assert client.get(reverse("residential:facility", args=[home.pk])).status_code == 200
    assert client.get(reverse("residential:facilities")).status_code == 200
    assert not AccessEntry.objects.exists()
