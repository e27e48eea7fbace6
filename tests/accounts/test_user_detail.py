"""The administrator's page for one user: details, lock, password and memberships."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctxh.accounts import access
from ctxh.accounts.models import Membership, Organization, User
from ctxh.accounts.services import user_create
from ctxh.audit.models import AuditEntry

NEW_PASSWORD = "mat-khau-dat-lai-2026"


@pytest.fixture
def newcomer(cast):
    return user_create(actor=cast.admin, username="lan.pt", full_name="Phạm Thị Lan", password=NEW_PASSWORD)


@pytest.mark.django_db
def test_it_shows_the_user_and_their_memberships(client, cast, geo):
    client.force_login(cast.admin)
    body = client.get(reverse("accounts:user-detail", args=[cast.collaborator.pk])).content.decode()
    assert "Collaborator" in body
    assert "Cộng tác viên CTXH cấp xã" in body and geo["c1"].name in body
    assert reverse("accounts:membership-revoke", args=[cast.collaborator.pk,
                                                      cast.collaborator.memberships.get().pk]) in body


@pytest.mark.django_db
def test_it_says_when_there_are_no_memberships(client, cast, newcomer):
    client.force_login(cast.admin)
    body = client.get(reverse("accounts:user-detail", args=[newcomer.pk])).content.decode()
    assert "Chưa có phân công nào." in body


@pytest.mark.django_db
def test_it_updates_details(client, cast, newcomer):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user-detail", args=[newcomer.pk]), {
        "full_name": "Phạm Thị Lan Anh", "email": "lan@example.vn", "phone": "0987654321", "is_active": "on"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.full_name == "Phạm Thị Lan Anh" and newcomer.email == "lan@example.vn"
    entry = AuditEntry.objects.get(action="user.updated", object_id=str(newcomer.pk))
    assert entry.changes["full_name"] == ["Phạm Thị Lan", "Phạm Thị Lan Anh"]


@pytest.mark.django_db
def test_it_shows_the_service_refusal_on_the_field(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user-detail", args=[cast.admin.pk]), {
        "full_name": "Admin", "email": "", "phone": ""})  # is_active unticked: locking oneself out
    assert response.status_code == 200
    assert response.context["edit_form"].errors["is_active"]
    assert "Bạn không thể tự khóa tài khoản của mình." in response.content.decode()
    cast.admin.refresh_from_db()
    assert cast.admin.is_active


@pytest.mark.django_db
def test_it_resets_a_password(client, cast, newcomer):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user-password", args=[newcomer.pk]), {
        "password1": "mot-mat-khau-khac-2026", "password2": "mot-mat-khau-khac-2026"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_password("mot-mat-khau-khac-2026")
    entry = AuditEntry.objects.get(action="user.password_reset")
    assert entry.actor == cast.admin and entry.changes == {"password": "***"}


@pytest.mark.django_db
def test_it_refuses_a_weak_reset_password(client, cast, newcomer):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user-password", args=[newcomer.pk]), {
        "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert response.context["password_form"].errors["password1"]
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_it_grants_a_collaborator_membership_on_a_commune(client, cast, geo, newcomer):
    org = Organization.objects.get(name="UBND xã 1")
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:membership-grant", args=[newcomer.pk]), {
        "organization": org.pk, "role": "collaborator", "communes": [geo["c1"].pk]})
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert membership.role == "collaborator" and not membership.whole_province
    assert list(membership.communes.all()) == [geo["c1"]]
    assert access.coverage(User.objects.get(pk=newcomer.pk)).communes == {geo["c1"].pk}
    entry = AuditEntry.objects.get(action="membership.granted", object_id=str(membership.pk))
    assert entry.actor == cast.admin and entry.changes["communes"] == [geo["c1"].pk]


@pytest.mark.django_db
def test_it_refuses_a_whole_province_collaborator_on_the_field(client, cast, geo, newcomer):
    org = Organization.objects.get(name="UBND xã 1")
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:membership-grant", args=[newcomer.pk]), {
        "organization": org.pk, "role": "collaborator", "whole_province": "on", "communes": [geo["c1"].pk]})
    assert response.status_code == 200
    form = response.context["grant_form"]
    assert form.errors["whole_province"]
    # The choices stay those of the chosen organisation's province, with the typed values.
    assert geo["c1"] in form.fields["communes"].queryset
    assert f'value="{org.pk}" selected' in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.django_db
def test_it_refuses_a_commune_outside_the_organisations_province(client, cast, geo, newcomer):
    org = Organization.objects.get(name="UBND xã 1")
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:membership-grant", args=[newcomer.pk]), {
        "organization": org.pk, "role": "collaborator", "communes": [geo["far"].pk]})
    assert response.status_code == 200
    assert response.context["grant_form"].errors["communes"]
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.django_db
def test_it_refuses_the_same_role_twice(client, cast, geo):
    org = Organization.objects.get(name="Trung tâm CTXH Quảng Ninh")
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:membership-grant", args=[cast.caseworker.pk]), {
        "organization": org.pk, "role": "case_worker", "whole_province": "on"})
    assert "Người dùng đã có vai trò này ở đơn vị này." in response.content.decode()


@pytest.mark.django_db
def test_it_offers_the_communes_of_the_chosen_organisations_province(client, cast, geo):
    client.force_login(cast.admin)
    org = Organization.objects.get(name="UBND xã 1")
    body = client.get(reverse("accounts:organization-communes"), {"organization": org.pk},
                      HTTP_HX_REQUEST="true").content.decode()
    assert f'value="{geo["c1"].pk}"' in body and f'value="{geo["c2"].pk}"' in body
    assert f'value="{geo["far"].pk}"' not in body
    assert client.get(reverse("accounts:organization-communes")).content.decode().strip() == ""


@pytest.mark.django_db
def test_it_revokes_a_membership_after_confirmation(client, cast):
    membership = cast.collaborator.memberships.get()
    client.force_login(cast.admin)
    url = reverse("accounts:membership-revoke", args=[cast.collaborator.pk, membership.pk])
    page = client.get(reverse("accounts:user-detail", args=[cast.collaborator.pk])).content.decode()
    assert "data-confirm=" in page
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert access.roles(User.objects.get(pk=cast.collaborator.pk)) == set()
    assert AuditEntry.objects.filter(action="membership.revoked", actor=cast.admin,
                                     object_id=str(membership.pk)).exists()


@pytest.mark.django_db
def test_it_does_not_revoke_a_membership_through_another_user(client, cast):
    membership = cast.collaborator.memberships.get()
    client.force_login(cast.admin)
    url = reverse("accounts:membership-revoke", args=[cast.caseworker.pk, membership.pk])
    assert client.post(url).status_code == 404
    membership.refresh_from_db()
    assert membership.is_active
