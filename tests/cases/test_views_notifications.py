"""The notifications page: one's own messages, marked read one by one or all at once."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from ctxh.accounts.models import Notification
from ctxh.cases.context_processors import unread_notifications


def _note(user, message, link=""):
    return Notification.objects.create(user=user, verb="case.assigned", message=message, link=link)


def test_it_lists_only_my_notifications_newest_first(login, cast, db):
    _note(cast.caseworker, "Bạn được phân công hồ sơ HS-2026-000001.")
    _note(cast.caseworker, "Hồ sơ HS-2026-000002 sắp đến hạn.")
    _note(cast.director, "Tin của lãnh đạo")
    body = login(cast.caseworker).get(reverse("cases:notifications")).content.decode()
    assert "HS-2026-000001" in body and "Tin của lãnh đạo" not in body
    assert body.index("HS-2026-000002") < body.index("HS-2026-000001")


def test_it_marks_one_or_all_read_and_never_someone_elses(login, cast, db):
    one = _note(cast.caseworker, "Một")
    two = _note(cast.caseworker, "Hai")
    theirs = _note(cast.director, "Của lãnh đạo")
    client = login(cast.caseworker)
    client.post(reverse("cases:notifications"), {"ids": [one.pk, theirs.pk]})
    one.refresh_from_db()
    two.refresh_from_db()
    theirs.refresh_from_db()
    assert one.read_at and not two.read_at and not theirs.read_at
    assert "Hai" in client.get(reverse("cases:notifications"), {"unread": "1"}).content.decode()
    assert "Một" not in client.get(reverse("cases:notifications"), {"unread": "1"}).content.decode()
    client.post(reverse("cases:notifications"), {"all": "1"})
    assert not Notification.objects.filter(user=cast.caseworker, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, cast, assigned_case):
    case = assigned_case()  # the case worker is told of the assignment
    note = Notification.objects.get(user=cast.caseworker, verb="case.assigned")
    response = login(cast.caseworker).post(reverse("cases:notifications"), {"ids": note.pk, "next": note.link})
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", kwargs={"pk": case.pk})
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_link_to_another_site_is_not_followed(login, cast, db):
    note = _note(cast.caseworker, "Lạ")
    response = login(cast.caseworker).post(reverse("cases:notifications"),
                                           {"ids": note.pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("cases:notifications")


def test_the_header_counts_unread_notifications(login, cast, rf, db):
    _note(cast.caseworker, "Một")
    _note(cast.caseworker, "Hai")
    request = rf.get("/")
    request.user = cast.caseworker
    assert int(str(unread_notifications(request)["unread_notifications"])) == 2
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert unread_notifications(request) == {}


def test_once_registered_the_header_shows_the_unread_count(login, cast, settings, db):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": [
        *engine["OPTIONS"]["context_processors"], "ctxh.cases.context_processors.unread_notifications"]}}]
    _note(cast.caseworker, "Một")
    _note(cast.caseworker, "Hai")
    Notification.objects.create(user=cast.caseworker, verb="case.assigned", message="Đã đọc", read_at=timezone.now())
    body = login(cast.caseworker).get(reverse("cases:my")).content.decode()
    assert 'aria-label="chưa đọc">2</span>' in body
    assert "chưa đọc" not in login(cast.director).get(reverse("cases:my")).content.decode()
