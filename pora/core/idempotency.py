"""Safe retries for the JSON API: an ``Idempotency-Key`` header makes a request that
writes answer once, however often the client sends it.

The key is stored with its answer in the caller's own transaction, after the work: a
retry (or a concurrent copy, which waits on the key's unique index until the first
commits) finds the key taken, rolls back what it did and answers with the first response
(header ``Idempotent-Replayed: true``); the same key with another body is refused (422
``idempotency_key_reused``). A refused request stores nothing, so its key stays free for
the corrected request. Keys are kept ``PORA_IDEMPOTENCY_DAYS`` (:func:`keys_expire`).

An endpoint uses :func:`idempotent` as a decorator, or, when it needs to shape the
transaction itself (the lodging check-in, which finds a re-sent report by the stay's
own unique index rather than by looking the key up first), :class:`Idempotency`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder, Status

from pora.core.api import Problem, error_response
from pora.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
KEY_MAX = 200
REPLAYED = "Idempotent-Replayed"

HEADER_DESCRIPTION = (
    f"Optional, at most {KEY_MAX} characters: the same key with the same body answers "
    f"again with the first response (header `{REPLAYED}: true`) instead of doing it twice; "
    "the same key with another body is refused (422 `idempotency_key_reused`). Keys are "
    "kept for `PORA_IDEMPOTENCY_DAYS` days.")


class _KeyTaken(Exception):
    """The key was stored by another request: roll this one back, replay."""


@dataclass(frozen=True)
class Idempotency:
    """A request's Idempotency-Key (``key`` empty when it sent none) and its caller."""

    caller: str
    key: str
    digest: str

    @classmethod
    def of(cls, request, caller: str) -> Idempotency | HttpResponse:
        """The request's key, or the 422 answer to an overlong one."""
        key = request.headers.get(HEADER, "").strip()
        if len(key) > KEY_MAX:
            return error_response(422, [Problem(
                HEADER, "invalid_idempotency_key",
                f"Idempotency-Key terlalu panjang (maks. {KEY_MAX}).",
                f"Idempotency-Key is too long (at most {KEY_MAX}).")])
        digest = hashlib.sha256(request.body).hexdigest() if key else ""
        return cls(caller=caller, key=key, digest=digest)

    def replay(self) -> HttpResponse | None:
        """The answer stored under the key (refused for another body); None without one."""
        if not self.key:
            return None
        record = IdempotencyKey.objects.filter(caller=self.caller, key=self.key).first()
        if record is None:
            return None
        if record.body_digest != self.digest:
            return error_response(422, [Problem(
                HEADER, "idempotency_key_reused",
                "Idempotency-Key ini sudah dipakai untuk data yang berbeda.",
                "This Idempotency-Key was already used with a different body.")])
        response = HttpResponse(json.dumps(record.response), status=record.status_code,
                                content_type="application/json")
        response[REPLAYED] = "true"
        return response

    def store(self, status: int, text: str) -> bool:
        """Store the answer (its JSON as sent) in the caller's transaction; False when
        the key exists. One statement: a concurrent request with the same key waits on
        the unique index until the first commits (then gets False) or rolls back (then
        inserts)."""
        table = connection.ops.quote_name(IdempotencyKey._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (caller, key, body_digest, status_code, response, "
                "created_at) VALUES (%s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (caller, key) DO NOTHING RETURNING id",
                [self.caller, self.key, self.digest, status, text,
                 connection.ops.adapt_datetimefield_value(timezone.now())])
            return cursor.fetchone() is not None

    def answer(self, produce: Callable[[], HttpResponse]) -> HttpResponse:
        """``produce()``'s JSON answer, done and stored with the key in one transaction;
        the first answer when the key was taken meanwhile.

        An error answer (400 and up) stores nothing and rolls back what ``produce`` did;
        an exception rolls it back and propagates.
        """
        try:
            with transaction.atomic():
                response = produce()
                if response.status_code >= 400:
                    transaction.set_rollback(True)
                    return response
                if self.key and not self.store(response.status_code,
                                               response.content.decode()):
                    raise _KeyTaken
        except _KeyTaken:
            return self.replay()
        return response


def _as_response(result) -> HttpResponse:
    if isinstance(result, HttpResponse):
        return result
    status, body = (result.status_code, result.value) if isinstance(result, Status) \
        else (200, result)
    return HttpResponse(json.dumps(body, cls=NinjaJSONEncoder), status=status,
                        content_type="application/json")


def idempotent(caller: Callable[..., str]):
    """Make a django-ninja endpoint safe to retry with an Idempotency-Key.

    Put it below the router's decorator (it runs after authentication); ``caller(request)``
    names the caller ("user:5"). A retry is answered from the key before the endpoint
    runs; otherwise the endpoint runs in a transaction with its answer stored. The
    endpoint returns an ``HttpResponse`` with JSON, a ``Status`` or a body for 200: the
    body is sent as written (the same for the first answer and a replay), so it should be
    exactly what the response schema documents.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            found = Idempotency.of(request, caller(request))
            if isinstance(found, HttpResponse):
                return found
            if not found.key:
                return view(request, *args, **kwargs)
            return found.replay() or found.answer(
                lambda: _as_response(view(request, *args, **kwargs)))

        return wrapper

    return decorate


def keys_expire(*, now: dt.datetime | None = None) -> int:
    """Remove keys older than PORA_IDEMPOTENCY_DAYS: a client retries within minutes or
    hours, and a week-old key protects nothing."""
    now = now or timezone.now()
    return IdempotencyKey.objects.filter(
        created_at__lt=now - dt.timedelta(days=settings.PORA_IDEMPOTENCY_DAYS)).delete()[0]
