"""The receipt of a foreign guest report as a one-page A4 PDF with a verification QR code.

Indonesia's national reporting app calls this document STTPOA, *Surat Tanda Terima
Pelaporan Orang Asing*. :func:`receipt_pdf` turns an immutable :class:`ReceiptData` into
the bytes of a PDF made with fpdf2; the QR code that opens ``verify_url`` is made with
segno (error correction level M) and drawn as vector rectangles, so it stays sharp when
printed and costs no image decoding.

The PDF uses the PDF core font Helvetica, which covers Latin-1 only. Every piece of text
goes through :func:`to_latin1` first: accents outside Latin-1 are dropped ("Đặng" ->
"Dang"), and characters of other scripts become "?" — a name in Cyrillic or Chinese never
makes the receipt fail, but prints as question marks, so callers should prefer the Latin
spelling from the passport's MRZ.

Dates and times are shown in Asia/Jakarta time (WIB) in Indonesian style, for example
"1 Februari 2024 14.05 WIB", with month names spelled out here rather than taken from a
locale. The output is deterministic: the same data gives the same bytes, with the PDF's
creation date taken from ``issued_at``.

The module is pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import segno

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = [
    "LEGAL_BASIS",
    "ReceiptData",
    "format_date",
    "format_datetime",
    "make_qr",
    "qr_png",
    "receipt_pdf",
    "to_latin1",
]

LEGAL_BASIS = (
    "Pasal 72 UU No. 6 Tahun 2011 tentang Keimigrasian sebagaimana diubah UU No. 63 Tahun 2024"
)

try:
    JAKARTA: dt.tzinfo = ZoneInfo("Asia/Jakarta")
except ZoneInfoNotFoundError:  # pragma: no cover - WIB is UTC+7 without DST since 1964
    JAKARTA = dt.timezone(dt.timedelta(hours=7), "WIB")

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed on one receipt; the caller formats nothing but ``birth_date``."""

    receipt_number: str  # e.g. "JU-240201-7K3M9Q"
    issued_at: dt.datetime  # aware
    office_name: str  # "Kantor Imigrasi Kelas I TPI Jakarta Utara"
    lodging_name: str
    lodging_address: str
    guest_name: str  # "ERIKSSON, ANNA MARIA"
    nationality: str  # display name, e.g. "Utopia (UTO)"
    document_number: str
    birth_date: str  # display, may be partial "1974" or empty
    room: str
    checked_in_at: dt.datetime
    expected_checkout: dt.date | None
    verify_url: str  # absolute URL the QR opens
    verified_reporter: bool  # False -> note that the reporter account awaits verification


# --------------------------------------------------------------------------- text


