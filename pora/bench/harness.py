"""What every benchmark shares: figures beside their targets, the real server in
subprocesses on loopback and keep-alive HTTP clients with their latencies.

The server runs with production settings (DEBUG off, a secret key, ALLOWED_HOSTS=127.0.0.1,
behind a TLS-terminating proxy that also does the http→https redirect), waitress threads
over persistent database connections: ``pora serve --workers N`` itself (see
:mod:`pora.core.serving`; one process is held to one core by the GIL).

The load generator is an asyncio loop in the calling process: one keep-alive HTTP/1.1
connection per client, requests built before timing. Any answer but 2xx, a dropped
connection or a request not answered in time is an error and counts as slower than any
answer. Each phase prints the CPU used by the server, by PostgreSQL's backends for this
database, by the load generator and by anything else on the machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self
from urllib.parse import quote

from django.conf import settings
from django.db import connection

HOST = "127.0.0.1"
# A request not answered within this long is an error (and ends the phase's wait).
REQUEST_TIMEOUT = 10.0
# No phase may run longer than this, whatever the server does.
PHASE_LIMIT = 180.0


@dataclass
class Result:
    name: str
    value: float | None  # None: not measured (a miss)
    limit: float
    unit: str
    lower_is_better: bool = True
    note: str = ""

    @property
    def ok(self) -> bool:
        if self.value is None:
            return False
        return self.value < self.limit if self.lower_is_better else self.value >= self.limit

    @property
    def measured(self) -> str:
        return "not measured" if self.value is None else f"{self.value:,.1f} {self.unit}"

    @property
    def target(self) -> str:
        return f"{'<' if self.lower_is_better else '≥'} {self.limit:,.0f} {self.unit}"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def print_results(results: list[Result], out) -> list[Result]:
    """The table of every figure beside its target; returns the missed ones."""
    out.write("")
    out.write(f"{'figure':<56} {'measured':>14} {'target':>14}  result")
    for r in results:
        out.write(f"{r.name:<56} {r.measured:>14} {r.target:>14}  "
                  f"{'ok' if r.ok else 'MISSED'}" + (f"  ({r.note})" if r.note else ""))
    return [r for r in results if not r.ok]


# ------------------------------------------------------------------------ load generator


def http_request(*, port: int, path: str, token: str, body: dict, client: int,
                 headers: dict[str, str] | None = None) -> bytes:
    """One JSON POST as bytes on the wire (HTTP/1.1, keep-alive), built before timing."""
    payload = json.dumps(body).encode()
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    head = (f"POST {path} HTTP/1.1\r\n"
            f"Host: {HOST}:{port}\r\n"
            f"Authorization: Bearer {token}\r\n"
            f"{extra}"
            f"Content-Type: application/json\r\n"
            f"Accept: application/json\r\n"
            f"User-Agent: pora-bench/1\r\n"
            # As the TLS-terminating reverse proxy forwards it.
            f"X-Forwarded-Proto: https\r\n"
            f"X-Forwarded-For: 10.20.{client // 250}.{client % 250 + 1}\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n")
    return head.encode() + payload


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, answered 2xx
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    cpu: float = 0.0  # the load generator's own CPU seconds
    # The 2xx answers' bodies by (client, request number), when the caller asked for them.
    bodies: dict[tuple[int, int], bytes] = field(default_factory=dict)

    @property
    def sent(self) -> int:
        return len(self.latencies) + len(self.errors)

    @property
    def seconds(self) -> float:
        return max(self.finished - self.started, 1e-9)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def ms(self, pct: float) -> float:
        """Percentile over every request sent: a failed one counts as slower than any."""
        values = self.latencies + [float("inf")] * len(self.errors)
        return percentile(values, pct) * 1000 if values else float("nan")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, close = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value.strip().lower() == "close":
            close = True
    body = await reader.readexactly(length) if length else b""
    return status, body, close


async def _client(port: int, requests: list[bytes], due: list[float] | None,
                  outcome: Outcome, deadline: float, *, timeout: float, client: int,
                  keep_bodies: bool) -> None:
    loop = asyncio.get_running_loop()
    reader = writer = None
    for i, request in enumerate(requests):
        if due is not None:
            wait = due[i] - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            start = due[i]
        else:
            start = loop.time()
        if start > deadline:
            outcome.errors.append("not sent: phase time limit")
            continue
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(request)
            status, body, close = await asyncio.wait_for(_read_response(reader), timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            outcome.errors.append(f"{type(exc).__name__}: {exc}")
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        elapsed = loop.time() - start
        outcome.statuses[status] += 1
        if 200 <= status < 300:
            outcome.latencies.append(elapsed)
            if keep_bodies:
                outcome.bodies[client, i] = body
        else:
            outcome.errors.append(f"HTTP {status}: {body[:300]!r}")
        if close:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def drive(port: int, per_client: list[list[bytes]], *, rate: float | None = None,
          seed: int = 5, timeout: float = REQUEST_TIMEOUT, limit: float = PHASE_LIMIT,
          keep_bodies: bool = False) -> Outcome:
    """Send every client's requests over its own connection; ``rate`` in requests/s
    across all clients (Poisson arrivals), or None for as fast as answers come.

    ``timeout`` bounds each answer, ``limit`` the whole phase; ``keep_bodies`` keeps the
    2xx answers in :attr:`Outcome.bodies`."""
    outcome = Outcome()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.05
        deadline = start + limit
        schedules: list[list[float] | None] = []
        rng = random.Random(seed)
        for requests in per_client:
            if rate is None:
                schedules.append(None)
                continue
            per_client_rate = rate / len(per_client)
            t, due = start, []
            for _ in requests:
                t += rng.expovariate(per_client_rate)
                due.append(t)
            schedules.append(due)
        cpu = time.process_time()
        outcome.started = start if rate is not None else loop.time()
        await asyncio.gather(*(
            _client(port, requests, due, outcome, deadline, timeout=timeout, client=n,
                    keep_bodies=keep_bodies)
            for n, (requests, due) in enumerate(zip(per_client, schedules, strict=True))))
        outcome.finished = loop.time()
        outcome.cpu = time.process_time() - cpu

    asyncio.run(main())
    return outcome


# ---------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def pids(self) -> list[int]:
        """The server's processes (the workers when pre-forked)."""
        out = [self.process.pid]
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            out += [int(p) for p in children.read_text().split()]
        except OSError:
            pass
        return out

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(*, workdir: Path, servers: int, threads: int, out,
                 env: dict[str, str] | None = None) -> Server:
    """The application on a free loopback port; ``env`` adds to or overrides its
    environment."""
    port = free_port()
    env = {**os.environ,
           "DJANGO_SETTINGS_MODULE": "pora.settings", "DATABASE_URL": database_url(),
           "DEBUG": "false", "PORA_TESTING": "false",
           "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": HOST,
           # TLS ends at the reverse proxy, which also redirects plain http to https.
           # (Waitress drops X-Forwarded-* from an untrusted peer, so `pora serve` cannot
           # rely on X-Forwarded-Proto for Django's https redirect.)
           "PORA_BEHIND_PROXY": "true", "PORA_SSL_REDIRECT": "false",
           "PORA_VAR_DIR": str(workdir),
           # The scratch database belongs to the role the bench was given (often the
           # superuser): the production check that the server's role owns no table
           # would refuse it, and the logs of a scratch database protect nothing.
           "PORA_CHECK_DB_ROLE": "false",
           "PORA_LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1", **(env or {})}
    command = [sys.executable, "-m", "pora.cli", "serve", "--host", HOST, "--port", str(port),
               "--workers", str(servers), "--threads", str(threads)]
    log = workdir / "server.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                   cwd=settings.BASE_DIR, start_new_session=True)
    server = Server(process, port, log)
    started = time.perf_counter()
    while time.perf_counter() - started < 120:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    else:
        server.stop()
        raise RuntimeError("the server did not listen within 120 s")
    out.write(f"Server: {servers} waitress process(es) × {threads} threads on {HOST}:{port} "
              f"(up in {time.perf_counter() - started:.1f} s)")
    return server


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks


