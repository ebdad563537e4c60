"""Watchlist and person files read row by row: FollowTheMoney lines, the CSV/XLSX template,
encodings, and every way a row is rejected (with its row, field and reason)."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import tracemalloc
from collections.abc import Iterator

import pytest
from openpyxl import Workbook

from pora.screening.engine.readers import (
    FileError,
    ParsedEntry,
    RowError,
    read_persons,
    read_watchlist,
    template_example_rows,
    watchlist_template_headers,
)
from pora.screening.engine.records import PartialDate

TODAY = dt.date(2025, 6, 1)


def ftm(entity_id: str = "os-1", schema: str = "Person", **properties) -> dict:
    return {"id": entity_id, "schema": schema, "properties": properties,
            "datasets": ["interpol_red_notices"], "first_seen": "2024-01-02T00:00:00"}


def lines(*entities) -> bytes:
    return "\n".join(e if isinstance(e, str) else json.dumps(e, ensure_ascii=False)
                     for e in entities).encode("utf-8") + b"\n"


def read(data: bytes, filename: str = "list.json") -> tuple[list[ParsedEntry], list[RowError]]:
    entries, errors = [], []
    for item in read_watchlist(data, filename, today=TODAY):
        (errors if isinstance(item, RowError) else entries).append(item)
    return entries, errors


def write_table(path, rows: list[dict], *, delimiter: str = ",", encoding: str = "utf-8",
                headers: list[str] | None = None) -> bytes:
    headers = headers or list(rows[0])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    data = buffer.getvalue().encode(encoding)
    path.write_bytes(data)
    return data


def write_xlsx(path, rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path.read_bytes()


# ------------------------------------------------------------------- FollowTheMoney

SIDOROV = ftm("os-sidorov", name=["Ivan Petrovich Sidorov"], alias=["Иван Петрович Сидоров"],
              weakAlias=["Vanya"], birthDate=["1980-05-12", "1980"], nationality=["ru"],
              citizenship=["ua"], passportNumber=["75 0123456"], idNumber=["RU-99"],
              gender=["male"], topics=["wanted", "crime"], notes=["Fraud, Interpol notice"],
              sourceUrl=["https://example.org/notice/1"])


def test_a_followthemoney_person_becomes_an_entry_with_every_fact(tmp_path):
    path = tmp_path / "targets.json"
    path.write_bytes(lines(SIDOROV))
    (entry,), errors = read(path.read_bytes(), path.name)
    assert errors == []
    record = entry.record
    assert record.id == "os-sidorov"
    assert record.names == ("Ivan Petrovich Sidorov", "Иван Петрович Сидоров")
    assert record.birth_dates == (PartialDate(1980, 5, 12), PartialDate(1980))
    assert record.nationalities == ("RUS", "UKR")
    assert record.documents == ("750123456", "RU99")
    assert record.sex == "M"
    assert entry.row == 1
    assert entry.topics == ["wanted", "crime"]
    assert entry.reason == "Fraud, Interpol notice"
    assert entry.source == "https://example.org/notice/1"
    assert entry.schema == "Person"
    assert entry.action == ""


def test_a_weak_alias_is_not_a_name_to_compare():
    (entry,), _ = read(lines(SIDOROV))
    assert "Vanya" not in entry.record.names


def test_first_and_last_name_make_the_name_when_there_is_none():
    (entry,), _ = read(lines(ftm(firstName=["Mei"], lastName=["Ling"], middleName=["X"])))
    assert entry.record.names == ("Mei X Ling",)


def test_a_former_state_or_territory_is_no_nationality_and_no_error():
    (entry,), errors = read(lines(ftm(name=["Old Soviet"], nationality=["suhh", "xk",
                                                                          "ge-ab"])))
    assert errors == []
    assert entry.record.nationalities == ("RKS",)


@pytest.mark.parametrize(("line", "field", "words"), [
    ("{not json", "json", "not valid JSON"),
    ("[1, 2]", "json", "JSON object"),
    (ftm(schema="Company", name=["Acme Trading"]), "schema", "Company"),
    (ftm(schema="LegalEntity", name=["Acme"]), "schema", "LegalEntity"),
    (ftm(entity_id="", name=["No Id"]), "id", "no id"),
    (ftm(birthDate=["1980"]), "name", "no name"),
    (ftm(name=["Wang Wei"], birthDate=["1980-13-45"]), "birthDate", "1980-13-45"),
    # One bad value among several rejects the row rather than dropping it silently.
    (ftm(name=["Wang Wei"], birthDate=["1980-05-12", "12/05/80x"]), "birthDate", "12/05/80x"),
    (ftm(name=["Wang Wei"], nationality=["cn", "qq"]), "nationality", "qq"),
    (ftm(name=["Wang Wei"], citizenship=["atlantis"]), "citizenship", "atlantis"),
])
def test_a_bad_line_is_rejected_with_its_line_field_and_reason(line, field, words):
    data = lines(SIDOROV, line, ftm("os-last", name=["Last Person"]))
    entries, errors = read(data)
    assert [e.record.id for e in entries] == ["os-sidorov", "os-last"]
    (error,) = errors
    assert error.row == 2
    assert field in error.field
    assert words in error.message
    assert error.values


def test_a_repeated_id_is_rejected_on_its_second_line():
    entries, errors = read(lines(SIDOROV, SIDOROV))
    assert len(entries) == 1
    assert errors[0].row == 2 and "already appears on line 1" in errors[0].message


def test_blank_lines_are_skipped_and_numbering_follows_the_file():
    data = lines(SIDOROV) + b"\n\n" + lines("{broken")
    _, (error,) = read(data)
    assert error.row == 4


def test_a_gzipped_file_is_read():
    (entry,), _ = read(gzip.compress(lines(SIDOROV)), "targets.json.gz")
    assert entry.record.id == "os-sidorov"


def test_nested_sanctions_and_passports_are_read():
    person = ftm(name=["Nested Person"], sanctions=[{"schema": "Sanction", "properties": {
        "program": ["UNSC 1267"], "reason": ["Listed"], "startDate": ["2020-01-02"],
        "endDate": ["2030-01-01"]}}], identification=[
        {"schema": "Passport", "properties": {"number": ["P-123"]}}])
    (entry,), _ = read(lines(person))
    assert entry.legal_reference == "UNSC 1267"
    assert entry.valid_from == dt.date(2020, 1, 2)
    assert entry.valid_until == dt.date(2030, 1, 1)
    assert entry.record.documents == ("P123",)


# ------------------------------------------------------------------------ encodings

def test_utf8_with_a_byte_order_mark_is_read():
    entries, errors = read(b"\xef\xbb\xbf" + lines(SIDOROV))
    assert errors == [] and entries[0].record.names[1] == "Иван Петрович Сидоров"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_byte_order_mark_is_decoded(encoding):
    data = lines(SIDOROV, ftm("os-2", name=["Mộc Thị Hà"])).decode("utf-8").encode(encoding)
    entries, errors = read(data)
    assert errors == []
    assert [e.record.names[0] for e in entries] == ["Ivan Petrovich Sidorov", "Mộc Thị Hà"]


def test_a_latin1_line_is_rejected_as_not_utf8_and_the_others_are_read():
    good = lines(ftm("os-1", name=["Plain Name"]))
    latin = json.dumps(ftm("os-2", name=["José Müller"]), ensure_ascii=False).encode("latin-1")
    entries, errors = read(good + latin + b"\n" + lines(ftm("os-3", name=["Other"])))
    assert [e.record.id for e in entries] == ["os-1", "os-3"]
    (error,) = errors
    assert error.row == 2 and error.field == "encoding" and "not UTF-8" in error.message


def test_a_latin1_csv_row_is_rejected_and_the_ascii_rows_are_read(tmp_path):
    rows = [{"source_id": "a", "names": "Plain Name"}, {"source_id": "b", "names": "José Müller"},
            {"source_id": "c", "names": "Other Name"}]
    data = write_table(tmp_path / "list.csv", rows, encoding="latin-1")
    entries, errors = read(data, "list.csv")
    assert [e.record.id for e in entries] == ["a", "c"]
    assert errors[0].row == 3 and "not UTF-8" in errors[0].message


def test_a_csv_saved_as_utf16_is_decoded(tmp_path):
    rows = [{"source_id": "a", "names": "Nguyễn Văn An", "nationalities": "VN"}]
    data = write_table(tmp_path / "list.csv", rows, encoding="utf-16")
    (entry,), errors = read(data, "list.csv")
    assert errors == [] and entry.record.names == ("Nguyễn Văn An",)


def test_reading_a_large_file_streams_instead_of_holding_every_row():
    data = b"".join(lines(ftm(f"os-{n}", name=[f"Person Number{n}"], birthDate=["1980"]))
                    for n in range(20_000))
    items = read_watchlist(data, "big.json")
    assert isinstance(items, Iterator)
    tracemalloc.start()
    count = sum(1 for item in items if isinstance(item, ParsedEntry))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 20_000
    # The ids seen (for duplicates) are kept, not the rows: holding 20,000 parsed entries
    # takes over 13 MiB.
    assert peak < 6 * 2**20


# ------------------------------------------------------------------- the template

def test_the_template_examples_read_back_without_errors_as_csv_and_xlsx(tmp_path):
    headers = watchlist_template_headers()
    assert headers[:2] == ["source_id", "names"]
    examples = template_example_rows()
    assert len(examples) == 2
    csv_data = write_table(tmp_path / "template.csv", examples, headers=headers)
    xlsx_data = write_xlsx(tmp_path / "template.xlsx",
                           [headers] + [[row[h] for h in headers] for row in examples])
    for data, name in ((csv_data, "template.csv"), (xlsx_data, "template.xlsx")):
        entries, errors = read(data, name)
        assert errors == [], name
        first, second = entries
        assert first.record.names == ("Ivan Petrovich CONTOH", "Иван Петрович Контох")
        assert first.record.nationalities == ("RUS", "UKR")
        assert first.action == "arrest"
        assert first.valid_until == dt.date(2025, 6, 30)
        # An age stands for an approximate year of birth, counted from today.
        assert second.age == 45
        assert second.record.birth_dates == (PartialDate(1980, approximate=True),)
        assert second.record.names == ("CONTOH Mei Ling", "Mei-Ling Contoh")
        assert second.record.sex == "F"
        assert second.action == "discreet"
        assert second.valid_until == dt.date(2026, 12, 31)


def test_headers_in_other_case_spacing_and_indonesian_are_recognised(tmp_path):
    rows = [{"Source ID": "X-1", "Nama": "Budi Contoh", "Tanggal Lahir": "31-12-1970",
             "Kewarganegaraan": "MY;SGP", "Nomor Paspor": "A 123-456", "Tindakan": "lapor",
             "Jenis Kelamin": "L", "Dasar Hukum": "UU 6/2011"}]
    (entry,), errors = read(write_table(tmp_path / "l.csv", rows, delimiter=";"), "l.csv")
    assert errors == []
    assert entry.record.birth_dates == (PartialDate(1970, 12, 31),)
    assert entry.record.nationalities == ("MYS", "SGP")
    assert entry.record.documents == ("A123456",)
    assert entry.record.sex == "M"
    assert entry.action == "report"
    assert entry.legal_reference == "UU 6/2011"


def test_an_xlsx_date_cell_is_a_date(tmp_path):
    data = write_xlsx(tmp_path / "l.xlsx", [["source_id", "names", "birth_date", "valid_until"],
                                            ["X-1", "Ana Contoh", dt.datetime(1985, 3, 4),
                                             dt.date(2026, 1, 31)]])
    (entry,), errors = read(data, "l.xlsx")
    assert errors == []
    assert entry.record.birth_dates == (PartialDate(1985, 3, 4),)
    assert entry.valid_until == dt.date(2026, 1, 31)


BASE = {"source_id": "X-1", "names": "Ana Contoh"}


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"source_id": ""}, "source_id", "required"),
    ({"names": " | ; "}, "names", "at least one name"),
    ({"birth_date": "1980-13-45"}, "birth_date", "1980-13-45"),
    ({"birth_date": "1980|45/45/1980"}, "birth_date", "45/45/1980"),
    ({"age": "about forty"}, "age", "about forty"),
    ({"age": "140"}, "age", "140"),
    ({"nationalities": "RU|Narnia"}, "nationalities", "Narnia"),
    ({"sex": "Q"}, "sex", "Q"),
    ({"action": "shoot"}, "action", "shoot"),
    ({"valid_from": "2025-02-30"}, "valid_from", "2025-02-30"),
    ({"valid_from": "2025-06-01", "valid_until": "2025-01-01"}, "valid_until", "before"),
    ({"photo_url": "file:///etc/passwd"}, "photo_url", "web address"),
    ({"legal_reference": "x" * 301}, "legal_reference", "300"),
])
def test_a_bad_template_row_is_rejected_with_its_row_field_and_reason(tmp_path, changes, field,
                                                                      words):
    headers = watchlist_template_headers()
    rows = [{"source_id": "ok-1", "names": "First Person"}, {**BASE, **changes},
            {"source_id": "ok-2", "names": "Last Person"}]
    entries, errors = read(write_table(tmp_path / "l.csv", rows, headers=headers), "l.csv")
    assert [e.record.id for e in entries] == ["ok-1", "ok-2"]
    (error,) = errors
    assert error.row == 3  # the header is row 1
    assert field in error.field
    assert words in error.message
    assert error.values["names"] == rows[1]["names"].strip()


def test_every_problem_of_a_row_is_reported_at_once(tmp_path):
    rows = [{**BASE, "birth_date": "1980-13-45", "nationalities": "ZZZ", "action": "x"}]
    _, (error,) = read(write_table(tmp_path / "l.csv", rows), "l.csv")
    assert error.field == "birth_date, nationalities, action"
    assert len(error.problems) == 3


def test_a_message_is_translatable_from_its_id_and_values(tmp_path):
    rows = [{**BASE, "birth_date": "1980-13-45"}]
    _, (error,) = read(write_table(tmp_path / "l.csv", rows), "l.csv")
    catalogue = {error.problems[0].template: "\"%(value)s\" bukan tanggal yang sah"}
    assert error.translated(lambda text: catalogue.get(text, text)) == \
        "\"1980-13-45\" bukan tanggal yang sah"


def test_a_repeated_source_id_is_rejected(tmp_path):
    rows = [BASE, {**BASE, "names": "Someone Else"}]
    entries, (error,) = read(write_table(tmp_path / "l.csv", rows), "l.csv")
    assert len(entries) == 1 and "already appears on row 2" in error.message


@pytest.mark.parametrize(("content", "name", "words"), [
    (b"", "l.csv", "empty"),
    (b"names,sex\nAna,F\n", "l.csv", "source_id"),
    (b"source_id,names,names\n1,a,b\n", "l.csv", "twice"),
    (b"PK\x03\x04 not really a workbook", "l.xlsx", "Excel"),
    (b"source_id\x00names\n", "l.csv", "binary"),
])
def test_an_unreadable_table_is_refused_as_a_whole(content, name, words):
    with pytest.raises(FileError) as raised:
        read_watchlist(content, name)
    assert words in raised.value.message


# -------------------------------------------------------------------------- persons

def test_persons_csv_needs_only_a_name(tmp_path):
    rows = [{"id": "p1", "name": "Ivan Sidorov", "birth_date": "1980-05", "nationality": "RU",
             "passport_number": "75 01", "sex": "male"},
            {"id": "", "name": "Mei Ling", "birth_date": "", "nationality": "",
             "passport_number": "", "sex": ""},
            {"id": "p3", "name": "", "birth_date": "1990", "nationality": "",
             "passport_number": "", "sex": ""}]
    data = write_table(tmp_path / "persons.csv", rows)
    first, second, error = list(read_persons(data, "persons.csv"))
    assert first.id == "p1" and first.birth_dates == (PartialDate(1980, 5),)
    assert first.nationalities == ("RUS",) and first.documents == ("7501",)
    assert first.sex == "M"
    assert second.id == "3" and second.names == ("Mei Ling",)  # the row number stands in
    assert isinstance(error, RowError) and error.row == 4 and error.field == "name"


def test_persons_as_followthemoney_lines():
    records = list(read_persons(lines(SIDOROV, ftm("c", schema="Company", name=["Acme"])),
                                "persons.json"))
    assert records[0].id == "os-sidorov" and records[0].documents == ("750123456", "RU99")
    assert isinstance(records[1], RowError) and records[1].field == "schema"


def test_persons_file_without_a_name_column_is_refused():
    with pytest.raises(FileError):
        read_persons(b"id,birth_date\n1,1980\n", "persons.csv")
