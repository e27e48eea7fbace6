"""Personal API keys: shown once, stored only as a SHA-256 hash, revocable by their owner alone."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import reverse

from ctxh.accounts.models import ApiToken
from ctxh.accounts.services import token_authenticate, token_create
from ctxh.audit.models import AuditEntry

KEY = re.compile(r"ctxh_[A-Za-z0-9_\-]{20,}")


def _everything_in_the_database() -> str:
    return "".join(serializers.serialize("json", model._default_manager.all())
                   for model in apps.get_models() if not model._meta.proxy)


@pytest.mark.django_db
def test_it_shows_the_new_key_once_and_stores_only_its_hash(client, cast):
    client.force_login(cast.caseworker)
    response = client.post(reverse("accounts:tokens"), {"name": "Máy chủ báo cáo"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hãy sao chép khóa ngay bây giờ: khóa sẽ không được hiển thị lại." in body
    assert "no-store" in response["Cache-Control"]
    key = KEY.search(body).group(0)

    token = ApiToken.objects.get(user=cast.caseworker)
    assert token.name == "Máy chủ báo cáo"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix)
    assert key not in _everything_in_the_database()
    assert token_authenticate(key) == cast.caseworker

    again = client.get(reverse("accounts:tokens")).content.decode()
    assert key not in again
    assert "Máy chủ báo cáo" in again and f"{token.prefix}…" in again

    entry = AuditEntry.objects.get(action="token.created")
    assert entry.actor == cast.caseworker and entry.object_id == str(token.pk)


@pytest.mark.django_db
def test_it_asks_for_a_name(client, cast):
    client.force_login(cast.caseworker)
    response = client.post(reverse("accounts:tokens"), {"name": "  "})
    assert response.status_code == 200
    assert not KEY.search(response.content.decode())
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_it_lists_tokens_or_says_there_are_none(client, cast):
    client.force_login(cast.caseworker)
    assert "Chưa có khóa API nào." in client.get(reverse("accounts:tokens")).content.decode()


@pytest.mark.django_db
def test_it_revokes_a_token_after_confirmation(client, cast):
    token, key = token_create(actor=cast.caseworker, name="Bảng tính")
    client.force_login(cast.caseworker)
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert f'action="{reverse("accounts:token-revoke", args=[token.pk])}"' in page
    assert "data-confirm=" in page

    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_authenticate(key) is None
    assert AuditEntry.objects.filter(action="token.revoked", actor=cast.caseworker).exists()
    assert "Đã thu hồi" in client.get(reverse("accounts:tokens")).content.decode()


@pytest.mark.django_db
def test_it_does_not_find_another_users_token(client, cast):
    token, _key = token_create(actor=cast.director, name="Của lãnh đạo")
    client.force_login(cast.caseworker)
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_it_revokes_only_by_post(client, cast):
    token, _key = token_create(actor=cast.caseworker, name="Bảng tính")
    client.force_login(cast.caseworker)
    assert client.get(reverse("accounts:token-revoke", args=[token.pk])).status_code == 405


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_login(client):
    for response in (client.get(reverse("accounts:tokens")),
                     client.post(reverse("accounts:token-revoke", args=[1]))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
