"""The `pora` command for operators: manage.py plus the project's own commands.

    pora demo [--port 8000]       set up an SQLite demo under var/ and serve it
    pora serve [--port 8000] [--workers N]   serve with waitress (production: DEBUG off)
    pora worker                   run background tasks (imports, later screening) and seal
                                  the logs' hash chains
    pora audit verify             check the audit and access logs' hash chains (exit 1 if broken)
    pora import-permits FILE --user NAME
    pora token create --lodging NAME         API token for a lodging's software
    pora lodging_nightly          detection rules over current guests (nightly)
    pora bench registry|lodging|screening   measure against the targets; non-zero exit
                                  on a miss (`pora bench screening --quality`)
    pora <any manage.py command>
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# What `pora demo` set for itself, kept in its data folder: another `pora` command pointed
# at the same folder (PORA_VAR_DIR) runs with it, as the README shows beside a running demo.
DEMO_SETTINGS = "demo.env"


def _var_dir() -> Path:
    # As pora.settings finds it, without importing the settings.
    return Path(os.environ.get("PORA_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))


def _demo_settings_write(var_dir: Path, values: dict[str, str]) -> None:
    lines = ["# Written by `pora demo`: other pora commands with this PORA_VAR_DIR use these",
             "# settings unless the environment sets them.",
             *(f"{name}={value}" for name, value in values.items())]
    (var_dir / DEMO_SETTINGS).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _demo_settings_apply() -> None:
    """The demo's settings for a command beside it, where the environment does not set them."""
    try:
        text = (_var_dir() / DEMO_SETTINGS).read_text(encoding="utf-8")
    except OSError:
        return
    applied = []
    for line in text.splitlines():
        name, sep, value = line.partition("=")
        name = name.strip()
        if line.startswith("#") or not sep or not name or name in os.environ:
            continue
        os.environ[name] = value.strip()
        applied.append(f"{name}={value.strip()}")
    if applied:
        print(f"pora: {_var_dir() / DEMO_SETTINGS} is a demo's: {', '.join(applied)}",
              file=sys.stderr)


