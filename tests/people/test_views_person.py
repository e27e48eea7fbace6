"""The registry pages as a worker uses them."""

import pytest
from django.urls import reverse

from ctxh.audit.models import AccessEntry
from ctxh.people.models import Person


@pytest.fixture
def form_data(geo):
    return {"full_name": "Vũ Thị Thảo", "sex": "female", "birth": "05/1979", "cccd": "",
            "province": geo["province"].pk, "commune": geo["c1"].pk, "status": "living"}


def test_it_registers_from_the_form_and_opens_the_record(login, cast, form_data):
    client = login(cast.collaborator)
    response = client.post(reverse("people:create"), form_data)
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.birth_precision == "month" and person.birth_display == "05/1979"
    page = client.get(response["Location"]).content.decode()
    assert "Vũ Thị Thảo" in page
    assert AccessEntry.objects.filter(person_id=person.pk, actor=cast.collaborator).count() == 1


def test_it_keeps_what_was_typed_on_error(login, cast, form_data):
    client = login(cast.collaborator)
    response = client.post(reverse("people:create"), {**form_data, "cccd": "12345", "address_detail": "Thôn Đông"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "12 chữ số" in page and 'value="Vũ Thị Thảo"' in page and 'value="Thôn Đông"' in page
    assert not Person.objects.exists()


def test_it_rejects_a_birth_date_in_an_unknown_shape(login, cast, form_data):
    response = login(cast.collaborator).post(reverse("people:create"), {**form_data, "birth": "năm ngoái"})
    assert response.status_code == 422 and "dd/mm/yyyy" in response.content.decode()


def test_it_shows_duplicates_and_needs_a_reason(login, cast, han, form_data):
    client = login(cast.collaborator)
    data = {**form_data, "full_name": "Dang Thi Ngoc Han", "birth": "1988"}
    response = client.post(reverse("people:create"), data)
    page = response.content.decode()
    assert response.status_code == 422 and "Đặng Thị Ngọc Hân" in page
    assert reverse("people:detail", args=[han.pk]) in page
    response = client.post(reverse("people:create"), {**data, "duplicate_reason": "Khác người, đã xác minh"})
    assert response.status_code == 302 and Person.objects.count() == 2


def test_the_live_duplicate_panel_lists_candidates(login, cast, han, geo):
    response = login(cast.collaborator).get(reverse("people:duplicates"), {
        "full_name": "Đặng Ngọc Hân", "birth": "1988", "province": geo["province"].pk})
    assert "Đặng Thị Ngọc Hân" in response.content.decode()


def test_search_as_you_type_finds_without_marks(login, cast, han):
    page = login(cast.collaborator).get(reverse("people:search"), {"q": "dang han"}).content.decode()
    assert "Đặng Thị Ngọc Hân" in page


def test_the_edit_form_refuses_a_stale_version_and_shows_the_change(login, cast, han, geo):
    from ctxh.people import services

    client = login(cast.collaborator)
    form = {"full_name": han.full_name, "sex": "female", "birth": "09/03/1988", "cccd": han.cccd,
            "phone": "0912345678", "province": geo["province"].pk, "commune": geo["c1"].pk,
            "status": "living", "version": 1, "notes": "Ghi chú của tôi"}
    services.person_update(actor=cast.caseworker, person=han, data={"phone": "0987000111"}, expected_version=1)
    response = client.post(reverse("people:edit", args=[han.pk]), form)
    page = response.content.decode()
    assert response.status_code == 409
    assert "0987000111" in page and "Ghi chú của tôi" in page
    han.refresh_from_db()
    assert han.notes == ""
    response = client.post(reverse("people:edit", args=[han.pk]), {**form, "version": 2})
    assert response.status_code == 302
    han.refresh_from_db()
    assert han.notes == "Ghi chú của tôi" and han.version == 3


def test_the_list_page_has_a_bounded_number_of_queries(login, cast, geo, django_assert_max_num_queries):
    from tests.factories import PersonFactory

    for i in range(30):
        PersonFactory(full_name=f"Nguyễn Văn Số{i}", commune=geo["c1"])
    client = login(cast.collaborator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:list"))
    assert response.status_code == 200 and "30 người" in response.content.decode()


def test_search_as_you_type_asks_for_more_when_too_many_match(login, cast, geo, monkeypatch):
    from ctxh.people import selectors
    from tests.factories import PersonFactory

    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 3)
    for given in ("Yến", "An", "Bình", "Chi"):
        PersonFactory(full_name=f"Nguyễn Thị {given}", commune=geo["c1"])
    page = login(cast.collaborator).get(reverse("people:search"), {"q": "nguyen"}).content.decode()
    assert page.count("<li>") == 3 and "hãy gõ thêm" in page
    page = login(cast.collaborator).get(reverse("people:search"), {"q": "nguyen yen"}).content.decode()
    assert "Nguyễn Thị Yến" in page and "hãy gõ thêm" not in page
