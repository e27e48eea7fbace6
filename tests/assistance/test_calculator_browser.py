"""In the browser: the calculator answered from the keyboard, in place, keeping what was typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (  # noqa: F401 — fixtures for this module
    _serialized_snapshot_under_playwright,
    browser_context_args,
    browser_db,
    browser_type_launch_args,
    live_cast,
)
from tests.conftest import PASSWORD

pytestmark = browser_db


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


@pytest.mark.usefixtures("live_cast")
def test_a_commune_collaborator_asks_would_she_qualify(page: Page, live_server):
    base = live_server.url
    log_in(page, base, "collaborator")
    page.goto(f"{base}/assistance/calculator/")
    expect(page.get_by_role("heading", name="Tính thử trợ cấp xã hội")).to_be_visible()

    on = page.locator("#id_on")
    on.fill("15/03/2025")
    page.keyboard.press("Tab")
    page.keyboard.type("1941")  # the birth date: only the year is known
    page.get_by_label("Phân loại hộ").select_option("poor")
    page.get_by_label("Mức độ khuyết tật").select_option("especially_severe")
    group = page.get_by_label("Người cao tuổi thuộc hộ nghèo, không có người có nghĩa vụ phụng dưỡng")
    group.focus()
    page.keyboard.press("Space")
    expect(group).to_be_checked()
    page.locator("#id_birth").press("Enter")

    answer = page.locator("#calc-answer")
    expect(answer).to_contain_text("1.250.000 ₫")
    expect(answer).to_contain_text("Khuyết tật đặc biệt nặng, người cao tuổi")
    expect(answer).to_contain_text("chỉ hưởng một mức cao nhất")
    expect(answer).to_contain_text("Chỉ biết năm sinh 1941")
    # Answered in place: the form still holds what was typed.
    expect(page.locator("#id_birth")).to_have_value("1941")
    expect(page.get_by_label("Người cao tuổi thuộc hộ nghèo, không có người có nghĩa vụ phụng dưỡng")).to_be_checked()

    # The rule rows behind the answer open with their sources.
    page.get_by_text(re.compile("Các quy định đã dùng")).click()
    expect(answer.get_by_role("table").last).to_contain_text("Nghị định 76/2024/NĐ-CP, Điều 1")

    # Change one fact and press the access key: the answer follows.
    page.get_by_label("Mức độ khuyết tật").select_option("")
    page.locator("#calc-submit").focus()
    page.keyboard.press("Enter")
    expect(answer).to_contain_text("1.000.000 ₫")
    expect(answer).not_to_contain_text("1.250.000 ₫")
    expect(page.get_by_role("heading", name="Kết quả ngày 15/03/2025")).to_be_in_viewport()
