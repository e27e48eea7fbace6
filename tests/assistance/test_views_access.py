"""Every entitlement and payment page refuses those who should not reach it (personal data), opens for staff of the commune."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ctxh.accounts import access
from ctxh.assistance import services
from ctxh.assistance.models import ArrearsItem, PaymentRun
from ctxh.audit.models import AccessEntry
from tests.assistance.factories import entitled

MONTH = dt.date(2025, 9, 1)


@pytest.fixture
def world(cast, geo):
    active = entitled(geo["c1"], name="Nguyễn Thị Lan")
    proposed = entitled(geo["c1"], name="Trần Văn Hòa", status="proposed")
    closed = services.payment_list_generate(actor=cast.director, commune=geo["c1"], month=MONTH)
    services.payment_list_close(actor=cast.director, payment_list=closed)
    draft = services.payment_list_generate(actor=cast.director, commune=geo["c1"], month=dt.date(2025, 10, 1))
    ArrearsItem.objects.create(entitlement=active, month=MONTH, paid=0, due=750_000, difference=750_000)
    run = PaymentRun.objects.create(province=geo["province"], month=MONTH, status="done", created_by=cast.director)
    return {"active": active, "proposed": proposed, "closed": closed, "draft": draft,
            "line": draft.lines.get(), "closed_line": closed.lines.get(), "run": run,
            "decision": active.start_decision, "person": active.person}


def _object_pages(w):
    """GET pages about one c1 record: 404 for those outside c1."""
    return [
        reverse("assistance:entitlement-detail", args=[w["active"].pk]),
        reverse("assistance:person-entitlements", args=[w["person"].pk]),
        reverse("assistance:decision-detail", args=[w["decision"].pk]),
        reverse("assistance:payment-detail", args=[w["draft"].pk]),
        reverse("assistance:payment-xlsx", args=[w["draft"].pk]),
        reverse("assistance:payment-pdf", args=[w["closed"].pk]),
    ]


def _list_pages():
    return [reverse("assistance:entitlement-list"), reverse("assistance:decision-list"),
            reverse("assistance:payment-list"), reverse("assistance:arrears-list")]


def _forms(w):
    """GET forms (and their POST) that change a c1 record."""
    return [
        (reverse("assistance:entitlement-decide", args=[w["proposed"].pk]), "entitlement.decide"),
        (reverse("assistance:entitlement-stop", args=[w["active"].pk]), "entitlement.decide"),
        (reverse("assistance:entitlement-payment", args=[w["active"].pk]), "entitlement.propose"),
        (reverse("assistance:payment-close", args=[w["draft"].pk]), "payment.close"),
        (reverse("assistance:payment-correction", args=[w["closed"].pk]), "payment.manage"),
    ]


def _posts(w, geo):
    return [
        (reverse("assistance:entitlement-propose", args=[w["person"].pk]), {"group": "x"}),
        (reverse("assistance:payment-line-paid", args=[w["draft"].pk, w["line"].pk]), {"paid": "1"}),
        (reverse("assistance:payment-generate"), {"commune": geo["c1"].pk, "month": "10/2025"}),
        (reverse("assistance:payment-run-start"), {"month": "10/2025"}),
        (reverse("assistance:arrears-compute"), {"commune": geo["c1"].pk}),
    ]


def test_anonymous_is_sent_to_login_everywhere(client, world, geo):
    urls = _object_pages(world) + _list_pages() + [u for u, _ in _forms(world)] + [
        reverse("assistance:payment-run", args=[world["run"].pk]),
        reverse("assistance:payment-run-download", args=[world["run"].pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url, data in _posts(world, geo):
        response = client.post(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("who", ["outsider", "statistician", "facility", "counsellor"])
def test_roles_without_entitlement_view_get_403(login, cast, world, geo, who):
    c = login(cast[who])
    for url in _object_pages(world) + _list_pages() + [u for u, _ in _forms(world)]:
        assert c.get(url).status_code == 403, url
    for url, data in _posts(world, geo):
        assert c.post(url, data).status_code == 403, url
    assert c.get(reverse("assistance:payment-run", args=[world["run"].pk])).status_code == 403


@pytest.mark.parametrize("who", ["collaborator2", "far_worker"])
def test_staff_of_another_place_get_404_and_empty_lists(login, cast, world, geo, who):
    c = login(cast[who])
    for url in _object_pages(world):
        assert c.get(url).status_code == 404, url
    for url, cap in _forms(world):
        # Without the capability: 403 before anything is looked up; with it: the record is not theirs, 404.
        assert c.get(url).status_code == (404 if access.can(cast[who], cap) else 403), (url, cap)
    for url in _list_pages():
        response = c.get(url)
        assert response.status_code == 200, url
        assert "Nguyễn Thị Lan" not in response.content.decode() and geo["c1"].name not in response.content.decode()
    line_url = reverse("assistance:payment-line-paid", args=[world["draft"].pk, world["line"].pk])
    assert c.post(line_url, {"paid": "1"}).status_code == 404
    assert c.get(reverse("assistance:payment-run", args=[world["run"].pk])).status_code == 404
    assert AccessEntry.objects.filter(actor=cast[who]).count() == 0


def test_the_collaborator_of_the_commune_reads_and_the_reads_are_logged(login, cast, world):
    c = login(cast.collaborator)
    for url in _object_pages(world) + _list_pages():
        response = c.get(url)
        assert response.status_code == 200, url
    assert AccessEntry.objects.filter(actor=cast.collaborator, object_type="assistance.entitlement",
                                      person_id=world["person"].pk).exists()
    assert AccessEntry.objects.filter(actor=cast.collaborator, object_type="assistance.paymentlist",
                                      object_id=str(world["draft"].pk)).exists()
    assert AccessEntry.objects.filter(actor=cast.collaborator, object_type="assistance.paymentlist",
                                      purpose="export").exists()


def test_a_case_worker_reads_but_cannot_pay_or_close(login, cast, world, geo):
    c = login(cast.caseworker)
    assert c.get(reverse("assistance:payment-detail", args=[world["draft"].pk])).status_code == 200
    for url, data in _posts(world, geo)[1:]:
        assert c.post(url, data).status_code == 403, url
    assert c.get(reverse("assistance:payment-close", args=[world["draft"].pk])).status_code == 403
    assert c.get(reverse("assistance:entitlement-decide", args=[world["proposed"].pk])).status_code == 403


def test_the_province_run_page_is_for_province_wide_staff(login, cast, world):
    url = reverse("assistance:payment-run", args=[world["run"].pk])
    assert login(cast.director).get(url).status_code == 200
    assert login(cast.collaborator).get(url).status_code == 404


@pytest.fixture
def far_director(cast, geo):
    from ctxh.accounts.models import Organization, User
    from ctxh.accounts.services import membership_grant

    far = Organization.objects.get(name="Trung tâm CTXH Hà Nội")
    user = User.objects.create_user(username="far_director", password="x-Pass-2026!", full_name="Giám đốc Hà Nội")
    membership_grant(actor=None, user=user, organization=far, role="director", whole_province=True, communes=[])
    return user


def test_a_director_of_another_province_cannot_decide_stop_or_close_here(login, world, far_director):
    c = login(far_director)
    decide = c.post(reverse("assistance:entitlement-decide", args=[world["proposed"].pk]),
                    {"approve": "0", "reason": "Không đủ điều kiện"})
    stop = c.post(reverse("assistance:entitlement-stop", args=[world["active"].pk]),
                  {"reason": "death", "stop_on": "01/10/2025"})
    close = c.post(reverse("assistance:payment-close", args=[world["draft"].pk]), {})
    assert (decide.status_code, stop.status_code, close.status_code) == (404, 404, 404)
    for key in ("proposed", "active", "draft"):
        before = world[key]
        after = type(before).objects.get(pk=before.pk)
        assert after.status == before.status and after.version == before.version, key


def _stored(name: str, content: bytes) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    return default_storage.save(name, ContentFile(content))


def test_the_province_export_file_is_only_for_province_wide_staff_and_its_download_is_logged(
        login, cast, world, far_director):
    run = world["run"]
    run.export_file = _stored("payments/ds-chi-tra-09-2025.xlsx", b"PK fake xlsx")
    run.save(update_fields=["export_file"])
    url = reverse("assistance:payment-run-download", args=[run.pk])
    assert login(cast.outsider).get(url).status_code == 403
    for who in (cast.collaborator, cast.collaborator2, cast.far_worker, far_director):
        assert login(who).get(url).status_code in (403, 404), who
    assert not AccessEntry.objects.filter(object_type="assistance.paymentrun").exists()
    response = login(cast.director).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK fake xlsx"
    assert AccessEntry.objects.get(object_type="assistance.paymentrun").actor == cast.director


def test_a_decision_and_its_signed_document_are_read_only_here_and_logged(login, cast, world, far_director):
    decision = world["decision"]
    decision.document = _stored("decisions/qd-1.pdf", b"%PDF-1.4 signed")
    decision.save(update_fields=["document"])
    detail = reverse("assistance:decision-detail", args=[decision.pk])
    document = reverse("assistance:decision-document", args=[decision.pk])
    assert login(cast.outsider).get(document).status_code == 403
    for who in (cast.collaborator2, cast.far_worker, far_director):
        c = login(who)
        assert (c.get(detail).status_code, c.get(document).status_code) == (404, 404), who
    c = login(cast.collaborator)
    assert "Nguyễn Thị Lan" in c.get(detail).content.decode()
    assert b"".join(c.get(document).streaming_content) == b"%PDF-1.4 signed"
    purposes = set(AccessEntry.objects.filter(actor=cast.collaborator, object_type="assistance.decision",
                                              object_id=str(decision.pk)).values_list("purpose", flat=True))
    assert purposes == {"view", "document"}


def test_searching_a_list_by_htmx_is_logged_like_opening_it(login, cast, world):
    c = login(cast.collaborator)
    url = reverse("assistance:payment-detail", args=[world["draft"].pk])
    response = c.get(url, {"q": "Lan"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Nguyễn Thị Lan" in response.content.decode()
    assert AccessEntry.objects.filter(actor=cast.collaborator, object_type="assistance.paymentlist",
                                      object_id=str(world["draft"].pk)).count() == 1
    totals = c.get(url, {"part": "totals"}, HTTP_HX_REQUEST="true")
    assert totals.status_code == 200 and "Nguyễn Thị Lan" not in totals.content.decode()
    assert AccessEntry.objects.filter(actor=cast.collaborator, object_type="assistance.paymentlist").count() == 1