# Characters outside Latin-1 with an obvious Latin-1 spelling that NFKD does not give.
_SPELLINGS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": ",",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u2022": "\xb7",
        "\u20ac": "EUR",
        "\u0131": "i",  # dotless i (Turkish)
        "\u0141": "L",
        "\u0142": "l",  # Polish
        "\u0110": "D",
        "\u0111": "d",  # Vietnamese, Croatian
        "\u0126": "H",
        "\u0127": "h",  # Maltese
        "\u0166": "T",
        "\u0167": "t",
        "\u0152": "OE",
        "\u0153": "oe",
        "\u013f": "L",
        "\u0140": "l",
        "\u014a": "NG",
        "\u014b": "ng",
        "\u0138": "q",
        "\u0149": "'n",
    }
)
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character that is not printable Latin-1, spelled in printable Latin-1."""
    category = unicodedata.category(ch)
    if category == "Cf":  # zero-width and bidi marks, soft hyphen, BOM
        return ""
    if category in ("Cc", "Zl", "Zp", "Zs"):
        return " "
    spelled = ch.translate(_SPELLINGS)
    if spelled != ch:
        return spelled
    folded = []
    for part in unicodedata.normalize("NFKD", ch):
        if unicodedata.combining(part):
            continue
        part = part.translate(_SPELLINGS)
        folded.append(part if all(_printable_latin1(c) for c in part) else "?")
    return "".join(folded)


def _printable_latin1(ch: str) -> bool:
    o = ord(ch)
    return 0x20 <= o < 0x7F or 0xA1 <= o <= 0xFF and o != 0xAD


def to_latin1(text: object) -> str:
    """``text`` on one line in printable Latin-1, which the PDF core fonts can show.

    Latin-1 letters are kept ("MÜLLER", "ØSTERGÅRD"); other letters lose their accents
    ("Đặng Thị" -> "Dang Thi", "Łukasz" -> "Lukasz"); typographic quotes and dashes become
    ASCII; what is left outside Latin-1 (Cyrillic, Han, emoji, ...) becomes "?". Control
    characters and runs of white space become one space, and the ends are stripped.
    """
    text = unicodedata.normalize("NFC", str(text))
    out = "".join(ch if _printable_latin1(ch) else _fold_char(ch) for ch in text)
    return _SPACES.sub(" ", out).strip()


def format_date(value: dt.date) -> str:
    """``1 Februari 2024``."""
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def format_datetime(value: dt.datetime) -> str:
    """``1 Februari 2024 14.05 WIB``: an aware datetime in Jakarta time.

    A naive datetime is taken to be Jakarta time already.
    """
    local = value.astimezone(JAKARTA) if value.tzinfo is not None else value
    return f"{format_date(local.date())} {local.hour:02d}.{local.minute:02d} WIB"


# --------------------------------------------------------------------------- QR code


def make_qr(url: str) -> segno.QRCode:
    """The QR code printed on the receipt: a full QR symbol (never Micro QR) at level M."""
    return segno.make_qr(url, error="m", boost_error=False)


def qr_png(url: str, scale: int = 4, border: int = 4) -> bytes:
    """The receipt's QR code as PNG bytes, ``scale`` pixels per module, for a web page."""
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def _dark_runs(qr: segno.QRCode) -> list[tuple[int, int, int]]:
    """(row, first column, length) of every horizontal run of dark modules."""
    runs = []
    for r, row in enumerate(qr.matrix):
        c, width = 0, len(row)
        while c < width:
            if row[c] & 1:
                start = c
                while c < width and row[c] & 1:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return runs


def _draw_qr(pdf: FPDF, qr: segno.QRCode, x: float, y: float, size: float) -> None:
    """Draw ``qr`` with its top left corner at (x, y), ``size`` mm wide, as one filled path.

    One path filled once leaves no hairline seams between neighbouring modules, which
    separate rectangles can show in viewers that anti-alias each fill on its own.
    """
    from fpdf.drawing import PaintedPath, PathPaintRule

    m = size / len(qr.matrix)
    path = PaintedPath()
    path.style.paint_rule = PathPaintRule.FILL_NONZERO
    path.style.fill_color = "#000000"
    for r, c, length in _dark_runs(qr):
        path.rectangle(x + c * m, y + r * m, length * m, m)
    pdf.draw_path(path, copy=False)  # the path is ours alone: skip fpdf2's deep copy


# --------------------------------------------------------------------------- layout

_PAGE_W, _PAGE_H = 210.0, 297.0
_MARGIN_X = 18.0
_MARGIN_TOP = 14.0
_MARGIN_BOTTOM = 12.0
_CONTENT_W = _PAGE_W - 2 * _MARGIN_X
_LABEL_W = 62.0
_VALUE_W = _CONTENT_W - _LABEL_W
_ROW_PAD = 1.3
_QR_SIZE = 38.0  # mm, without the quiet zone
_GREY = (90, 90, 90)
_RULE = (190, 190, 190)
_TITLE = "TANDA TERIMA PELAPORAN ORANG ASING"
_SUBTITLE = "Receipt of foreign guest report"
_SCAN = "Pindai untuk memeriksa keaslian / Scan to verify"
_UNVERIFIED_ID = "Catatan: akun pelapor masih menunggu verifikasi petugas imigrasi."
_UNVERIFIED_EN = "Note: the reporter's account is awaiting verification by an immigration officer."
_FOOTER = (
    f"Dasar hukum / Legal basis: {LEGAL_BASIS}.",
    (
        "Dokumen ini dibuat secara elektronik; keasliannya dapat diperiksa melalui kode QR "
        "di atas. / This document was generated electronically; its authenticity can be "
        "checked with the QR code above."
    ),
)
_FOOTER_H = 2 + 3 * 3.6
# Longest text the caller controls, in characters before wrapping; the wrapped lines are
# capped again per field (see _field_rows) so that any receipt fits on its page.
_MAX_CHARS = 400


