from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Tạo người và hộ gia đình tổng hợp (giả lập) cho một tỉnh."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--province", type=int, required=True)
        parser.add_argument("--persons", type=int, required=True)
        parser.add_argument("--random-seed", type=int, default=1)

    def handle(self, *args: Any, province: int, persons: int, random_seed: int, **options: Any) -> None:
        from ctxh.geo.models import Province
        from ctxh.people.seed import seed_people

        if not Province.objects.filter(pk=province).exists():
            raise CommandError(f"Không có tỉnh mã {province}.")
        if persons <= 0:
            raise CommandError("--persons phải là số dương.")
        started = time.monotonic()
        made = seed_people(province_code=province, persons=persons, random_seed=random_seed)
        self.stdout.write(f"Đã tạo {made} người trong {time.monotonic() - started:.1f} giây.")
