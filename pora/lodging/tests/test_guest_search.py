"""The guest lists' search: the officer's list of who stays where and the lodging's own
current guests, by a guest's name (any words, any order), passport number or a part of
it, or receipt number; on the server, the table swapped by htmx while typing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pora.conftest import login
from pora.lodging import selectors
from pora.lodging.linking import Guest
from pora.lodging.models import Source, Stay
from pora.lodging.services.stays import StayDetails, check_in

GUESTS = [
    # surname, given names, nationality, passport
    ("ERIKSSON", "ANNA MARIA", "SWE", "L898902C3"),
    ("WANG", "XIAOMING", "CHN", "EA1234567"),
    ("MARIANI", "GIULIA", "ITA", "YA5550123"),
]


@pytest.fixture
def stays(hotel) -> dict[str, Stay]:
    out = {}
    for hours, (surname, given, nationality, passport) in enumerate(GUESTS, start=1):
        stay, _created = check_in(
            lodging=hotel, source=Source.TYPED,
            details=StayDetails(checked_in_at=timezone.now() - dt.timedelta(hours=hours)),
            guest=Guest(surname=surname, given_names=given, nationality=nationality,
                        document_number=passport, issuing_state=nationality, sex="X"))
        out[surname] = stay
    return out


def matching(hotel, query: str) -> set[str]:
    found = selectors.stays_matching(Stay.objects.filter(lodging=hotel), query)
    return set(found.values_list("surname", flat=True))


@pytest.mark.parametrize(("query", "expected"), [
    ("eriksson", {"ERIKSSON"}),
    ("Anna Eriksson", {"ERIKSSON"}),          # words in any order
    ("anna", {"ERIKSSON"}),                   # a given name
    ("MARI", {"ERIKSSON", "MARIANI"}),        # a part of a name, in either field
    ("giulia mari", {"MARIANI"}),
    ("ea 1234", {"WANG"}),                    # a part of the passport, spaces left out
    ("YA5550123", {"MARIANI"}),
    ("zhang", set()),
    ("100%_", set()),                         # LIKE wildcards are plain characters
], ids=["surname", "any-order", "given-name", "part", "two-words", "passport-part",
        "passport", "nobody", "wildcards"])
def test_stays_match_by_name_or_passport(hotel, stays, query, expected):
    assert matching(hotel, query) == expected


def test_the_receipt_number_finds_its_stay(hotel, stays):
    number = stays["WANG"].receipt_number
    assert matching(hotel, number.lower()) == {"WANG"}


def test_an_empty_query_keeps_every_stay(hotel, stays):
    assert matching(hotel, "  ") == {"ERIKSSON", "WANG", "MARIANI"}


def test_the_officer_filters_the_guest_list_by_name(officer, stays):
    client = login(officer)
    url = reverse("lodging:officer_guests")
    page = client.get(url, {"q": "anna eriksson"}).content.decode()
    assert 'id="guest-search"' in page and 'hx-get="' + url in page
    table = page.split('id="officer-guests"', 1)[1]
    assert "ERIKSSON" in table and "WANG" not in table and "MARIANI" not in table
    # htmx while typing: only the results come back.
    partial = client.get(url, {"q": "wang"}, headers={"HX-Request": "true",
                                                      "HX-Target": "guest-results"})
    html = partial.content.decode()
    assert "<html" not in html and 'id="officer-guests"' in html
    assert "WANG" in html and "ERIKSSON" not in html


def test_the_lodging_searches_its_current_guests(hotel_operator, stays):
    client = login(hotel_operator)
    url = reverse("lodging:home")
    page = client.get(url, {"q": "mariani"}).content.decode()
    assert 'id="guest-search"' in page
    table = page.split('id="current-guests"', 1)[1].split("</table>", 1)[0]
    assert "MARIANI" in table and "ERIKSSON" not in table and "WANG" not in table
    partial = client.get(url, {"q": "L8989"}, headers={"HX-Request": "true",
                                                       "HX-Target": "current-guests-table"})
    html = partial.content.decode()
    assert "<html" not in html and 'id="current-guests"' in html
    assert "ERIKSSON" in html and "MARIANI" not in html
    nobody = client.get(url, {"q": "zhang"}, headers={"HX-Request": "true",
                                                      "HX-Target": "current-guests-table"})
    assert "MARIANI" not in nobody.content.decode()
