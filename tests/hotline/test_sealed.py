"""A call linked to a sealed case shows that it exists, but its content only to those inside."""

import pytest
from django.urls import reverse

from ctxh.hotline import services


@pytest.fixture
def sealed_call(cast, make_call, people, case_types):
    call = make_call(end=False, subjects=[(people["mother"], "subject")], topic_codes=("dv_partner",),
                     summary="Chị bị chồng đánh, xin nơi tạm lánh", outcome="escalated", urgency="emergency")
    case = services.call_open_case(actor=cast.counsellor, call=call, case_type=case_types["gbv"],
                                   person=people["mother"])
    assert case.sealed
    call.refresh_from_db()
    return services.call_end(actor=cast.counsellor, call=call)


@pytest.mark.parametrize("user", ["counsellor", "director"])
def test_the_counsellor_who_took_it_and_the_director_see_the_content(login, cast, sealed_call, user):
    html = login(cast[user]).get(reverse("hotline:detail", args=[sealed_call.pk])).content.decode()
    assert "Chị bị chồng đánh" in html and "Lò Thị Mai" in html


def test_a_caseworker_outside_the_case_sees_only_that_the_call_exists(login, cast, sealed_call):
    client = login(cast.caseworker)
    page = client.get(reverse("hotline:detail", args=[sealed_call.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Chị bị chồng đánh" not in html and "Lò Thị Mai" not in html and "hồ sơ niêm phong" in html
    listing = client.get(reverse("hotline:list")).content.decode()
    assert f"#{sealed_call.pk}" in listing and "Lò Thị Mai" not in listing
    assert sealed_call.case.number not in listing


def test_the_case_team_sees_the_content(login, cast, sealed_call):
    from ctxh.cases.services import case_assign

    case_assign(actor=cast.director, case=sealed_call.case, worker=cast.caseworker)
    html = login(cast.caseworker).get(reverse("hotline:detail", args=[sealed_call.pk])).content.decode()
    assert "Chị bị chồng đánh" in html


def test_person_search_in_a_call_hides_people_of_sealed_cases(login, cast, sealed_call):
    html = login(cast.caseworker).get(reverse("hotline:person-search"), {"q": "lo mai"}).content.decode()
    assert "Lò Thị Mai" not in html
    html = login(cast.counsellor).get(reverse("hotline:person-search"), {"q": "lo mai"}).content.decode()
    assert "Lò Thị Mai" in html
