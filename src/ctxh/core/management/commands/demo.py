"""Prepare a demo installation: schema, units, reference data, users, people.

Safe to run again: it adds only what is missing and reuses the saved password.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_USERS = [
    # username, full name, organisation key, role, coverage
    ("admin", "Quản trị Hệ Thống", "centre", "administrator", "province"),
    ("director", "Trương Mạnh Hùng", "centre", "director", "province"),
    ("caseworker", "Nguyễn Thị Thu Hà", "centre", "case_worker", "province"),
    ("counsellor", "Phạm Văn Dũng", "centre", "counsellor", "province"),
    ("collaborator", "Lê Thị Mai", "commune1", "collaborator", "commune1"),
    ("collaborator2", "Đỗ Văn Nam", "commune2", "collaborator", "commune2"),
    ("facility", "Vũ Thị Hồng", "facility", "facility_staff", "commune1"),
    ("statistician", "Hoàng Minh Tuấn", "department", "statistician", "none"),
]


def demo_password() -> str:
    """CTXH_DEMO_PASSWORD, or one generated once and kept in the data folder."""
    env = os.environ.get("CTXH_DEMO_PASSWORD")
    if env:
        return env
    path = settings.DATA_DIR / "demo-password.txt"
    if path.exists():
        return path.read_text().strip()
    password = "ctxh-" + secrets.token_urlsafe(9)
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


class Command(BaseCommand):
    help = "Chuẩn bị hệ thống mẫu: cơ sở dữ liệu, đơn vị hành chính, người dùng và dữ liệu mẫu."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--persons", type=int, default=3000)

    def handle(self, *args: Any, persons: int, **options: Any) -> None:
        if settings.PRODUCTION:
            self.stderr.write("Không chạy dữ liệu mẫu ở chế độ production.")
            return
        call_command("migrate", "--no-input", verbosity=0)
        from ctxh.core.demo import ensure_demo

        password = demo_password()
        report = ensure_demo(password=password, persons=persons)
        self.stdout.write(self.style.SUCCESS(f"CTXH đã sẵn sàng (dữ liệu mẫu: {report['province']})."))
        self.stdout.write("Người dùng mẫu: " + ", ".join(u[0] for u in DEMO_USERS))
        if os.environ.get("CTXH_DEMO_PASSWORD"):
            self.stdout.write("Mật khẩu: giá trị của biến môi trường CTXH_DEMO_PASSWORD")
        else:
            self.stdout.write(f"Mật khẩu chung: {password}")
