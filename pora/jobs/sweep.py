"""The worker's sweep: jobs whose worker ended are queued again while the worker runs."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection

from pora.jobs.services import stalled_requeue

log = logging.getLogger(__name__)

# A stalled job is found within this much of STALLED_AFTER.
SWEEP_SECONDS = 60.0


def sweep_once() -> dict[str, int]:
    counts = stalled_requeue()
    if any(counts.values()):
        log.warning("jobs without a worker: %(requeued)s queued again, %(failed)s failed",
                    counts)
    return counts


def start_sweeping(every: float = SWEEP_SECONDS) -> threading.Thread:
    """Sweep at start and then every ``every`` seconds, in a daemon thread of the worker."""
    stop = threading.Event()

    def loop() -> None:
        while True:
            try:
                sweep_once()
            except Exception:  # a database away for a moment: try again next round
                log.exception("job sweep failed")
                connection.close()
            finally:
                # The sweep runs in its own thread: its connection is its own to close.
                close_old_connections()
            if stop.wait(every):
                return

    thread = threading.Thread(target=loop, name="pora-job-sweep", daemon=True)
    thread.stop = stop  # type: ignore[attr-defined]
    thread.start()
    return thread
