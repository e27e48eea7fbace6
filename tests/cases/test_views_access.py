"""Every case page and form refuses those who should not reach it, and opens for the team and the director."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ctxh.audit.models import AccessEntry
from ctxh.cases import services
from ctxh.cases.models import CaseEvent, CaseMember, Note
from tests.cases.conftest import plan_items, put_at

PDF = b"%PDF-1.7\n" + b"0" * 200


@pytest.fixture
def world(cast, assigned_case, closure_reason, settings, tmp_path):
    """A c1 child-protection case at the plan step with a draft plan, a note, a file; a second with a closure request."""
    settings.MEDIA_ROOT = tmp_path / "files"
    case = put_at(assigned_case(), "plan")
    plan = services.plan_save(actor=cast.caseworker, case=case, goals="Trẻ an toàn", items=plan_items(cast.caseworker))
    services.note_add(actor=cast.caseworker, case=case, text="Đã gặp gia đình.")
    att = services.attachment_add(actor=cast.caseworker, case=case, file=SimpleUploadedFile("bien-ban.pdf", PDF))
    other = assigned_case()
    closure = services.closure_request(actor=cast.caseworker, case=other, reason=closure_reason(), outcome="Ổn định")
    return {
        "case": case, "plan": plan, "item": plan.items.get(), "attachment": att, "other": other, "closure": closure,
        "member": CaseMember.objects.get(case=case, role="lead", ended_at__isnull=True),
    }


def _get_pages(w):
    c = w["case"].pk
    return {
        "detail": reverse("cases:detail", kwargs={"pk": c}),
        "edit": reverse("cases:edit", args=[c]),
        "pdf": reverse("cases:pdf", args=[c]),
        "assessment": reverse("cases:assessment", args=[c]),
        "plan": reverse("cases:plan", args=[c]),
        "review": reverse("cases:review", args=[c]),
        "closure": reverse("cases:closure-request", args=[c]),
        "attachment": reverse("cases:attachment", args=[w["attachment"].pk]),
    }


def _post_actions(w):
    c, o = w["case"].pk, w["other"].pk
    return {
        "transition": (reverse("cases:transition", args=[c]), {"code": "approve_plan"}),
        "seal": (reverse("cases:seal", args=[c]), {"sealed": "True", "reason": "Có dấu hiệu xâm hại"}),
        "plan-submit": (reverse("cases:plan-submit", args=[c, w["plan"].pk]), {}),
        "plan-approve": (reverse("cases:plan-approve", args=[c, w["plan"].pk]), {}),
        "plan-return": (reverse("cases:plan-return", args=[c, w["plan"].pk]), {"reason": "Thiếu"}),
        "item-status": (reverse("cases:plan-item-status", args=[c, w["item"].pk]), {"status": "done"}),
        "note": (reverse("cases:note-add", args=[c]), {"text": "Ghi chép lạ", "visibility": "case"}),
        "attachment": (reverse("cases:attachment-add", args=[c]), {"description": "x"}),
        "assign": (reverse("cases:assign", args=[c]), {"worker": w["member"].user_id, "role": "co_worker"}),
        "member-end": (reverse("cases:member-end", args=[c, w["member"].pk]), {"reason": "x"}),
        "closure-approve": (reverse("cases:closure-approve", args=[o, w["closure"].pk]), {}),
        "closure-reject": (reverse("cases:closure-reject", args=[o, w["closure"].pk]), {"note": "Chưa"}),
        "break-glass": (reverse("cases:break-glass", args=[c]), {"reason": "x" * 40}),
    }


DIRECTOR_ACTIONS = {"plan-approve", "plan-return", "assign", "member-end", "closure-approve", "closure-reject"}
LIST_PAGES = ["cases:my", "cases:list", "cases:open", "cases:director"]


@pytest.mark.parametrize("page_name", ["detail", "edit", "pdf", "assessment", "plan", "review", "closure", "attachment"])
def test_anonymous_users_are_sent_to_login(client, world, page_name):
    response = client.get(_get_pages(world)[page_name])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", [*LIST_PAGES, "cases:notifications"])
def test_anonymous_users_are_sent_to_login_from_the_lists(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("page_name", ["detail", "edit", "pdf", "assessment", "plan", "review", "closure", "attachment"])
def test_those_without_a_case_role_get_403(login, cast, world, page_name):
    for user in (cast.statistician, cast.outsider):
        assert login(user).get(_get_pages(world)[page_name]).status_code == 403, user


@pytest.mark.parametrize("name", LIST_PAGES)
def test_those_without_a_case_role_cannot_open_the_lists(login, cast, db, name):
    for user in (cast.statistician, cast.outsider, cast.admin):
        assert login(user).get(reverse(name)).status_code == 403, user


@pytest.mark.parametrize("page_name", ["edit", "pdf", "assessment", "plan", "review", "closure", "attachment"])
def test_those_outside_the_case_get_404(login, cast, world, caseworker2, page_name):
    for user in (cast.collaborator2, cast.far_worker, caseworker2):
        assert login(user).get(_get_pages(world)[page_name]).status_code == 404, user
    assert not AccessEntry.objects.filter(actor__in=[cast.collaborator2, cast.far_worker, caseworker2]).exists()


def test_the_case_page_is_404_outside_the_area_and_asks_an_unassigned_worker_to_break_the_glass(
        login, cast, world, caseworker2):
    url = _get_pages(world)["detail"]
    for user in (cast.collaborator2, cast.far_worker):
        assert login(user).get(url).status_code == 404, user
    response = login(caseworker2).get(url)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Truy cập khẩn cấp" in body and world["case"].person.full_name not in body
    assert world["case"].summary not in body


@pytest.mark.parametrize("page_name", ["detail", "edit", "pdf", "assessment", "plan", "review", "closure", "attachment"])
def test_the_team_member_and_the_director_get_in(login, cast, world, page_name):
    for user in (cast.caseworker, cast.director):
        assert login(user).get(_get_pages(world)[page_name]).status_code == 200, user


def test_a_collaborator_of_the_commune_reads_the_case_but_cannot_work_on_it(login, cast, world):
    client = login(cast.collaborator)
    assert client.get(_get_pages(world)["detail"]).status_code == 200
    for page_name in ("edit", "assessment", "plan", "review", "closure"):
        assert client.get(_get_pages(world)[page_name]).status_code == 403, page_name


@pytest.mark.parametrize("action", ["transition", "seal", "plan-submit", "plan-approve", "plan-return", "item-status",
                                    "note", "attachment", "assign", "member-end", "closure-approve",
                                    "closure-reject", "break-glass"])
def test_posts_from_outside_change_nothing(client, login, cast, world, caseworker2, action):
    url, data = _post_actions(world)[action]
    events = CaseEvent.objects.count()
    response = client.post(url, data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for user in (cast.statistician, cast.outsider):
        assert login(user).post(url, data).status_code == 403, user
    # Approving and assigning need the director's capability first (403); anything else is 404 outside the area.
    expected = 403 if action in DIRECTOR_ACTIONS else 404
    for user in (cast.collaborator2, cast.far_worker):
        assert login(user).post(url, data).status_code == expected, user
    if action not in ("break-glass",):
        # The unassigned worker sees neither case: 404, or 403 where the capability is checked first.
        assert login(caseworker2).post(url, data).status_code in (403, 404)
    assert CaseEvent.objects.count() == events
    assert not Note.objects.filter(text="Ghi chép lạ").exists()


def test_only_directors_open_the_director_page(login, cast, db):
    for user in (cast.caseworker, cast.counsellor, cast.collaborator):
        assert login(user).get(reverse("cases:director")).status_code == 403
    assert login(cast.director).get(reverse("cases:director")).status_code == 200


@pytest.mark.parametrize("user", ["caseworker", "director", "counsellor", "collaborator", "facility"])
def test_case_roles_open_the_lists(login, cast, db, user):
    for name in ("cases:my", "cases:list", "cases:open", "cases:notifications"):
        assert login(cast[user]).get(reverse(name)).status_code == 200, name
