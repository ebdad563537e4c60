"""`pora serve`: the application under waitress, in one process or in several.

One process is held to one core by the GIL, so ``--workers N`` forks N waitress processes
that share the port. The parent accepts every connection and hands it to the workers in
turn over a Unix socket (``SCM_RIGHTS``), so each worker serves the same number of
connections. (Workers listening each on their own ``SO_REUSEPORT`` socket would leave the
spread to a hash of the client's address: with a few keep-alive clients, one worker often
got three times the connections of another and its queue set the response times.)
"""

from __future__ import annotations

import errno
import logging
import os
import selectors
import signal
import socket
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable

from waitress import serve as waitress_serve
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

logger = logging.getLogger(__name__)


class _HandedChannel(HTTPChannel):
    def del_channel(self, map=None):
        super().del_channel(map)
        self.server.connection_closed()


class HandedServer(TcpWSGIServer):
    """A waitress server that takes its connections from the parent process over a Unix
    socket instead of accepting them on a listening socket, and tells the parent (one byte
    on the same socket) each time one of them is closed."""

    channel_class = _HandedChannel

    def __init__(self, application, handoff: socket.socket, address: tuple[str, int],
                 **options):
        self._address = address
        self._closed_unsaid = 0
        self._closed_lock = threading.Lock()
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(application, _sock=handoff, bind_socket=False,
                         sockinfo=(family, socket.SOCK_STREAM, 0, address), **options)

    def accept_connections(self) -> None:
        self.accepting = True  # nothing to listen on: connections arrive ready

    def getsockname(self) -> tuple[str, int]:
        return self._address

    def accept(self):
        try:
            message, fds, _flags, _address = socket.recv_fds(self.socket, 1, 1)
        except (BlockingIOError, InterruptedError):
            return None
        if not message:  # the parent is gone: nobody hands connections over any more
            os._exit(0)
        if not fds:
            return None
        conn = socket.socket(fileno=fds[0])
        try:
            return conn, conn.getpeername()
        except OSError:  # the client hung up before this worker got the connection
            conn.close()
            self.connection_closed()
            return None

    def connection_closed(self) -> None:
        """Tell the parent: it counts each worker's open connections."""
        with self._closed_lock:
            self._closed_unsaid += 1
            try:
                sent = self.socket.send(b"d" * self._closed_unsaid)
            except (BlockingIOError, InterruptedError):
                return  # said with the next one
            except OSError:  # the parent is gone; accept() ends this worker
                return
            self._closed_unsaid -= sent


class _Worker:
    """The parent's end of one worker: its socket and how many connections it holds."""

    def __init__(self, pid: int, handoff: socket.socket) -> None:
        self.pid = pid
        self.handoff = handoff
        self.open = 0


# Workers that stop are replaced, unless more have stopped within this many seconds than
# there are workers: one that fails as it starts would otherwise be forked without end.
# Once that long has passed without one stopping, the missing ones are started again.
REPLACE_WINDOW = 60.0