def _lines(pdf: FPDF, text: str, width: float, max_lines: int | None = None) -> list[str]:
    """``text`` broken into lines of at most ``width`` mm in the current font; past
    ``max_lines`` the text is cut and the last line ends in "...".
    """
    room = width - 2 * pdf.c_margin
    if pdf.get_string_width(text) <= room:  # the usual case, and 50x cheaper than wrapping
        return [text]
    lines = pdf.multi_cell(width, 1, text, dry_run=True, output="LINES")
    if max_lines is None or len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1].rstrip()
    while last and pdf.get_string_width(last + "...") > room:
        last = last[:-1].rstrip()
    return [*lines[: max_lines - 1], last + "..."]


def _write(
    pdf: FPDF,
    x: float,
    line_h: float,
    text: str,
    width: float,
    max_lines: int | None = None,
    align: str = "L",
) -> float:
    """Write ``text`` wrapped in a column at ``x``, from the current y; return the new y."""
    for line in _lines(pdf, text, width, max_lines):
        pdf.set_x(x)
        pdf.cell(width, line_h, line, align=align, new_x="LMARGIN", new_y="NEXT")
    return pdf.get_y()


def _field_rows(data: ReceiptData) -> list[tuple[str, str, str, int]]:
    """(label, English label, value, most lines for the value) of each table row."""

    def value(text: object) -> str:
        return to_latin1(text)[:_MAX_CHARS] or "-"

    checkout = format_date(data.expected_checkout) if data.expected_checkout else "-"
    return [
        ("Nama tempat penginapan", "Lodging", value(data.lodging_name), 2),
        ("Alamat tempat penginapan", "Lodging address", value(data.lodging_address), 3),
        ("Nama orang asing", "Name of foreigner", value(data.guest_name), 2),
        ("Kewarganegaraan", "Nationality", value(data.nationality), 1),
        (
            "Nomor paspor / dokumen perjalanan",
            "Passport / travel document no.",
            value(data.document_number),
            1,
        ),
        ("Tanggal lahir", "Date of birth", value(data.birth_date), 1),
        ("Kamar", "Room", value(data.room), 1),
        ("Tanggal dan jam kedatangan", "Check-in", format_datetime(data.checked_in_at), 1),
        ("Perkiraan tanggal keluar", "Expected check-out", checkout, 1),
    ]


