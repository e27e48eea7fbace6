"""Signing in: the Vietnamese messages, the lockout after repeated failures, and unlocking."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from tests.conftest import PASSWORD

LOCK_MESSAGE = "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Thử lại sau"


def _login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_it_logs_in_with_the_right_password(client, cast):
    response = _login(client, "caseworker", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(cast.caseworker.pk)


@pytest.mark.django_db
def test_it_says_the_login_is_wrong_in_vietnamese_and_keeps_the_username(client, cast):
    response = _login(client, "caseworker", "sai-mat-khau")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in body
    assert 'value="caseworker"' in body
    assert LOCK_MESSAGE not in body
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_locks_after_repeated_failures_even_for_the_right_password(client, cast):
    attempts = settings.CTXH_LOCKOUT_ATTEMPTS
    for _ in range(attempts - 1):
        response = _login(client, "caseworker", "sai-mat-khau")
        assert LOCK_MESSAGE not in response.content.decode()

    response = _login(client, "caseworker", "sai-mat-khau")
    cast.caseworker.refresh_from_db()
    assert cast.caseworker.is_locked
    until = timezone.localtime(cast.caseworker.locked_until).strftime("%H:%M")
    assert (f"{LOCK_MESSAGE} {until} hoặc liên hệ quản trị.") in response.content.decode()

    response = _login(client, "caseworker", PASSWORD)
    assert response.status_code == 200
    assert LOCK_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session
    locked = AuditEntry.objects.get(action="user.locked")
    assert locked.object_id == str(cast.caseworker.pk) and locked.actor is None


@pytest.mark.django_db
def test_it_lets_the_user_in_again_once_an_administrator_unlocks(client, cast):
    for _ in range(settings.CTXH_LOCKOUT_ATTEMPTS):
        _login(client, "caseworker", "sai-mat-khau")
    cast.caseworker.refresh_from_db()
    assert cast.caseworker.is_locked

    admin = Client()
    admin.force_login(cast.admin)
    detail = admin.get(reverse("accounts:user-detail", args=[cast.caseworker.pk]))
    assert "Đang bị khóa" in detail.content.decode()
    response = admin.post(reverse("accounts:user-unlock", args=[cast.caseworker.pk]))
    assert response.status_code == 302

    cast.caseworker.refresh_from_db()
    assert not cast.caseworker.is_locked and cast.caseworker.failed_logins == 0
    assert AuditEntry.objects.filter(action="user.unlocked", actor=cast.admin,
                                     object_id=str(cast.caseworker.pk)).exists()
    assert _login(client, "caseworker", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_it_does_not_lock_an_unknown_username_or_tell_it_apart(client, cast):
    for _ in range(settings.CTXH_LOCKOUT_ATTEMPTS + 1):
        response = _login(client, "khong-ton-tai", "sai-mat-khau")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


@pytest.mark.django_db
def test_it_logs_out_only_by_post(client, cast):
    client.force_login(cast.caseworker)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
