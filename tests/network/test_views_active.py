"""Deactivating from the page: a confirmation page that works without JavaScript."""

from __future__ import annotations

from django.urls import reverse

from tests.network.factories import ProviderFactory


def test_it_asks_before_deactivating(login, cast, geo):
    station = ProviderFactory(name="Trạm Y tế phường Hà Tu", commune=geo["c1"])
    c = login(cast.director)
    url = reverse("network:set-active", args=[station.pk])
    body = c.get(url).content.decode()
    assert "Ngừng hiển thị đơn vị" in body and "data-confirm" in body and 'name="confirmed"' in body
    response = c.post(url, {"reason": "Sáp nhập", "version": 1})
    assert response.status_code == 422
    assert "Hãy xác nhận" in response.content.decode() and 'value="Sáp nhập"' in response.content.decode()
    station.refresh_from_db()
    assert station.is_active
    response = c.post(url, {"reason": "Sáp nhập", "confirmed": "on", "version": 1})
    assert response.status_code == 302
    station.refresh_from_db()
    assert not station.is_active


def test_it_reopens_a_closed_provider(login, cast, geo):
    station = ProviderFactory(commune=geo["c1"], is_active=False)
    c = login(cast.admin)
    url = reverse("network:set-active", args=[station.pk])
    assert "Mở lại đơn vị trong danh bạ" in c.get(url).content.decode()
    assert c.post(url, {"confirmed": "on"}).status_code == 302
    station.refresh_from_db()
    assert station.is_active


def test_a_stale_page_is_sent_back_with_a_message(login, cast, geo):
    station = ProviderFactory(commune=geo["c1"])
    station.version = 5
    station.save()
    response = login(cast.director).post(reverse("network:set-active", args=[station.pk]),
                                         {"confirmed": "on", "version": 1}, follow=True)
    assert "đã được người khác sửa" in response.content.decode()
    station.refresh_from_db()
    assert station.is_active
