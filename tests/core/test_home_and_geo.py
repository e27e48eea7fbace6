"""The start page fits the role; the commune picker follows the province."""

from django.urls import reverse


def test_it_sends_anonymous_users_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_shows_a_collaborator_their_commune_and_search(login, cast, geo):
    page = login(cast.collaborator).get(reverse("home")).content.decode()
    assert "Cộng tác viên CTXH cấp xã" in page and geo["c1"].name in page
    assert 'id="home-q"' in page


def test_it_shows_a_statistician_no_person_search(login, cast):
    page = login(cast.statistician).get(reverse("home")).content.decode()
    assert 'id="home-q"' not in page and "số liệu tổng hợp" in page
    assert reverse("people:list") not in page


def test_it_switches_to_english(login, cast):
    client = login(cast.collaborator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in page and ">People</a>" in page and "Đăng xuất" not in page
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đăng xuất" in client.get(reverse("home")).content.decode()


def test_the_commune_picker_lists_the_provinces_communes(client, geo):
    page = client.get(reverse("geo:commune-options"), {"province": geo["province"].pk}).content.decode()
    assert geo["c1"].name in page and geo["far"].name not in page


def test_all_34_provinces_and_3321_communes_are_loaded(db):
    from ctxh.geo.models import Commune, Province

    assert Province.objects.count() == 34 and Commune.objects.count() == 3321


def test_a_statistician_sees_aggregates_with_small_counts_hidden(login, cast, geo):
    from tests.factories import PersonFactory

    for i in range(6):
        PersonFactory(full_name=f"Nguyễn Thị Lan{i}", commune=geo["c1"], sex="female")
    PersonFactory(full_name="Trần Văn Hùng", commune=geo["c1"], sex="male")
    page = login(cast.statistician).get(reverse("home")).content.decode()
    assert geo["c1"].name in page and "<td data-label=\"Nữ\">6</td>" in page
    assert "&lt;5" in page  # one man: hidden
    assert "Nguyễn Thị Lan" not in page and "Trần Văn Hùng" not in page