def _django(debug: bool | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pora.settings")
    if debug is not None:
        os.environ.setdefault("DEBUG", "true" if debug else "false")
    import django

    django.setup()


def _manage(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pora", *argv])


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{raw} is not a positive whole number")
    return value


# Requests the demo serves at once: as many database connections at most.
DEMO_THREADS = 8


def cmd_demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pora demo")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--no-serve", action="store_true", help="load the data and stop")
    args = parser.parse_args(argv)
    _django(debug=True)
    from django.conf import settings

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    _manage(["migrate", "--no-input", "-v", "0"])
    _manage(["demo"])
    from pora.demo.registry import REFERENCE_DATE

    # The demo is a snapshot of its reference day: every page, rule and report of the
    # server, the worker and the commands beside them takes that day as today.
    demo_settings = {"DEBUG": "true", "PORA_DEMO_TODAY": REFERENCE_DATE.isoformat()}
    _demo_settings_write(Path(settings.VAR_DIR), demo_settings)
    if args.no_serve:
        return 0
    env = {**os.environ, **demo_settings}
    # A SIGTERM (service manager, CI) must stop the worker and server too.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
    worker = subprocess.Popen([sys.executable, "-m", "pora.cli", "worker", "--no-reload"], env=env)
    print(f"\nPORA demo: http://{args.host}:{args.port}/")
    print("Logins (password uji-coba-pora-2024): petugas, kepala, analis, mitra, hotel, admin\n",
          flush=True)
    # The production server, not Django's development one: that starts a thread, and so a
    # database connection, per concurrent request (95 idle ones on PostgreSQL under 150
    # requests at once, and the server refused everyone after).
    server = subprocess.Popen(
        [sys.executable, "-m", "pora.cli", "serve", "--host", args.host, "--port",
         str(args.port), "--workers", "1", "--threads", str(DEMO_THREADS)], env=env,
    )
    try:
        return server.wait()
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        for process in (server, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def cmd_serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pora serve")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--threads", type=_positive, default=8,
                        help="requests served at once per process, each with at most one "
                             "database connection")
    parser.add_argument("--workers", type=_positive,
                        default=int(os.environ.get("PORA_WORKERS", "1")),
                        help="waitress processes (one per core: a process uses one core)")
    args = parser.parse_args(argv)
    _django()
    from django.conf import settings

    from pora.core.dbroles import check_application_role

    check_application_role()
    from django.db import connections

    connections.close_all()  # opened by the check in this thread, which serves no request
    if not settings.DEBUG:  # in DEBUG WhiteNoise serves the files from where they are
        _manage(["collectstatic", "--no-input", "-v", "0"])

    from pora.core.serving import serve
    from pora.wsgi import application

    # Django keeps a connection per thread, and waitress runs a fixed pool of threads:
    # nothing else in a worker opens one.
    print(f"Database connections: at most {args.workers * args.threads} "
          f"({args.workers} processes x {args.threads} threads)", flush=True)
    options = {"threads": args.threads}
    if settings.PORA_BEHIND_PROXY:
        # Waitress removes X-Forwarded-* sent by a peer it does not trust: Django would never
        # see X-Forwarded-Proto and redirect every request to https again.
        options.update(trusted_proxy=os.environ.get("PORA_TRUSTED_PROXY", "127.0.0.1"),
                       trusted_proxy_headers={"x-forwarded-proto", "x-forwarded-for"})
    serve(application, host=args.host, port=args.port, workers=args.workers, **options)
    return 0


def cmd_worker(argv: list[str]) -> int:
    _django()
    from django.conf import settings

    from pora.core.chain import start_sealer
    from pora.core.dbroles import check_application_role
    from pora.jobs.sweep import start_sweeping
    from pora.screening.services.screening import rescore_start

    check_application_role()
    start_sealer(settings.PORA_SEAL_SECONDS)
    start_sweeping()
    # Hits judged by an older scorer are judged again by this one, in the background.
    rescore_start()
    _manage(["db_worker", *argv])
    return 0


def cmd_import_permits(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pora import-permits")
    parser.add_argument("file", type=Path)
    parser.add_argument("--user", required=True, help="username the import is recorded under")
    args = parser.parse_args(argv)
    _django()
    from django.db import transaction

    from pora.core.models import User
    from pora.registry.services.imports import UploadError, permit_import_start

    user = User.objects.filter(username=args.user).first()
    if user is None or not user.can_write_registry:
        print(f"pora: user {args.user!r} does not exist or may not import permits",
              file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        with transaction.atomic():
            job = permit_import_start(actor=user, filename=args.file.name,
                                      data=args.file.read_bytes(), run_now=True)
    except (OSError, UploadError) as exc:
        print(f"pora: {exc}", file=sys.stderr)
        return 2
    job.refresh_from_db()
    print(f"{job.get_status_display()}: {job.total_rows} rows, {job.created_count} created, "
          f"{job.updated_count} updated, {job.unchanged_count} unchanged, "
          f"{job.rejected_count} rejected in {time.perf_counter() - started:.1f} s")
    if job.error:
        print(job.error, file=sys.stderr)
    return 0 if job.status == "done" else 1


def cmd_screen(argv: list[str]) -> int:
    # Files in, a file out: no settings, no database.
    from pora.screening.engine.batch import main as screen

    return screen(argv)


def cmd_bench(argv: list[str]) -> int:
    _django()
    _manage(["bench", *argv])
    return 0


COMMANDS = {"demo": cmd_demo, "serve": cmd_serve, "worker": cmd_worker,
            "import-permits": cmd_import_permits, "bench": cmd_bench, "screen": cmd_screen}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "screen":
        return cmd_screen(argv[1:])
    from django.core.exceptions import ImproperlyConfigured

    if argv and argv[0] not in {"demo", "serve", "-h", "--help", "help"}:
        # Production (serve) never takes a demo's settings; demo sets its own.
        _demo_settings_apply()
    try:
        return _run(argv)
    except ImproperlyConfigured as exc:
        # A missing or bad setting: its one line says what to fix, a traceback would bury it.
        print(f"pora: {exc}", file=sys.stderr)
        return 2


def _run(argv: list[str]) -> int:
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:]) or 0
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        if not argv:
            return 0
    _django()
    _manage(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
