"""The headline's Excel says what it counts and as of when, and ends with its total."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_the_headline_sheet_has_its_date_and_a_total_row(as_officer, wang):
    response = as_officer.get(reverse("registry:dashboard"),
                              {"on": "2024-02-01", "export": "xlsx"},
                              HTTP_ACCEPT_LANGUAGE="id")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert "1 Februari 2024" in rows[0][0]
    assert "Jakarta Utara" in rows[0][0]
    header = next(row for row in rows if row and row[0] == "Kecamatan")
    assert header[:4] == ("Kecamatan", "ITAS", "ITAP", "ITK")
    assert rows[-1][0] == "Jumlah"
    assert rows[-1][1:5] == (1, 0, 0, 1)  # WANG's ITAS is valid on 1 February 2024
