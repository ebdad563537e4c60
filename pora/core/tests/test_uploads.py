"""The shared upload reader refuses hostile files early and at bounded memory.

Each hostile file is built here, a few kilobytes, and declares or unpacks to far more:
a sheet dimension of 16,384 × 8,000 cells, a row numbered 1,048,576, a gzip file of
64 MiB. Memory is measured with tracemalloc (every Python allocation, openpyxl's and
the XML parser's included)."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import openpyxl.reader.excel  # noqa: F401 (imported before memory is traced)
import pytest

from pora.core import uploads
from pora.core.tests.hostile import gzip_bomb, row_xml, table_workbook, workbook
from pora.core.uploads import UploadRefused, gunzip_stream, read_lines, row_limit, xlsx_rows

HEADERS = ["id", "nama", "tanggal_lahir"]
ROWS = [["A-1", "WANG XIAOMING", "1985-03-21"], ["A-2", "Ivan PETROV", "1979"]]
MB = 1024 * 1024


def peak_while(work) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_declared_dimension_is_ignored_and_costs_no_memory():
    data = table_workbook(HEADERS, ROWS, dimension="A1:XFD8000", last_row_at=8000)
    assert len(data) < 3000

    rows, peak = peak_while(lambda: list(xlsx_rows(data)))

    assert rows == [(1, HEADERS), (2, ROWS[0]), (8000, ROWS[1])]
    # Padding to the declared size held 131 million cells (over a gigabyte).
    assert peak < 8 * MB


def test_a_row_numbered_at_the_sheets_end_is_read_without_the_empty_rows_before_it():
    data = table_workbook(HEADERS, ROWS, last_row_at=1_048_576)

    rows, peak = peak_while(lambda: list(xlsx_rows(data)))

    assert rows == [(1, HEADERS), (2, ROWS[0]), (1_048_576, ROWS[1])]
    assert peak < 8 * MB


def test_declared_but_empty_cells_far_right_are_ignored():
    empty_far = '<c r="XFD{n}" s="0"/><c r="XFC{n}" t="inlineStr"><is><t></t></is></c>'
    sheet = "".join(row_xml(n, values, extra=empty_far.format(n=n))
                    for n, values in enumerate([HEADERS, *ROWS], start=1))
    assert [r for _, r in xlsx_rows(workbook(sheet))] == [HEADERS, *ROWS]


def test_a_value_beyond_the_column_cap_refuses_the_file():
    sheet = row_xml(1, HEADERS) + row_xml(2, [*ROWS[0], *([None] * 300), "far"])
    with pytest.raises(UploadRefused) as refused:
        list(xlsx_rows(workbook(sheet)))
    assert refused.value.params == {"row": 2, "max": uploads.MAX_COLUMNS}


def test_nul_bytes_in_cells_are_removed():
    sheet = row_xml(1, HEADERS) + row_xml(2, ["A_x0000_-1", "WANG\x01", "1985"]).replace(
        "\x01", "_x0000_")
    assert list(xlsx_rows(workbook(sheet)))[1] == (2, ["A-1", "WANG", "1985"])


def test_a_formula_is_read_as_its_saved_result_and_refused_without_one():
    saved = '<c r="B2" t="str"><f>UPPER("wang")</f><v>WANG</v></c>'
    assert list(xlsx_rows(workbook(row_xml(1, HEADERS) + f'<row r="2">{saved}</row>'))) \
        == [(1, HEADERS), (2, [None, "WANG"])]

    unsaved = '<c r="B2"><f>1+1</f><v></v></c>'
    with pytest.raises(UploadRefused) as refused:
        list(xlsx_rows(workbook(row_xml(1, HEADERS) + f'<row r="2">{unsaved}</row>')))
    assert refused.value.params == {"cell": "B2"}


def test_a_giant_cell_is_refused_before_it_is_held():
    sheet = row_xml(1, HEADERS) + row_xml(2, ["A-1", "x" * 200_000])
    with pytest.raises(UploadRefused) as refused:
        list(xlsx_rows(workbook(sheet)))
    assert refused.value.params == {"row": 2, "max": uploads.MAX_CELL_CHARS}


def test_entity_declarations_are_refused():
    data = workbook(row_xml(1, HEADERS))
    bomb = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>'
            '</sheetData></worksheet>')
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            archive.writestr(info.filename, bomb if "worksheets" in info.filename else content)
    with pytest.raises(UploadRefused):
        list(xlsx_rows(buffer.getvalue()))


def test_a_sheet_part_declared_larger_than_the_cap_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_SHEET_BYTES", 1000)
    data = table_workbook(HEADERS, ROWS * 20)
    with pytest.raises(UploadRefused) as refused:
        xlsx_rows(data)
    assert "mb" in refused.value.params


def test_not_a_workbook_is_refused():
    for data in (b"PK\x03\x04 not a workbook" * 10, b"plain text"):
        with pytest.raises(UploadRefused):
            xlsx_rows(data)


def test_the_row_limit_refuses_as_soon_as_it_is_passed():
    read = []

    def rows():
        for number in range(1, 1_000_000):
            read.append(number)
            yield [f"cell {number}"]

    with pytest.raises(UploadRefused) as refused:
        for _ in row_limit(rows(), 5, lambda row: not any(row)):
            pass
    assert refused.value.params == {"max": 5}
    # The header and five rows pass; the seventh row is refused, and nothing after it read.
    assert read == list(range(1, 8))


def test_a_gzip_bomb_is_refused_at_the_cap_without_holding_it():
    data = gzip_bomb(64 * MB)
    assert len(data) < 200_000

    def unpack():
        stream = gunzip_stream(data, limit=8 * MB)
        return sum(len(line) for line in read_lines(stream))

    with pytest.raises(UploadRefused) as refused:
        peak_while(unpack)
    assert refused.value.params == {"mb": 8}

    tracemalloc.start()
    try:
        with pytest.raises(UploadRefused):
            unpack()
        assert tracemalloc.get_traced_memory()[1] < 4 * MB
    finally:
        tracemalloc.stop()


def test_a_gzip_file_under_the_cap_reads_whole():
    data = gzip_bomb(2 * MB, line=b'{"id": 1}\n')
    lines = list(read_lines(gunzip_stream(data, limit=4 * MB)))
    assert sum(map(len, lines)) >= 2 * MB
    assert set(lines) == {b'{"id": 1}\n'}
    assert lines[0] == b'{"id": 1}\n'


def test_a_line_without_end_is_refused_before_it_is_held():
    with pytest.raises(UploadRefused) as refused:
        list(read_lines(io.BytesIO(b"ok\n" + b"x" * 5000), limit=1000))
    assert refused.value.params["line"] == 2
