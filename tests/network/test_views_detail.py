"""A provider's staff page: everything staff need, the contact person included."""

from __future__ import annotations

from django.urls import reverse


def test_it_shows_the_provider_to_workers(login, cast, providers):
    url = reverse("network:detail", args=[providers["legal"].pk])
    body = login(cast.collaborator).get(url).content.decode()
    assert "Trung tâm Trợ giúp pháp lý nhà nước tỉnh" in body
    assert "Bà Đỗ Thị Quyên" in body and 'href="tel:19006198"' in body
    assert "Trợ giúp pháp lý miễn phí" in body and "Hộ nghèo, cận nghèo" in body
    assert reverse("network:edit", args=[providers["legal"].pk]) not in body


def test_managers_get_edit_and_deactivate_links(login, cast, providers):
    pk = providers["legal"].pk
    body = login(cast.director).get(reverse("network:detail", args=[pk])).content.decode()
    assert reverse("network:edit", args=[pk]) in body and reverse("network:set-active", args=[pk]) in body


def test_a_manager_of_another_province_gets_no_edit_link(login, cast, providers, far_director):
    pk = providers["legal"].pk
    body = login(far_director).get(reverse("network:detail", args=[pk])).content.decode()
    assert reverse("network:edit", args=[pk]) not in body


def test_it_refuses_outsiders(client, login, cast, providers):
    url = reverse("network:detail", args=[providers["shelter"].pk])
    assert client.get(url).status_code == 302
    assert login(cast.outsider).get(url).status_code == 403
    assert login(cast.statistician).get(url).status_code == 403
    assert login(cast.caseworker).get(reverse("network:detail", args=[999999])).status_code == 404
