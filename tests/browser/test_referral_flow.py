"""A referral that closes the loop, in the browser: the worker refers, the provider without an account answers.

Issue 4: "a worker refers a case to a provider without an account; the provider
opens the link, accepts, later reports completion; the worker sees both on the
case timeline."
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Dialog, Page, expect

from tests.browser.conftest import browser_db
from tests.conftest import PASSWORD
from tests.factories import PersonFactory
from tests.referrals.factories import ConsentFactory, ProviderFactory, term

pytestmark = browser_db

CHILD = "Hoàng Thị Yến"
PROVIDER = "Trung tâm Tư vấn Tâm lý Hoa Sen"
NEED = "Em Yến (9 tuổi) cần tư vấn tâm lý sau sự việc bạo lực trong gia đình; mẹ sẽ đưa em đến."
OUTCOME = "Em Yến đã tham gia đủ 6 buổi tư vấn, ăn ngủ ổn định, đi học đều."
SHOT = "/tmp/ctxh-referral-timeline.png"
SHOT_LINK = "/tmp/ctxh-referral-link.png"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập CTXH")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def _case(cast, geo):
    """The child's case, opened from a school's report and assigned to ``caseworker``; her mother's consent."""
    from ctxh.cases import services
    from ctxh.cases.models import CaseType

    child = PersonFactory(full_name=CHILD, commune=geo["c1"], sex="female", birth_date=dt.date(2017, 3, 9))
    ConsentFactory(person=child, given_by="representative", representative_name="Hoàng Thị Lụa")
    case = services.case_open(actor=cast.counsellor, case_type=CaseType.objects.get(code="child_protection"),
                              person=child, summary="Cô giáo báo em Yến có vết bầm, sợ về nhà.", source="school",
                              reported_at=timezone.now() - dt.timedelta(hours=2))
    services.case_assign(actor=cast.director, case=case, worker=cast.caseworker)
    return case


