"""Reading the MRZ from photos (:mod:`pora.lodging.ocr`).

Three groups: checking the upload (no OCR engine needed), decoding OCR text into an MRZ
(no engine needed: the OCR output is written here), and reading the synthetic photos in
``photos/`` (made by ``photos/generate.py``; ``expected.json`` lists what each shows).
The last group skips, saying why, when the engine cannot be loaded; it installs from
PyPI with its models inside the wheel, so in CI it runs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from pora.lodging import ocr
from pora.lodging.mrz import MRZ, check_digit
from pora.lodging.ocr import (
    ImageRejected,
    MrzReading,
    OcrUnavailable,
    load_photo,
    ocr_available,
    ocr_unavailable_reason,
    read_mrz,
)

PHOTOS = Path(__file__).resolve().parent / "photos"
EXPECTED: dict[str, dict] = json.loads((PHOTOS / "expected.json").read_text())
TODAY = dt.date(2025, 6, 1)

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD2 = (
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
# A TD3 whose document number mixes letters and digits, built with the parser's own
# check digit function.
_NUMBER = "C01X00T47"
_BODY = _NUMBER + check_digit(_NUMBER) + "D<<" + "640812" + check_digit("640812") + "F"
_BODY += "270801" + check_digit("270801") + "<" * 14 + "<"
TD3_DEU = (
    "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
    _BODY + check_digit(_BODY[0:10] + _BODY[13:20] + _BODY[21:43]),
)


def jpeg(image: Image.Image, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **kwargs)
    return buffer.getvalue()


def encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels and holds almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------- the upload


def rejected(data: bytes, **kwargs) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        read_mrz(data, today=TODAY, **kwargs)
    error = caught.value
    assert error.message_id and error.message_en
    assert str(error) == error.message_en
    assert isinstance(error, ValueError)
    return error


def test_not_an_image_is_rejected():
    error = rejected((PHOTOS / "not_an_image.jpg").read_bytes())
    assert "bukan gambar" in error.message_id
    assert "not a picture" in error.message_en


def test_empty_upload_is_rejected():
    assert "kosong" in rejected(b"").message_id


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_rejected(fmt):
    data = encoded(Image.new("RGB", (200, 100), "white"), fmt)
    error = rejected(data)
    assert fmt in error.message_en
    assert "JPEG, PNG" in error.message_id


def test_oversized_file_is_rejected_before_it_is_decoded():
    data = (PHOTOS / "td3_nld.jpg").read_bytes()
    error = rejected(data, max_bytes=len(data) - 1)
    assert "too large" in error.message_en
    assert "terlalu besar" in error.message_id
    # The default limit is 8 MiB.
    assert ocr.MAX_BYTES == 8 * 1024 * 1024
    assert "8 MB" in rejected(b"\xff\xd8" + b"\x00" * ocr.MAX_BYTES).message_en


@pytest.mark.parametrize(
    ("width", "height"),
    [
        pytest.param(10_000, 6_000, id="60-megapixels"),
        pytest.param(30_000, 30_000, id="900-megapixels-pillow-bomb"),
        pytest.param(25_000, 100, id="absurdly-wide"),
    ],
)
def test_decompression_bombs_are_rejected(width, height):
    data = png_header_only(width, height)
    assert len(data) < 200
    assert "pixels" in rejected(data).message_en


def test_tiny_picture_is_rejected():
    assert "too small" in rejected(encoded(Image.new("RGB", (20, 20)), "PNG")).message_en


def test_truncated_jpeg_is_rejected():
    data = (PHOTOS / "td3_nld.jpg").read_bytes()
    assert "damaged" in rejected(data[: len(data) // 2]).message_en


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_load_as_rgb(fmt):
    image = Image.new("L", (300, 200), 128)
    photo = load_photo(encoded(image, fmt))
    assert photo.mode == "RGB"
    assert photo.size == (300, 200)


def test_transparent_png_is_put_on_white():
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    photo = load_photo(encoded(image, "PNG"))
    assert photo.mode == "RGB"
    assert photo.getpixel((50, 50)) == (255, 255, 255)


def test_exif_orientation_is_applied():
    upright = Image.new("RGB", (400, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned a quarter anticlockwise: turn clockwise to show
    data = jpeg(upright.transpose(Image.Transpose.ROTATE_90), exif=exif)
    assert load_photo(data).size == (400, 200)


# --------------------------------------------------------------------------- decoding


def decode(*rows: str | list[str]):
    """Decode OCR rows (each one reading or a list of alternative readings)."""
    alternatives = [[row] if isinstance(row, str) else row for row in rows]
    return ocr._decode_window(alternatives, TODAY)


@pytest.mark.parametrize("lines", [TD3, TD2, TD1, TD3_DEU], ids=["td3", "td2", "td1", "td3-deu"])
def test_clean_reading_decodes_as_is(lines):
    decoded = decode(*lines)
    assert decoded.mrz is not None
    assert decoded.lines == lines
    assert decoded.cost == 0


def test_letters_and_digits_are_mapped_by_position():
    # O for 0 in the nationality and dates, 0 for O in a name, I for 1 in a date.
    decoded = decode(
        "P<UT0ERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UT074O8122F12O4I59ZE184226B<<<<<1O",
    )
    assert decoded.mrz is not None
    assert decoded.lines == TD3


def test_ocr_noise_characters_are_cleaned():
    row = "p<uto eriksson«anna<maria‹<<<<<<<<<<<<<<<<<<"
    assert ocr._clean(row) == TD3[0]
    assert ocr._clean("L898902C36UTO7408122F1204159ZE184226B>>>>>10") == TD3[1]
    assert ocr._looks_like_mrz(TD3[1])
    assert not ocr._looks_like_mrz("Thank you for staying with us. Terima kasih.")
    assert not ocr._looks_like_mrz("Documentno./No.dokumen")


def test_dropped_fillers_are_restored():
    name = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<"  # trailing fillers cut short
    number = "L898902C36UTO7408122F1204159ZE184226B<<<<10"  # one filler missing
    decoded = decode(name, number)
    assert decoded.mrz is not None
    assert decoded.lines == TD3
    assert decoded.cost > 0


def test_k_read_for_a_trailing_filler_is_a_filler():
    decoded = decode("P<UTOERIKSSON<<ANNA<MARIA<<<K<<<<<<<<K<<<<<K", TD3[1])
    assert decoded.lines == TD3
    # ... but not a K that begins a name part.
    kim = decode("P<UTOERIKSSON<<KIM<<<<<<<<<<<<<<<<<<<<<<<<<<", TD3[1])
    assert kim.mrz is not None and kim.mrz.given_names == "KIM"


def test_check_digits_choose_between_readings():
    misread = TD3[1].replace("7408122", "7406122")  # a digit misread: birth check fails
    decoded = decode(TD3[0], [misread, TD3[1]])
    assert decoded.lines == TD3
    assert decode(TD3[0], misread).mrz is None


def test_unknown_country_code_fails_the_reading():
    decoded = decode(TD3[0].replace("UTO", "OHZ"), TD3[1])
    assert decoded.mrz is None
    assert decoded.error.field == "issuing_state"
    assert "OHZ" in decoded.error.message_id
    decoded = decode(TD3[0], TD3[1].replace("UTO", "UTX"))
    assert decoded.error.field == "nationality"


def test_unfit_rows_keep_the_text_and_the_parsers_reason():
    decoded = decode("P<UTOERIKSSON<<ANNA", "L898902C36UTO7408122F1204")
    assert decoded.mrz is None
    assert decoded.error.field == "format"
    assert decoded.lines == ("P<UTOERIKSSON<<ANNA", "L898902C36UTO7408122F1204")


def _value(char: str) -> int:
    return int(char) if char.isdigit() else 0 if char == "<" else ord(char) - 55


# Positions covered by a check digit (row, column), per layout (Doc 9303 parts 4–6).
_CHECKED = {
    "td3": [(1, c) for c in [*range(10), *range(13, 20), *range(21, 44)]],
    "td2": [(1, c) for c in [*range(10), *range(13, 20), *range(21, 36)]],
    "td1": [(0, c) for c in range(5, 30)]
    + [(1, c) for c in [*range(7), *range(8, 15), *range(18, 30)]],
}
_SPECIMENS = {"td3": TD3, "td2": TD2, "td1": TD1}


@pytest.mark.parametrize("layout", ["td3", "td2", "td1"])
def test_a_corrupted_reading_never_yields_a_different_valid_mrz(layout):
    """Every single-character misreading of a check-digit-covered position that the check
    digits can detect at all (Doc 9303: not a change by a multiple of 10, like 0 → A) is
    either put right (O read for 0 in a date) or refused: never decoded into another
    valid MRZ. Names, sex and country codes carry no check digit and are left out."""
    lines = _SPECIMENS[layout]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
    outcomes = {"restored": 0, "refused": 0}
    for row, column in _CHECKED[layout]:
        original = lines[row][column]
        for char in alphabet:
            if (_value(char) - _value(original)) % 10 == 0:
                continue  # the same check digit: no reader can tell (Doc 9303's limit)
            line = lines[row][:column] + char + lines[row][column + 1 :]
            corrupted = lines[:row] + (line,) + lines[row + 1 :]
            decoded = decode(*corrupted)
            if decoded.mrz is None:
                outcomes["refused"] += 1
            else:
                assert decoded.lines == lines, (row, column, char)
                outcomes["restored"] += 1
    assert outcomes["refused"] > 10 * outcomes["restored"] > 0


def test_splice_joins_overlapping_pieces_at_shared_characters():
    left = [(10.0 * i, c) for i, c in enumerate("7408122F1204159UT")]
    # The right piece starts at the '5' (x = 130) and dropped the 'U'.
    right = [(130.0, "5"), (140.0, "9"), (160.0, "T"), (170.0, "O"), (180.0, "<")]
    merged = "".join(c for _, c in ocr._splice(left, right, 10.0))
    assert merged == "7408122F1204159UTO<"


def test_union_keeps_characters_one_reading_dropped():
    assert ocr._union("P<KORKIM<<MINJUN", "P<KRKIM<<MINUN", True) == "P<KORKIM<<MINJUN"
    assert ocr._union("K0I23", "K0123", True) == "K0I23"
    assert ocr._union("K0I23", "K0123", False) == "K0123"


# --------------------------------------------------------------------------- the engine


def test_unavailable_engine_is_reported_and_raises(monkeypatch):
    def broken():
        raise ImportError("No module named 'rapidocr_onnxruntime'")

    monkeypatch.setattr(ocr, "_engine", None)
    monkeypatch.setattr(ocr, "_engine_failure", None)
    monkeypatch.setattr(ocr, "_load_engine", broken)
    assert ocr_available() is False
    assert "rapidocr_onnxruntime" in ocr_unavailable_reason()
    with pytest.raises(OcrUnavailable, match="unavailable"):
        read_mrz((PHOTOS / "td3_nld.jpg").read_bytes(), today=TODAY)
    # An upload that is not a picture is still refused as such.
    with pytest.raises(ImageRejected):
        read_mrz(b"not a picture", today=TODAY)


@pytest.fixture(scope="module")
def readings() -> dict[str, MrzReading]:
    """Every photo read once for the tests below (about a second or two each)."""
    if not ocr_available():
        pytest.skip(f"OCR engine unavailable, photo tests skipped: {ocr_unavailable_reason()}")
    return {
        name: read_mrz((PHOTOS / name).read_bytes(), today=TODAY) for name in sorted(EXPECTED)
    }


POSITIVE = sorted(name for name, e in EXPECTED.items() if e["lines"])
NEGATIVE = sorted(name for name, e in EXPECTED.items() if not e["lines"])


def test_photo_set_is_large_enough():
    assert len(POSITIVE) >= 20
    assert len(NEGATIVE) >= 2
    for name in POSITIVE:  # every fixture MRZ is itself valid
        assert isinstance(ocr._parse(EXPECTED[name]["lines"], TODAY), MRZ)


@pytest.mark.parametrize("name", POSITIVE)
def test_photo_yields_its_mrz(readings, name):
    reading = readings[name]
    lines = tuple(EXPECTED[name]["lines"])
    if not EXPECTED[name]["readable"]:
        # Honestly hard: it may fail, but never into another valid MRZ.
        assert reading.mrz is None or reading.mrz.raw_lines == lines
        if reading.mrz is None and reading.text:
            assert reading.error is not None
        return
    assert reading.error is None, reading.error
    assert reading.mrz is not None
    assert reading.mrz.raw_lines == lines
    assert reading.text == "\n".join(lines)
    assert reading.seconds > 0


@pytest.mark.parametrize("name", NEGATIVE)
def test_photo_without_mrz_reads_nothing(readings, name):
    reading = readings[name]
    assert (reading.text, reading.mrz, reading.error) == ("", None, None)


def test_most_photos_are_read(readings):
    read = sum(
        readings[name].mrz is not None
        and readings[name].mrz.raw_lines == tuple(EXPECTED[name]["lines"])
        for name in POSITIVE
    )
    assert read / len(POSITIVE) >= 0.85


def test_o_read_as_zero_is_refused_not_guessed(readings):
    reading = readings["td3_sgp_o_and_zero.jpg"]
    if reading.mrz is None:  # the expected outcome with today's engine
        assert reading.error.field == "document_number"
        assert reading.text.count("\n") == 1


def test_reading_is_immutable(readings):
    with pytest.raises(dataclasses.FrozenInstanceError):
        readings["td3_nld.jpg"].text = ""  # type: ignore[misc]


@pytest.mark.parametrize(
    "turn", [Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270], ids=["left", "right"]
)
def test_photo_turned_a_quarter_is_read(turn):
    if not ocr_available():
        pytest.skip(f"OCR engine unavailable: {ocr_unavailable_reason()}")
    photo = Image.open(PHOTOS / "td1_specimen.jpg").transpose(turn)
    reading = read_mrz(jpeg(photo, quality=85), today=TODAY)
    assert reading.mrz is not None
    assert reading.mrz.raw_lines == TD1


def test_large_phone_photo_is_read():
    if not ocr_available():
        pytest.skip(f"OCR engine unavailable: {ocr_unavailable_reason()}")
    photo = Image.open(PHOTOS / "td3_specimen_straight.jpg")
    large = photo.resize((4000, 3000), Image.Resampling.BICUBIC)
    reading = read_mrz(jpeg(large, quality=80), today=TODAY)
    assert reading.mrz is not None
    assert reading.mrz.raw_lines == TD3


def test_measure_read_rate_reports_the_figures(tmp_path):
    if not ocr_available():
        pytest.skip(f"OCR engine unavailable: {ocr_unavailable_reason()}")
    from pora.bench.ocr import measure_read_rate

    chosen = ["td3_specimen_straight.jpg", "none_blank_wall.png"]
    for name in chosen:
        (tmp_path / name).write_bytes((PHOTOS / name).read_bytes())
    (tmp_path / "expected.json").write_text(json.dumps({n: EXPECTED[n] for n in chosen}))
    figures = measure_read_rate(tmp_path, today=TODAY)
    assert figures["photos"] == 2
    assert (figures["with_mrz"], figures["read_correctly"], figures["read_rate"]) == (1, 1, 100.0)
    assert (figures["without_mrz"], figures["without_mrz_correct"]) == (1, 1)
    assert figures["wrong_valid"] == 0
    assert 0 < figures["mean_seconds"] <= figures["max_seconds"]
    assert figures["p95_seconds"] <= figures["max_seconds"]
