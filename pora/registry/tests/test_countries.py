"""Country names on Indonesian pages are Indonesian, as the government writes them."""

from __future__ import annotations

import pycountry
import pytest
from django.urls import reverse
from django.utils import translation

from pora.conftest import make_person
from pora.core.countries import country_choices, country_name

ENGLISH_WORDS = {"Republic", "of", "and", "Islands", "State", "Province", "Federation",
                 "Czechia", "Congo", "Cabo", "Macao", "Holy", "See"}


@pytest.mark.parametrize("code, name", [
    ("CHN", "Tiongkok"), ("TLS", "Timor-Leste"), ("RUS", "Rusia"), ("CZE", "Ceko"),
    ("COG", "Kongo"), ("TWN", "Taiwan"), ("IRN", "Iran"), ("SYR", "Suriah"),
    ("DEU", "Jerman"), ("KOR", "Korea Selatan"), ("USA", "Amerika Serikat"),
])
def test_indonesian_names(code, name):
    with translation.override("id"):
        assert country_name(code) == name


def test_no_english_or_inverted_names_in_indonesian():
    with translation.override("id"):
        names = {c.alpha_3: country_name(c.alpha_3) for c in pycountry.countries}
    english = {code: name for code, name in names.items()
               if ENGLISH_WORDS & set(name.replace(",", " ").replace("(", " ").split())}
    assert english == {}
    inverted = {code: name for code, name in names.items()
                if ", " in name and code not in {"BES", "SHN"}}
    assert inverted == {}


def test_choices_are_sorted_by_indonesian_name():
    with translation.override("id"):
        names = [name for _code, name in country_choices()]
    assert "Tiongkok" in names and names == sorted(names)


@pytest.mark.django_db
def test_person_page_shows_the_indonesian_country_name(as_officer, officer):
    person = make_person(actor=officer, nationality="CZE", surname="NOVAK", given_names="JAN",
                         passport="CZ1234567")
    page = as_officer.get(reverse("registry:person_detail", args=[person.pk]),
                          HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Ceko" in page and "Czechia" not in page
