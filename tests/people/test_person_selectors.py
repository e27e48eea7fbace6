"""Scoped reads and folded search."""

import datetime as dt

from ctxh.audit.models import AccessEntry
from ctxh.people.selectors import PersonFilters, person_list, person_open
from tests.factories import PersonFactory


def test_it_finds_words_in_any_order_with_or_without_marks(cast, han, geo):
    PersonFactory(full_name="Đặng Văn Hàn", commune=geo["c1"])
    PersonFactory(full_name="Nguyễn Thị Hạnh", commune=geo["c1"])
    for q in ("dang han", "han dang", "Đặng Thị Ngọc Hân", "DANG ngoc"):
        names = [p.full_name for p in person_list(user=cast.collaborator, filters=PersonFilters(q=q))]
        assert "Đặng Thị Ngọc Hân" in names, q
    names = [p.full_name for p in person_list(user=cast.collaborator, filters=PersonFilters(q="han"))]
    assert "Nguyễn Thị Hạnh" in names  # a prefix of a word
    assert [p.full_name for p in person_list(user=cast.collaborator, filters=PersonFilters(q="dao"))] == []


def test_it_finds_by_cccd_and_phone(cast, han):
    assert list(person_list(user=cast.collaborator, filters=PersonFilters(q="022188001234"))) == [han]
    assert list(person_list(user=cast.collaborator, filters=PersonFilters(q="0912 345 678"))) == [han]


def test_it_scopes_to_the_communes_a_user_covers(cast, han, geo):
    other = PersonFactory(full_name="Trần Văn Bảy", commune=geo["c2"])
    far = PersonFactory(full_name="Lý Thị Tám", commune=geo["far"])
    assert list(person_list(user=cast.collaborator)) == [han]
    assert list(person_list(user=cast.collaborator2)) == [other]
    assert set(person_list(user=cast.director)) == {han, other}
    assert list(person_list(user=cast.far_worker)) == [far]
    assert list(person_list(user=cast.statistician)) == []
    assert list(person_list(user=cast.outsider)) == []


def test_it_sorts_by_given_name(cast, geo):
    for name in ("Nguyễn Văn Cường", "Trần Thị An", "Lê Thị Bình"):
        PersonFactory(full_name=name, commune=geo["c1"], birth_date=dt.date(1990, 1, 1))
    assert [p.full_name for p in person_list(user=cast.collaborator)] == [
        "Trần Thị An", "Lê Thị Bình", "Nguyễn Văn Cường"]


def test_it_logs_every_opening(cast, han):
    person_open(user=cast.collaborator, pk=han.pk)
    entry = AccessEntry.objects.get()
    assert entry.actor == cast.collaborator and entry.person_id == han.pk


def test_the_person_of_a_sealed_case_is_hidden_outside_its_team(cast, han, geo):
    import datetime as dt

    from django.utils import timezone

    from ctxh.cases.models import CaseType
    from ctxh.cases.services import case_open

    case_open(actor=cast.caseworker, case_type=CaseType.objects.get(code="gbv"), person=han,
              summary="Bạo lực gia đình", source="walk_in", reported_at=timezone.now() - dt.timedelta(hours=1))
    assert list(person_list(user=cast.caseworker, filters=PersonFilters(q="dang han"))) == [han]  # on the team
    assert list(person_list(user=cast.director, filters=PersonFilters(q="dang han"))) == [han]
    assert list(person_list(user=cast.collaborator, filters=PersonFilters(q="dang han"))) == []
    assert list(person_list(user=cast.counsellor, filters=PersonFilters(q="dang han"))) == []
