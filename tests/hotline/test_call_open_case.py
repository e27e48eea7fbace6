"""Opening a case from a call in one step, and linking a call to a case already open."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ctxh.audit.models import AuditEntry
from ctxh.cases.selectors import case_get
from ctxh.hotline import services


@pytest.fixture
def abuse_call(make_call, people):
    return make_call(end=False, subjects=[(people["child"], "subject"), (people["mother"], "family")],
                     topic_codes=("child_physical",), summary="Mẹ báo con gái bị cha dượng đánh nhiều lần.",
                     outcome="escalated", urgency="emergency")


def test_the_person_and_the_summary_carry_over_to_the_new_case(cast, abuse_call, people, case_types):
    case = services.call_open_case(actor=cast.counsellor, call=abuse_call, case_type=case_types["child_protection"],
                                   person=people["child"], serious_risk=True)
    assert case.person == people["child"]
    assert case.summary == "Mẹ báo con gái bị cha dượng đánh nhiều lần."
    assert case.source == "call" and case.serious_risk
    assert case.reported_at == abuse_call.started_at  # the 12-hour clock runs from the call
    abuse_call.refresh_from_db()
    assert abuse_call.case == case and abuse_call.outcome == "case_opened"
    entry = AuditEntry.objects.get(action="call.case_opened", object_id=str(abuse_call.pk))
    assert entry.changes["case"] == [None, case.pk] and entry.person_id == people["child"].pk
    # The counsellor who took the call can follow the case (team member), the director too.
    assert case_get(user=cast.counsellor, pk=case.pk) == case
    assert case_get(user=cast.director, pk=case.pk) == case


def test_a_case_opens_only_for_someone_the_call_is_about(cast, abuse_call, people, case_types):
    with pytest.raises(ValidationError) as exc:
        services.call_open_case(actor=cast.counsellor, call=abuse_call, case_type=case_types["child_protection"],
                                person=people["man"])
    assert "person" in exc.value.message_dict


def test_a_case_needs_the_calls_summary(cast, make_call, people, case_types):
    call = make_call(end=False, summary="", outcome="")
    with pytest.raises(ValidationError) as exc:
        services.call_open_case(actor=cast.counsellor, call=call, case_type=case_types["child_protection"],
                                person=people["mother"])
    assert "summary" in exc.value.message_dict


def test_a_call_opens_one_case_only(cast, abuse_call, people, case_types):
    services.call_open_case(actor=cast.counsellor, call=abuse_call, case_type=case_types["child_protection"],
                            person=people["child"])
    with pytest.raises(ValidationError) as exc:
        services.call_open_case(actor=cast.counsellor, call=abuse_call, case_type=case_types["child_protection"],
                                person=people["child"])
    assert "case" in exc.value.message_dict


def test_another_counsellor_cannot_open_a_case_from_a_call_in_progress(cast, abuse_call, people, case_types):
    with pytest.raises(PermissionDenied):
        services.call_open_case(actor=cast.caseworker, call=abuse_call, case_type=case_types["child_protection"],
                                person=people["child"])


def test_a_call_links_to_a_case_already_open(cast, make_call, people, case_types):
    from ctxh.cases.services import case_open

    case = case_open(actor=cast.director, case_type=case_types["child_protection"], person=people["child"],
                     summary="Hồ sơ cũ", source="walk_in", reported_at=make_call().started_at)
    call = make_call(subjects=[(people["child"], "subject")], end=False)
    linked = services.call_link_case(actor=cast.counsellor, call=call, case=case)
    assert linked.case == case and linked.outcome == "case_linked"
    assert AuditEntry.objects.filter(action="call.case_linked", object_id=str(call.pk)).exists()
    # The outcome stays what the link made it.
    with pytest.raises(ValidationError):
        services.call_save(actor=cast.counsellor, call=linked, expected_version=linked.version,
                           data={"outcome": "advice"})


def test_a_case_the_counsellor_may_not_see_cannot_be_linked(cast, make_call, people, case_types):
    from django.http import Http404

    from ctxh.cases.services import case_open

    case = case_open(actor=cast.director, case_type=case_types["gbv"], person=people["mother"],
                     summary="Bạo lực gia đình", source="walk_in", reported_at=make_call().started_at)
    call = make_call(end=False, subjects=[(people["child"], "subject")])
    with pytest.raises(Http404):
        services.call_link_case(actor=cast.counsellor, call=call, case=case)
