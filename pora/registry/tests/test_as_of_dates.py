"""A bad as-of date (``?on=``) is named back to the user with the date shown instead,
never silently replaced; the other search filters still apply."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pora.registry.forms import parse_as_of

pytestmark = pytest.mark.django_db

DEFAULT = dt.date(2024, 2, 1)


@pytest.mark.parametrize("value", ["abc", "2024-02-31", "1900-01-01", "2999-01-01"])
def test_a_bad_date_gives_the_default_and_says_so(value):
    on, problem = parse_as_of(value, DEFAULT)
    assert on == DEFAULT
    assert problem


@pytest.mark.parametrize("value", ["", None])
def test_no_date_is_no_problem(value):
    assert parse_as_of(value, DEFAULT) == (DEFAULT, "")


def test_a_good_date_is_used():
    assert parse_as_of("2023-12-31", DEFAULT) == (dt.date(2023, 12, 31), "")


@pytest.mark.parametrize("value, said", [
    ("abc", "“abc” bukan tanggal"),
    ("2024-02-31", "“2024-02-31” bukan tanggal"),
    ("1900-01-01", "1 Januari 1900 di luar rentang tanggal"),
])
@pytest.mark.parametrize("page", ["dashboard", "person_list", "person_detail",
                                  "sponsor_detail"])
def test_pages_name_the_bad_date_and_the_date_used(as_officer, wang, page, value, said):
    from django.utils import timezone

    args = {"person_detail": [wang.pk],
            "sponsor_detail": [_sponsor(wang).pk]}.get(page, [])
    response = as_officer.get(reverse(f"registry:{page}", args=args), {"on": value},
                              HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="date-problem"' in body
    assert said in body
    today = timezone.localdate()
    assert f"{today.day} " in body.split('id="date-problem"')[1].split("</p>")[0]


def test_a_bad_date_keeps_the_other_filters(as_officer, wang):
    from pora.conftest import make_person

    make_person(surname="MÜLLER", given_names="HANS", nationality="DEU", passport="C01X00T47")
    response = as_officer.get(reverse("registry:person_list"), {"q": "wang", "on": "abc"})
    assert [p.surname for p, _a, _s in response.context["rows"]] == ["WANG"]


def _sponsor(person):
    from pora.registry.models import Sponsor

    sponsor = Sponsor.objects.create(name="PT Pluit Jaya", kind="company")
    person.permits.update(sponsor=sponsor)
    return sponsor
