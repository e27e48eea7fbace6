"""Every support page and form refuses those who should not reach it.

Anonymous → login; no capability (outsider, statistician) → 403; a record
whose recipient is outside the user's area (collaborator2 on commune 1,
far_worker of another province) → 404, never a hint that it exists.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ctxh.support import services
from tests.support.conftest import term

D = dt.date
PDF = b"%PDF-1.7\n" + b"0" * 200


@pytest.fixture
def world(cast, people, households, heifers, survey, record_grant, media):
    """Commune-1 records: a grant with a scanned receipt, a need, an allocation with a scan."""
    grant = record_grant(person=people["han"], received_by="Hân", received_on=D(2025, 3, 11),
                         proof_file=SimpleUploadedFile("bn.pdf", PDF))
    need = services.need_identify(actor=cast.caseworker, person=people["han"], need_type=term("need_type", "job"),
                                  survey=survey)
    allocation = services.allocation_create(actor=cast.director, donation=heifers, household=households["h1"],
                                            quantity=1, allocated_on=D(2025, 2, 1),
                                            proof_file=SimpleUploadedFile("bn.pdf", PDF))
    return {"grant": grant, "need": need, "allocation": allocation, "survey": survey, "donation": heifers,
            "donor": heifers.donor, "person": people["han"]}


def _pages(w):
    """name → (url, kind): kind says what the page is about (list, record of c1, province-level…)."""
    g, n, a, s, d = w["grant"].pk, w["need"].pk, w["allocation"].pk, w["survey"].pk, w["donation"].pk
    return {
        "grant-list": (reverse("support:grant-list"), "list"),
        "grant-create": (reverse("support:grant-create"), "manage"),
        "grant-suggest": (reverse("support:grant-suggest") + "?kind=emergency_funeral&event_date=01/08/2025", "list"),
        "household-search": (reverse("support:household-search") + "?hq=HH", "list"),
        "need-list": (reverse("support:need-list"), "list"),
        "need-create": (reverse("support:need-create"), "manage"),
        "survey-list": (reverse("support:survey-list"), "stats"),
        "survey-create": (reverse("support:survey-create"), "manage"),
        "survey-template": (reverse("support:survey-template"), "list"),
        "donation-list": (reverse("support:donation-list"), "list"),
        "donation-create": (reverse("support:donation-create"), "donation"),
        "donor-create": (reverse("support:donor-create"), "donation"),
        "grant-detail": (reverse("support:grant-detail", args=[g]), "record"),
        "grant-receipt": (reverse("support:grant-receipt", args=[g]), "record-manage"),
        "grant-proof": (reverse("support:grant-proof", args=[g]), "record"),
        "need-request": (reverse("support:need-move", args=[n, "request"]), "record-manage"),
        "need-decline": (reverse("support:need-move", args=[n, "decline"]), "record-manage"),
        "need-fulfil": (reverse("support:need-move", args=[n, "fulfil"]), "record-manage"),
        "person": (reverse("support:person", args=[w["person"].pk]), "record"),
        "survey-detail": (reverse("support:survey-detail", args=[s]), "survey"),
        "survey-report": (reverse("support:survey-report", args=[s]), "survey-stats"),
        "survey-export": (reverse("support:survey-export", args=[s]), "survey-stats"),
        "donation-detail": (reverse("support:donation-detail", args=[d]), "province"),
        "donor-edit": (reverse("support:donor-edit", args=[w["donor"].pk]), "province-donation"),
        "allocation-cancel": (reverse("support:allocation-cancel", args=[a]), "record-donation"),
        "allocation-proof": (reverse("support:allocation-proof", args=[a]), "record"),
    }


PAGES = ["grant-list", "grant-create", "grant-suggest", "household-search", "need-list", "need-create",
         "survey-list", "survey-create", "survey-template", "donation-list", "donation-create", "donor-create",
         "grant-detail", "grant-receipt", "grant-proof", "need-request", "need-decline", "need-fulfil", "person",
         "survey-detail", "survey-report", "survey-export", "donation-detail", "donor-edit", "allocation-cancel",
         "allocation-proof"]


def _posts(w):
    g, n, a, s, d = w["grant"].pk, w["need"].pk, w["allocation"].pk, w["survey"].pk, w["donation"].pk
    return {
        "grant-create": (reverse("support:grant-create"), {"person": w["person"].pk}),
        "grant-receipt": (reverse("support:grant-receipt", args=[g]), {"version": 1, "received_by": "X"}),
        "need-create": (reverse("support:need-create"), {"person": w["person"].pk, "need_type": "job"}),
        "need-request": (reverse("support:need-move", args=[n, "request"]), {"version": 1}),
        "survey-create": (reverse("support:survey-create"), {"name": "x"}),
        "survey-import": (reverse("support:survey-import", args=[s]), {}),
        "survey-quick": (reverse("support:survey-quick", args=[s]), {"lines": "1; job"}),
        "donation-create": (reverse("support:donation-create"), {"purpose": "x"}),
        "donor-create": (reverse("support:donor-create"), {"name": "X", "kind": "person"}),
        "donor-edit": (reverse("support:donor-edit", args=[w["donor"].pk]), {"name": "X", "kind": "person"}),
        "allocation-create": (reverse("support:allocation-create", args=[d]), {"quantity": 1}),
        "allocation-cancel": (reverse("support:allocation-cancel", args=[a]), {"reason": "x"}),
    }


POSTS = ["grant-create", "grant-receipt", "need-create", "need-request", "survey-create", "survey-import",
         "survey-quick", "donation-create", "donor-create", "donor-edit", "allocation-create", "allocation-cancel"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_users_are_sent_to_login(client, world, name):
    response = client.get(_pages(world)[name][0])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", POSTS)
def test_anonymous_posts_are_sent_to_login(client, world, name):
    url, data = _posts(world)[name]
    response = client.post(url, data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_the_outsider_is_refused_everywhere(login, cast, world, name):
    assert login(cast.outsider).get(_pages(world)[name][0]).status_code == 403


@pytest.mark.parametrize("name", POSTS)
def test_the_outsider_cannot_post(login, cast, world, name):
    url, data = _posts(world)[name]
    assert login(cast.outsider).post(url, data).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_the_statistician_sees_only_survey_reports(login, cast, world, name):
    url, kind = _pages(world)[name]
    response = login(cast.statistician).get(url)
    assert response.status_code == (200 if kind in ("stats", "survey-stats") else 403)


@pytest.mark.parametrize("name", POSTS)
def test_the_statistician_cannot_post(login, cast, world, name):
    url, data = _posts(world)[name]
    assert login(cast.statistician).post(url, data).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_a_worker_of_another_province_finds_none_of_these_records(login, cast, world, name):
    url, kind = _pages(world)[name]
    response = login(cast.far_worker).get(url)
    if kind.startswith(("record", "survey", "province")):
        expected = 403 if kind.endswith("donation") else 404
    elif kind == "donation":
        expected = 403
    else:
        expected = 200
    assert response.status_code == expected
    if response.status_code == 200 and kind == "list":
        assert world["person"].full_name not in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_a_collaborator_of_commune_2_does_not_reach_commune_1_records(login, cast, world, name):
    url, kind = _pages(world)[name]
    response = login(cast.collaborator2).get(url)
    expected = {"record": 404, "record-manage": 404, "record-donation": 403, "donation": 403,
                "province-donation": 403}.get(kind, 200)
    assert response.status_code == expected
    if expected == 200 and kind in ("list", "province", "survey"):
        assert world["person"].full_name not in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_the_director_of_the_province_opens_every_page(login, cast, world, name):
    response = login(cast.director).get(_pages(world)[name][0])
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["grant-create", "need-create", "survey-create", "grant-receipt", "need-request",
                                  "donation-create", "allocation-cancel"])
def test_facility_staff_read_but_do_not_write(login, cast, world, name):
    assert login(cast.facility).get(_pages(world)[name][0]).status_code == 403
    assert login(cast.facility).get(_pages(world)["grant-detail"][0]).status_code == 200


def test_the_collaborator_of_commune_1_opens_its_records(login, cast, world):
    client = login(cast.collaborator)
    pages = _pages(world)
    for name in ("grant-detail", "grant-receipt", "need-fulfil", "person", "survey-detail", "donation-detail"):
        assert client.get(pages[name][0]).status_code == 200, name
