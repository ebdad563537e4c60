"""`pora serve` and `pora demo` hold a bounded number of database connections.

Django keeps one connection per thread; its development server starts a thread per
request, so under 150 concurrent requests the demo once held 95 idle connections and
PostgreSQL refused every new one. Waitress serves from a fixed pool of threads.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from pora import cli
from pora.bench.harness import free_port


def test_the_demo_serves_with_the_production_server_and_its_bounded_threads(monkeypatch):
    started, environments = [], []

    class Process:
        def __init__(self, args, **kwargs):
            started.append(args)
            environments.append(kwargs.get("env", {}))

        def wait(self, timeout=None):
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr(cli, "_django", lambda debug=None: None)
    monkeypatch.setattr(cli, "_manage", lambda argv: None)
    monkeypatch.setattr(cli.subprocess, "Popen", Process)
    monkeypatch.setattr(cli.signal, "signal", lambda *args: None)
    assert cli.cmd_demo(["--port", "8765"]) == 0
    server = started[-1]
    assert server[1:4] == ["-m", "pora.cli", "serve"]
    assert "runserver" not in server
    assert server[server.index("--threads") + 1] == str(cli.DEMO_THREADS)
    assert server[server.index("--workers") + 1] == "1"
    assert server[server.index("--port") + 1] == "8765"
    # The server and the worker run on the demo's calendar (pora.core.clock).
    assert {env.get("PORA_DEMO_TODAY") for env in environments} == {"2024-02-01"}


def _connections(database: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh figures, not the cached
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                       "AND pid <> pg_backend_pid()", [database])
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.skipif("connection.vendor != 'postgresql'",
                    reason="counts the server's PostgreSQL backends (pg_stat_activity); "
                           "SQLite has no connections to count (CI runs it on PostgreSQL)")
def test_serve_holds_at_most_workers_times_threads_connections(tmp_path):
    workers, threads, clients = 2, 3, 40
    db = connection.settings_dict
    database = db["NAME"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{database}"
    env = {k: v for k, v in os.environ.items()
           if k not in {"PORA_TESTING", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(DATABASE_URL=url, DEBUG="true", PORA_VAR_DIR=str(tmp_path))
    port = free_port()
    with open(tmp_path / "serve.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "pora.cli", "serve", "--port", str(port),
             "--workers", str(workers), "--threads", str(threads)],
            env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, \
                    (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
        answered = []

        def client(n: int) -> None:
            for i in range(8):
                # A receipt check: public, and it asks the database.
                try:
                    urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/penginapan/periksa/NOPE{n}X{i}/", timeout=30)
                except urllib.error.HTTPError as exc:
                    answered.append(exc.code)

        running = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in running:
            thread.start()
        peak = 0
        while any(thread.is_alive() for thread in running):
            peak = max(peak, _connections(database))
            time.sleep(0.02)
        peak = max(peak, _connections(database))
        assert answered.count(404) == clients * 8, (tmp_path / "serve.log").read_text()
        # Every thread of every worker asked the database at least once: the bound is reached
        # and not passed.
        assert 1 < peak <= workers * threads, peak
    finally:
        server.terminate()
        server.wait(timeout=30)