# --------------------------------------------------------------------------- phases


class BackendMeter:
    """CPU seconds of the PostgreSQL backends serving the bench database on this machine.

    Backends come and go (persistent connections still end after CONN_MAX_AGE), so a
    thread samples them twice a second by their process title, which names the database;
    a backend that ends between samples loses at most half a second.
    """

    def __init__(self) -> None:
        self.name = f" {connection.settings_dict['NAME']} "
        self.own = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.own = cursor.fetchone()[0]
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _backends(self) -> list[int]:
        if self.own is None:
            return []
        out = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == self.own:
                continue
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres:") and self.name.encode() in title:
                out.append(int(entry.name))
        return out

    def _sample(self) -> None:
        for pid in self._backends():
            cpu = cpu_seconds([pid])
            self.first.setdefault(pid, cpu if self._thread is None else 0.0)
            self.last[pid] = cpu

    def __enter__(self) -> Self:
        self._sample()  # backends already there count from now
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._sample()

    @property
    def seconds(self) -> float:
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())


def phase_line(label: str, outcome: Outcome, cpu: dict[str, float], what: str = "request"
               ) -> str:
    seconds = outcome.seconds
    answered = max(len(outcome.latencies), 1)
    per_request = (cpu["server"] + cpu["database"]) * 1000 / answered
    return (f"{label}: {len(outcome.latencies):,} answered, {len(outcome.errors)} errors in "
            f"{seconds:.1f} s = {outcome.throughput:,.1f}/s; latency p50 "
            f"{outcome.ms(50):.1f} ms, p95 {outcome.ms(95):.1f} ms, p99 {outcome.ms(99):.1f} ms, "
            f"max {outcome.ms(100):.1f} ms\n"
            f"  CPU (cores): server {cpu['server'] / seconds:.2f}, PostgreSQL "
            f"{cpu['database'] / seconds:.2f}, load generator {outcome.cpu / seconds:.2f}, "
            f"anything else on the machine {cpu['other'] / seconds:.2f} "
            f"(of {os.cpu_count()}); server + PostgreSQL {per_request:.1f} ms CPU a {what}")