def test_a_provider_without_an_account_accepts_and_completes_through_links(page: Page, live_server, live_cast, geo):
    base = live_server.url
    case = _case(live_cast, geo)
    counselling = term("provider_service", "t_counselling", "Tư vấn tâm lý cá nhân (thử nghiệm)")
    ProviderFactory(name=PROVIDER, commune=geo["c1"], services=[counselling], phone="0203 3822 111")
    confirmations: list[str] = []

    def accept(dialog: Dialog) -> None:
        confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)

    # 1. The worker opens the case from "my cases" and refers it -------------------------------------
    log_in(page, base, "caseworker")
    page.locator("header nav").get_by_role("link", name="Hồ sơ").click()
    page.locator("#table").get_by_role("link", name=case.number).click()
    expect(page.locator("h1")).to_contain_text(f"Hồ sơ {case.number}")
    section = page.get_by_role("region", name="Chuyển gửi")
    expect(section).to_contain_text("Hồ sơ chưa chuyển gửi đến đơn vị nào.")
    section.get_by_role("link", name=re.compile("Chuyển gửi")).click()
    expect(page.get_by_role("heading", name="Chuyển gửi đến đơn vị cung cấp dịch vụ")).to_be_visible()
    expect(page.get_by_role("region", name="Sự đồng ý chia sẻ thông tin")).to_contain_text("Đã đồng ý")

    # The provider chooser: typed without marks, found as the worker types.
    page.get_by_label("Tên đơn vị").press_sequentially("hoa sen", delay=40)
    choice = page.locator("#provider-results").get_by_role("radio", name=re.compile(PROVIDER))
    expect(choice).to_be_visible()
    expect(page.locator("#provider-results")).to_contain_text("chưa có tài khoản")
    choice.check()
    page.get_by_text("Dịch vụ đề nghị (không bắt buộc)").click()
    page.get_by_label("Tư vấn tâm lý cá nhân (thử nghiệm)", exact=True).check()
    page.get_by_label("Nhu cầu, lý do chuyển gửi").fill(NEED)
    page.screenshot(path="/tmp/ctxh-referral-new.png", full_page=True)
    page.get_by_role("button", name="Gửi chuyển gửi").click()

    # The link, shown once, to send to the provider.
    expect(page.get_by_role("heading", name=re.compile("Đường dẫn trả lời cho đơn vị"))).to_be_visible()
    expect(page.locator(".messages")).to_contain_text(f"đến {PROVIDER}")
    link = page.locator("#link-url").inner_text().strip()
    assert re.fullmatch(rf"{re.escape(base)}/referrals/r/[\w-]+/", link), link

    # 2. The provider opens the link in its own browser, without an account, and accepts ----------------
    provider_context = page.context.browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    provider = provider_context.new_page()
    provider.on("dialog", accept)
    provider.goto(link)
    # What a chat app's preview would fetch names no one; the provider presses the button to read on.
    expect(provider.locator("main")).not_to_contain_text(CHILD)
    provider.get_by_role("button", name="Mở giấy chuyển gửi").click()
    expect(provider.get_by_role("heading", name=re.compile("Trả lời chuyển gửi CG-"))).to_be_visible()
    main = provider.locator("main")
    expect(main).to_contain_text(CHILD)
    expect(main).to_contain_text(NEED)
    expect(main).to_contain_text("Caseworker")
    expect(provider.locator("nav")).to_have_count(0)  # no menu, nothing else of the system
    expect(main).not_to_contain_text(case.number)
    provider.screenshot(path=SHOT_LINK, full_page=True)
    provider.get_by_label("Ghi chú cho Trung tâm (không bắt buộc)").fill("Mời mẹ đưa em đến sáng thứ Hai.")
    provider.get_by_role("button", name="Nhận chuyển gửi").click()
    expect(provider.get_by_role("heading", name="Cảm ơn, Trung tâm đã nhận được trả lời")).to_be_visible()
    expect(main).to_contain_text("Đơn vị đã nhận")
    progress_link = provider.locator("#next-link").inner_text().strip()
    assert progress_link != link

    # The first link is spent.
    provider.goto(link)
    expect(provider.get_by_role("heading", name="Đường dẫn không dùng được")).to_be_visible()
    expect(provider.locator("main")).not_to_contain_text(CHILD)

    # 3. Later, the provider reports completion through the new link ----------------------------------
    provider.goto(progress_link)
    provider.get_by_role("button", name="Mở giấy chuyển gửi").click()
    provider.get_by_label("Kết quả cung cấp dịch vụ").fill(OUTCOME)
    provider.get_by_role("button", name="Báo hoàn thành").click()
    expect(provider.get_by_role("heading", name="Cảm ơn, Trung tâm đã nhận được trả lời")).to_be_visible()
    expect(provider.locator("main")).to_contain_text("Đã hoàn thành")
    assert "Xác nhận đã hoàn thành cung cấp dịch vụ?" in confirmations
    provider_context.close()

    # 4. The worker sees both answers on the case timeline ---------------------------------------------
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.get_by_role("region", name="Chuyển gửi")).to_contain_text("Đã hoàn thành")
    page.get_by_role("tab", name="Dòng thời gian").click()
    timeline = page.get_by_role("tabpanel")
    answers = timeline.locator("tbody tr", has_text="Phản hồi chuyển gửi")
    expect(answers).to_have_count(2)
    expect(answers.nth(1)).to_contain_text("Đã gửi, chờ trả lời → Đơn vị đã nhận")
    expect(answers.nth(1)).to_contain_text(f"{PROVIDER} (qua đường dẫn một lần)")
    expect(answers.nth(0)).to_contain_text("Đơn vị đã nhận → Đã hoàn thành")
    expect(answers.nth(0)).to_contain_text(f"Kết quả: {OUTCOME}")
    expect(timeline.locator("tbody tr", has_text="Chuyển gửi đến đơn vị cung cấp dịch vụ")).to_have_count(1)
    page.screenshot(path=SHOT, full_page=True)
