"""What every area's JSON API shares: one error shape in both languages, the handlers that
answer every error in it, the rate limit per token, and the kinds of bearer token.

An area builds a django-ninja ``Router`` in its own ``api.py``; :mod:`pora.api` gathers the
routers into one ``NinjaAPI`` and calls :func:`install_error_handlers` on it. Errors are
``{"code", "field", "message_id", "message_en", "errors": [...]}``, the first problem
repeated at the top for clients that read only one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import get_resolver
from django.utils import timezone
from django.utils.translation import get_language
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from pora.core.errors import api_error

# ----------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request, naming its field, in Bahasa Indonesia and English."""

    field: str
    code: str
    message_id: str
    message_en: str

    @property
    def message(self) -> str:
        """The message in the active language (Indonesian unless English is chosen)."""
        return self.message_en if (get_language() or "id").startswith("en") else self.message_id

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "field": self.field, "message_id": self.message_id,
                "message_en": self.message_en}


class ProblemOut(Schema):
    code: str
    field: str
    message_id: str
    message_en: str


class ErrorOut(ProblemOut):
    errors: list[ProblemOut] = []


def error_response(status: int, problems: list[Problem]) -> HttpResponse:
    first = problems[0]
    body = {**first.as_dict(), "errors": [p.as_dict() for p in problems]}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


