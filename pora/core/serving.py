"""`pora serve`: the application under waitress, in one process or in several.

One process is held to one core by the GIL, so ``--workers N`` forks N waitress processes
that share the port. The parent accepts every connection and hands it to the workers in
turn over a Unix socket (``SCM_RIGHTS``), so each worker serves the same number of
connections. (Workers listening each on their own ``SO_REUSEPORT`` socket would leave the
spread to a hash of the client's address: with a few keep-alive clients, one worker often
got three times the connections of another and its queue set the response times.)
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys

from waitress import serve as waitress_serve
from waitress.server import TcpWSGIServer

logger = logging.getLogger(__name__)


class HandedServer(TcpWSGIServer):
    """A waitress server that takes its connections from the parent process over a Unix
    socket instead of accepting them on a listening socket."""

    def __init__(self, application, handoff: socket.socket, address: tuple[str, int],
                 **options):
        self._address = address
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
            return None


def serve(application, *, host: str, port: int, workers: int = 1, **options) -> None:
    """Serve until stopped (SIGTERM or SIGINT); ``options`` go to waitress."""
    if workers <= 1:
        waitress_serve(application, host=host, port=port, **options)
        return
    from django.db import connections

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, port), family=family, backlog=1024)
    connections.close_all()  # no database connection may be shared by the forked workers
    handoffs: list[socket.socket] = []
    children: list[int] = []
    for _ in range(workers):
        parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            listener.close()
            parent_end.close()
            for other in handoffs:
                other.close()
            HandedServer(application, child_end, (host, port), **options).run()
            os._exit(0)
        child_end.close()
        handoffs.append(parent_end)
        children.append(pid)

    def stop(*_args) -> None:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"Serving on http://{host}:{port} with {workers} worker processes", flush=True)
    turn = 0
    while handoffs:
        conn, _address = listener.accept()
        with conn:
            while handoffs:
                handoff = handoffs[turn % len(handoffs)]
                turn += 1
                try:
                    socket.send_fds(handoff, [b"c"], [conn.fileno()])
                    break
                except OSError:  # that worker has died: the others take its turns
                    logger.error("a server worker stopped; %d left", len(handoffs) - 1)
                    handoffs.remove(handoff)
    stop()
