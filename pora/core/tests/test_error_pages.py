"""Refusals and errors look the same on every page, in Indonesian, with DEBUG on (the demo)
as with DEBUG off: never Django's English technical pages listing URLs or settings."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from pora.conftest import login

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("secret detail in the traceback")


urlpatterns = [path("boom/", _boom)]
urlpatterns += __import__("pora.urls", fromlist=["urlpatterns"]).urlpatterns

TECHNICAL = ("urlpatterns", "URLconf", "Traceback", "DEBUG = True", "secret detail")


def _assert_own_page(response, status: int, text: str) -> None:
    body = response.content.decode()
    assert response.status_code == status
    assert text in body
    for leak in TECHNICAL:
        assert leak not in body


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_unknown_address_is_the_indonesian_404(debug, officer):
    response = login(officer).get("/tidak-ada/", HTTP_ACCEPT_LANGUAGE="id")
    _assert_own_page(response, 404, "Tidak ditemukan")
    # The page keeps the user's menu.
    assert "Orang asing" in response.content.decode()


def test_unknown_address_for_a_visitor_is_the_indonesian_404(debug):
    _assert_own_page(Client().get("/registri/tidak-ada/"), 404, "Tidak ditemukan")


def test_missing_object_is_the_indonesian_404(debug, officer):
    response = login(officer).get(reverse("registry:person_detail", args=[987654]))
    _assert_own_page(response, 404, "Tidak ditemukan")


def test_refusal_is_the_indonesian_403(debug, officer):
    response = login(officer).get(reverse("core:audit_log"))
    _assert_own_page(response, 403, "Tidak diizinkan")


def test_missing_final_slash_is_still_redirected(debug, officer):
    response = login(officer).get("/registri/orang-asing")
    assert response.status_code == 301
    assert response["Location"] == "/registri/orang-asing/"


@override_settings(ROOT_URLCONF=__name__)
def test_error_is_the_500_page(debug, officer):
    client = login(officer)
    client.raise_request_exception = False
    _assert_own_page(client.get("/boom/"), 500, "Terjadi kesalahan")


def test_expired_form_is_an_indonesian_403(debug, officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(reverse("core:logout"))
    _assert_own_page(response, 403, "kedaluwarsa")


@override_settings(DEBUG=True, PORA_TECHNICAL_ERROR_PAGES=True)
def test_developers_may_ask_for_the_technical_pages(officer):
    assert "URLconf" in login(officer).get("/tidak-ada/").content.decode()
