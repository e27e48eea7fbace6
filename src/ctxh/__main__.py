"""The ``ctxh`` command: demo, serve, worker, seed, manage."""

from __future__ import annotations

import argparse
import os
import sys


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctxh.settings")
    import django

    django.setup()


def _call(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctxh.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["ctxh manage", *argv[1:]])
        return 0

    parser = argparse.ArgumentParser(prog="ctxh", description="CTXH — hệ thống công tác xã hội")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="chuẩn bị dữ liệu mẫu (SQLite) và chạy máy chủ")
    demo.add_argument("--no-serve", action="store_true", help="chỉ chuẩn bị, không chạy máy chủ")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--persons", type=int, default=3000, help="số người mẫu khi tạo lần đầu")
    serve = sub.add_parser("serve", help="chạy máy chủ web")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    sub.add_parser("worker", help="chạy tiến trình xử lý công việc nền")
    seed = sub.add_parser("seed", help="tạo dữ liệu tổng hợp")
    seed.add_argument("--province", type=int, required=True, help="mã tỉnh (2 chữ số), ví dụ 22")
    seed.add_argument("--persons", type=int, default=0, help="số người tạo thêm")
    seed.add_argument("--random-seed", type=int, default=1)
    seed.add_argument("--cases", type=int, default=0, help="số hồ sơ trường hợp tổng hợp")
    seed.add_argument("--calls", type=int, default=0, help="số cuộc gọi tổng hợp")
    seed.add_argument("--entitled", type=int, default=0,
                      help="số người được hưởng trợ cấp (trong những người đã có của tỉnh)")
    sub.add_parser("manage", help="lệnh quản trị Django: ctxh manage <lệnh>")
    args = parser.parse_args(argv)

    _django()
    if args.command == "demo":
        _call("demo", f"--persons={args.persons}")
        if not args.no_serve:
            _serve("127.0.0.1", args.port)
    elif args.command == "serve":
        _call("migrate", "--no-input", "-v", "0")
        _serve(args.host, args.port)
    elif args.command == "worker":
        _start_scheduler()
        _call("db_worker")
    elif args.command == "seed":
        _call("seed", f"--province={args.province}", f"--persons={args.persons}",
              f"--random-seed={args.random_seed}", f"--cases={args.cases}", f"--calls={args.calls}",
              f"--entitled={args.entitled}")
    return 0


def _start_scheduler() -> None:
    """Queue the periodic jobs (deadline and call-back reminders) while the worker runs.

    django-tasks has no periodic runs of its own; a daemon thread in the worker
    enqueues them every CTXH_REMINDER_MINUTES. With several workers each queues
    its own copy, which is harmless: a reminder is sent once per deadline.
    """
    import threading

    from django.conf import settings

    def loop() -> None:
        import logging
        import time

        from django.db import close_old_connections

        from ctxh.cases.tasks import send_deadline_reminders
        from ctxh.hotline.tasks import send_follow_up_reminders

        while True:
            try:
                send_deadline_reminders.enqueue()
                send_follow_up_reminders.enqueue()
            except Exception:  # keep the worker alive; the next round retries
                logging.getLogger("ctxh.scheduler").exception("Không xếp được việc nhắc hạn")
            finally:
                close_old_connections()
            time.sleep(settings.CTXH_REMINDER_MINUTES * 60)

    threading.Thread(target=loop, name="ctxh-scheduler", daemon=True).start()


def _serve(host: str, port: int) -> None:
    from django.conf import settings

    print(f"CTXH: http://{host}:{port}/  (Ctrl+C để dừng)", flush=True)
    if settings.PRODUCTION:
        print("Chế độ production: hãy chạy sau gunicorn (gunicorn ctxh.wsgi).", flush=True)
    _call("runserver", f"{host}:{port}", "--noreload", "--skip-checks")


if __name__ == "__main__":
    raise SystemExit(main())
