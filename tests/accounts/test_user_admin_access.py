"""Only administrators reach the user administration screen; the rest get 403, visitors the login page."""

from __future__ import annotations

import pytest
from django.urls import reverse

NON_ADMINS = ["outsider", "collaborator", "statistician", "director", "caseworker", "facility"]


def _admin_urls(cast) -> list[tuple[str, str]]:
    pk = cast.caseworker.pk
    membership = cast.caseworker.memberships.get()
    return [
        ("get", reverse("accounts:user-list")),
        ("get", reverse("accounts:user-create")),
        ("post", reverse("accounts:user-create")),
        ("get", reverse("accounts:user-detail", args=[pk])),
        ("post", reverse("accounts:user-detail", args=[pk])),
        ("post", reverse("accounts:user-unlock", args=[pk])),
        ("post", reverse("accounts:user-password", args=[pk])),
        ("post", reverse("accounts:membership-grant", args=[pk])),
        ("post", reverse("accounts:membership-revoke", args=[pk, membership.pk])),
        ("get", reverse("accounts:organization-communes")),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", NON_ADMINS)
def test_it_refuses_everyone_but_administrators(client, cast, who):
    client.force_login(cast[who])
    for method, url in _admin_urls(cast):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (who, method, url)
    assert cast.caseworker.memberships.get().is_active


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_login(client, cast):
    for method, url in _admin_urls(cast):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_it_lets_the_administrator_in_and_shows_the_menu_link(client, cast):
    client.force_login(cast.admin)
    response = client.get(reverse("accounts:user-list"))
    assert response.status_code == 200
    assert f'href="{reverse("accounts:user-list")}"' in response.content.decode()


@pytest.mark.django_db
def test_it_answers_404_for_a_user_that_does_not_exist(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("accounts:user-detail", args=[999999])).status_code == 404
