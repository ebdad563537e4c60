"""An officer's first day, in a real Chromium: figures, search, person, import."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pora.browser_tests.conftest import log_in
from pora.conftest import PASSWORD, make_permit, make_person
from pora.demo.registry import REFERENCE_DATE, generate
from pora.registry.importing import COLUMNS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def population(jakut, officer):
    generate(office=jakut, holders={"ITAS": 37, "ITAP": 12, "ITK": 5}, overstay=4, departed=3,
             companies=5, seed=5)
    person = make_person(actor=officer, surname="WANG", given_names="XIAOMING",
                         passport="EB7654321")
    make_permit(person, actor=officer, number="2C11BR0000001")
    return person


def test_officer_sees_headline_finds_misspelt_name_and_opens_person(page, officer, population):
    log_in(page, officer.username, PASSWORD)
    page.goto(f"/registri/?on={REFERENCE_DATE.isoformat()}")
    sentence = page.locator("#headline-sentence")
    # 37 generated ITAS holders plus WANG XIAOMING; Indonesian date format.
    assert "38 ITAS" in sentence.inner_text()
    assert "12 ITAP" in sentence.inner_text()
    assert "5 ITK" in sentence.inner_text()
    assert "1 Februari 2024" in sentence.inner_text()

    page.click("text=Orang asing")
    page.fill("input[name=q]", "wang xiao mnig")
    page.press("input[name=q]", "Enter")
    link = page.locator("#results a", has_text="XIAOMING")
    link.first.wait_for()
    link.first.click()
    page.wait_for_url("**/orang-asing/*/")
    assert "WANG, XIAOMING" in page.locator("h1").inner_text()
    assert "EB7654321" in page.content()


def _csv_with_one_bad_row() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    good = {"number": "2C11IM0000001", "kind": "ITAS", "purpose": "kerja",
            "valid_from": "2024-01-02", "valid_until": "2024-12-31", "surname": "KIM",
            "given_names": "MIN JUN", "sex": "L", "birth_date": "1990-04-05",
            "nationality": "KOR", "passport_number": "M12345678", "kelurahan": "Pluit"}
    bad = {**good, "number": "2C11IM0000002", "passport_number": "M87654321",
           "given_names": "SEO YEON", "birth_date": "1990-02-30"}
    for row in (good, bad):
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    return buffer.getvalue().encode()


def test_officer_imports_file_with_one_bad_row_and_downloads_it(page, officer, tmp_path,
                                                               jakut):
    upload = tmp_path / "izin.csv"
    upload.write_bytes(_csv_with_one_bad_row())
    log_in(page, officer.username, PASSWORD)
    page.goto("/registri/impor/")
    page.set_input_files("input[type=file]", str(upload))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url("**/impor/*/")
    page.locator("[data-status=done]").wait_for()
    assert page.locator("[data-figure=created]").inner_text() == "1"
    assert page.locator("[data-figure=rejected]").inner_text() == "1"
    assert "tanggal_lahir" in page.content()
    with page.expect_download() as download_info:
        page.click("#download-rejected")
    path = download_info.value.path()
    rows = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    assert rows[0][-1] == "alasan_penolakan"
    assert len(rows) == 2
    assert rows[1][[c.header for c in COLUMNS].index("given_names".replace(
        "given_names", "nama_depan"))] == "SEO YEON"
    assert "tanggal_lahir" in rows[1][-1]
