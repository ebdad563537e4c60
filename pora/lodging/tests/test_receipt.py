"""The foreign guest report receipt (STTPOA) as a PDF: structure, text, QR code, folding.

No PDF library is needed: the helpers below check the file's cross-reference table by hand,
inflate the page's content stream with zlib and read the strings shown by ``Tj``, and
rebuild the QR code's module matrix from the rectangles of the one filled path on the page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import struct

import pytest

from pora.core.tests.pdf import pdf_streams
from pora.lodging.receipt_pdf import (
    LEGAL_BASIS,
    ReceiptData,
    format_date,
    format_datetime,
    make_qr,
    qr_png,
    receipt_pdf,
    to_latin1,
)

UTC = dt.UTC
URL = "https://pora.example.go.id/cek/JU-240201-7K3M9Q?k=9f86d081884c7d659a2feaa0c55ad015"
UNVERIFIED_ID = "akun pelapor masih menunggu verifikasi petugas imigrasi"
UNVERIFIED_EN = "awaiting verification by an immigration officer"

DATA = ReceiptData(
    receipt_number="JU-240201-7K3M9Q",
    issued_at=dt.datetime(2024, 2, 1, 7, 5, tzinfo=UTC),  # 14.05 WIB
    office_name="Kantor Imigrasi Kelas I TPI Jakarta Utara",
    lodging_name="Hotel Sunda Kelapa",
    lodging_address="Jl. Pakin No. 12, Penjaringan, Jakarta Utara 14440",
    guest_name="ERIKSSON, ANNA MARIA",
    nationality="Utopia (UTO)",
    document_number="L898902C3",
    birth_date="12 Agustus 1974",
    room="512",
    checked_in_at=dt.datetime(2024, 2, 1, 6, 40, tzinfo=UTC),  # 13.40 WIB
    expected_checkout=dt.date(2024, 2, 4),
    verify_url=URL,
    verified_reporter=True,
)


def receipt(**changes: object) -> ReceiptData:
    return dataclasses.replace(DATA, **changes)


# --------------------------------------------------------------------------- PDF reading


def check_structure(pdf: bytes) -> None:
    """Header, trailer and a cross-reference table whose every offset lands on its object."""
    assert pdf.startswith(b"%PDF-1.")
    assert pdf.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf).group(1))
    assert pdf[startxref:].startswith(b"xref")
    table = re.match(rb"xref\s+0 (\d+)\s+((?:\d{10} \d{5} [fn]\s+)+)", pdf[startxref:])
    count = int(table.group(1))
    entries = re.findall(rb"(\d{10}) \d{5} ([fn])", table.group(2))
    assert len(entries) == count
    for number, (offset, kind) in enumerate(entries):
        if kind == b"n":
            assert pdf[int(offset) :].startswith(b"%d 0 obj" % number), number


def page_count(pdf: bytes) -> int:
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)
    assert [int(n) for n in re.findall(rb"/Count\s+(\d+)", pdf)] == [len(pages)]
    return len(pages)


def content(pdf: bytes) -> str:
    """Every stream of the file, inflated when it is Flate-compressed, as one string."""
    return b"\n".join(pdf_streams(pdf)).decode("latin-1")


def _unescape(literal: str) -> str:
    return re.sub(
        r"\\([0-7]{1,3}|.)",
        lambda m: (
            chr(int(m[1], 8)) if m[1][0] in "01234567" else {"n": "\n", "r": "\r"}.get(m[1], m[1])
        ),
        literal,
    )


def shown_text(pdf: bytes) -> list[str]:
    """The strings that the page shows with ``Tj``, in order."""
    return [_unescape(s) for s in re.findall(r"\(((?:\\.|[^\\)])*)\)\s*Tj", content(pdf))]


def text(pdf: bytes) -> str:
    return "\n".join(shown_text(pdf))


def qr_rectangles(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) in mm from the top left of the page, of the QR code's path."""
    paths = re.findall(
        r"((?:[-\d.]+ [-\d.]+ m [-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ re\s*)+)f", content(pdf)
    )
    assert len(paths) == 1, "expected exactly one filled path: the QR code"
    return [
        (float(x), float(y), float(w), float(h))
        for x, y, w, h in re.findall(r"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re", paths[0])
    ]


def embedded_qr_matrix(pdf: bytes) -> list[list[bool]]:
    """Rebuild the dark/light module grid from the rectangles of the QR code's path."""
    rects = qr_rectangles(pdf)
    module = min(h for _, _, _, h in rects)
    assert all(h == pytest.approx(module, abs=1e-3) for _, _, _, h in rects)
    left = min(x for x, _, _, _ in rects)
    top = min(y for _, y, _, _ in rects)
    right = max(x + w for x, _, w, _ in rects)
    size = round((right - left) / module)
    grid = [[False] * size for _ in range(size)]
    for x, y, w, _ in rects:
        row = round((y - top) / module)
        first = round((x - left) / module)
        for col in range(first, first + round(w / module)):
            assert not grid[row][col], "overlapping modules"
            grid[row][col] = True
    return grid