def run_phase(label: str, server: Server, per_client: list[list[bytes]], *,
              rate: float | None, out, what: str = "request", **drive_options
              ) -> tuple[Outcome, float]:
    """Run one phase (see :func:`drive` for ``drive_options``); returns its outcome and
    the CPU seconds a request cost in all (server, PostgreSQL and load generator)."""
    pids = server.pids()
    server_before = {pid: cpu_seconds([pid]) for pid in pids}
    busy_before = machine_busy()
    with BackendMeter() as backends:
        outcome = drive(server.port, per_client, rate=rate, **drive_options)
    busy_after = machine_busy()
    database = backends.seconds
    per_process = [cpu_seconds([pid]) - server_before[pid] for pid in pids]
    cpu = {"server": sum(per_process), "database": database}
    cpu["other"] = max(busy_after[0] - busy_before[0] - cpu["server"] - database - outcome.cpu,
                       0.0)
    out.write(phase_line(label, outcome, cpu, what))
    if len(pids) > 2:  # the pre-forked workers, after their parent
        out.write("  server processes: " + " + ".join(
            f"{c / outcome.seconds:.2f}" for c in per_process[1:]) + " cores")
    for error, n in Counter(outcome.errors).most_common(5):
        out.write(f"  {n} × {error}")
    answered = max(len(outcome.latencies), 1)
    return outcome, (cpu["server"] + database + outcome.cpu) / answered

