"""Support plans: drafted, submitted, approved by a director only; a change after approval is a new version."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ctxh.accounts.models import Notification
from ctxh.cases import services, workflow
from ctxh.cases.models import Plan
from ctxh.core.exceptions import ConflictError
from tests.cases.conftest import plan_items, put_at


@pytest.fixture
def at_plan(cast, assigned_case):
    return put_at(assigned_case(), "plan")


def _submitted(case, cast, goals="Trẻ an toàn tại nhà"):
    plan = services.plan_save(actor=cast.caseworker, case=case, goals=goals, items=plan_items(cast.caseworker))
    return services.plan_submit(actor=cast.caseworker, plan=plan)


def test_it_drafts_and_resaves_the_same_draft(cast, at_plan, need):
    plan = services.plan_save(actor=cast.caseworker, case=at_plan, goals="An toàn", items=[
        {"domain": need("psychological"), "action": "Tham vấn tâm lý", "responsible": cast.caseworker},
        {"domain": need("education"), "action": "Hỗ trợ học phí", "provider": "Hội Khuyến học xã"},
    ])
    assert plan.number == 1 and plan.status == "draft" and plan.items.count() == 2
    again = services.plan_save(actor=cast.caseworker, case=at_plan, goals="An toàn, đi học lại",
                               items=plan_items(provider="Trường tiểu học"), expected_revision=plan.revision)
    assert again.pk == plan.pk and again.items.count() == 1 and again.revision == 2


def test_a_stale_draft_save_is_refused(cast, at_plan):
    plan = services.plan_save(actor=cast.caseworker, case=at_plan, goals="An toàn", items=plan_items(cast.caseworker))
    services.plan_save(actor=cast.director, case=at_plan, goals="Sửa bởi lãnh đạo", items=plan_items(cast.caseworker),
                       expected_revision=1)
    with pytest.raises(ConflictError) as exc:
        services.plan_save(actor=cast.caseworker, case=at_plan, goals="Sửa cũ", items=plan_items(cast.caseworker),
                           expected_revision=plan.revision)
    label, old, new = exc.value.changes[0]
    assert "Mục tiêu" in label and "Director" in label and (old, new) == ("An toàn", "Sửa bởi lãnh đạo")


def test_an_item_needs_an_action_and_someone_to_do_it(cast, at_plan):
    with pytest.raises(ValidationError) as exc:
        services.plan_save(actor=cast.caseworker, case=at_plan, goals="An toàn",
                           items=[{"action": "", "responsible": None, "provider": ""}])
    assert {"items-0-action", "items-0-responsible"} <= set(exc.value.message_dict)


def test_the_director_approves_and_the_case_moves_to_implementation(cast, at_plan):
    plan = _submitted(at_plan, cast)
    approved = services.plan_approve(actor=cast.director, plan=plan)
    at_plan.refresh_from_db()
    assert approved.status == "approved" and approved.approved_by == cast.director and approved.approved_at
    assert at_plan.status == "implementation"
    assert Notification.objects.filter(user=cast.caseworker, verb="case.approve_plan").exists()


def test_a_non_director_cannot_approve(cast, at_plan):
    plan = _submitted(at_plan, cast)
    for user in (cast.caseworker, cast.collaborator, cast.counsellor):
        with pytest.raises(PermissionDenied):
            services.plan_approve(actor=user, plan=plan)
    with pytest.raises(PermissionDenied):
        workflow.transition(at_plan, "approve_plan", cast.caseworker)
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_a_submitted_plan_cannot_be_edited_and_can_be_returned(cast, at_plan):
    plan = _submitted(at_plan, cast)
    with pytest.raises(ValidationError):
        services.plan_save(actor=cast.caseworker, case=at_plan, goals="x", items=plan_items(cast.caseworker))
    with pytest.raises(ValidationError):
        services.plan_return(actor=cast.director, plan=plan, reason=" ")
    returned = services.plan_return(actor=cast.director, plan=plan, reason="Thiếu hoạt động hỗ trợ học tập")
    assert returned.status == "draft" and returned.returned_reason


def test_a_change_after_approval_is_a_new_version_needing_approval(cast, at_plan):
    first = services.plan_approve(actor=cast.director, plan=_submitted(at_plan, cast))
    second = services.plan_save(actor=cast.caseworker, case=at_plan, goals="Thêm hỗ trợ sinh kế cho gia đình",
                                items=plan_items(provider="Hội Phụ nữ xã"))
    assert second.number == 2 and second.status == "draft"
    first.refresh_from_db()
    assert first.status == "approved"  # still in force until the new version is approved
    services.plan_submit(actor=cast.caseworker, plan=second)
    services.plan_approve(actor=cast.director, plan=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "superseded" and first.items.count() == 1  # kept, read-only
    assert second.status == "approved"
    at_plan.refresh_from_db()
    assert at_plan.status == "implementation"
    assert list(Plan.objects.filter(case=at_plan).order_by("number").values_list("status", flat=True)) == [
        "superseded", "approved"]


def test_item_progress_is_tracked_on_the_plan_in_force(cast, at_plan):
    plan = services.plan_approve(actor=cast.director, plan=_submitted(at_plan, cast))
    item = plan.items.get()
    done = services.plan_item_set_status(actor=cast.caseworker, item=item, status="done")
    assert done.status == "done" and done.done_at
    with pytest.raises(ValidationError):
        services.plan_item_set_status(actor=cast.caseworker, item=item, status="flying")


def test_no_plan_before_the_assessment_is_done(cast, assigned_case):
    case = assigned_case()
    with pytest.raises(ValidationError) as exc:
        services.plan_save(actor=cast.caseworker, case=case, goals="x", items=plan_items(cast.caseworker))
    assert "Tiếp nhận" in exc.value.messages[0]


def test_the_director_sees_what_awaits_approval(cast, at_plan, assigned_case, closure_reason):
    from ctxh.cases import selectors

    _submitted(at_plan, cast)
    closing = put_at(assigned_case(), "review")
    services.closure_request(actor=cast.caseworker, case=closing, reason=closure_reason(), outcome="Ổn định")
    put_at(assigned_case(), "plan")  # a draft-less plan step waits for nobody
    assert set(selectors.awaiting_approval(user=cast.director)) == {at_plan, closing}
    assert not selectors.awaiting_approval(user=cast.caseworker).exists()


def test_notifications_are_marked_read_by_their_owner_only(cast, at_plan):
    from ctxh.cases import selectors

    _submitted(at_plan, cast)
    unread = selectors.notification_list(user=cast.director, unread_only=True)
    assert unread.count() == 2  # the new case, then the plan to approve
    assert services.notification_mark_read(actor=cast.caseworker, ids=[n.pk for n in unread]) == 0
    assert services.notification_mark_read(actor=cast.director) == 2
    assert not selectors.notification_list(user=cast.director, unread_only=True).exists()
