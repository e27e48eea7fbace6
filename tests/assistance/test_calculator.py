"""The calculator page: anyone who works with people may ask "would she qualify?"."""

import datetime as dt

import pytest
from django.urls import reverse

URL = reverse("assistance:calculator")
HTMX = {"HX-Request": "true"}


def elderly_woman(**extra):
    data = {"on": "15/03/2025", "birth": "1941", "sex": "female", "groups": ["d20_5_6a"],
            "household_poverty": "poor", "disability_level": "especially_severe"}
    data.update(extra)
    return data


def test_it_sends_anonymous_users_to_login(client):
    for response in (client.get(URL), client.post(URL, elderly_woman())):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("user", ["outsider", "statistician"])
def test_it_refuses_users_without_the_capability(login, cast, user):
    client = login(cast[user])
    assert client.get(URL).status_code == 403
    assert client.post(URL, elderly_woman()).status_code == 403


@pytest.mark.parametrize("user", ["collaborator", "caseworker", "facility", "counsellor", "far_worker"])
def test_it_opens_for_every_person_facing_role(login, cast, user):
    assert login(cast[user]).get(URL).status_code == 200


def test_the_form_offers_groups_with_their_labels_and_the_users_communes(login, cast, geo):
    body = login(cast.collaborator).get(URL).content.decode()
    assert f'value="{dt.date.today():%d/%m/%Y}"' in body
    assert "Người khuyết tật nặng, khuyết tật đặc biệt nặng" in body
    assert "Trẻ em mồ côi cả cha và mẹ" in body
    assert "Hộ gia đình đang trực tiếp chăm sóc, nuôi dưỡng người khuyết tật đặc biệt nặng" in body
    assert f'value="{geo["c1"].pk}"' in body and f'value="{geo["c2"].pk}"' not in body
    assert 'accesskey="t"' in body and 'hx-post="' + URL + '"' in body


def test_it_answers_in_place_with_the_reasoning_and_its_sources(login, cast):
    response = login(cast.collaborator).post(URL, elderly_woman(), headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="calc"' in body
    assert response["HX-Reswap"] == "outerHTML show:#calc-answer:top"
    # Two rows qualify; only the higher is paid.
    assert "Khuyết tật đặc biệt nặng, người cao tuổi" in body and "1.250.000 ₫" in body
    assert "Người cao tuổi thuộc hộ nghèo, không có người phụng dưỡng, từ đủ 80 tuổi" in body
    assert "1.000.000 ₫" in body and "chỉ hưởng một mức cao nhất" in body
    # The rule rows with value, valid-from date and source document.
    assert "assistance.base_level" in body and "500.000 VND/tháng" in body
    assert "01/07/2024" in body and "Nghị định 76/2024/NĐ-CP, Điều 1" in body
    assert "Nghị định 20/2021/NĐ-CP, Điều 6, khoản 2" in body
    # The year-only birth date convention is shown.
    assert "Chỉ biết năm sinh 1941" in body and "01/01/1941" in body


def test_it_keeps_what_was_typed(login, cast):
    body = login(cast.collaborator).post(URL, elderly_woman(), headers=HTMX).content.decode()
    assert 'value="1941"' in body and 'value="15/03/2025"' in body
    assert 'value="d20_5_6a" checked' in body
    assert '<option value="especially_severe" selected>' in body


def test_without_htmx_the_whole_page_comes_back(login, cast):
    response = login(cast.collaborator).post(URL, elderly_woman())
    body = response.content.decode()
    assert "<html" in body and "1.250.000 ₫" in body and "Tính thử trợ cấp xã hội" in body


def test_a_bad_birth_date_is_refused_and_the_rest_kept(login, cast):
    body = login(cast.collaborator).post(URL, elderly_woman(birth="31/02/19x1"), headers=HTMX).content.decode()
    assert "Ngày sinh không đúng dạng" in body and 'value="d20_5_6a" checked' in body
    assert "Cách tính, từng bước" not in body


def test_a_birth_date_in_the_future_is_refused(login, cast):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    data = elderly_woman(birth=f"{tomorrow:%d/%m/%Y}", on=f"{tomorrow:%d/%m/%Y}")
    body = login(cast.collaborator).post(URL, data, headers=HTMX).content.decode()
    assert "Ngày sinh không được ở tương lai." in body


def test_a_date_before_the_rules_is_refused_with_the_reason(login, cast):
    body = login(cast.collaborator).post(URL, elderly_woman(on="01/01/2013"), headers=HTMX).content.decode()
    assert "Chưa có quy định" in body and "01/01/2013" in body


def test_a_person_in_no_group_is_told_so(login, cast):
    data = {"on": "15/03/2025", "birth": "15/06/1990", "sex": "male", "household_poverty": "none"}
    body = login(cast.collaborator).post(URL, data, headers=HTMX).content.decode()
    assert "Không thuộc diện nào được hưởng" in body and "0 ₫" in body


def test_a_commune_outside_the_users_area_is_refused(login, cast, geo):
    body = login(cast.collaborator).post(URL, elderly_woman(commune=geo["c2"].pk), headers=HTMX).content.decode()
    assert "errorlist" in body and "Cách tính, từng bước" not in body
