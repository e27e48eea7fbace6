from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ctxh.accounts.models import Organization, User
from ctxh.accounts.services import membership_grant


@pytest.mark.django_db
def test_it_lists_users_with_roles_and_badges(client, cast):
    User.objects.filter(pk=cast.collaborator.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=5))
    User.objects.filter(pk=cast.outsider.pk).update(is_active=False)
    client.force_login(cast.admin)
    body = client.get(reverse("accounts:user-list")).content.decode()
    assert reverse("accounts:user-detail", args=[cast.caseworker.pk]) in body
    assert "Nhân viên quản lý trường hợp" in body
    assert "Cộng tác viên CTXH cấp xã" in body
    assert body.count("Đang bị khóa") == 1
    assert "Ngừng hoạt động" in body


@pytest.mark.django_db
def test_it_searches_by_username_or_name(client, cast):
    User.objects.filter(pk=cast.counsellor.pk).update(full_name="Đặng Thị Hân")
    client.force_login(cast.admin)
    body = client.get(reverse("accounts:user-list"), {"q": "Hân"}).content.decode()
    assert "counsellor" in body and "caseworker" not in body
    body = client.get(reverse("accounts:user-list"), {"q": "khong-co-ai"}).content.decode()
    assert "Không tìm thấy người dùng nào khớp với từ khóa." in body


@pytest.mark.django_db
def test_it_pages_fifty_users_at_a_time_in_bounded_queries(client, cast, django_assert_max_num_queries):
    centre = Organization.objects.get(name="Trung tâm CTXH Quảng Ninh")
    for i in range(60):
        user = User.objects.create_user(username=f"nguoidung{i:02d}", password="x")
        membership_grant(actor=None, user=user, organization=centre, role="case_worker", whole_province=True)
    client.force_login(cast.admin)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("accounts:user-list"))
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["page"].object_list) == 50
    with django_assert_max_num_queries(12):
        second = client.get(reverse("accounts:user-list"), {"page": 2})
    assert len(second.context["page"].object_list) == 70 - 50
    assert "Trang 2/2" in second.content.decode()
