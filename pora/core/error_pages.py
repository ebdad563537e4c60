"""The project's own refusal and error pages (403, 404, 500), in the user's language,
whether DEBUG is on or off.

With DEBUG on (`pora demo` runs so) Django answers a missing page with its technical 404,
in English, listing every URL pattern of the project, and an error with the traceback and
the settings. A demo is shown to people who are not developers; they get the same pages
as production. A developer who wants Django's pages sets PORA_TECHNICAL_ERROR_PAGES=true.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, get_urlconf, resolve
from django.views import defaults

logger = logging.getLogger("django.request")

# The JSON API answers its own errors (as JSON); these pages are for browsers.
API_PREFIX = "/api/"


def csrf_failure(request, reason: str = ""):
    """A form sent without a valid CSRF token (often a page left open too long): the
    same refusal page as any other, never Django's English explanation."""
    return render(request, "403.html", {"csrf_failed": True}, status=403)


def _own_pages(request) -> bool:
    return (settings.DEBUG and not settings.PORA_TECHNICAL_ERROR_PAGES
            and not request.path_info.startswith(API_PREFIX))


class ErrorPagesMiddleware:
    """With DEBUG on, answers 404s and unexpected errors with 404.html and 500.html.

    Sits after CommonMiddleware, so a path missing its final slash is still redirected
    (APPEND_SLASH looks at the 404 this returns), and after authentication, so the 404
    page shows the user's menu. With DEBUG off it does nothing: Django's own handlers
    already use the same templates.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _own_pages(request):
            # A path no URL pattern matches never reaches a view, so process_exception
            # would not see it.
            try:
                resolve(request.path_info, get_urlconf())
            except Resolver404 as exc:
                return defaults.page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _own_pages(request) or isinstance(exception, PermissionDenied):
            return None  # PermissionDenied: handler403 renders 403.html in both modes
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return defaults.bad_request(request, exception)
        # Django would have logged it before showing the technical page.
        logger.error("Internal Server Error: %s", request.path, exc_info=exception,
                     extra={"status_code": 500, "request": request})
        return defaults.server_error(request)
