"""Two people editing the same case: the second save is refused with what changed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ctxh.cases import services, workflow
from ctxh.cases.models import CaseEvent
from ctxh.core.exceptions import ConflictError


def test_it_saves_and_bumps_the_version(cast, assigned_case):
    case = assigned_case()
    updated = services.case_update(actor=cast.caseworker, case=case, data={"risk_level": "medium"},
                                   expected_version=case.version)
    assert updated.version == case.version + 1 and updated.risk_level == "medium"
    assert CaseEvent.objects.filter(case=case, kind="updated", data__fields=["risk_level"]).exists()


def test_the_second_save_is_refused_with_what_changed(cast, assigned_case):
    case = assigned_case()
    opened_at = case.version
    services.case_update(actor=cast.director, case=case, data={"summary": "Bé bị đánh, đã báo công an xã"},
                         expected_version=opened_at)
    with pytest.raises(ConflictError) as exc:
        services.case_update(actor=cast.caseworker, case=case, data={"risk_level": "high"},
                             expected_version=opened_at)
    label, old, new = exc.value.changes[0]
    assert "Tóm tắt" in label and "Director" in label
    assert old == "Hàng xóm báo trẻ bị đánh nhiều lần." and new == "Bé bị đánh, đã báo công an xã"
    case.refresh_from_db()
    assert case.risk_level == ""


def test_a_move_made_meanwhile_also_refuses_a_stale_save(cast, assigned_case):
    case = assigned_case()
    opened_at = case.version
    workflow.transition(case, "start_initial_assessment", cast.caseworker, expected_version=opened_at)
    with pytest.raises(ConflictError) as exc:
        services.case_update(actor=cast.director, case=case, data={"risk_level": "low"}, expected_version=opened_at)
    assert any("Bước hiện tại" in label and new == "initial_assessment" for label, _o, new in exc.value.changes)
    with pytest.raises(ConflictError):
        workflow.transition(case, "start_detailed_assessment", cast.caseworker, expected_version=opened_at)


def test_only_the_team_or_a_director_edits(cast, assigned_case, caseworker2):
    case = assigned_case()
    with pytest.raises(PermissionDenied):
        services.case_update(actor=cast.collaborator, case=case, data={"risk_level": "low"},
                             expected_version=case.version)
    for user in (caseworker2, cast.collaborator2, cast.statistician, cast.outsider):
        with pytest.raises(Http404):
            services.case_update(actor=user, case=case, data={"risk_level": "low"}, expected_version=case.version)


def test_it_refuses_unknown_fields_and_an_empty_summary(cast, assigned_case):
    case = assigned_case()
    with pytest.raises(ValidationError):
        services.case_update(actor=cast.caseworker, case=case, data={"sealed": False}, expected_version=case.version)
    with pytest.raises(ValidationError) as exc:
        services.case_update(actor=cast.caseworker, case=case, data={"summary": "  "}, expected_version=case.version)
    assert "summary" in exc.value.message_dict
