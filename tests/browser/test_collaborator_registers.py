"""A collaborator registers a person in the browser; a collaborator of another commune cannot see them.

Issue: "log in as `collaborator`, register a person, find them by typing the name
without diacritics, then log in as `collaborator2` and fail to open that record."
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import browser_db
from tests.conftest import PASSWORD

pytestmark = browser_db

NAME = "Đặng Thị Ngọc Hân"
SHOT = "/tmp/ctxh-shot-person.png"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập CTXH")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def log_out(page: Page) -> None:
    page.locator("header").get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập CTXH")).to_be_visible()


def search_home(page: Page, text: str) -> None:
    page.locator("header a.brand").click()
    box = page.locator("#home-q")
    expect(box).to_be_visible()
    box.press_sequentially(text, delay=60)  # keystroke by keystroke, as a user would


def test_collaborator_registers_and_other_commune_cannot_open(page: Page, live_server, live_cast, geo):
    base = live_server.url
    c1 = geo["c1"]

    # 1. Collaborator of commune c1 logs in and opens the registration form via the menu.
    log_in(page, base, "collaborator")
    page.locator("header nav").get_by_role("link", name="Đối tượng").click()
    expect(page.get_by_role("heading", name="Danh sách đối tượng")).to_be_visible()
    page.locator("a.button", has_text="Đăng ký mới").click()
    expect(page.get_by_role("heading", name="Đăng ký đối tượng mới")).to_be_visible()

    # 2. Fill in and save. The province defaults to the installation's (22), whose
    #    communes are rendered server-side on first load.
    expect(page.locator("#id_province")).to_have_value(str(geo["province"].pk))
    page.locator("#id_full_name").fill(NAME)
    page.locator("#id_sex").select_option("female")
    page.locator("#id_birth").fill("1988")
    page.locator("#id_commune").select_option(str(c1.pk))
    page.get_by_role("button", name="Lưu").click()

    # 3. The detail page of the new record.
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    detail_url = page.url
    expect(page.locator("h1")).to_contain_text(NAME)
    expect(page.locator(".messages")).to_contain_text(f"Đã đăng ký {NAME}")
    expect(page.locator("dl.facts")).to_contain_text(NAME)
    expect(page.locator("dl.facts")).to_contain_text("Nữ")
    expect(page.locator("dl.facts")).to_contain_text("1988")
    expect(page.locator("dl.facts")).to_contain_text(c1.name)
    page.screenshot(path=SHOT, full_page=True)

    # 4. Find them from the home page by typing the name without diacritics.
    search_home(page, "dang han")
    hit = page.locator("#home-results a", has_text=NAME)
    expect(hit).to_have_count(1)
    page.screenshot(path="/tmp/ctxh-shot-search.png")
    hit.click()
    expect(page).to_have_url(detail_url)
    expect(page.locator("h1")).to_contain_text(NAME)

    # 5. A collaborator of another commune can neither open nor find the record.
    log_out(page)
    log_in(page, base, "collaborator2")
    response = page.goto(detail_url)
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy")
    expect(page.locator("body")).not_to_contain_text(NAME)
    expect(page.locator("body")).not_to_contain_text("Đặng")
    page.screenshot(path="/tmp/ctxh-shot-404.png")

    search_home(page, "dang han")
    expect(page.locator("#home-results")).to_contain_text("Không tìm thấy ai khớp “dang han”")
    expect(page.locator("#home-results a", has_text=NAME)).to_have_count(0)
    expect(page.locator("#home-results")).not_to_contain_text("Đặng")


def test_reference_data_survives_the_flush(live_server, geo):
    """Runs after the browser test above (whose end flushed every table): the data
    migrations' provinces, communes and Terms are back, and the cast is gone."""
    from ctxh.accounts.models import User
    from ctxh.core.models import Term
    from ctxh.geo.models import Commune, Province
    from ctxh.people.models import Person

    assert Province.objects.filter(pk=22).exists()
    assert Commune.objects.filter(province_id=22).count() >= 3
    assert Term.objects.filter(vocabulary="ethnicity").exists()
    assert not User.objects.filter(username="collaborator").exists()
    assert not Person.objects.exists()
