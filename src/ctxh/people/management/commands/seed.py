from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu tổng hợp (giả lập) cho một tỉnh: người và hộ gia đình (--persons), "
        "rồi hồ sơ trường hợp (--cases), cuộc gọi tư vấn (--calls) về những người đó và "
        "người hưởng trợ cấp xã hội (--entitled)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--province", type=int, required=True)
        parser.add_argument("--persons", type=int, default=0, help="số người tạo thêm")
        parser.add_argument("--cases", type=int, default=0, help="số hồ sơ trường hợp tạo thêm (sau người)")
        parser.add_argument("--calls", type=int, default=0, help="số cuộc gọi đã kết thúc tạo thêm (sau hồ sơ)")
        parser.add_argument("--entitled", type=int, default=0,
                            help="số người hưởng trợ cấp xã hội tạo thêm (trong những người đã có)")
        parser.add_argument("--random-seed", type=int, default=1)

    def handle(self, *args: Any, province: int, persons: int, random_seed: int, cases: int = 0, calls: int = 0,
               entitled: int = 0, **options: Any) -> None:
        from ctxh.geo.models import Province

        if not Province.objects.filter(pk=province).exists():
            raise CommandError(f"Không có tỉnh mã {province}.")
        if persons < 0 or cases < 0 or calls < 0 or entitled < 0:
            raise CommandError("--persons, --cases, --calls và --entitled không được âm.")
        if not (persons or cases or calls or entitled):
            raise CommandError("--persons phải là số dương (hoặc cho --cases, --calls, --entitled).")
        if persons:
            from ctxh.people.seed import seed_people

            started = time.monotonic()
            made = seed_people(province_code=province, persons=persons, random_seed=random_seed)
            self.stdout.write(f"Đã tạo {made} người trong {time.monotonic() - started:.1f} giây.")
        if cases:
            from ctxh.cases.seed import seed_cases

            started = time.monotonic()
            try:
                r = seed_cases(province_code=province, cases=cases, random_seed=random_seed)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"Đã tạo {r.cases} hồ sơ ({r.open_cases} đang mở, {r.sealed} niêm phong; {r.members} thành viên "
                f"nhóm, {r.deadlines} thời hạn, {r.events} sự kiện) trong {time.monotonic() - started:.1f} giây. "
                f"{r.bench_worker} phụ trách {r.bench_worker_open} hồ sơ đang mở.")
        if calls:
            from ctxh.hotline.seed import seed_calls

            started = time.monotonic()
            try:
                n = seed_calls(province_code=province, calls=calls, random_seed=random_seed)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Đã tạo {n} cuộc gọi trong {time.monotonic() - started:.1f} giây.")
        if entitled:
            import random

            from ctxh.assistance.seed import seed_entitlements

            started = time.monotonic()
            try:
                n = seed_entitlements(province_code=province, n=entitled,
                                      rng=random.Random(f"entitled-{random_seed}"))
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Đã tạo {n} người hưởng trợ cấp trong {time.monotonic() - started:.1f} giây.")
