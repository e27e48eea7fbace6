from __future__ import annotations

import pytest
from django.urls import reverse

from ctxh.accounts.models import User
from ctxh.audit.models import AuditEntry

NEW_PASSWORD = "mat-khau-nguoi-moi-2026"


def _data(**changes: str) -> dict[str, str]:
    return {"username": "hoa.nt", "full_name": "Nguyễn Thị Hoa", "email": "hoa@example.vn",
            "phone": "0912345678", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **changes}


@pytest.mark.django_db
def test_it_creates_a_user_and_records_it(client, cast):
    client.force_login(cast.admin)
    assert "Tạo người dùng" in client.get(reverse("accounts:user-create")).content.decode()
    response = client.post(reverse("accounts:user-create"), _data())
    user = User.objects.get(username="hoa.nt")
    assert response.status_code == 302
    assert response.url == reverse("accounts:user-detail", args=[user.pk])
    assert user.full_name == "Nguyễn Thị Hoa" and user.phone == "0912345678"
    assert user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="user.created", object_id=str(user.pk))
    assert entry.actor == cast.admin
    assert NEW_PASSWORD not in str(entry.changes)


@pytest.mark.django_db
def test_it_keeps_typed_values_when_the_username_is_taken(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user-create"), _data(username="CaseWorker"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tên đăng nhập này đã có người dùng." in body
    assert 'value="CaseWorker"' in body
    assert 'value="Nguyễn Thị Hoa"' in body
    assert 'value="0912345678"' in body
    assert NEW_PASSWORD not in body  # passwords are never sent back
    assert not AuditEntry.objects.filter(action="user.created").exists()


@pytest.mark.django_db
def test_it_refuses_two_different_passwords(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user-create"), _data(password2="khac-han-2026-xyz"))
    assert "Hai lần nhập mật khẩu không khớp nhau." in response.content.decode()
    assert not User.objects.filter(username="hoa.nt").exists()


@pytest.mark.django_db
def test_it_shows_the_password_rules_of_the_service_on_the_password_field(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user-create"), _data(password1="12345", password2="12345"))
    form = response.context["form"]
    assert form.errors["password1"]
    assert not User.objects.filter(username="hoa.nt").exists()
