"""A person's support history: grants (theirs and their household's), allocations, needs; access-logged."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ctxh.audit.models import AccessEntry
from ctxh.support import services
from tests.support.conftest import term

D = dt.date


def test_it_shows_the_support_of_the_person_and_their_household(login, cast, people, households, record_grant,
                                                                   heifers):
    record_grant(person=people["binh"], kind=term("support_kind", "scholarship"), amount=3_600_000)
    record_grant(household=households["h1"])
    record_grant(person=people["han"], amount=999_000)
    services.allocation_create(actor=cast.director, donation=heifers, household=households["h1"], quantity=2,
                               allocated_on=D(2025, 2, 1))
    services.need_identify(actor=cast.caseworker, person=people["binh"], need_type=term("need_type", "scholarship"))
    page = login(cast.collaborator).get(reverse("support:person", args=[people["binh"].pk])).content.decode()
    assert "Học bổng" in page and "Hỗ trợ sinh kế" in page and "cả hộ" in page
    assert "2 con bò cái giống (bê cái)" in page and "Tập đoàn Vingroup" in page
    assert "999.000" not in page
    assert "Học bổng, hỗ trợ học tập" in page  # the need


def test_reading_it_is_access_logged(login, cast, people):
    login(cast.caseworker).get(reverse("support:person", args=[people["han"].pk]))
    assert AccessEntry.objects.filter(actor=cast.caseworker, person_id=people["han"].pk,
                                      purpose="support_history").exists()


def test_htmx_gets_the_fragment_for_the_person_page(login, cast, people):
    page = login(cast.caseworker).get(reverse("support:person", args=[people["han"].pk]),
                                      headers={"HX-Request": "true"}).content.decode()
    assert page.lstrip().startswith("<section") and "<html" not in page