class _Dispatcher:
    """The parent: accepts connections and hands each to the next worker in turn that is
    below waitress's connection limit (a worker at the limit reads no more hand-overs;
    strictly in turn, its connections would wait while other workers idle). Workers
    that stop are replaced by ``spawn``, as long as they do not keep stopping."""

    def __init__(self, listener: socket.socket, workers: list[_Worker], limit: int,
                 spawn: Callable[[list[_Worker], list[socket.socket]], _Worker] | None = None
                 ) -> None:
        self.listener = listener
        self.workers: dict[int, _Worker] = {}
        self.limit = limit
        self.spawn = spawn
        self.wanted = len(workers)
        self.stopped: deque[float] = deque()
        self.turn = 0
        self.waiting: deque[socket.socket] = deque()
        self.selector = selectors.DefaultSelector()
        self.listening = False
        listener.setblocking(False)
        for worker in workers:
            self._add(worker)

    def _add(self, worker: _Worker) -> None:
        worker.handoff.setblocking(False)
        self.selector.register(worker.handoff, selectors.EVENT_READ, worker)
        self.workers[worker.pid] = worker

    def run(self) -> None:
        while True:
            self._reap()
            self._replace()
            if not self.workers:
                logger.error("every server worker has stopped")
                raise SystemExit(1)
            self._listen(any(w.open < self.limit for w in self.workers.values()))
            for key, _events in self.selector.select(timeout=1.0):
                if key.data is None:
                    self._accept()
                elif key.data.pid in self.workers:
                    self._closed(key.data)
            while self.waiting and self._hand_over(self.waiting[0]):
                self.waiting.popleft().close()

    def _listen(self, wanted: bool) -> None:
        if wanted and not self.listening:
            self.selector.register(self.listener, selectors.EVENT_READ, None)
        elif not wanted and self.listening:
            self.selector.unregister(self.listener)
        self.listening = wanted

    def _accept(self) -> None:
        try:
            conn, _address = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:  # a client gone before accept, or out of descriptors
            logger.warning("accepting a connection failed: %s", exc)
            if exc.errno in (errno.EMFILE, errno.ENFILE):
                time.sleep(0.1)
            return
        if self.waiting or not self._hand_over(conn):
            self.waiting.append(conn)
        else:
            conn.close()

    def _hand_over(self, conn: socket.socket) -> bool:
        """Give the connection to the next worker in turn with room; False if none can
        take it now."""
        order = list(self.workers.values())  # in the order they were started
        for step in range(len(order)):
            worker = order[(self.turn + step) % len(order)]
            if worker.open >= self.limit:
                continue
            try:
                socket.send_fds(worker.handoff, [b"c"], [conn.fileno()])
            except (BlockingIOError, InterruptedError):  # its queue is full: the next
                continue
            except (BrokenPipeError, ConnectionResetError):  # it has died
                self._drop(worker)
                return self._hand_over(conn) if self.workers else False
            worker.open += 1
            self.turn = (self.turn + step + 1) % len(order)
            return True
        return False

    def _closed(self, worker: _Worker) -> None:
        try:
            said = worker.handoff.recv(4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            said = b""
        if not said:  # the worker has gone
            self._drop(worker)
            return
        worker.open = max(0, worker.open - len(said))

    def _drop(self, worker: _Worker) -> None:
        if self.workers.pop(worker.pid, None) is None:
            return
        self.selector.unregister(worker.handoff)
        worker.handoff.close()
        self.stopped.append(time.monotonic())
        logger.error("server worker %d stopped; %d left", worker.pid, len(self.workers))

    def _replace(self) -> None:
        """Start workers in the place of those that stopped, unless more stopped within
        REPLACE_WINDOW than there are workers. Called between hand-overs: the only
        connections the parent holds then wait in its queue, which a new worker closes."""
        if self.spawn is None or len(self.workers) >= self.wanted:
            return
        while self.stopped and self.stopped[0] < time.monotonic() - REPLACE_WINDOW:
            self.stopped.popleft()
        if len(self.stopped) > self.wanted:
            return
        while len(self.workers) < self.wanted:
            worker = self.spawn(list(self.workers.values()), list(self.waiting))
            self._add(worker)
            logger.warning("server worker %d started", worker.pid)

    def _reap(self) -> None:
        while True:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self.workers:
                self._drop(self.workers[pid])


def _start_worker(application, listener: socket.socket, others: list[_Worker],
                  address: tuple[str, int], options: dict,
                  waiting: list[socket.socket] = ()) -> _Worker:
    """Fork a worker. It closes what it inherits of the parent's sockets: the listener,
    the other workers' hand-over sockets and connections waiting in the parent (a copy
    kept open would hold such a connection open after its worker closed it)."""
    parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid:
        child_end.close()
        return _Worker(pid, parent_end)
    # The worker: it must never return into the parent's code, whatever happens.
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        listener.close()
        parent_end.close()
        for other in others:
            other.handoff.close()
        for conn in waiting:
            conn.close()
        HandedServer(application, child_end, address, **options).run()
        code = 0
    except BaseException:  # noqa: BLE001 -- reported, then the worker ends
        traceback.print_exc()
    finally:
        os._exit(code)


def serve(application, *, host: str, port: int, workers: int = 1, **options) -> None:
    """Serve until stopped (SIGTERM or SIGINT); ``options`` go to waitress.

    With several workers, a worker that stops is replaced; if they keep stopping (more
    than there are workers within a minute) they are not, and the server exits with
    status 1 once none is left, so that the service manager starts it again.
    """
    if workers <= 1:
        waitress_serve(application, host=host, port=port, **options)
        return
    from django.db import connections

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, port), family=family, backlog=1024)
    port = listener.getsockname()[1]  # the one the system chose for port 0
    connections.close_all()  # no database connection may be shared by the forked workers

    def spawn(others: list[_Worker], waiting: list[socket.socket]) -> _Worker:
        return _start_worker(application, listener, others, (host, port), options, waiting)

    started: list[_Worker] = []
    for _ in range(workers):
        started.append(spawn(started, []))
    # Waitress counts its own two sockets (the handed one and its wake-up trigger) against
    # the connection limit.
    limit = Adjustments(**options).connection_limit - 2
    dispatcher = _Dispatcher(listener, started, max(limit, 1), spawn=spawn)

    def stop(*_args) -> None:
        dispatcher.spawn = None  # a worker stopping now is not replaced
        running = list(dispatcher.workers.values())
        for worker in running:
            try:
                os.kill(worker.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        for worker in running:
            while time.monotonic() < deadline:
                try:
                    if os.waitpid(worker.pid, os.WNOHANG)[0]:
                        break
                except ChildProcessError:
                    break
                time.sleep(0.05)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"Serving on http://{host}:{port} with {workers} worker processes", flush=True)
    dispatcher.run()