def qr_matrix(url: str) -> list[list[bool]]:
    return [[bool(v & 1) for v in row] for row in make_qr(url).matrix]


# --------------------------------------------------------------------------- tests


def test_is_a_valid_single_page_pdf():
    pdf = receipt_pdf(DATA)
    check_structure(pdf)
    assert page_count(pdf) == 1
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf  # A4 portrait, in points
    assert b"/BaseFont /Helvetica" in pdf
    assert len(pdf) < 20_000


def test_uncompressed_output_is_valid_and_shows_the_same_text():
    pdf = receipt_pdf(DATA, compress=False)
    check_structure(pdf)
    assert page_count(pdf) == 1
    assert b"/FlateDecode" not in pdf
    assert shown_text(pdf) == shown_text(receipt_pdf(DATA))


def test_shows_title_number_and_fields():
    shown = shown_text(receipt_pdf(DATA))
    for line in [
        "TANDA TERIMA PELAPORAN ORANG ASING",
        "Receipt of foreign guest report",
        "JU-240201-7K3M9Q",
        "Diterbitkan / Issued: 1 Februari 2024 14.05 WIB",
        "KANTOR IMIGRASI KELAS I TPI JAKARTA UTARA",
        "Hotel Sunda Kelapa",
        "Jl. Pakin No. 12, Penjaringan, Jakarta Utara 14440",
        "ERIKSSON, ANNA MARIA",
        "Utopia (UTO)",
        "L898902C3",
        "12 Agustus 1974",
        "512",
        "1 Februari 2024 13.40 WIB",
        "4 Februari 2024",
        "Nama orang asing",
        "Name of foreigner",
        "Kewarganegaraan",
        "Nationality",
        "Pindai untuk memeriksa keaslian / Scan to verify",
        URL,
    ]:
        assert line in shown, line
    assert f"Dasar hukum / Legal basis: {LEGAL_BASIS}." in shown
    assert LEGAL_BASIS == (
        "Pasal 72 UU No. 6 Tahun 2011 tentang Keimigrasian sebagaimana diubah UU No. 63 Tahun 2024"
    )


def test_receipt_number_is_the_largest_text():
    stream = content(receipt_pdf(DATA, compress=False))
    sizes = {float(s) for s in re.findall(r"/F\d+ ([\d.]+) Tf", stream)}
    match = re.search(
        r"/F\d+ ([\d.]+) Tf ET\s*q BT [\d.]+ [\d.]+ Td 0 g \(JU-240201-7K3M9Q\)", stream
    )
    assert match and float(match[1]) == max(sizes)


def test_missing_optional_values_print_as_dash():
    shown = shown_text(receipt_pdf(receipt(expected_checkout=None, birth_date="", room="  ")))
    assert "4 Februari 2024" not in shown
    assert shown.count("-") == 3


def test_partial_birth_date_is_printed_as_given():
    assert "1974" in shown_text(receipt_pdf(receipt(birth_date="1974")))


def test_unverified_note_only_for_unverified_reporter():
    verified = text(receipt_pdf(receipt(verified_reporter=True)))
    unverified = text(receipt_pdf(receipt(verified_reporter=False)))
    assert UNVERIFIED_ID not in verified and UNVERIFIED_EN not in verified
    assert UNVERIFIED_ID in unverified and UNVERIFIED_EN in unverified


def test_embedded_qr_is_the_matrix_of_the_verify_url():
    grid = embedded_qr_matrix(receipt_pdf(DATA, compress=False))
    assert grid == qr_matrix(URL)
    assert grid != qr_matrix(URL + "x")
    # Also in the default, compressed output.
    assert embedded_qr_matrix(receipt_pdf(DATA)) == grid


def test_qr_is_a_full_qr_code_at_level_m():
    qr = make_qr(URL)
    assert not qr.is_micro
    assert qr.error == "M"
    assert make_qr("https://a.b/c").error == "M"  # short input: no Micro QR, no boost


def test_embedded_qr_is_centred_and_a_sane_print_size():
    pdf = receipt_pdf(DATA, compress=False)
    # The path is drawn in millimetres from the top left: "k 0 0 -k 0 h cm" before it.
    assert re.search(r"q 2\.8346 0 0 -2\.8346 0 841\.89 cm", content(pdf))
    rects = qr_rectangles(pdf)
    module = rects[0][3]
    left = min(x for x, *_ in rects)
    right = max(x + w for x, _, w, _ in rects)
    top = min(y for _, y, *_ in rects)
    bottom = max(y + h for _, y, _, h in rects)
    assert right - left == pytest.approx(bottom - top, abs=0.01)  # square
    assert 30 <= right - left <= 45  # mm
    assert module >= 0.5
    assert (left + right) / 2 == pytest.approx(105, abs=0.01)  # centred on A4
    assert 150 < top and bottom < 260


def test_qr_png_is_a_png_of_the_qr_code():
    png = qr_png(URL, scale=4)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    modules = len(make_qr(URL).matrix)
    assert width == height == (modules + 8) * 4
    assert 200 < len(png) < 10_000


