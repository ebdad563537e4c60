import json
import logging
import re

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views import defaults
from django_htmx.middleware import HtmxMiddleware
from django_otp.middleware import OTPMiddleware

from pora.core.api import token_only_call
from pora.core.errors import api_error, is_api


class SkippedForTokenOnlyApi:
    """A middleware of the browser pages that token-only API calls (a lodging's software:
    :func:`pora.core.api.serve_token_only`) pass by.

    Those calls arrive by the hundred a second and need none of it; each step costs
    tens of microseconds. The security headers (SecurityMiddleware, X-Frame-Options,
    Content-Security-Policy) and CSRF checks stay on every path.
    """

    def __call__(self, request):
        if token_only_call(request):
            self.pass_by(request)
            return self.get_response(request)
        return super().__call__(request)

    def pass_by(self, request) -> None:
        """What the API call gets instead."""


class BrowserSessionMiddleware(SkippedForTokenOnlyApi, SessionMiddleware):
    pass


class BrowserLocaleMiddleware(SkippedForTokenOnlyApi, LocaleMiddleware):
    def pass_by(self, request) -> None:
        # The API answers in both languages; the thread may hold a page's language.
        translation.activate(settings.LANGUAGE_CODE)


class BrowserAuthenticationMiddleware(SkippedForTokenOnlyApi, AuthenticationMiddleware):
    def pass_by(self, request) -> None:
        # The caller is the token's holder, never a logged-in user.
        request.user = AnonymousUser()


class BrowserOTPMiddleware(SkippedForTokenOnlyApi, OTPMiddleware):
    pass


class BrowserMessageMiddleware(SkippedForTokenOnlyApi, MessageMiddleware):
    pass


class BrowserHtmxMiddleware(SkippedForTokenOnlyApi, HtmxMiddleware):
    pass


class BrowserCSPMiddleware(CSPMiddleware):
    """django-csp's Content-Security-Policy, which builds the policy for every response.

    A lodging API call has no page and no nonce, so its policy is the same every time:
    built once (by django-csp, from the first such answer) and copied onto the next ones.
    """

    _api_headers: dict[str, str] | None = None

    def process_request(self, request):
        if token_only_call(request):
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        if not token_only_call(request):
            return super().process_response(request, response)
        if self._api_headers is None:
            response = super().process_response(request, response)
            if response.status_code < 400:
                self._api_headers = {name: response[name] for name in
                                     (HEADER, HEADER_REPORT_ONLY) if name in response}
            return response
        for name, value in self._api_headers.items():
            if name not in response:
                response[name] = value
        return response


class SecondFactorMiddleware:
    """A user who set up a TOTP device must pass it before anything else (django-otp)."""

    ALLOWED_NAMES = {"core:otp", "core:logout", "core:set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if token_only_call(request):  # a lodging's token, no user
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and not user.is_verified() and self._has_device(user):
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "second_factor_required",
                     "message": "Masukkan kode verifikasi dua langkah / second factor required"},
                    status=401,
                )
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("core:otp")
        return self.get_response(request)

    @staticmethod
    def _has_device(user) -> bool:
        from django_otp import user_has_device

        return user_has_device(user, confirmed=True)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer that Django itself makes.

    Pages, API answers, exports, receipts and photos carry personal data, which must not
    linger in a shared browser's or a proxy's cache (UU 27/2022 Pasal 35: technical
    security measures), and so may a public page or an error. Telling them apart view by view is how one is
    forgotten; every answer is cheap to send again. Only the static files, which WhiteNoise
    answers before this middleware, keep their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" in response:
            patch_cache_control(response, no_store=True)
        else:
            response["Cache-Control"] = "no-store"
        return response


# A JSON string's escape for U+0000: "\u0000" preceded by an even number of backslashes
# (an odd number would make the first backslash itself escaped text).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
logger = logging.getLogger("django.security.nul")


class NulRefused(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class RefuseNulMiddleware:
    """Refuses a request with a NUL character (U+0000) in its path, a query parameter, a
    header, a form field or a JSON body: 400, in the API's JSON error shape under /api/,
    the 400 page elsewhere.

    No text of PORA contains a NUL, PostgreSQL cannot store one in a text column (its
    driver raises, which was a 500), and SQLite would store it silently. One check at the
    door spares every view, form and schema from doing it. A session cookie with a NUL
    (a cookie may spell it "\\000") is only forgotten: its owner logs in again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            self.check(request)
        except NulRefused as refused:
            logger.warning("NUL character refused in %r: %s", refused.field or "path",
                           request.path_info.replace("\x00", "\\x00"))
            return self.refusal(request, refused.field)
        return self.get_response(request)

    @staticmethod
    def check(request) -> None:
        meta = request.META
        if "\x00" in request.path_info:
            raise NulRefused("")
        query = meta.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            _check_pairs(request.GET.lists())
        for key, value in meta.items():
            if key.startswith("HTTP_") and "\x00" in value:
                raise NulRefused(key[5:].replace("_", "-").title())
        if "\\" in meta.get("HTTP_COOKIE", ""):
            for name in [n for n, v in request.COOKIES.items() if "\x00" in n + v]:
                del request.COOKIES[name]
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if request.content_type in FORM_TYPES:
            _check_pairs(request.POST.lists())
            for name, files in request.FILES.lists():
                if any("\x00" in f.name for f in files):
                    raise NulRefused(name)
        elif is_api(request) or request.content_type.endswith("json"):
            _check_json(request.body)

    @staticmethod
    def refusal(request, field: str):
        if is_api(request):
            where_id = f"Isian '{field}'" if field else "Permintaan ini"
            where_en = f"Field '{field}'" if field else "This request"
            return api_error(
                400, "nul_character",
                f"{where_id} memuat karakter NUL (U+0000), yang tidak diterima.",
                f"{where_en} contains a NUL character (U+0000), which is not accepted.",
                field=field)
        # Nothing after this middleware has run: the page is in the browser's language.
        with translation.override(translation.get_language_from_request(request)):
            return defaults.bad_request(request, NulRefused(field))


def _check_pairs(pairs) -> None:
    for name, values in pairs:
        if "\x00" in name or any("\x00" in v for v in values):
            raise NulRefused(name.replace("\x00", ""))


def _check_json(body: bytes) -> None:
    if b"\x00" in body:  # not JSON at all (or UTF-16, which no client of PORA sends)
        raise NulRefused("")
    if b"\\u0000" in body and _JSON_NUL.search(body):
        try:
            data = json.loads(body)
        except ValueError:
            raise NulRefused("") from None
        raise NulRefused(_nul_path(data) or "")


def _nul_path(value, path: str = "") -> str | None:
    """Where in a JSON document the first NUL is, as ``a.1.b``."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return None
    for key, item in items:
        here = f"{path}.{key}" if path else key
        if "\x00" in key:
            return here.replace("\x00", "")
        found = _nul_path(item, here)
        if found is not None:
            return found
    return None
