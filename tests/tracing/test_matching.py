"""Scores of candidates: names with and without marks, a dropped middle name, regional family
names, birth years, sex, place; reciprocal requests; every point explained."""

from __future__ import annotations

import datetime as dt

import pytest

from ctxh.cases.models import Case, CaseType
from ctxh.core.models import Rule
from ctxh.tracing.matching import load_scoring, match_request, score_person
from ctxh.tracing.models import TracingMatch
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _score(make_request, person, **request):
    req = make_request(**request)
    scored = score_person(req, person, load_scoring())
    return scored.score, [(line.code, line.points) for line in scored.lines]


def _codes(lines):
    return [code for code, _points in lines]


def test_it_scores_a_name_with_and_without_marks_the_same(make_request, geo):
    marked = PersonFactory(full_name="Đặng Văn An", sex="male", commune=geo["c1"], birth_date=dt.date(1985, 1, 1))
    plain = PersonFactory(full_name="Dang Van An", sex="male", commune=geo["c1"], birth_date=dt.date(1985, 1, 1))
    request = {"sought_name": "Đặng Văn An", "birth_year_from": 1985, "birth_year_to": 1985}
    assert _score(make_request, marked, **request) == _score(make_request, plain, **request)
    score, lines = _score(make_request, plain, **request)
    assert ("name_exact", 55) in lines and score >= load_scoring().threshold


def test_a_request_typed_without_marks_finds_the_marked_name(make_request, an):
    score_plain, _ = _score(make_request, an, sought_name="nguyen van an", birth_year_from=1985, birth_year_to=1985)
    score_marked, _ = _score(make_request, an, sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    assert score_plain == score_marked


def test_a_dropped_middle_name_still_scores_high_and_says_why(make_request, an):
    req = make_request(sought_name="Nguyễn An", birth_year_from=1985, birth_year_to=1985)
    scored = score_person(req, an, load_scoring())
    codes = [line.code for line in scored.lines]
    assert codes[:3] == ["given", "family", "middle_dropped"]
    assert scored.score >= 60  # 25 + 15 + 10 for the name, 20 for the year, 5 for the sex
    labels = [item["label"] for item in scored.explanation()]
    assert "Một bên bỏ bớt tên đệm (như Nguyễn Văn An và Nguyễn An)" in labels
    full = score_person(make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985),
                        an, load_scoring())
    assert full.score - scored.score == 5  # only the difference between a shared and a dropped middle name


def test_huynh_and_hoang_are_one_family_name(make_request, geo):
    hoang = PersonFactory(full_name="Hoàng Văn Nam", sex="male", commune=geo["c1"], birth_date=dt.date(1970, 1, 1))
    req = make_request(sought_name="Huỳnh Văn Nam", birth_year_from=1970, birth_year_to=1970)
    scored = score_person(req, hoang, load_scoring())
    line = next(i for i in scored.explanation() if i["code"] == "family_variant")
    assert line["label"] == "Họ Huynh và Hoang là cách viết khác nhau theo vùng miền" and line["points"] == 12
    assert scored.score >= load_scoring().threshold


def test_vo_and_vu_are_one_family_name(make_request, geo):
    vu = PersonFactory(full_name="Vũ Thị Lan", sex="female", commune=geo["c1"], birth_date=dt.date(1990, 1, 1))
    _score_, lines = _score(make_request, vu, sought_name="Võ Thị Lan", sought_sex="female",
                            birth_year_from=1990, birth_year_to=1990)
    assert "family_variant" in _codes(lines)


def test_the_family_name_variants_are_data(make_request, geo):
    hoang = PersonFactory(full_name="Hoàng Văn Nam", sex="male", commune=geo["c1"], birth_date=dt.date(1970, 1, 1))
    request = {"sought_name": "Huỳnh Văn Nam", "birth_year_from": 1970, "birth_year_to": 1970}
    before, _ = _score(make_request, hoang, **request)
    Rule.objects.create(key="tracing.family_name_variants", valid_from=dt.date(2024, 1, 1),
                        value={"groups": [["vu", "vo"]]}, source="Thử nghiệm")
    after, lines = _score(make_request, hoang, **request)
    assert ("family_differs", -10) in lines and after == before - 12 - 10


def test_unrelated_names_score_low_even_at_the_same_place_and_year(make_request, geo):
    other = PersonFactory(full_name="Trần Thị Bình", sex="male", commune=geo["c1"], birth_date=dt.date(1985, 1, 1))
    score, lines = _score(make_request, other, sought_name="Nguyễn Văn An", birth_year_from=1985,
                          birth_year_to=1985, last_commune=geo["c1"])
    assert ("given_differs", 0) in lines
    assert score < load_scoring().threshold


