"""Recording a poverty survey and applying its result (ctxh.people.poverty_services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.core.exceptions import ConflictError
from ctxh.people.models import HouseholdPoverty, PovertyStandard
from ctxh.people.poverty_services import poverty_survey_apply, poverty_survey_record
from tests.factories import HouseholdFactory
from tests.people import poverty_support as support
from tests.people.poverty_support import survey_kwargs

# Shared fixtures (tests/people/poverty_support.py).
household = support.household
rural = support.rural
special_zone = support.special_zone


def test_it_stores_the_survey_with_its_result_and_reasons(cast, household):
    survey = poverty_survey_record(actor=cast.collaborator, household=household, **survey_kwargs())
    assert survey.income_per_person == 1_500_000  # 6,000,000 for 4 people
    assert survey.area == "urban"  # c1 is a phường
    assert survey.result == "poor"
    assert survey.standard.code == "ND07-2021"
    assert survey.surveyed_by == cast.collaborator
    assert sorted(survey.deprivations.values_list("code", flat=True)) == ["health_insurance", "housing_quality", "latrine"]
    assert survey.reasons[-1] == "Kết luận: Hộ nghèo."
    entry = AuditEntry.objects.get(action="poverty.survey_recorded")
    assert entry.changes["result"] == "poor" and entry.changes["income_per_person"] == 1_500_000
    assert not HouseholdPoverty.objects.filter(household=household).exists()  # not confirmed


def test_confirming_writes_the_years_classification_with_audit(cast, household):
    HouseholdPoverty.objects.create(household=household, year=2026, status="near_poor",
                                    standard=PovertyStandard.objects.get(code="ND07-2021"), decision="QĐ 10/2025")
    survey = poverty_survey_record(actor=cast.collaborator, household=household, apply=True,
                                   decision="QĐ 45/QĐ-UBND", **survey_kwargs())
    row = HouseholdPoverty.objects.get(household=household, year=2026)
    assert (row.status, row.standard.code, row.decision) == ("poor", "ND07-2021", "QĐ 45/QĐ-UBND")
    survey.refresh_from_db()
    assert survey.applied_at is not None and survey.version == 2
    entry = AuditEntry.objects.get(action="household.poverty_set")
    assert entry.changes["before"]["status"] == "near_poor" and entry.changes["survey"] == survey.pk


def test_a_survey_late_in_2026_for_the_2027_list_uses_decree_351(cast, household):
    # 10,000,000 đ for 4 people = 2,500,000 đ: above the 2026 urban line, under the 2027 one.
    survey = poverty_survey_record(actor=cast.collaborator, household=household, apply=True,
                                   **survey_kwargs(year=2027, income_total=10_000_000))
    assert survey.standard.code == "ND351-2025" and survey.result == "poor"
    assert HouseholdPoverty.objects.get(household=household, year=2027).standard.code == "ND351-2025"
    same_year = poverty_survey_record(actor=cast.collaborator, household=household,
                                      **survey_kwargs(income_total=10_000_000))
    assert same_year.result == "none"


def test_a_rural_commune_uses_the_rural_line(cast, rural):
    home = HouseholdFactory(commune=rural)
    survey = poverty_survey_record(actor=cast.director, household=home,
                                   **survey_kwargs(income_total=None, income_per_person=1_500_001))
    assert (survey.area, survey.result) == ("rural", "none")


def test_a_special_zone_counts_as_rural_unless_the_surveyor_says_why(cast, special_zone):
    home = HouseholdFactory(commune=special_zone)
    kwargs = survey_kwargs(income_total=None, income_per_person=1_800_000)
    assert poverty_survey_record(actor=cast.director, household=home, **kwargs).result == "none"
    with pytest.raises(ValidationError) as exc:
        poverty_survey_record(actor=cast.director, household=home, area="urban", **kwargs)
    assert "Cần ghi lý do khi chọn khu vực khác" in exc.value.message_dict["area_reason"][0]
    survey = poverty_survey_record(actor=cast.director, household=home, area="urban",
                                   area_reason="Hộ ở thị trấn cũ Cái Rồng", **kwargs)
    assert (survey.area, survey.area_reason, survey.result) == ("urban", "Hộ ở thị trấn cũ Cái Rồng", "poor")


@pytest.mark.parametrize("overrides,field,message", [
    ({"income_total": None}, "income_total", "Cần nhập tổng thu nhập của hộ hoặc thu nhập bình quân đầu người."),
    ({"income_per_person": 1}, "income_per_person", "Chỉ nhập một trong hai"),
    ({"members_count": 0}, "members_count", "Số nhân khẩu phải từ 1 trở lên."),
    ({"year": 2025}, "year", "Năm áp dụng phải là năm rà soát (2026) hoặc năm sau đó (2027)."),
    ({"deprived": ["unknown"]}, "deprived", "không có trong danh mục"),
])
def test_it_refuses_bad_figures_in_vietnamese(cast, household, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        poverty_survey_record(actor=cast.collaborator, household=household, **survey_kwargs(**overrides))
    assert message in " ".join(exc.value.message_dict[field])


def test_it_refuses_a_survey_dated_after_today(cast, household):
    with pytest.raises(ValidationError) as exc:
        poverty_survey_record(actor=cast.collaborator, household=household,
                              **survey_kwargs(surveyed_on=timezone.localdate() + dt.timedelta(days=1)))
    assert exc.value.message_dict["surveyed_on"] == ["Ngày rà soát không được sau hôm nay."]


def test_only_poverty_managers_of_the_households_area_may_record(cast, household):
    with pytest.raises(PermissionDenied):
        poverty_survey_record(actor=cast.caseworker, household=household, **survey_kwargs())
    with pytest.raises(Http404):
        poverty_survey_record(actor=cast.collaborator2, household=household, **survey_kwargs())


def test_applying_later_checks_the_version_read(cast, household):
    survey = poverty_survey_record(actor=cast.collaborator, household=household, **survey_kwargs())
    row = poverty_survey_apply(actor=cast.director, survey=survey, expected_version=1)
    assert row.status == "poor"
    with pytest.raises(ConflictError):
        poverty_survey_apply(actor=cast.director, survey=survey, expected_version=1)
    with pytest.raises(Http404):
        poverty_survey_apply(actor=cast.collaborator2, survey=survey, expected_version=2)
