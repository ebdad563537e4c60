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
from django_htmx.middleware import HtmxMiddleware
from django_otp.middleware import OTPMiddleware

# The API of the lodging software (pora.lodging.api): every call carries the lodging's
# bearer token and nothing else: no session cookie, no form, no page to translate.
LODGING_API_PATHS = ("/api/v1/check-ins", "/api/v1/check-outs", "/api/v1/guests")


def lodging_api_call(request) -> bool:
    return request.path_info.startswith(LODGING_API_PATHS)


class SkippedForLodgingApi:
    """A middleware of the browser pages that the lodging API's calls pass by.

    Those calls arrive by the hundred a second and need none of it; each step costs
    tens of microseconds. The security headers (SecurityMiddleware, X-Frame-Options,
    Content-Security-Policy) and CSRF checks stay on every path.
    """

    def __call__(self, request):
        if lodging_api_call(request):
            self.pass_by(request)
            return self.get_response(request)
        return super().__call__(request)

    def pass_by(self, request) -> None:
        """What the API call gets instead."""


class BrowserSessionMiddleware(SkippedForLodgingApi, SessionMiddleware):
    pass


class BrowserLocaleMiddleware(SkippedForLodgingApi, LocaleMiddleware):
    def pass_by(self, request) -> None:
        # The API answers in both languages; the thread may hold a page's language.
        translation.activate(settings.LANGUAGE_CODE)


class BrowserAuthenticationMiddleware(SkippedForLodgingApi, AuthenticationMiddleware):
    def pass_by(self, request) -> None:
        # The caller is the token's lodging (request.lodging_token), never a logged-in user.
        request.user = AnonymousUser()


class BrowserOTPMiddleware(SkippedForLodgingApi, OTPMiddleware):
    pass


class BrowserMessageMiddleware(SkippedForLodgingApi, MessageMiddleware):
    pass


class BrowserHtmxMiddleware(SkippedForLodgingApi, HtmxMiddleware):
    pass


class BrowserCSPMiddleware(CSPMiddleware):
    """django-csp's Content-Security-Policy, which builds the policy for every response.

    A lodging API call has no page and no nonce, so its policy is the same every time:
    built once (by django-csp, from the first such answer) and copied onto the next ones.
    """

    _api_headers: dict[str, str] | None = None

    def process_request(self, request):
        if lodging_api_call(request):
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        if not lodging_api_call(request):
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
        if lodging_api_call(request):  # a lodging's token, no user
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
