from __future__ import annotations

import pytest
from django.urls import reverse

from ctxh.accounts.services import token_create


@pytest.mark.django_db
def test_it_shows_name_memberships_and_tokens(client, cast, geo):
    token, _key = token_create(actor=cast.collaborator, name="Bảng tính báo cáo")
    client.force_login(cast.collaborator)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "Collaborator" in body
    assert "Cộng tác viên CTXH cấp xã" in body
    assert "UBND xã 1" in body
    assert geo["c1"].name in body
    assert reverse("accounts:password") in body
    assert "Bảng tính báo cáo" in body and f"{token.prefix}…" in body


@pytest.mark.django_db
def test_it_says_whole_province_for_centre_staff(client, cast):
    client.force_login(cast.caseworker)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "toàn tỉnh" in body
    assert "Chưa có khóa API nào." in body


@pytest.mark.django_db
def test_it_tells_a_user_without_memberships_to_ask_for_one(client, cast):
    client.force_login(cast.outsider)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "Bạn chưa được phân công vào đơn vị nào." in body


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
