from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

NEW_PASSWORD = "mat-khau-moi-an-toan-2026"


@pytest.mark.django_db
def test_it_changes_the_password_and_keeps_the_session(client, cast):
    client.force_login(cast.caseworker)
    page = client.get(reverse("accounts:password"))
    assert "Mật khẩu hiện tại" in page.content.decode()
    response = client.post(reverse("accounts:password"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password-done")
    cast.caseworker.refresh_from_db()
    assert cast.caseworker.check_password(NEW_PASSWORD)
    done = client.get(response.url)
    assert "Đã đổi mật khẩu" in done.content.decode()
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_it_refuses_a_wrong_current_password(client, cast):
    client.force_login(cast.caseworker)
    response = client.post(reverse("accounts:password"), {
        "old_password": "sai-mat-khau", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 200
    assert "Mật khẩu hiện tại không đúng." in response.content.decode()
    cast.caseworker.refresh_from_db()
    assert cast.caseworker.check_password(PASSWORD)


@pytest.mark.django_db
def test_it_refuses_two_different_new_passwords(client, cast):
    client.force_login(cast.caseworker)
    response = client.post(reverse("accounts:password"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert "Hai lần nhập mật khẩu mới không khớp nhau." in response.content.decode()


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get(reverse("accounts:password"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_it_records_the_change_in_the_audit_log(client, cast):
    from ctxh.audit.models import AuditEntry

    client.force_login(cast.caseworker)
    client.post(reverse("accounts:password"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert AuditEntry.objects.filter(action="user.password_changed", actor=cast.caseworker).exists()

