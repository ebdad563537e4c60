"""The audit and access logs as hash chains: a row changed, removed or slipped in shows.

Each log is one chain. Its n-th link is a row with ``chain_seq = n`` and
``chain_hash = sha256(hash of link n-1 + "\\n" + the row's canonical content)``; the content
covers every column but the hash itself (its id and place in the chain included). Changing
a sealed row breaks its own link, removing one leaves a gap, putting one in breaks the
link after it — unless everything after is recomputed, which is why ``pora audit verify``
prints the head of each chain: written down elsewhere (a ticket, a printed report), it
also catches a chain rebuilt from the start.

Rows are written without a link and sealed shortly after, in the order they became
visible, by one sealer at a time (``pora worker`` every ``PORA_SEAL_SECONDS``, or
``pora audit seal``). Writers never wait for each other: linking at insert time would
make every transaction that writes a log row (every check-in, every import chunk) wait
for the previous one to commit, and ids are drawn before commit, so id order is not
the order rows appear in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
from dataclasses import dataclass

from django.db import connection, transaction

from pora.core.models import AccessLog, AuditLog

logger = logging.getLogger(__name__)

LOGS = {"audit": AuditLog, "access": AccessLog}
# pg_advisory_xact_lock keys: one sealer per log at a time, across processes.
_LOCK_KEYS = {AuditLog: 0x504F52410001, AccessLog: 0x504F52410002}
BATCH = 5000


def _content_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname != "chain_hash"]


def _default(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def link_hash(previous: str, fields: list[str], values) -> str:
    """The link of a row whose ``fields`` hold ``values``, after the link ``previous``.

    Empty (NULL) columns are left out, so that a column added to a log later leaves the
    links of the rows before it as they were."""
    content = json.dumps({f: v for f, v in zip(fields, values, strict=True) if v is not None},
                         default=_default,
                         ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def _head(model) -> tuple[int, str]:
    found = (model.objects.filter(chain_seq__isnull=False).order_by("-chain_seq")
             .values_list("chain_seq", "chain_hash").first())
    return found if found is not None else (0, "")


def seal(model, *, batch: int = BATCH) -> int:
    """Link the rows of ``model`` written since the last seal; the number linked."""
    fields = _content_fields(model)
    at_seq = fields.index("chain_seq")
    table = connection.ops.quote_name(model._meta.db_table)
    sealed = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[model]])
            seq, previous = _head(model)
            rows = list(model.objects.filter(chain_seq__isnull=True).order_by("id")
                        .values_list(*fields)[:batch])
            links = []
            for row in rows:
                seq += 1
                row = list(row)
                row[at_seq] = seq
                previous = link_hash(previous, fields, row)
                links.append((row[0], seq, previous))
            if links and connection.vendor == "postgresql":
                ids, seqs, hashes = zip(*links, strict=True)
                cursor.execute(
                    f"UPDATE {table} AS t SET chain_seq = v.seq, chain_hash = v.hash "
                    "FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS v(id, seq, hash) "
                    "WHERE t.id = v.id",
                    [list(ids), list(seqs), list(hashes)])
            elif links:
                cursor.executemany(
                    f"UPDATE {table} SET chain_seq = %s, chain_hash = %s WHERE id = %s",
                    [(s, h, i) for i, s, h in links])
        sealed += len(links)
        if len(rows) < batch:
            return sealed


def seal_all() -> dict[str, int]:
    return {name: seal(model) for name, model in LOGS.items()}


@dataclass
class Verdict:
    log: str
    checked: int = 0
    unsealed: int = 0
    head_seq: int = 0
    head_hash: str = ""
    broken_id: int | None = None
    broken_seq: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return not self.reason


def verify(name: str, *, batch: int = BATCH) -> Verdict:
    """Recompute the chain of log ``name``; stops at the first row that breaks it."""
    model = LOGS[name]
    fields = _content_fields(model)
    at_seq = fields.index("chain_seq")
    verdict = Verdict(name)
    expected, previous = 1, ""
    while True:
        rows = list(model.objects.filter(chain_seq__gte=expected).order_by("chain_seq")
                    .values_list(*fields, "chain_hash")[:batch])
        for *values, stored in rows:
            seq = values[at_seq]
            if seq != expected:
                verdict.broken_id, verdict.broken_seq = values[0], expected
                verdict.reason = (f"link {expected} is missing (a row was removed); "
                                  f"the next is row {values[0]}, link {seq}")
                return verdict
            previous = link_hash(previous, fields, values)
            if previous != stored:
                verdict.broken_id, verdict.broken_seq = values[0], seq
                verdict.reason = (f"row {values[0]}, link {seq}, does not match its hash "
                                  "(the row was changed, or put in before it)")
                return verdict
            verdict.checked += 1
            verdict.head_seq, verdict.head_hash = seq, stored
            expected += 1
        if len(rows) < batch:
            break
    # A link's hash without its place, or the reverse, was never written by the sealer.
    odd = (model.objects.filter(chain_seq__isnull=True, chain_hash__isnull=False)
           .order_by("id").values_list("id", flat=True).first())
    if odd is not None:
        verdict.broken_id = odd
        verdict.reason = f"row {odd} has a hash but no place in the chain"
        return verdict
    verdict.unsealed = model.objects.filter(chain_seq__isnull=True).count()
    return verdict


def seal_forever(interval: float, stop: threading.Event) -> None:
    """Seal every ``interval`` seconds until ``stop`` is set (a thread of ``pora worker``)."""
    from django.db import close_old_connections

    while not stop.wait(interval):
        try:
            seal_all()
        except Exception:
            logger.exception("sealing the logs failed")
        finally:
            close_old_connections()


def start_sealer(interval: float) -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=seal_forever, args=(interval, stop), name="pora-sealer",
                     daemon=True).start()
    return stop
