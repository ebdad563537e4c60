"""Hotel front desk, visitor and officer, in a real Chromium: check-in from the MRZ, the
receipt and its public check, the officer's guest list and map, and check-out.

The UI opens in Bahasa Indonesia and many lodging strings are not translated yet, so the
tests find things by id, name and attribute rather than by their English text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import formats, timezone, translation

from pora.browser_tests.conftest import log_in
from pora.conftest import PASSWORD, make_lodging, make_user
from pora.core.tests.pdf import pdf_text_strings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# ICAO Doc 9303 part 4, the TD3 specimen passport of Utopia.
MRZ = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
# The same with a wrong document number check digit (6 -> 7).
MRZ_BAD_DOCUMENT_DIGIT = MRZ.replace("L898902C36", "L898902C37")
PASSPORT = "L898902C3"


@pytest.fixture
def front_desk(jakut):
    """Manager of Hotel Pluit Bay, a verified lodging in Pluit (with its coordinates)."""
    from pora.core.models import Role

    user = make_user("hotel_pluit", Role.LODGING)
    make_lodging(user=user)
    return user


@pytest.fixture
def eriksson(front_desk):
    """ANNA MARIA ERIKSSON checked in at Hotel Pluit Bay two hours ago, room 1207."""
    from pora.lodging.models import Source
    from pora.lodging.mrz import parse_mrz
    from pora.lodging.services.stays import StayDetails, check_in, guest_from_mrz

    stay, created = check_in(
        lodging=front_desk.lodging_staff.lodging, actor=front_desk, source=Source.MRZ,
        guest=guest_from_mrz(parse_mrz(MRZ, today=timezone.localdate())),
        details=StayDetails(checked_in_at=timezone.now().replace(second=0, microsecond=0)
                            - dt.timedelta(hours=2), room="1207"))
    assert created
    return stay


def _watch_errors(page) -> list[str]:
    """Console errors, uncaught exceptions and CSP violations of ``page``, as they come."""
    problems: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });")
    page.on("console", lambda message: problems.append(f"console: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return problems


def _date_id(value: dt.datetime) -> str:
    with translation.override("id"):
        return formats.date_format(timezone.localtime(value), "j F Y")


def test_hotel_checks_in_from_mrz_and_visitor_verifies_the_receipt(page, browser, live_server,
                                                                  front_desk):
    from pora.lodging.models import Stay
    from pora.lodging.receipt_pdf import receipt_pdf
    from pora.lodging.receipts import receipt_data

    problems = _watch_errors(page)
    log_in(page, front_desk.username, PASSWORD)
    page.wait_for_url("**/penginapan/")

    page.goto("/penginapan/check-in/?mode=mrz")
    page.fill("#id_mrz", MRZ)
    page.click("#check-in-form button[hx-post]")
    preview = page.locator("#mrz-preview .mrz-read")
    preview.wait_for()
    assert "ERIKSSON" in preview.inner_text()
    assert "ANNA MARIA" in preview.inner_text()
    assert PASSPORT in preview.inner_text()

    page.fill("#id_room", "1207")
    page.click("#check-in-form button[type=submit]")
    page.wait_for_url(re.compile(r"/penginapan/tamu/\d+/$"))
    number = page.locator("#receipt-number").inner_text().strip()
    assert re.fullmatch(r"\d{6}-[2-9A-HJKMNP-Z]{8}", number), number
    stay = Stay.objects.get(receipt_number=number)
    assert (stay.surname, stay.given_names, stay.document_number, stay.room) == (
        "ERIKSSON", "ANNA MARIA", PASSPORT, "1207")

    with page.expect_download() as download_info:
        page.click("#receipt-download")
    download = download_info.value
    assert download.suggested_filename == f"tanda-terima-{number}.pdf"
    with open(download.path(), "rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")

    # The verify URL printed under the QR code, and the QR code itself: the download is the
    # very PDF receipt_pdf draws for this stay with this verify URL (QR from make_qr(url)).
    verify_url = live_server.url + reverse("lodging:verify_receipt", args=[number])
    assert verify_url in pdf_text_strings(pdf)
    host = live_server.url.split("://", 1)[1]
    data = receipt_data(RequestFactory().get("/", HTTP_HOST=host), stay)
    assert data.verify_url == verify_url
    assert pdf == receipt_pdf(data)
    assert pdf != receipt_pdf(replace(data, verify_url=verify_url + "x"))
    assert problems == []

    # A visitor scanning the QR code: not logged in, sees only that the receipt is genuine.
    visitor = browser.new_context(base_url=live_server.url, locale="id-ID")
    try:
        visit = visitor.new_page()
        visit_problems = _watch_errors(visit)
        response = visit.goto(verify_url)
        assert response.status == 200
        result = visit.locator("#verify-result")
        assert "message-success" in result.get_attribute("class")
        text = result.inner_text()
        assert number in text
        assert _date_id(stay.reported_at) in text
        # Nothing about the guest (nor where they stay) in what is shown or in the HTML.
        # The receipt number is meant to be shown, and it starts with today's date, which
        # holds the room "1207" on every 7 December: it is taken out before looking.
        shown = visit.locator("body").inner_text().lower().replace(number.lower(), "#")
        for personal in ("ERIKSSON", "ANNA", "MARIA", PASSPORT, "1974", "1207", "Utopia",
                         "Hotel Pluit Bay"):
            assert personal.lower() not in shown, personal
        html = visit.content()  # case-sensitive: random CSRF tokens are mixed case
        for personal in ("ERIKSSON", "ANNA MARIA", PASSPORT, "Pluit Bay"):
            assert personal not in html, personal
        assert visit_problems == []
    finally:
        visitor.close()


def test_wrong_check_digit_names_the_document_number_and_saves_nothing(page, front_desk):
    from pora.lodging.models import Stay
    from pora.registry.models import Person

    persons = Person.objects.count()
    log_in(page, front_desk.username, PASSWORD)
    page.wait_for_url("**/penginapan/")
    page.goto("/penginapan/check-in/?mode=mrz")
    page.fill("#id_mrz", MRZ_BAD_DOCUMENT_DIGIT)
    page.click("#check-in-form button[hx-post]")
    error = page.locator("#mrz-preview [role=alert]")
    error.wait_for()
    assert "nomor dokumen" in error.inner_text()
    assert page.locator("#mrz-preview .mrz-read").count() == 0

    page.fill("#id_room", "1207")
    page.click("#check-in-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/penginapan/check-in/")
    field_error = page.locator("#id_mrz-errors")
    field_error.wait_for()
    assert "nomor dokumen" in field_error.inner_text()
    # What was pasted is kept for correction.
    assert page.input_value("#id_mrz").splitlines()[1].startswith("L898902C37")
    assert Stay.objects.count() == 0
    assert Person.objects.count() == persons


def test_officer_sees_the_guest_in_the_list_and_on_the_map(page, officer, eriksson):
    problems = _watch_errors(page)
    log_in(page, officer.username, PASSWORD)
    page.wait_for_url("**/registri/**")

    page.goto("/penginapan/petugas/tamu/")
    rows = page.locator("table#officer-guests tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "ERIKSSON" in row
    assert PASSPORT in row
    assert "Hotel Pluit Bay" in row
    assert "Pluit" in row

    page.goto("/penginapan/petugas/peta/")
    page.locator("#guest-map .leaflet-interactive").first.wait_for()
    # One circle for the kelurahan, one dot for the lodging.
    assert page.locator("#guest-map .leaflet-interactive").count() >= 1
    label = page.locator("#guest-map .pora-map__label--kelurahan")
    label.first.wait_for()
    assert "Pluit" in label.first.inner_text()
    assert "Pluit" in page.locator("#map-table").inner_text()
    assert problems == []


def test_hotel_checks_the_guest_out_from_the_list(page, front_desk, eriksson):
    from pora.lodging.models import Stay

    problems = _watch_errors(page)
    log_in(page, front_desk.username, PASSWORD)
    page.wait_for_url("**/penginapan/")
    guests = page.locator("table#current-guests tbody")
    row = guests.locator("tr", has_text="ERIKSSON")
    assert row.count() == 1
    row.locator(f"a[href='{reverse('lodging:stay_check_out', args=[eriksson.pk])}']").click()

    page.wait_for_url(re.compile(rf"/penginapan/tamu/{eriksson.pk}/check-out/$"))
    assert "ERIKSSON" in page.locator("article header").inner_text()
    assert page.input_value("#id_checked_out_at")  # now, filled in for confirmation
    page.click("article form button[type=submit]")

    page.wait_for_url("**/penginapan/")
    assert "ERIKSSON" not in guests.inner_text()
    assert guests.locator("tr").count() == 1  # the "no guests" row
    assert page.locator(".message-success").count() == 1
    eriksson = Stay.objects.get(pk=eriksson.pk)
    assert eriksson.checked_out_at is not None
    assert eriksson.checked_out_by_id == front_desk.pk
    assert problems == []

