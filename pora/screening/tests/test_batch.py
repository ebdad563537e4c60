"""``pora screen`` end to end, as an operator runs it: files in, HITS.csv out, rejected rows
on stderr and in the exit status, no database."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

WATCHLIST = [
    {"id": "os-sidorov", "schema": "Person", "properties": {
        "name": ["Ivan Petrovich Sidorov"], "alias": ["Иван Петрович Сидоров"],
        "birthDate": ["1980-05-12"], "nationality": ["ru"], "gender": ["male"]}},
    {"id": "os-rahman", "schema": "Person", "properties": {
        "name": ["Mohamad Abdul Rahman"], "birthDate": ["1975"], "nationality": ["my"],
        "passportNumber": ["A0123456"]}},
    {"id": "os-wang", "schema": "Person", "properties": {
        "name": ["王小明"], "alias": ["Wang Xiaoming"], "birthDate": ["1990-02-03"],
        "nationality": ["cn"]}},
]
PERSONS = [
    {"id": "p-ivan", "name": "SIDOROV IVAN", "birth_date": "1980-05-12", "nationality": "RUS",
     "passport_number": "", "sex": "M"},
    {"id": "p-muhamad", "name": "Muhamad Rahman", "birth_date": "1975-03-01",
     "nationality": "MY", "passport_number": "", "sex": ""},
    # Another name, but the listed passport (read with O for 0).
    {"id": "p-passport", "name": "Ahmad Yusuf", "birth_date": "", "nationality": "MYS",
     "passport_number": "AO123456", "sex": ""},
    {"id": "p-wang", "name": "Wang Xiao Ming", "birth_date": "1990-02-03", "nationality": "CN",
     "passport_number": "", "sex": ""},
    {"id": "p-nobody", "name": "Siti Aminah", "birth_date": "1988-01-01", "nationality": "IDN",
     "passport_number": "B7654321", "sex": "F"},
]
EXPECTED = {("p-ivan", "os-sidorov"), ("p-muhamad", "os-rahman"),
            ("p-passport", "os-rahman"), ("p-wang", "os-wang")}


def write_lines(path: Path, entities: list) -> Path:
    path.write_text("".join((e if isinstance(e, str) else json.dumps(e, ensure_ascii=False))
                            + "\n" for e in entities), encoding="utf-8")
    return path


def write_persons(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(PERSONS[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def pora_screen(*args) -> subprocess.CompletedProcess:
    # The interpreter running the tests has pora installed: no ``uv`` or ``pora`` from PATH
    # (`make test` may have put uv in .tools/bin only).
    return subprocess.run([sys.executable, "-m", "pora.cli", "screen", *map(str, args)],
                          check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)


def hits(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def files(tmp_path):
    return (write_lines(tmp_path / "list.json", WATCHLIST),
            write_persons(tmp_path / "persons.csv", PERSONS), tmp_path / "HITS.csv")


def test_clean_files_give_the_hits_and_exit_status_0(files):
    watchlist, persons, output = files
    result = pora_screen("--watchlist", watchlist, "--input", persons, "--output", output)
    assert result.returncode == 0, result.stderr
    rows = hits(output)
    assert list(rows[0]) == ["input_id", "entity_id", "score", "reasons"]
    assert {(r["input_id"], r["entity_id"]) for r in rows} == EXPECTED
    ivan = next(r for r in rows if r["input_id"] == "p-ivan")
    assert int(ivan["score"]) >= 80
    assert "Same birth date: 1980-05-12" in ivan["reasons"].split("; ")
    passport = next(r for r in rows if r["input_id"] == "p-passport")
    assert "O/0" in passport["reasons"]
    assert "3 entries, 5 persons, 4 hits, 0 rejected rows" in result.stderr


def test_rejected_rows_are_listed_with_their_reason_and_the_status_is_1(files):
    watchlist, persons, output = files
    write_lines(watchlist, [*WATCHLIST, "{oops",
                            {"id": "c1", "schema": "Company", "properties": {"name": ["Acme"]}},
                            {"id": "bad", "schema": "Person", "properties": {
                                "name": ["Bad Date"], "birthDate": ["1980-13-45"]}}])
    write_persons(persons, [*PERSONS, {**PERSONS[0], "id": "p-noname", "name": ""}])
    result = pora_screen("--watchlist", watchlist, "--input", persons, "--output", output,
                         "--workers", "1")
    assert result.returncode == 1
    assert "list.json: row 4: json: the line is not valid JSON" in result.stderr
    assert 'list.json: row 5: schema: schema "Company" is not read' in result.stderr
    assert "list.json: row 6: birthDate: \"1980-13-45\" is not a valid date" in result.stderr
    assert "persons.csv: row 7: name: a name is required" in result.stderr
    assert "4 rows were rejected" in result.stderr
    # The good rows are screened all the same.
    assert {(r["input_id"], r["entity_id"]) for r in hits(output)} == EXPECTED


def test_several_workers_find_the_same_hits_as_one(files, tmp_path):
    watchlist, persons, _output = files
    many = [{**row, "id": f"{row['id']}-{n}"} for n in range(300) for row in PERSONS]
    write_persons(persons, many)
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert pora_screen("--watchlist", watchlist, "--input", persons, "--output", one,
                       "--workers", "1").returncode == 0
    assert pora_screen("--watchlist", watchlist, "--input", persons, "--output", two,
                       "--workers", "2").returncode == 0
    found = sorted(tuple(r.values()) for r in hits(one))
    assert len(found) == 4 * 300
    assert found == sorted(tuple(r.values()) for r in hits(two))


def test_threshold_and_date_narrow_the_hits(files, tmp_path):
    watchlist, persons, output = files
    result = pora_screen("--watchlist", watchlist, "--input", persons, "--output", output,
                         "--threshold", "100")
    assert result.returncode == 0
    assert all(r["score"] == "100" for r in hits(output))
    assert len(hits(output)) < len(EXPECTED)
    template = tmp_path / "list.csv"
    template.write_text("source_id,names,birth_date,nationalities,valid_from,valid_until\n"
                        "B-1,Ivan Sidorov,1980-05-12,RU,2024-01-01,2024-12-31\n",
                        encoding="utf-8")
    for day, expected in (("2024-06-01", 1), ("2025-01-01", 0)):
        result = pora_screen("--watchlist", template, "--input", persons, "--output", output,
                             "--date", day)
        assert result.returncode == 0, result.stderr
        assert len(hits(output)) == expected


@pytest.mark.parametrize(("broken", "words"), [
    ("missing", "No such file"),
    ("no-name-column", "Required columns are missing: name"),
])
def test_an_unreadable_file_stops_with_status_2(files, broken, words):
    watchlist, persons, output = files
    if broken == "missing":
        persons = persons.with_name("absent.csv")
    else:
        persons.write_text("id,birth_date\n1,1980\n", encoding="utf-8")
    result = pora_screen("--watchlist", watchlist, "--input", persons, "--output", output)
    assert result.returncode == 2
    assert words in result.stderr


def test_bad_arguments_are_refused():
    result = pora_screen("--watchlist", "a", "--input", "b", "--output", "c",
                         "--threshold", "120")
    assert result.returncode == 2
    assert "not a score from 0 to 100" in result.stderr


def test_the_batch_command_needs_neither_django_nor_a_database():
    code = ("import sys; import pora.screening.engine.batch; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")
    result = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_rejected_rows_past_the_listed_ones_are_counted_in_one_line(monkeypatch):
    import io

    from pora.screening.engine import batch
    from pora.screening.engine.readers import Problem, RowError

    monkeypatch.setattr(batch, "SHOWN_REJECTED", 2)
    err = io.StringIO()
    rejected = batch.Rejections("list.json", err)
    for row in range(2, 7):
        rejected.add(RowError(row, (Problem("name", "a name is required"),)))
    rejected.summary()
    assert err.getvalue().splitlines() == [
        "list.json: row 2: name: a name is required",
        "list.json: row 3: name: a name is required",
        "list.json: 3 more rejected rows not listed"]
    assert rejected.count == 5