@pytest.mark.parametrize(
    "name",
    [
        "ИВАНОВ, ИВАН ИВАНОВИЧ",
        "王小明",
        "محمد عبد الله",
        "KIM 김민준",
        "😀 EMOJI 🇮🇩",
        "NUL\x00 TAB\t NEWLINE\n BIDI\u202e END",
        "LONE \ud800 SURROGATE",
        "\u200b\u00ad",
    ],
)
def test_names_in_other_scripts_do_not_crash(name):
    pdf = receipt_pdf(
        receipt(guest_name=name, lodging_name=name, lodging_address=name, nationality=name)
    )
    check_structure(pdf)
    assert page_count(pdf) == 1
    assert "JU-240201-7K3M9Q" in shown_text(pdf)


def test_cyrillic_and_chinese_names_print_as_question_marks():
    shown = shown_text(receipt_pdf(receipt(guest_name="ИВАНОВ, ИВАН")))
    assert "??????, ????" in shown
    assert "???" in shown_text(receipt_pdf(receipt(guest_name="王小明")))


def test_latin_names_keep_latin1_letters_and_lose_other_accents():
    shown = shown_text(receipt_pdf(receipt(guest_name="ĐẶNG THỊ THU, MÜLLER")))
    assert "DANG THI THU, MÜLLER" in shown


def test_long_values_still_fit_on_one_page():
    pdf = receipt_pdf(
        receipt(
            office_name="Kantor Imigrasi " * 40,
            lodging_name="Hotel Sangat Panjang " * 40,
            lodging_address="Jalan Raya Panjang Sekali " * 60,
            guest_name="NAMA YANG SANGAT PANJANG " * 40,
            nationality="X" * 500,
            document_number="9" * 200,
            birth_date="1" * 200,
            room="Kamar " * 100,
            verify_url="https://pora.example.go.id/" + "a" * 500,
            verified_reporter=False,
        )
    )
    check_structure(pdf)
    assert page_count(pdf) == 1
    shown = shown_text(pdf)
    assert any(line.endswith("...") for line in shown)
    assert f"Dasar hukum / Legal basis: {LEGAL_BASIS}." in shown
    # Every line of text starts inside the page (A4: 595 x 842 pt).
    positions = re.findall(r"BT ([\d.]+) ([\d.]+) Td", content(pdf))
    assert positions
    for x, y in positions:
        assert 0 < float(x) < 595 and 20 < float(y) < 842


def test_output_is_deterministic_and_dated_from_issued_at():
    first = receipt_pdf(DATA)
    assert first == receipt_pdf(DATA)
    assert b"/CreationDate (D:20240201070500Z)" in first
    assert receipt_pdf(receipt(issued_at=DATA.issued_at + dt.timedelta(seconds=1))) != first


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (dt.datetime(2024, 2, 1, 7, 5, tzinfo=UTC), "1 Februari 2024 14.05 WIB"),
        (dt.datetime(2024, 12, 31, 17, 0, tzinfo=UTC), "1 Januari 2025 00.00 WIB"),
        (
            dt.datetime(2024, 8, 17, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            "17 Agustus 2024 09.00 WIB",
        ),
        (dt.datetime(2024, 5, 9, 23, 59), "9 Mei 2024 23.59 WIB"),  # naive: already WIB
    ],
)
def test_format_datetime_in_jakarta_time(moment, shown):
    assert format_datetime(moment) == shown


def test_format_date_month_names():
    months = [format_date(dt.date(2024, m, 1)).split()[1] for m in range(1, 13)]
    assert months == [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ]  # fmt: skip
    assert format_date(dt.date(2025, 10, 31)) == "31 Oktober 2025"


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ERIKSSON, ANNA MARIA", "ERIKSSON, ANNA MARIA"),
        ("MÜLLER ØSTERGÅRD Ñúñez", "MÜLLER ØSTERGÅRD Ñúñez"),  # Latin-1 letters kept
        ("Đặng Thị Thu", "Dang Thi Thu"),
        ("Łukasz Żółć", "Lukasz Zólc"),
        ("Şükrü Çağlayan ı", "Sükrü Çaglayan i"),
        ("Dvořák", "Dvorák"),
        ("e\u0301", "é"),  # decomposed input is composed first
        ("ﬁnance ＡＢＣ", "finance ABC"),  # compatibility forms
        ("“quoted” – ‘x’ — y…", "\"quoted\" - 'x' - y..."),
        ("€5", "EUR5"),
        ("Иван 王", "???? ?"),
        ("a\u200bb\u00adc", "abc"),  # zero-width space, soft hyphen
        ("  a\t\nb\u00a0 c\x00d ", "a b c d"),
        ("(paren) back\\slash", "(paren) back\\slash"),
        (None, "None"),
    ],
)
def test_to_latin1(raw, folded):
    assert to_latin1(raw) == folded
    to_latin1(raw).encode("latin-1")  # never raises


def test_parentheses_in_values_are_escaped_in_the_pdf():
    pdf = receipt_pdf(receipt(lodging_name="Hotel (Lama) \\ Baru"))
    check_structure(pdf)
    assert "Hotel (Lama) \\ Baru" in shown_text(pdf)
