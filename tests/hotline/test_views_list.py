"""The call list: filters, sorting, pagination, the htmx table, a bounded number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.cases.conftest import local


@pytest.fixture
def calls(cast, make_call, people):
    """Five calls over three days by two people, with different topics, outcomes and urgency."""
    return {
        "allowance": make_call(started_at=local(2026, 3, 2, 9, 0), topic_codes=("policy_allowance",),
                               summary="Trợ cấp", urgency="low"),
        "abuse": make_call(started_at=local(2026, 3, 3, 21, 0), topic_codes=("child_sexual",),
                           subjects=[(people["child"], "subject")], summary="Xâm hại", outcome="escalated",
                           urgency="emergency"),
        "crisis": make_call(started_at=local(2026, 3, 3, 23, 30), topic_codes=("crisis_suicide",),
                            summary="Khủng hoảng", urgency="high"),
        "legal": make_call(counsellor=cast.caseworker, started_at=local(2026, 3, 4, 0, 30), topic_codes=("legal_aid",),
                           summary="Pháp lý", outcome="referred", referred_to="Trung tâm trợ giúp pháp lý"),
        "jobs": make_call(counsellor=cast.director, started_at=local(2026, 3, 5, 8, 0), topic_codes=("livelihood_jobs",),
                          summary="Việc làm"),
    }


def _ids(response):
    return [c.pk for c in response.context["page"].object_list]


def test_it_lists_newest_first(login, cast, calls):
    response = login(cast.counsellor).get(reverse("hotline:list"))
    assert response.status_code == 200
    assert _ids(response) == [calls[k].pk for k in ("jobs", "legal", "crisis", "abuse", "allowance")]


@pytest.mark.parametrize("params,expected", [
    ({"date_from": "03/03/2026", "date_to": "03/03/2026"}, ["crisis", "abuse"]),  # local days, not UTC
    ({"date_from": "04/03/2026"}, ["jobs", "legal"]),
    ({"topic": "child_abuse"}, ["abuse"]),  # a parent topic finds its sub-topics
    ({"topic": "crisis_suicide"}, ["crisis"]),
    ({"outcome": "referred"}, ["legal"]),
    ({"urgency": "emergency"}, ["abuse"]),
    ({"sort": "-urgency"}, ["abuse", "crisis", "jobs", "legal", "allowance"]),
    ({"sort": "started"}, ["allowance", "abuse", "crisis", "legal", "jobs"]),
])
def test_it_filters_and_sorts(login, cast, calls, params, expected):
    response = login(cast.counsellor).get(reverse("hotline:list"), params)
    assert _ids(response) == [calls[k].pk for k in expected]


def test_it_filters_by_counsellor(login, cast, calls):
    response = login(cast.director).get(reverse("hotline:list"), {"counsellor": cast.caseworker.pk})
    assert _ids(response) == [calls["legal"].pk]


def test_htmx_gets_only_the_table(login, cast, calls):
    response = login(cast.counsellor).get(reverse("hotline:list"), {"urgency": "high"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<table" in html and "<html" not in html and "Khủng hoảng" not in html  # no summaries in the list
    assert "Lò Thị Mai" in html


def test_it_pages_25_calls_at_a_time(login, cast, make_call):
    for i in range(27):
        make_call(started_at=local(2026, 1, 1, 8, 0) + dt.timedelta(hours=i))
    client = login(cast.counsellor)
    assert len(_ids(client.get(reverse("hotline:list")))) == 25
    assert len(_ids(client.get(reverse("hotline:list"), {"page": 2}))) == 2


def test_the_list_costs_the_same_few_queries_however_many_calls(login, cast, make_call, people,
                                                                 django_assert_max_num_queries):
    for i in range(12):
        make_call(started_at=local(2026, 2, 1, 8, 0) + dt.timedelta(hours=i),
                  subjects=[(people["child"], "subject"), (people["mother"], "family")],
                  topic_codes=("child_physical", "crisis"))
    client = login(cast.counsellor)
    client.get(reverse("hotline:list"))  # warm the session
    # session, user, memberships (2), topic list, counsellors, count, calls, topics, people, open call, save
    with django_assert_max_num_queries(15):
        response = client.get(reverse("hotline:list"))
    assert response.status_code == 200 and len(_ids(response)) == 12


def test_the_follow_up_queue_page_shows_overdue_first(login, cast, make_call):
    from django.utils import timezone

    from ctxh.hotline import services
    from ctxh.hotline.models import Call

    later, overdue = make_call(summary="a"), make_call(summary="b")
    for call in (later, overdue):
        services.call_schedule_follow_up(actor=cast.counsellor, call=call,
                                         follow_up_at=timezone.now() + dt.timedelta(hours=2))
    Call.objects.filter(pk=overdue.pk).update(follow_up_at=timezone.now() - dt.timedelta(hours=1))
    response = login(cast.counsellor).get(reverse("hotline:follow-ups"))
    assert [c.pk for c in response.context["calls"]] == [overdue.pk, later.pk]
    assert "quá hẹn" in response.content.decode()