def test_the_same_given_name_with_another_family_and_middle_name_stays_below_the_threshold(make_request, geo):
    other = PersonFactory(full_name="Trần Đức An", sex="male", commune=geo["c2"], birth_date=dt.date(1960, 1, 1))
    score, lines = _score(make_request, other, sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    assert {"given", "family_differs", "middle_differs", "birth_far"} <= set(_codes(lines))
    assert score < load_scoring().threshold


@pytest.mark.parametrize("year,code,points", [
    (1985, "birth_exact", 20), (1986, "birth_1", 12), (1983, "birth_2", 6), (1980, "birth_far", -15),
])
def test_birth_year_distance(make_request, an, year, code, points):
    _s, lines = _score(make_request, an, sought_name="Nguyễn Văn An", birth_year_from=year, birth_year_to=year)
    assert (code, points) in lines


def test_the_score_falls_with_the_birth_year_distance(make_request, an):
    scores = [_score(make_request, an, sought_name="Nguyễn Văn An", birth_year_from=y, birth_year_to=y)[0]
              for y in (1985, 1986, 1987, 1990)]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4


def test_a_birth_range_counts_as_near(make_request, an):
    _s, lines = _score(make_request, an, sought_name="Nguyễn Văn An", birth_year_from=1983, birth_year_to=1988)
    assert ("birth_in_range", 12) in lines


def test_an_unknown_birth_year_is_said_not_guessed(make_request, an):
    _s, lines = _score(make_request, an, sought_name="Nguyễn Văn An", birth_year_from=None, birth_year_to=None)
    assert ("birth_unknown", 0) in lines


def test_sex_agrees_or_conflicts(make_request, an):
    same, lines = _score(make_request, an, sought_name="Nguyễn Văn An", sought_sex="male")
    assert ("sex_agree", 5) in lines
    other, lines = _score(make_request, an, sought_name="Nguyễn Văn An", sought_sex="female")
    assert ("sex_conflict", -30) in lines and other == same - 35


def test_place_same_commune_beats_same_province(make_request, an, geo):
    commune, lines_c = _score(make_request, an, sought_name="Nguyễn Văn An", last_commune=geo["c1"])
    province, lines_p = _score(make_request, an, sought_name="Nguyễn Văn An", last_province=geo["province"])
    assert ("same_commune", 20) in lines_c and ("same_province", 10) in lines_p and commune > province


def test_a_legacy_district_in_the_place_text_counts(make_request, geo):
    person = PersonFactory(full_name="Lê Văn Tám", sex="male", commune=geo["c1"], birth_date=dt.date(1980, 1, 1),
                           legacy_district="Huyện Hoành Bồ")
    _s, lines = _score(make_request, person, sought_name="Lê Văn Tám", last_place_text="xóm chài, hoanh bo cu")
    assert "legacy_district" in _codes(lines)


def test_an_alias_is_compared_too(make_request, geo):
    person = PersonFactory(full_name="Nguyễn Thị Bống", sex="female", commune=geo["c1"], birth_date=dt.date(2000, 1, 1))
    req = make_request(sought_name="Nguyễn Thị Hằng", sought_aliases="Nguyễn Thị Bống", sought_sex="female",
                       birth_year_from=2000, birth_year_to=2000)
    items = score_person(req, person, load_scoring()).explanation()
    assert items[0]["code"] == "via_alias" and "Nguyễn Thị Bống" in items[0]["label"]
    assert items[1]["code"] == "name_exact"


def test_the_weights_are_data(make_request, an):
    before, _ = _score(make_request, an, sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    weights = dict(Rule.objects.get(key="tracing.weights").value, birth_exact=0)
    Rule.objects.create(key="tracing.weights", valid_from=dt.date(2024, 1, 1), value=weights, source="Thử nghiệm")
    after, _ = _score(make_request, an, sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    assert after == before - 20


# Runs ---------------------------------------------------------------------------------------


def test_creating_a_request_finds_the_registry_person(make_request, an, geo):
    req = make_request(sought_name="Nguyen An", birth_year_from=1985, birth_year_to=1985, sought_sex="male",
                       last_province=geo["province"])
    match = TracingMatch.objects.get(request=req)
    assert match.person == an and match.kind == "registry" and match.status == "pending"
    assert match.score == sum(points for _label, points, _head in match.lines) == 25 + 15 + 10 + 20 + 5 + 10
    assert [i["points"] for i in match.explanation] == [25, 15, 10, 20, 5, 10]


def test_a_candidate_below_the_threshold_is_not_kept(make_request, geo):
    PersonFactory(full_name="Trần Thị An", sex="female", commune=geo["c1"], birth_date=dt.date(1950, 1, 1))
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985, sought_sex="male")
    assert not req.matches.exists()


def test_the_search_stays_in_the_last_known_province(make_request, an, geo):
    PersonFactory(full_name="Nguyễn Văn An", sex="male", commune=geo["far"], birth_date=dt.date(1985, 3, 2))
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985,
                       last_province=geo["province"])
    assert list(req.matches.values_list("person_id", flat=True)) == [an.pk]
    anywhere = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    assert anywhere.matches.filter(person__isnull=False).count() == 2


def test_people_of_sealed_cases_are_never_candidates(make_request, an, cast, geo):
    from django.utils import timezone

    Case.objects.create(number="HS-TEST-1", case_type=CaseType.objects.first(), status="intake", sealed=True,
                        person=an, province=geo["province"], commune=geo["c1"], summary="Niêm phong",
                        source="other", reported_at=timezone.now(), opened_by=cast.caseworker)
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    assert not req.matches.filter(person=an).exists()


def test_reciprocal_requests_find_each_other(make_request):
    mother = make_request(seeker_name="Nguyễn Thị Hoa", seeker_relationship="parent", sought_name="Phạm Minh Tuấn",
                          sought_sex="male", birth_year_from=1999, birth_year_to=1999)
    son = make_request(seeker_name="Pham Tuan", seeker_relationship="child", sought_name="Nguyen Thi Hoa",
                       sought_sex="female", birth_year_from=1972, birth_year_to=1976, seeker_phone="0387777888")
    forward = TracingMatch.objects.get(request=son, other_request=mother)
    back = TracingMatch.objects.get(request=mother, other_request=son)
    assert forward.kind == back.kind == "reciprocal"
    assert forward.score == back.score >= 90
    codes = [i["code"] for i in forward.explanation]
    assert codes[0] == "sought_is_their_seeker" and "seeker_is_their_sought" in codes
    assert "middle_dropped" in codes and "name_exact" in codes and codes[-1] == "relationship_reciprocal"
    assert forward.explanation[0]["label"] == f"Người được tìm so với người gửi yêu cầu {mother.receipt_number}:"


def test_two_requests_seeking_the_same_person_are_linked(make_request):
    first = make_request(seeker_name="Lê Văn Hùng", sought_name="Lê Thị Mai", sought_sex="female",
                         birth_year_from=1990, birth_year_to=1990, seeker_relationship="sibling")
    second = make_request(seeker_name="Trần Văn Sơn", seeker_phone="0977000111", sought_name="Le Thi Mai",
                          sought_sex="female", birth_year_from=1991, birth_year_to=1991, seeker_relationship="spouse")
    match = TracingMatch.objects.get(request=second, other_request=first)
    assert match.kind == "same_person"
    assert [i["code"] for i in match.explanation][:3] == ["same_person", "name_exact", "birth_1"]


def test_closed_requests_are_not_candidates(make_request, cast):
    from ctxh.tracing import services

    first = make_request(sought_name="Lê Thị Mai", birth_year_from=1990, birth_year_to=1990)
    services.tracing_request_close(actor=cast.caseworker, request=first, status="withdrawn", note="Đã tự tìm được",
                                   expected_version=first.version)
    second = make_request(sought_name="Lê Thị Mai", birth_year_from=1990, birth_year_to=1990)
    assert not second.matches.exists()


def test_a_rerun_drops_stale_pending_candidates_and_keeps_reviewed_ones(make_request, an, geo, cast):
    from ctxh.tracing import services

    twin = PersonFactory(full_name="Nguyễn Văn An", sex="male", commune=geo["c2"], birth_date=dt.date(1985, 3, 2))
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    rejected = req.matches.get(person=twin)
    services.tracing_match_reject(actor=cast.caseworker, match=rejected, expected_version=req.version)
    req.refresh_from_db()
    req = services.tracing_request_update(actor=cast.caseworker, request=req, expected_version=req.version,
                                          data={"sought_name": "Nguyễn Văn Bình"})
    assert list(req.matches.values_list("person_id", "status")) == [(twin.pk, "rejected")]


def test_a_run_on_a_missing_or_closed_request_does_nothing():
    assert match_request(999999).as_dict() == {"registry": 0, "requests": 0}
