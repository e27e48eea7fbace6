"""The director's view: open cases per worker with overdue counts, counted in SQL."""

import datetime as dt

from django.utils import timezone

from ctxh.cases import selectors


def test_it_counts_open_and_overdue_cases_per_worker(cast, assigned_case, open_case, caseworker2):
    now = timezone.now()
    assigned_case(serious_risk=True, reported_at=now - dt.timedelta(hours=13))
    assigned_case(serious_risk=True, reported_at=now - dt.timedelta(hours=2))
    assigned_case()
    open_case(serious_risk=True, reported_at=now - dt.timedelta(hours=20))
    rows = {r.user_id: r for r in selectors.director_workload(cast.director)}
    mine = rows[cast.caseworker.pk]
    assert (mine.open_cases, mine.overdue_cases, mine.due_soon_cases) == (3, 1, 1)
    assert (rows[None].open_cases, rows[None].overdue_cases) == (1, 1)
    assert rows[caseworker2.pk].open_cases == 0  # a worker of the Centre with nothing yet


def test_it_is_for_directors_only(cast, assigned_case):
    assigned_case()
    for user in (cast.caseworker, cast.collaborator, cast.statistician, cast.outsider):
        assert selectors.director_workload(user) == []


def test_the_query_count_does_not_grow_with_the_cases(cast, assigned_case, django_assert_max_num_queries):
    for _ in range(3):
        assigned_case(serious_risk=True, reported_at=timezone.now() - dt.timedelta(hours=13))
    director = type(cast.director).objects.get(pk=cast.director.pk)
    with django_assert_max_num_queries(4):
        few = selectors.director_workload(director)
    for _ in range(12):
        assigned_case(serious_risk=True)
    director = type(cast.director).objects.get(pk=cast.director.pk)
    with django_assert_max_num_queries(4):
        many = selectors.director_workload(director)
    assert many[0].open_cases == few[0].open_cases + 12


def test_case_lists_take_a_fixed_number_of_queries(cast, assigned_case, django_assert_max_num_queries):
    for _ in range(10):
        assigned_case(serious_risk=True)
    worker = type(cast.caseworker).objects.get(pk=cast.caseworker.pk)
    with django_assert_max_num_queries(3):
        rows = list(selectors.my_cases(worker))
        assert [(r.person.full_name, r.case_type.code, r.step_name, r.is_overdue) for r in rows]
    director = type(cast.director).objects.get(pk=cast.director.pk)
    with django_assert_max_num_queries(3):
        deadlines = list(selectors.due_soon_deadlines(user=director))
        assert [(d.case.number, d.case.person.full_name, d.step.name) for d in deadlines]
