"""A whole case through the pages: opened, assigned, assessed, planned, approved, reviewed, closed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ctxh.cases.forms import need_formset
from ctxh.cases.models import Assessment, Case, CaseEvent, Closure, Plan


def formset(prefix: str, rows: list[dict], initial: int = 0, total: int | None = None) -> dict[str, str]:
    data = {f"{prefix}-TOTAL_FORMS": str(total if total is not None else len(rows)),
            f"{prefix}-INITIAL_FORMS": str(initial), f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": "" if v is None else str(v) for k, v in row.items()})
    return data


def needs_data(filled: dict[str, tuple[str, int]]) -> dict[str, str]:
    """The needs formset as the page sends it: one row per domain, ``filled`` by domain code."""
    domains = [row["domain"] for row in need_formset().initial]
    rows = []
    for d in domains:
        text, priority = filled.get(d.code, ("", ""))
        rows.append({"domain": d.pk, "description": text, "priority": priority})
    return formset("needs", rows, initial=len(rows))


def move(client, case, code, reason=""):
    case.refresh_from_db()
    response = client.post(reverse("cases:transition", args=[case.pk]),
                           {"code": code, "version": case.version, "reason": reason})
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    return case


def local_text(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_the_whole_life_of_a_child_protection_case(client, cast, child, types, need, closure_reason):
    # The counsellor opens the case for a child at serious risk.
    client.force_login(cast.counsellor)
    reported = timezone.now() - dt.timedelta(hours=1)
    response = client.post(reverse("cases:open"), {
        "person": child.pk, "case_type": types["child_protection"].pk, "source": "walk_in",
        "reported_at": local_text(reported), "summary": "Cô giáo báo trẻ có vết bầm, sợ về nhà.",
        "serious_risk": "on",
    })
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", kwargs={"pk": case.pk})
    assert case.serious_risk and case.status == "intake"
    page = client.get(response["Location"]).content.decode()
    assert case.number in page and "Lò Thị Hoa" in page and "12 giờ" in page

    # The director sees it unassigned with its 12-hour deadline, and assigns the case worker.
    client.force_login(cast.director)
    desk = client.get(reverse("cases:director")).content.decode()
    assert case.number in desk and "Nguy cơ nghiêm trọng" in desk
    assert timezone.localtime(case.deadlines.get().due_at).strftime("%d/%m/%Y %H:%M") in desk
    response = client.post(reverse("cases:assign", args=[case.pk]), {
        "worker": cast.caseworker.pk, "role": "lead", "version": case.version, "next": reverse("cases:director")})
    assert response.status_code == 302 and response["Location"] == reverse("cases:director")
    case.refresh_from_db()
    assert case.assigned_to == cast.caseworker

    # The case worker finds it on their caseload, due soon.
    client.force_login(cast.caseworker)
    mine = client.get(reverse("cases:my")).content.decode()
    assert case.number in mine and "Sắp đến hạn" in mine

    # Initial risk assessment, detailed assessment with needs by domain.
    move(client, case, "start_initial_assessment")
    response = client.post(reverse("cases:assessment", args=[case.pk]), {
        "kind": "initial_risk", "assessed_on": timezone.localdate().strftime("%d/%m/%Y"), "risk_level": "high",
        "summary": "Trẻ bị đánh, cần tách tạm thời.", "version": case.version, **needs_data({})})
    assert response.status_code == 302
    move(client, case, "start_detailed_assessment")
    response = client.post(reverse("cases:assessment", args=[case.pk]), {
        "kind": "detailed", "assessed_on": timezone.localdate().strftime("%d/%m/%Y"), "risk_level": "medium",
        "summary": "Mẹ có khả năng bảo vệ.", "version": case.version,
        **needs_data({"psychological": ("Tham vấn sau sang chấn", 1), "education": ("Giữ việc học", 2)})})
    assert response.status_code == 302
    detailed = Assessment.objects.get(kind="detailed")
    assert {n.domain.code: n.priority for n in detailed.needs.all()} == {"psychological": 1, "education": 2}
    assert Case.objects.get(pk=case.pk).risk_level == "medium"
    move(client, case, "start_plan")

    # The plan: drafted, submitted.
    assert client.get(reverse("cases:plan", args=[case.pk])).status_code == 200
    response = client.post(reverse("cases:plan", args=[case.pk]), {
        "goals": "Trẻ an toàn, tiếp tục đi học", "revision": "",
        **formset("items", [
            {"action": "Tham vấn tâm lý hằng tuần", "domain": need("psychological").pk,
             "responsible": cast.caseworker.pk, "provider": "", "due_date": "", "status": "todo"},
            {"action": "Hỗ trợ học phí", "domain": "", "responsible": "", "provider": "Hội Khuyến học xã",
             "due_date": (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y"), "status": "todo"},
            {"action": "", "domain": "", "responsible": "", "provider": "", "due_date": "", "status": "todo"},
        ])})
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Plan.objects.get()
    assert plan.items.count() == 2 and plan.status == "draft"
    assert client.post(reverse("cases:plan-submit", args=[case.pk, plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted"

    # The director approves it; the case moves on to carrying it out.
    client.force_login(cast.director)
    assert case.number in client.get(reverse("cases:director")).content.decode()
    plan_tab = client.get(reverse("cases:detail", kwargs={"pk": case.pk}) + "?tab=plan").content.decode()
    assert "Phê duyệt kế hoạch" in plan_tab
    assert client.post(reverse("cases:plan-approve", args=[case.pk, plan.pk])).status_code == 302
    plan.refresh_from_db()
    case.refresh_from_db()
    assert plan.status == "approved" and case.status == "implementation"

    # The worker does the work, reviews and asks to close.
    client.force_login(cast.caseworker)
    item = plan.items.order_by("position").first()
    assert client.post(reverse("cases:plan-item-status", args=[case.pk, item.pk]),
                       {"status": "done"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    move(client, case, "start_review")
    response = client.post(reverse("cases:review", args=[case.pk]), {
        "reviewed_on": timezone.localdate().strftime("%d/%m/%Y"), "summary": "Trẻ ổn định, đi học đều.",
        "risk_level": "low", "decision": "close", "closure_reason": closure_reason("goals_met").pk,
        "closure_outcome": "Trẻ an toàn tại gia đình.", "version": case.version})
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.status == "closure"
    closure = Closure.objects.get()

    # The director approves the closure.
    client.force_login(cast.director)
    closure_tab = client.get(reverse("cases:detail", kwargs={"pk": case.pk}) + "?tab=closure").content.decode()
    assert "Trẻ an toàn tại gia đình." in closure_tab and "Phê duyệt đóng hồ sơ" in closure_tab
    assert client.post(reverse("cases:closure-approve", args=[case.pk, closure.pk]),
                       {"note": "Đồng ý"}).status_code == 302
    case.refresh_from_db()
    assert case.is_closed and case.status == "closed"
    page = client.get(reverse("cases:detail", kwargs={"pk": case.pk})).content.decode()
    assert "Đã đóng" in page
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"opened", "assigned", "transition", "assessment", "plan_saved", "plan_submitted", "plan_approved",
            "plan_item", "review", "closure_requested", "closure_approved"} <= kinds
    # Every event is on the timeline.
    assert len(re.findall(r"<tr", page.split("Dòng thời gian")[-1])) >= CaseEvent.objects.filter(case=case).count()


def test_an_illegal_move_is_refused_with_the_reason(login, cast, assigned_case):
    case = assigned_case()
    response = login(cast.caseworker).post(reverse("cases:transition", args=[case.pk]),
                                           {"code": "approve_closure", "version": case.version})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Tiếp nhận thông tin, thông báo" in body and "Bắt đầu đánh giá nguy cơ ban đầu" in body
    case.refresh_from_db()
    assert case.status == "intake"


def test_a_move_that_needs_a_reason_asks_for_it(login, cast, assigned_case):
    from tests.cases.conftest import put_at

    case = put_at(assigned_case(), "closed")
    client = login(cast.director)
    response = client.post(reverse("cases:transition", args=[case.pk]), {"code": "reopen", "version": case.version})
    assert response.status_code == 422 and "Cần ghi lý do" in response.content.decode()
    response = client.post(reverse("cases:transition", args=[case.pk]),
                           {"code": "reopen", "version": case.version, "reason": "Trẻ lại bị bạo hành"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.is_closed and case.status == "initial_assessment"


def test_a_worker_cannot_approve_a_plan(login, cast, assigned_case):
    from ctxh.cases import services
    from tests.cases.conftest import plan_items, put_at

    case = put_at(assigned_case(), "plan")
    plan = services.plan_save(actor=cast.caseworker, case=case, goals="An toàn", items=plan_items(cast.caseworker))
    services.plan_submit(actor=cast.caseworker, plan=plan)
    client = login(cast.caseworker)
    assert client.post(reverse("cases:plan-approve", args=[case.pk, plan.pk])).status_code == 403
    assert client.post(reverse("cases:transition", args=[case.pk]), {"code": "approve_plan"}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_the_director_returns_a_plan_with_a_reason(login, cast, assigned_case):
    from ctxh.cases import services
    from tests.cases.conftest import plan_items, put_at

    case = put_at(assigned_case(), "plan")
    plan = services.plan_save(actor=cast.caseworker, case=case, goals="An toàn", items=plan_items(cast.caseworker))
    services.plan_submit(actor=cast.caseworker, plan=plan)
    client = login(cast.director)
    response = client.post(reverse("cases:plan-return", args=[case.pk, plan.pk]), {"reason": ""})
    assert response.status_code == 422
    response = client.post(reverse("cases:plan-return", args=[case.pk, plan.pk]), {"reason": "Thiếu mục tiêu học tập"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.returned_reason == "Thiếu mục tiêu học tập"
    page = login(cast.caseworker).get(reverse("cases:plan", args=[case.pk])).content.decode()
    assert "Thiếu mục tiêu học tập" in page


def test_the_director_refuses_a_closure_and_the_case_goes_back(login, cast, assigned_case, closure_reason):
    from ctxh.cases import services

    case = assigned_case()
    closure = services.closure_request(actor=cast.caseworker, case=case, reason=closure_reason(), outcome="Ổn")
    client = login(cast.director)
    url = reverse("cases:closure-reject", args=[case.pk, closure.pk])
    response = client.post(url, {"note": "", "code": "reject_closure_reassess"})
    assert response.status_code == 422 and "Cần ghi lý do" in response.content.decode()
    assert client.post(url, {"note": "Chưa xác minh đủ", "code": "reject_closure_reassess"}).status_code == 302
    case.refresh_from_db()
    closure.refresh_from_db()
    assert closure.status == "rejected" and case.status == "initial_assessment"


@pytest.mark.parametrize("missing", ["person", "summary", "case_type"])
def test_opening_a_case_keeps_what_was_typed_when_something_is_missing(login, cast, child, types, missing):
    data = {"person": child.pk, "case_type": types["general"].pk, "source": "police",
            "reported_at": local_text(timezone.now()), "summary": "Công an xã chuyển hồ sơ."}
    data[missing] = ""
    response = login(cast.collaborator).post(reverse("cases:open"), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert not Case.objects.exists()
    if missing != "summary":
        assert "Công an xã chuyển hồ sơ." in body
    if missing != "person":
        assert "Lò Thị Hoa" in body


def test_a_collaborator_cannot_open_a_case_for_another_communes_person(login, cast, types, geo):
    from tests.factories import PersonFactory

    far = PersonFactory(full_name="Vũ Văn Nam", commune=geo["c2"])
    response = login(cast.collaborator).post(reverse("cases:open"), {
        "person": far.pk, "case_type": types["general"].pk, "source": "collaborator",
        "reported_at": local_text(timezone.now()), "summary": "Báo tin"})
    assert response.status_code == 422 and not Case.objects.exists()