HTTP_ERRORS = {
    400: ("bad_request", "Isi permintaan tidak dapat dibaca (JSON tidak valid).",
          "The request body cannot be read (invalid JSON)."),
    403: ("forbidden", "Anda tidak berwenang melihat data ini.",
          "You may not see this data."),
}


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every error of ``api`` in the one shape, 500 included (never a traceback,
    even with DEBUG on: client software reads JSON)."""

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        problem = {
            "code": "unauthorized", "field": "Authorization",
            "message_id": "Token atau sesi tidak valid, tidak aktif, atau sudah dicabut.",
            "message_en": "The token or session is missing, invalid or revoked.",
        }
        return api.create_response(request, {**problem, "errors": [problem]}, status=401)

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        code, message_id, message_en = HTTP_ERRORS.get(
            exc.status_code, ("error", str(exc.message), str(exc.message)))
        problem = {"code": code, "field": "", "message_id": message_id,
                   "message_en": message_en}
        return api.create_response(request, {**problem, "errors": [problem]},
                                   status=exc.status_code)

    @api.exception_handler(ValidationError)
    def _invalid(request, exc):
        problems = []
        for error in exc.errors:
            location = [str(part) for part in error.get("loc", ())
                        if part not in {"body", "payload", "query", "filters", "path"}]
            field = ".".join(location)
            problems.append({
                "code": "invalid", "field": field,
                "message_id": f"Isian '{field}' tidak valid: {error.get('msg', '')}",
                "message_en": f"Field '{field}' is not valid: {error.get('msg', '')}"})
        first = problems[0] if problems else {
            "code": "invalid", "field": "", "message_id": "Permintaan tidak valid.",
            "message_en": "The request is not valid."}
        return api.create_response(request, {**first, "errors": problems}, status=422)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return api_error(404)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return api_error(403)

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        # Logged with its traceback as Django logs a failed page.
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exc,
            extra={"status_code": 500, "request": request})
        return api_error(500)


# ------------------------------------------------------------- documented error answers

# What every status means, whatever the endpoint; an endpoint adds what it refuses.
_ERROR_MEANINGS = {
    400: ("The request cannot be read: the body is not JSON or is larger than "
          "{body_mb} MB, or the path, a parameter, a header or a field holds a NUL "
          "character (`bad_request`, `nul_character`)."),
    401: ("No credentials, or a token or session that is invalid, inactive or revoked "
          "(`unauthorized`, field `Authorization`)."),
    403: "The caller may not do this (`forbidden`, unless said otherwise).",
    404: "Not found, or not the caller's to see (`not_found`): the two are not told apart.",
    409: "The request conflicts with what was recorded before.",
    422: ("A parameter or field is not valid (`invalid`, with the field's name; every "
          "problem in `errors`), or the request is refused for what it says."),
    429: ("Too many requests: at most {rate} per minute for each token or user "
          "(PORA_API_RATE_PER_MINUTE), counted per calendar minute; the `Retry-After` "
          "header says how many seconds to wait (`rate_limited`)."),
}


def error_meaning(status: int) -> str:
    """What an error status means in this API, with the limits the server enforces."""
    return _ERROR_MEANINGS[status].format(
        rate=settings.PORA_API_RATE_PER_MINUTE,
        body_mb=round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024, 1))


def documented(success: dict, errors: dict[int, str], *,
               openapi_extra: dict | None = None) -> dict:
    """An operation's ``response`` and ``openapi_extra`` arguments: its success schemas
    and every error it can answer, each with :class:`ErrorOut` and a description (what
    the status means in this API, then ``errors[status]``: what this endpoint refuses).

    ``@router.get(path, **documented({200: Out}, {401: "", 404: "No such receipt."}))``
    """
    # Keyed by number as django-ninja keys its own, so that the two merge.
    responses = {status: {"description": " ".join(
        part for part in (error_meaning(status), note) if part)}
        for status, note in errors.items()}
    extra = dict(openapi_extra or {})
    extra["responses"] = {**responses, **extra.get("responses", {})}
    return {"response": {**success, **dict.fromkeys(errors, ErrorOut)},
            "openapi_extra": extra}


# ------------------------------------------------------------------------ rate limits


def rate_limited(caller: str) -> HttpResponse | None:
    """At most PORA_API_RATE_PER_MINUTE calls per caller (a token) and minute (fixed window).

    ``caller`` names the token with its kind ("lodging:12"), so that two kinds of token
    never share a count. None while within the limit, else the 429 answer.
    """
    limit = settings.PORA_API_RATE_PER_MINUTE
    minute = int(timezone.now().timestamp() // 60)
    key = f"pora:rate:{caller}:{minute}"
    if cache.add(key, 1, timeout=90):
        return None
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=90)
        return None
    if count <= limit:
        return None
    response = error_response(429, [Problem(
        "", "rate_limited", f"Terlalu banyak permintaan: paling banyak {limit} per menit.",
        f"Too many requests: at most {limit} per minute.")])
    response["Retry-After"] = str(60 - int(timezone.now().timestamp()) % 60)
    return response


# ------------------------------------------------------------------------ token kinds


@dataclass(frozen=True)
class TokenKind:
    """A kind of bearer token an area issues (a lodging's software, an officer)."""

    name: str
    prefix: str
    # Whether this text is a live token of the kind (a digest lookup).
    is_active: Callable[[str], bool]


_token_kinds: dict[str, TokenKind] = {}


def register_token_kind(kind: TokenKind) -> None:
    _token_kinds[kind.name] = kind


def token_kind_of(token: str) -> str | None:
    """The kind of a live token, so that an endpoint can refuse another kind's token with
    403 (it is a real token, for something else) instead of 401."""
    for kind in _token_kinds.values():
        if token.startswith(kind.prefix) and kind.is_active(token):
            return kind.name
    return None


# -------------------------------------------------------------- token-only API paths

_token_only_paths: tuple[str, ...] = ()
_urls_loaded = False


def serve_token_only(paths: Iterable[str]) -> None:
    """Paths of API calls that carry a bearer token and nothing else (no session, no form,
    no page to translate): the browser middlewares pass them by (see core.middleware)."""
    global _token_only_paths
    _token_only_paths = tuple(sorted(set(_token_only_paths) | set(paths)))


def token_only_call(request) -> bool:
    global _urls_loaded
    if not _urls_loaded:
        # The API's module declares its token-only paths when the URLs load, which Django
        # does on the first request after the middlewares have run: load them first.
        get_resolver().urlconf_module  # noqa: B018
        _urls_loaded = True
    return bool(_token_only_paths) and request.path_info.startswith(_token_only_paths)


def router_paths(router, mount: str) -> list[str]:
    """The paths of a django-ninja router's operations mounted at ``mount`` (e.g.
    "/api/v1/"), up to their first path parameter."""
    return sorted({mount.rstrip("/") + "/" + path.split("{", 1)[0].strip("/")
                   for path in router.path_operations})
