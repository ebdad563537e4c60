"""Error answers: under ``/api/`` always JSON in the API's one shape
(``{code, field, message_id, message_en, errors: [...]}``, as :mod:`pora.lodging.services.errors`
writes them), elsewhere the project's pages. Django's ``handler400/403/404/500`` point here,
so an error raised before or outside the API's own handlers (a middleware, an unknown API
address) is still JSON for the software that called the API."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views import defaults

API_PREFIX = "/api/"

# Status → (code, Bahasa Indonesia, English): the API speaks both, whatever the page language.
GENERIC = {
    400: ("bad_request", "Permintaan tidak valid.", "The request is not valid."),
    403: ("forbidden", "Anda tidak berwenang melihat data ini.", "You may not see this data."),
    404: ("not_found", "Alamat API ini tidak ada.", "There is no such API address."),
    500: ("server_error",
          "Terjadi kesalahan di server dan sudah dicatat. Coba lagi sebentar lagi.",
          "Something went wrong on the server; it was logged. Please try again shortly."),
}


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(status: int, code: str | None = None, message_id: str | None = None,
              message_en: str | None = None, *, field: str = "") -> JsonResponse:
    """One problem in the API's error shape; by default the generic one of ``status``."""
    generic = GENERIC.get(status, GENERIC[500 if status >= 500 else 400])
    problem = {"code": code or generic[0], "field": field,
               "message_id": message_id or generic[1], "message_en": message_en or generic[2]}
    return JsonResponse({**problem, "errors": [problem]}, status=status)


def bad_request(request, exception):
    return api_error(400) if is_api(request) else defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return api_error(403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    return api_error(404) if is_api(request) else defaults.page_not_found(request, exception)


def server_error(request):
    return api_error(500) if is_api(request) else defaults.server_error(request)
