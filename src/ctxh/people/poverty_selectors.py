"""Reads of poverty surveys, scoped like the household they belong to."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ctxh.accounts import access
from ctxh.audit.services import access_record
from ctxh.core.models import Term
from ctxh.people.models import Household, HouseholdPoverty, PovertySurvey
from ctxh.people.selectors import household_get


def poverty_surveys(*, user: Any, household: Household) -> QuerySet[PovertySurvey]:
    """A household's surveys, newest first; 403 without ``person.view``, 404 outside the user's area."""
    access.require(user, "person.view")
    household_get(user=user, pk=household.pk)
    return (
        PovertySurvey.objects.filter(household_id=household.pk)
        .select_related("standard", "surveyed_by")
        .prefetch_related(Prefetch("deprivations", queryset=Term.objects.select_related("parent")))
        .order_by("-surveyed_on", "-id")
    )


def poverty_surveys_open(*, user: Any, household: Household) -> QuerySet[PovertySurvey]:
    """The surveys for reading: incomes are financial data, so the read is logged."""
    surveys = poverty_surveys(user=user, household=household)
    access_record(actor=user, obj=household, purpose="poverty_surveys")
    return surveys


def poverty_survey_get(*, user: Any, pk: int) -> PovertySurvey:
    """One survey whose household the user may see, or 404."""
    access.require(user, "person.view")
    survey = PovertySurvey.objects.select_related("household", "standard").filter(pk=pk).first()
    if survey is None:
        raise Http404
    household_get(user=user, pk=survey.household_id)
    return survey


def household_poverty_of_year(*, household: Household, year: int) -> HouseholdPoverty | None:
    """The classification already recorded for that year (the household is already checked)."""
    return HouseholdPoverty.objects.select_related("standard").filter(household=household, year=year).first()