def receipt_pdf(data: ReceiptData, *, compress: bool = True) -> bytes:
    """The receipt as the bytes of a one-page A4 PDF.

    ``compress=False`` leaves the page's content stream readable, for tests.
    """
    number = to_latin1(data.receipt_number)[:40] or "-"
    office = to_latin1(data.office_name)[:_MAX_CHARS] or "-"
    issued = format_datetime(data.issued_at)
    left, right = _MARGIN_X, _PAGE_W - _MARGIN_X

    from fpdf import FPDF  # here, not at the top: importing fpdf2 takes ~1 s (numpy, fontTools)

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_auto_page_break(False)
    pdf.set_margins(_MARGIN_X, _MARGIN_TOP, _MARGIN_X)
    pdf.set_title(f"{_TITLE} {number}")
    pdf.set_subject(_SUBTITLE)
    pdf.set_author(office)
    pdf.set_creator("PORA")
    pdf.set_producer("PORA")
    pdf.set_lang("id")
    issued_at = data.issued_at
    pdf.set_creation_date(issued_at if issued_at.tzinfo else issued_at.replace(tzinfo=JAKARTA))
    pdf.add_page()
    pdf.set_text_color(0)
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.2)

    # Letterhead: the office, then a rule.
    pdf.set_font("Helvetica", "B", 10)
    _write(pdf, left, 5, office.upper(), _CONTENT_W, 2)
    pdf.set_font("Helvetica", "", 8)
    pdf.set_text_color(*_GREY)
    _write(pdf, left, 4, "Direktorat Jenderal Imigrasi - Pengawasan Orang Asing (PORA)", _CONTENT_W)
    pdf.set_text_color(0)
    y = pdf.get_y() + 2
    pdf.line(left, y, right, y)

    # Title.
    pdf.set_y(y + 6)
    pdf.set_font("Helvetica", "B", 16)
    _write(pdf, left, 8, _TITLE, _CONTENT_W, align="C")
    pdf.set_font("Helvetica", "I", 10)
    pdf.set_text_color(*_GREY)
    _write(pdf, left, 5, _SUBTITLE, _CONTENT_W, align="C")

    # Receipt number and issue time in a box.
    box_top = pdf.get_y() + 5
    pdf.set_fill_color(244, 244, 244)
    pdf.set_draw_color(150, 150, 150)
    pdf.rect(left, box_top, _CONTENT_W, 22, style="DF")
    pdf.set_draw_color(*_RULE)
    pdf.set_y(box_top + 2)
    pdf.set_font("Helvetica", "", 8)
    _write(pdf, left, 4, "Nomor tanda terima / Receipt number", _CONTENT_W, align="C")
    pdf.set_text_color(0)
    pdf.set_font("Helvetica", "B", 20)
    _write(pdf, left, 9, number, _CONTENT_W, 1, align="C")
    pdf.set_font("Helvetica", "", 9)
    _write(pdf, left, 5, f"Diterbitkan / Issued: {issued}", _CONTENT_W, align="C")

    pdf.set_y(box_top + 22 + 4)
    _write(
        pdf,
        left,
        4.5,
        "Laporan keberadaan orang asing berikut telah diterima. / "
        "The following report of a foreign guest has been received.",
        _CONTENT_W,
    )

    # The fields: Indonesian label over a small English one, value beside them.
    y = pdf.get_y() + 2
    pdf.line(left, y, right, y)
    for label_id, label_en, value, max_lines in _field_rows(data):
        pdf.set_y(y + _ROW_PAD)
        pdf.set_font("Helvetica", "B", 8.5)
        _write(pdf, left, 3.8, label_id, _LABEL_W - 2)
        pdf.set_font("Helvetica", "I", 7)
        pdf.set_text_color(*_GREY)
        label_bottom = _write(pdf, left, 3.2, label_en, _LABEL_W - 2)
        pdf.set_text_color(0)
        pdf.set_y(y + _ROW_PAD)
        pdf.set_font("Helvetica", "", 10)
        value_bottom = _write(pdf, left + _LABEL_W, 4.8, value, _VALUE_W, max_lines)
        y = max(label_bottom, value_bottom) + _ROW_PAD
        pdf.line(left, y, right, y)

    # The QR code, centred, with its caption and URL under it.
    qr_top = y + 5
    _draw_qr(pdf, make_qr(data.verify_url), (_PAGE_W - _QR_SIZE) / 2, qr_top, _QR_SIZE)
    pdf.set_y(qr_top + _QR_SIZE + 2)
    pdf.set_font("Helvetica", "B", 9)
    _write(pdf, left, 4.5, _SCAN, _CONTENT_W, align="C")
    pdf.set_font("Courier", "", 8)
    _write(pdf, left, 3.8, to_latin1(data.verify_url)[:_MAX_CHARS], _CONTENT_W, 2, "C")

    if not data.verified_reporter:
        top = pdf.get_y() + 4
        pdf.set_y(top + 2.2)
        pdf.set_font("Helvetica", "B", 8.5)
        _write(pdf, left + 3, 4, _UNVERIFIED_ID, _CONTENT_W - 6)
        pdf.set_font("Helvetica", "I", 8)
        bottom = _write(pdf, left + 3, 4, _UNVERIFIED_EN, _CONTENT_W - 6) + 2.2
        pdf.set_draw_color(200, 120, 0)
        pdf.set_line_width(0.5)
        pdf.rect(left, top, _CONTENT_W, bottom - top)
        pdf.set_draw_color(*_RULE)
        pdf.set_line_width(0.2)
        pdf.set_y(bottom)

    # Legal basis and how the document came to be, at the foot of the page.
    y = max(pdf.get_y() + 4, _PAGE_H - _MARGIN_BOTTOM - _FOOTER_H)
    pdf.line(left, y, right, y)
    pdf.set_y(y + 2)
    pdf.set_font("Helvetica", "", 7.5)
    pdf.set_text_color(*_GREY)
    for text in _FOOTER:
        _write(pdf, left, 3.6, text, _CONTENT_W)
    return bytes(pdf.output())
