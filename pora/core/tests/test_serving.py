"""`pora serve --workers N`: the parent hands connections to the workers in turn."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest
from django.conf import settings

from pora.bench.harness import free_port
from pora.core.serving import _start_worker

# A WSGI application answering with its process id, served as `pora serve` serves PORA.
SERVER = textwrap.dedent("""
    import os, sys
    import django
    django.setup()
    from pora.core import serving
    from pora.core.serving import serve

    serving.REPLACE_WINDOW = float(sys.argv[4])

    def application(environ, start_response):
        body = str(os.getpid()).encode()
        start_response("200 OK", [("Content-Type", "text/plain"),
                                  ("Content-Length", str(len(body)))])
        return [body]

    serve(application, host="127.0.0.1", port=int(sys.argv[1]), workers=int(sys.argv[2]),
          threads=1, connection_limit=int(sys.argv[3]))
""")


@pytest.fixture
def server():
    started = []

    def start(workers: int, connection_limit: int = 100, replace_window: float = 60) -> int:
        port = free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pora.settings", "DEBUG": "true",
               "PORA_VAR_DIR": str(settings.VAR_DIR)}
        process = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(workers),
                                    str(connection_limit), str(replace_window)],
                                   env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        started.append(process)
        start.process = process
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return port
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stdout.read().decode()) from None
                time.sleep(0.1)

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=20)


def _pid(connection: http.client.HTTPConnection) -> str:
    connection.request("GET", "/")
    response = connection.getresponse()
    assert response.status == 200
    return response.read().decode()


def test_connections_go_to_the_workers_in_turn_and_stay_with_theirs(server):
    port = server(workers=2)
    # The probe connection of the fixture took the first turn.
    clients = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(6)]
    try:
        first = [_pid(c) for c in clients]
        # Two workers, three connections each, none of them the parent.
        assert len(set(first)) == 2
        assert sorted(first.count(pid) for pid in set(first)) == [3, 3]
        # A keep-alive connection keeps its worker.
        assert [_pid(c) for c in clients] == first
    finally:
        for c in clients:
            c.close()


def _answers(port: int, count: int) -> list[str]:
    """The worker of each of ``count`` new connections ("dropped" where none answered)."""
    answers = []
    for _ in range(count):
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            answers.append(_pid(client))
        except (OSError, http.client.HTTPException):
            answers.append("dropped")
        finally:
            client.close()
    return answers


def test_a_stopped_worker_is_replaced(server):
    port = server(workers=2)
    first = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    second = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    pids = {_pid(first), _pid(second)}
    assert len(pids) == 2
    gone = pids.pop()
    os.kill(int(gone), signal.SIGKILL)
    time.sleep(1.5)
    answers = _answers(port, 6)
    # At most the one connection handed over before the parent noticed is lost; the
    # others go to the worker left and to the one started in the stopped one's place.
    assert answers.count("dropped") <= 1
    served = set(answers) - {"dropped"}
    assert len(served) == 2 and pids < served and gone not in served
    first.close()
    second.close()


def test_a_worker_closes_its_copies_of_connections_waiting_in_the_parent():
    """A worker forked while connections wait in the parent closes its copies: one left
    open would hold such a connection open after the worker it went to closed it."""
    listener = socket.create_server(("127.0.0.1", 0))
    waiting, client = socket.socketpair()
    worker = _start_worker(lambda environ, start_response: [], listener, [],
                           listener.getsockname(), {"threads": 1}, [waiting])
    try:
        waiting.close()  # the parent's copy: the worker's is the only one left, if any
        client.settimeout(10)
        assert client.recv(1) == b""
        # Closed by the worker, which runs: not by a worker that failed and exited.
        time.sleep(1)
        assert os.waitpid(worker.pid, os.WNOHANG) == (0, 0)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        os.waitpid(worker.pid, 0)
        worker.handoff.close()
        listener.close()
        client.close()


def test_a_worker_at_its_connection_limit_is_passed_over(server):
    # Waitress's limit counts its own two sockets: each worker takes one connection.
    port = server(workers=2, connection_limit=3)
    # One worker holds a keep-alive connection, which is all it may hold.
    held = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        busy = _pid(held)
        answers = []
        for _ in range(4):
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                answers.append(_pid(client))
            finally:
                client.close()
        # Every short connection went to the other worker, none waited on the busy one.
        assert len(answers) == 4 and busy not in answers and len(set(answers)) == 1
        assert _pid(held) == busy
    finally:
        held.close()


def test_the_server_exits_with_an_error_once_workers_keep_stopping(server):
    port = server(workers=2)
    stopped: set[str] = set()
    # Two workers stopped within a minute are replaced; the next two are not.
    for _round in range(2):
        pids: set[str] = set()
        deadline = time.monotonic() + 20
        while len(pids) < 2:
            assert time.monotonic() < deadline, "two workers did not answer"
            pids |= set(_answers(port, 4)) - {"dropped"} - stopped
        for pid in pids:
            os.kill(int(pid), signal.SIGKILL)
        stopped |= pids
        time.sleep(1.5)
    # A service manager restarts a server that stops with an error.
    assert server.process.wait(timeout=20) == 1


def test_workers_not_replaced_while_they_kept_stopping_are_started_later(server):
    port = server(workers=2, replace_window=10)
    stopped: set[str] = set()
    # Three stops within the window: the first two are replaced, the third is not.
    for _stop in range(3):
        answers = set(_answers(port, 4)) - {"dropped"} - stopped
        victim = min(answers)
        os.kill(int(victim), signal.SIGKILL)
        stopped.add(victim)
        time.sleep(0.5)
    assert len(set(_answers(port, 4)) - {"dropped"}) == 1
    # Once the window has passed without a stop, the server has two workers again.
    deadline = time.monotonic() + 40
    while len(set(_answers(port, 4)) - {"dropped"}) < 2:
        assert time.monotonic() < deadline, "the missing worker was not started again"
        time.sleep(0.5)
    assert server.process.poll() is None
