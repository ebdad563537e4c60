"""Downloads never carry a live spreadsheet formula: an XLSX cell is typed as text, a CSV
cell gets a leading apostrophe (one rule, :mod:`pora.core.cells`), and the importers take
the apostrophe off again so that a fixed rejected-rows file uploads as it was."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from pora.core.cells import csv_cell, from_csv_cell, from_csv_cells
from pora.core.exports import rejected_rows_response, xlsx_response

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"klik\")", "+62 21 6601234", "-2+3",
           "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def _rows(values: dict[str, str]):
    return [SimpleNamespace(values=values, errors=[])]


def _download(values: dict[str, str], *, as_xlsx: bool):
    return rejected_rows_response(_rows(values), filename="izin.csv", position=lambda h: 0,
                                  reason_header="alasan", reason=lambda row: "=1+1",
                                  as_xlsx=as_xlsx, sheet_title="Ditolak")


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_quoted_in_csv_and_unquoted_on_the_way_back(text):
    assert csv_cell(text) == "'" + text
    assert from_csv_cell(csv_cell(text)) == text


@pytest.mark.parametrize("value", ["WANG", "", "021-6601234", "'quoted'", 42, None])
def test_other_values_pass_as_they_are(value):
    assert csv_cell(value) == value
    if isinstance(value, str):
        assert from_csv_cell(value) == value


def test_from_csv_cells_keeps_a_row_without_apostrophes_as_it_is():
    row = ["WANG", "+62"]
    assert from_csv_cells(row) is row
    assert from_csv_cells(["'+62", "O'NEILL"]) == ["+62", "O'NEILL"]


def test_rejected_rows_csv_neutralises_every_formula_like_cell_headers_too():
    values = {f"kolom{i}": text for i, text in enumerate(HOSTILE)} | {"=catatan": "WANG"}
    response = _download(values, as_xlsx=False)
    header, line = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = dict(zip(header, line, strict=True))
    for i, text in enumerate(HOSTILE):
        assert cells[f"kolom{i}"] == "'" + text
    assert cells["'=catatan"] == "WANG"
    assert cells["alasan"] == "'=1+1"


def test_rejected_rows_xlsx_types_formula_like_cells_as_text_headers_too():
    values = {f"kolom{i}": text for i, text in enumerate(HOSTILE)} | {"=catatan": "WANG"}
    response = _download(values, as_xlsx=True)
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, line = list(sheet.iter_rows())
    for cell in [*header, *line]:
        assert cell.data_type == "s", (cell.coordinate, cell.value)
    # (XML keeps a carriage return as a line feed.)
    assert [c.value for c in line][:len(HOSTILE)] == [t.replace("\r", "\n") for t in HOSTILE]
    assert "=catatan" in [c.value for c in header]


def test_xlsx_export_headers_are_text():
    response = xlsx_response("x", ["=A1", "Nama"], [["=B1", "WANG"]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.data_type for row in sheet.iter_rows() for c in row] == ["s"] * 4
