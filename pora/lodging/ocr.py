"""Read the machine readable zone (MRZ) from a photo of a passport or identity card.

A hotel photographs the data page; :func:`read_mrz` finds the two or three MRZ lines
among everything the OCR engine reads on the picture, repairs the usual OCR confusions,
and hands the result to :func:`pora.lodging.mrz.parse_mrz`. The front desk confirms what
was read before anything is reported, so the rule here is to return a reading only when
its check digits pass, and otherwise to show the lines as read with the reason.

How a reading is repaired, from safe to cautious:

* Characters a line cannot contain are mapped by position: in a date or check-digit
  position an ``O`` can only be ``0``; in a country code or a name a ``0`` can only be
  ``O``. These follow from the layout (Doc 9303) and cost nothing.
* Missing or extra fillers (``<``) in long filler runs are put back or taken out so that
  each line has its layout's length; the check digits then decide which run it was.
* In the alphanumeric fields (document number, optional data) one character of the pairs
  O/0, I/1, Z/2, S/5, B/8 may be swapped, and only when exactly one such swap makes the
  field's check digit pass. A single swap always changes the check digit (Doc 9303 weights
  7, 3, 1 times the difference of the pair is never a multiple of 10), so a reading that
  passes as read is never turned into another valid one. Digits are never changed into
  other digits.
* The names carry no check digit. They are taken as read, with fillers restored at the
  end of the line; the person at the desk compares them with the page.
* An issuing state or nationality that is not a known ISO 3166 or ICAO code fails the
  reading (its field is ``"issuing_state"`` or ``"nationality"``): no check digit covers
  those codes, so this is the only plausibility test they get.

Passes: the whole picture (scaled to at most :data:`WORK_SIDE` pixels), then a re-read of
the region where MRZ-like lines were found (or the bottom of the page if none were) at a
larger scale, then the same upside down if nothing was found at all. The engine is
RapidOCR on ONNX Runtime (package ``rapidocr-onnxruntime``, whose models ship inside the
wheel: nothing is downloaded). It is imported on first use, and one reading runs at a time
per process to keep a small server responsive.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import itertools
import math
import re
import statistics
import threading
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from pora.lodging.mrz import MRZ, MRZError, parse_mrz

__all__ = [
    "ACCEPTED_FORMATS",
    "MAX_BYTES",
    "ImageRejected",
    "MrzReading",
    "OcrUnavailable",
    "ocr_available",
    "read_mrz",
]

MAX_BYTES = 8 * 1024 * 1024
# Pillow's names of the formats accepted; MPO is how Pillow names the JPEG files of
# phone cameras that carry a second, preview picture.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
MAX_PIXELS = 50_000_000  # more than any phone camera; guards against decompression bombs
MAX_SIDE = 20_000
MIN_SIDE = 32
WORK_SIDE = 1600  # the whole-picture pass reads the photo at most this large
CROP_WIDTH = 1800  # a second look at the bottom of the page is scaled to this width


# --------------------------------------------------------------------------- interface


class ImageRejected(ValueError):
    """The upload is not a picture we read: wrong type, too big, or damaged."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_id, message_en)
        self.message_id = message_id
        self.message_en = message_en

    def __str__(self) -> str:
        return self.message_en


class OcrUnavailable(RuntimeError):
    """The OCR engine could not be imported or loaded on this server."""


@dataclass(frozen=True)
class MrzReading:
    """What :func:`read_mrz` made of a photo.

    ``text`` holds the MRZ lines as best read, joined by ``"\\n"`` ("" when the photo shows
    no MRZ); ``mrz`` is set when every check passed, ``error`` when lines were found but
    failed (then ``mrz`` is ``None``). ``seconds`` is the time the reading took.
    """

    text: str
    mrz: MRZ | None
    error: MRZError | None
    seconds: float


# --------------------------------------------------------------------------- engine

_load_lock = threading.Lock()
_read_lock = threading.Lock()  # one reading at a time: it uses both cores already
_engine: Any = None
_engine_failure: str | None = None


def _load_engine() -> Any:
    """Import RapidOCR and load its models (from the installed wheel)."""
    from rapidocr_onnxruntime import RapidOCR  # noqa: PLC0415 - heavy, imported on demand

    # No angle classifier: it takes MRZ lines, full of '<', for upside-down text and turns
    # them round. Whole-page rotation is handled here instead.
    # "max": the detector reads the picture at its own size (at most 2000 pixels) instead
    # of enlarging its short side to 736, which would blow a strip of MRZ up fourfold.
    return RapidOCR(use_cls=False, print_verbose=False, det_limit_type="max")


def _get_engine() -> Any:
    global _engine, _engine_failure  # noqa: PLW0603 - one engine per process
    with _load_lock:
        if _engine is not None:
            return _engine
        if _engine_failure is not None:
            raise OcrUnavailable(_engine_failure)
        try:
            _engine = _load_engine()
        except Exception as exc:  # noqa: BLE001 - ImportError, OSError from a library, ...
            _engine_failure = f"OCR engine unavailable: {type(exc).__name__}: {exc}"
            raise OcrUnavailable(_engine_failure) from exc
        return _engine


def ocr_available() -> bool:
    """Whether photos can be read on this server (loads the engine once, then cached)."""
    try:
        _get_engine()
    except OcrUnavailable:
        return False
    return True


# --------------------------------------------------------------------------- the upload


def _rejected(message_id: str, message_en: str) -> ImageRejected:
    return ImageRejected(message_id, message_en)


def load_photo(data: bytes, max_bytes: int = MAX_BYTES) -> Image.Image:
    """Check an upload and return it as an upright RGB picture, or raise ImageRejected."""
    if len(data) > max_bytes:
        limit = f"{max_bytes / (1024 * 1024):.0f} MB"
        raise _rejected(
            f"Berkas terlalu besar ({len(data) / (1024 * 1024):.1f} MB); batasnya {limit}. "
            "Kirim foto dengan resolusi lebih kecil.",
            f"The file is too large ({len(data) / (1024 * 1024):.1f} MB); the limit is "
            f"{limit}. Send a smaller photo.",
        )
    if not data:
        raise _rejected("Berkas kosong.", "The file is empty.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise _rejected(
                "Berkas ini bukan gambar. Unggah foto halaman data paspor (JPEG, PNG, "
                "atau WebP).",
                "This file is not a picture. Upload a photo of the passport data page "
                "(JPEG, PNG or WebP).",
            ) from None
        if image.format not in ACCEPTED_FORMATS:
            shown = image.format or "?"
            raise _rejected(
                f"Format gambar {shown} tidak diterima. Gunakan JPEG, PNG, atau WebP.",
                f"The {shown} image format is not accepted. Use JPEG, PNG or WebP.",
            )
        width, height = image.size
        if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise _too_many_pixels()
        if min(width, height) < MIN_SIDE:
            raise _rejected(
                f"Gambar terlalu kecil ({width} × {height} piksel) untuk dibaca.",
                f"The picture is too small ({width} × {height} pixels) to read.",
            )
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (OSError, ValueError, SyntaxError):
            raise _rejected(
                "Gambar rusak atau terpotong. Ambil dan unggah foto lagi.",
                "The picture is damaged or incomplete. Take and upload the photo again.",
            ) from None
    try:
        image = ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - a broken EXIF block is no reason to refuse the photo
        pass
    return _to_rgb(image)


def _too_many_pixels() -> ImageRejected:
    return _rejected(
        f"Ukuran gambar dalam piksel terlalu besar (batas {MAX_PIXELS // 1_000_000} "
        "megapiksel).",
        f"The picture has too many pixels (limit {MAX_PIXELS // 1_000_000} megapixels).",
    )


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        image = image.point(lambda v: v / 256).convert("L")
    return image.convert("RGB")


# --------------------------------------------------------------------------- OCR rows


@dataclass(frozen=True)
class _Box:
    """One text box the engine read: its corners (clockwise from top left) and text."""

    points: tuple[tuple[float, float], ...]
    text: str
    score: float

    @property
    def centre(self) -> tuple[float, float]:
        return (
            sum(p[0] for p in self.points) / 4,
            sum(p[1] for p in self.points) / 4,
        )

    @property
    def direction(self) -> tuple[float, float]:
        (x0, y0), (x1, y1) = self.points[0], self.points[1]
        length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1e-6)
        return (x1 - x0) / length, (y1 - y0) / length

    @property
    def height(self) -> float:
        p = self.points
        left = ((p[3][0] - p[0][0]) ** 2 + (p[3][1] - p[0][1]) ** 2) ** 0.5
        right = ((p[2][0] - p[1][0]) ** 2 + (p[2][1] - p[1][1]) ** 2) ** 0.5
        return max((left + right) / 2, 1.0)


@dataclass
class _Row:
    boxes: list[_Box] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(box.text for box in self.boxes)

    @property
    def height(self) -> float:
        return max(box.height for box in self.boxes)

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [p[0] for box in self.boxes for p in box.points]
        ys = [p[1] for box in self.boxes for p in box.points]
        return min(xs), min(ys), max(xs), max(ys)

    def quad(self) -> tuple[tuple[float, float], ...]:
        """The row's corners, clockwise from top left: first box's left, last box's right."""
        first, last = self.boxes[0].points, self.boxes[-1].points
        return first[0], last[1], last[2], first[3]


def _ocr_boxes(image: Image.Image) -> list[_Box]:
    engine = _get_engine()
    result, _ = engine(image)
    boxes = []
    for points, text, score in result or []:
        corners = tuple((float(x), float(y)) for x, y in points)
        boxes.append(_Box(corners, str(text), float(score)))
    return boxes


def _rows(boxes: list[_Box]) -> list[_Row]:
    """Boxes on one text line joined left to right; rows ordered top to bottom.

    Works on tilted photos: a box joins a row when its centre lies on the row's first box
    extended along that box's direction, within half a line height.
    """
    rows: list[_Row] = []
    for box in sorted(boxes, key=lambda b: b.centre[1]):
        cx, cy = box.centre
        for row in rows:
            first = row.boxes[0]
            (fx, fy), (ux, uy) = first.centre, first.direction
            off_line = abs(-(cx - fx) * uy + (cy - fy) * ux)
            similar = 0.6 < box.height / first.height < 1.6
            if off_line < 0.5 * first.height and similar:
                row.boxes.append(box)
                break
        else:
            rows.append(_Row([box]))
    for row in rows:
        (ux, uy) = row.boxes[0].direction
        row.boxes.sort(key=lambda b: b.centre[0] * ux + b.centre[1] * uy)
    if not rows:
        return rows
    # Top to bottom along the page's own vertical (the normal of the text direction).
    ux, uy = rows[0].boxes[0].direction
    return sorted(rows, key=lambda r: -r.boxes[0].centre[0] * uy + r.boxes[0].centre[1] * ux)


# --------------------------------------------------------------------------- cleaning

_MRZ_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
# What OCR makes of the filler and of a few letters; '>' is a filler read mirrored.
_LOOKALIKES = {
    "«": "<<", "《": "<<", "‹": "<", "〈": "<", "＜": "<", "く": "<", ">": "<", "»": "<<",
    "×": "X", "|": "I", "$": "S", "€": "E", "£": "E", "¢": "C", "@": "0",
}
_NOISE = re.compile(r"[\s.,:;'`\"·•_\-~^*]")


def _clean(text: str) -> str:
    """An OCR row as MRZ characters; what cannot be mapped becomes '?'."""
    text = _NOISE.sub("", text)
    out = []
    for char in text:
        char = _LOOKALIKES.get(char, char)
        if "a" <= char <= "z":
            char = char.upper()
        out.append(char if all(c in _MRZ_CHARS for c in char) else "?")
    return "".join(out)


def _looks_like_mrz(text: str) -> bool:
    """A long run of MRZ characters: most rows of ordinary printed text fail this."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.islower() for c in letters) > 0.1 * len(letters):
        return False
    cleaned = _clean(text)
    if len(cleaned) < 20 or len(cleaned) > 50:
        return False
    bad = cleaned.count("?")
    return bad <= 0.1 * len(cleaned) and ("<" in cleaned or sum(c.isdigit() for c in cleaned) >= 8)


# --------------------------------------------------------------------------- layouts

# Character classes by position: A letters or '<', N digits or '<', X both, S sex.
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "TD3": ("A" * 44, "X" * 9 + "N" + "AAA" + "N" * 7 + "S" + "N" * 7 + "X" * 14 + "NN"),
    "TD2": ("A" * 36, "X" * 9 + "N" + "AAA" + "N" * 7 + "S" + "N" * 7 + "X" * 7 + "N"),
    "TD1": ("AA" + "AAA" + "X" * 9 + "N" + "X" * 15, "N" * 7 + "S" + "N" * 7 + "AAA" + "X" * 11 + "N",
            "A" * 30),
}
_WIDTH = {"TD3": 44, "TD2": 36, "TD1": 30}
_NAME_LINE = {"TD3": 0, "TD2": 0, "TD1": 2}
_NAME_START = {"TD3": 5, "TD2": 5, "TD1": 0}

_TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "Z": "2", "S": "5",
             "B": "8", "G": "6"}
_TO_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G"}
_SWAPS = {"O": "0", "0": "O", "I": "1", "1": "I", "Z": "2", "2": "Z", "S": "5", "5": "S",
          "B": "8", "8": "B"}

# The alphanumeric positions a failing check digit may be repaired in, by MRZError.field:
# (line, first, end) ranges. A long TD1/TD2 document number continues in the optional data.
_REPAIRABLE: dict[str, dict[str, tuple[tuple[int, int, int], ...]]] = {
    "TD3": {"document_number": ((1, 0, 9),), "optional_data": ((1, 28, 42),)},
    "TD2": {"document_number": ((1, 0, 9), (1, 28, 35)), "composite": ((1, 28, 35),)},
    "TD1": {
        "document_number": ((0, 5, 14), (0, 15, 30)),
        "composite": ((0, 15, 30), (1, 18, 29)),
    },
}
_MAX_COMBINATIONS = 256
_CHECK_ORDER = ("document_number", "birth_date", "expiry_date", "optional_data", "composite")

# ICAO codes that are not ISO 3166-1 alpha-3 (Doc 9303 part 3, 5).
_ICAO_CODES = frozenset({
    "D", "EUE", "GBD", "GBN", "GBO", "GBP", "GBS", "RKS", "UNA", "UNK", "UNO", "UTO", "XBA",
    "XCC", "XCE", "XCO", "XEC", "XES", "XIM", "XMP", "XOM", "XPO", "XSC", "XXA", "XXB", "XXC",
    "XXX", "XAA", "XDC",
})


@cache
def _known_codes() -> frozenset[str]:
    import pycountry  # noqa: PLC0415 - only needed once a reading passes its checks

    return _ICAO_CODES | {country.alpha_3 for country in pycountry.countries}


def _positional(fmt: str, lines: tuple[str, ...]) -> tuple[str, ...]:
    """Map characters a position cannot hold onto the look-alike it can hold."""
    fixed = []
    for line, template in zip(lines, _TEMPLATES[fmt], strict=True):
        chars = list(line)
        for i, (char, kind) in enumerate(zip(chars, template, strict=True)):
            if kind == "N" and char in _TO_DIGIT:
                chars[i] = _TO_DIGIT[char]
            elif kind == "A" and char in _TO_LETTER:
                chars[i] = _TO_LETTER[char]
        fixed.append("".join(chars))
    # Names: fillers only trail them, so after three fillers a 'K' is a misread filler.
    row, start = _NAME_LINE[fmt], _NAME_START[fmt]
    name = fixed[row][start:]
    cut = name.find("<<<")
    if cut != -1:
        name = name[:cut] + name[cut:].replace("K", "<")
        fixed[row] = fixed[row][:start] + name
    return tuple(fixed)


def _length_options(line: str, width: int, is_name: bool) -> list[tuple[str, int]]:
    """Ways to bring ``line`` to ``width`` by adding or removing fillers, with their cost."""
    diff = width - len(line)
    if diff == 0:
        return [(line, 0)]
    options: list[tuple[str, int]] = []
    if is_name:
        if diff > 0:
            # Fillers trail a name; the engine often drops part of a long run.
            return [(line + "<" * diff, 1 if line.endswith("<") else 2)]
        if line[width:].strip("<") == "":
            return [(line[:width], 0)]
        return []
    if abs(diff) > 3:
        return []
    runs = [(m.start(), m.end()) for m in re.finditer("<+", line)]
    for start, end in runs:
        if diff > 0:
            options.append((line[:end] + "<" * diff + line[end:], diff))
        elif end - start > -diff:
            options.append((line[:start] + line[start - diff :], -diff))
    return options


@dataclass(frozen=True)
class _Decoded:
    lines: tuple[str, ...]
    mrz: MRZ | None
    error: MRZError | None
    cost: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def rank(self) -> tuple[int, int]:
        return (0 if self.mrz is not None else 1, self.cost)


def _parse(lines: Iterable[str], today: dt.date) -> MRZ:
    return parse_mrz("\n".join(lines), today=today)


def _swap(lines: tuple[str, ...], row: int, column: int) -> tuple[str, ...]:
    line = lines[row]
    changed = line[:column] + _SWAPS[line[column]] + line[column + 1 :]
    return lines[:row] + (changed,) + lines[row + 1 :]


def _passes_field(lines: tuple[str, ...], failing: str, today: dt.date) -> bool:
    """Whether the check digit that failed now passes (a later check may still fail)."""
    try:
        _parse(lines, today)
    except MRZError as exc:
        later = _CHECK_ORDER[_CHECK_ORDER.index(failing) + 1 :] if failing in _CHECK_ORDER else ()
        return exc.field in later or exc.field not in _CHECK_ORDER
    return True


def _repair(fmt: str, lines: tuple[str, ...], today: dt.date) -> _Decoded:
    """Parse, swapping single look-alike characters where a check digit referees."""
    cost = 0
    tried: set[str] = set()
    while True:
        try:
            mrz = _parse(lines, today)
        except MRZError as exc:
            ranges = _REPAIRABLE[fmt].get(exc.field)
            if not ranges or exc.field in tried:
                return _Decoded(lines, None, exc, cost)
            tried.add(exc.field)
            fixes = [
                swapped
                for row, first, end in ranges
                for column in range(first, end)
                if lines[row][column] in _SWAPS
                for swapped in [_swap(lines, row, column)]
                if _passes_field(swapped, exc.field, today)
            ]
            if len(fixes) != 1:  # none, or ambiguous: leave the reading as it is
                return _Decoded(lines, None, exc, cost)
            lines, cost = fixes[0], cost + 1
            continue
        return _check_codes(_Decoded(lines, mrz, None, cost))


def _check_codes(decoded: _Decoded) -> _Decoded:
    mrz = decoded.mrz
    assert mrz is not None
    known = _known_codes()
    for name, code, what_id, what_en in (
        ("issuing_state", mrz.issuing_state, "negara penerbit", "issuing state"),
        ("nationality", mrz.nationality, "kewarganegaraan", "nationality"),
    ):
        if code not in known:
            error = MRZError(
                name,
                f"Kode {what_id} '{code}' tidak dikenal; periksa MRZ atau pindai ulang "
                "dokumen.",
                f"The {what_en} code '{code}' is not a known country code; check the MRZ "
                "or scan the document again.",
            )
            return _Decoded(decoded.lines, None, error, decoded.cost)
    return decoded


def _decode_window(rows: list[list[str]], today: dt.date) -> _Decoded | None:
    """The best reading of consecutive MRZ-like rows, each given as alternative readings,
    under every layout that fits."""
    best: _Decoded | None = None
    longest = max(len(reading) for readings in rows for reading in readings)
    for fmt, width in _WIDTH.items():
        if len(_TEMPLATES[fmt]) != len(rows) or abs(longest - width) > 4:
            continue
        per_line = [
            [
                option
                for reading in readings
                for option in _length_options(reading, width, is_name=i == _NAME_LINE[fmt])
            ]
            for i, readings in enumerate(rows)
        ]
        combos = itertools.islice(itertools.product(*per_line), _MAX_COMBINATIONS)
        for combo in combos:
            lines = _positional(fmt, tuple(line for line, _ in combo))
            decoded = _repair(fmt, lines, today)
            decoded = _Decoded(
                decoded.lines, decoded.mrz, decoded.error,
                decoded.cost + sum(cost for _, cost in combo),
            )
            if best is None or decoded.rank() < best.rank():
                best = decoded
    if best is None:  # no layout fits: show the lines as read, with the parser's reason
        lines = tuple(readings[-1] for readings in rows)
        try:
            _parse(lines, today)
        except MRZError as exc:
            return _Decoded(lines, None, exc, 99)
    return best


def _windows(rows: list[_Row]) -> Iterator[list[_Row]]:
    """Runs of two or three consecutive MRZ-like rows."""
    flags = [_looks_like_mrz(row.text) for row in rows]
    for size in (3, 2):
        for start in range(len(rows) - size + 1):
            if all(flags[start : start + size]):
                yield rows[start : start + size]


# --------------------------------------------------------------------------- re-reading

# The recogniser was trained on short lines: a 44-character MRZ line read in one go loses
# letters, read in overlapping pieces of about this many characters it does not.
_PIECE_CHARS = 16


def _rectify(image: Image.Image, quad: tuple[tuple[float, float], ...]) -> Image.Image:
    """The (possibly tilted) text line inside ``quad`` as an upright rectangle."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    width = max(math.dist(quad[0], quad[1]), math.dist(quad[3], quad[2]))
    height = max(math.dist(quad[0], quad[3]), math.dist(quad[1], quad[2]))
    size = (max(round(width), 1), max(round(height), 1))
    return image.transform(
        size, Image.Transform.QUAD, (x0, y0, x3, y3, x2, y2, x1, y1), Image.Resampling.BICUBIC
    )


_Chars = list[tuple[float, str]]  # (x in the line, character), left to right


def _read_pieces(line: Image.Image) -> str | None:
    """Read a rectified line in overlapping pieces and splice the pieces together.

    Uses the character positions the recogniser reports (RapidOCR 1.4's word boxes); if
    that interface is not there, gives ``None`` and the whole-line reading stands alone.
    """
    import numpy as np  # noqa: PLC0415 - installed with the engine

    width, height = line.size
    count = max(1, round(width / (0.75 * height * _PIECE_CHARS)))
    overlap = 1.5 * height
    spans = [
        (max(0.0, i * width / count - overlap), min(width, (i + 1) * width / count + overlap))
        for i in range(count)
    ]
    pieces = [np.asarray(line.crop((int(a), 0, int(b), height)))[:, :, ::-1] for a, b in spans]
    try:
        results, _ = _get_engine().text_rec(pieces, True)
        parts: list[_Chars] = []
        for (start, end), (_, _, info) in zip(spans, results, strict=True):
            columns, words, positions = info[0], info[1], info[2]
            parts.append([
                (start + (col + 0.5) / columns * (end - start), char)
                for chars, cols in zip(words, positions, strict=True)
                for char, col in zip(chars, cols, strict=True)
            ])
    except Exception:  # noqa: BLE001 - another engine version: fall back to whole lines
        return None
    steps = [b[0] - a[0] for part in parts for a, b in itertools.pairwise(part)]
    pitch = statistics.median(steps) if steps else 0.7 * height
    merged = parts[0]
    for part in parts[1:]:
        merged = _splice(merged, part, pitch) if merged and part else merged + part
    return "".join(char for _, char in merged)


def _splice(left: _Chars, right: _Chars, pitch: float) -> _Chars:
    """Join two overlapping readings at the characters both read at the same place.

    Between two such anchors the reading with more characters wins: the recogniser drops
    characters far more often than it invents them.
    """
    anchors: list[tuple[int, int]] = []
    first_j = 0
    for i, (x, char) in enumerate(left):
        if x < right[0][0] - 0.5 * pitch:
            continue
        for j in range(first_j, len(right)):
            xr, other = right[j]
            if xr > x + 0.6 * pitch:
                break
            if other == char and abs(xr - x) <= 0.6 * pitch:
                anchors.append((i, j))
                first_j = j + 1
                break
    if not anchors:
        cut = (left[-1][0] + right[0][0]) / 2
        return [c for c in left if c[0] < cut] + [c for c in right if c[0] >= cut]
    out = left[: anchors[0][0] + 1]
    for (i1, j1), (i2, j2) in itertools.pairwise(anchors):
        gap_left, gap_right = left[i1 + 1 : i2], right[j1 + 1 : j2]
        out += gap_left if len(gap_left) >= len(gap_right) else gap_right
        out.append(left[i2])
    return out + right[anchors[-1][1] + 1 :]


def _union(a: str, b: str, prefer_a: bool) -> str:
    """Two readings of one line combined: where one has characters the other lacks, keep
    them; where both differ over the same length, take ``a`` (or ``b``)."""
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        part_a, part_b = a[i1:i2], b[j1:j2]
        if op == "equal":
            out.append(part_a)
        elif len(part_a) != len(part_b):
            out.append(part_a if len(part_a) > len(part_b) else part_b)
        else:
            out.append(part_a if prefer_a else part_b)
    return "".join(out)


def _line_readings(row: _Row, source: Image.Image, scale: float) -> list[str]:
    """Every reading of one MRZ row worth trying, the most complete first."""
    whole = _clean(row.text)
    quad = tuple((x / scale, y / scale) for x, y in row.quad())
    pieces = _read_pieces(_rectify(source, quad))
    if pieces is None:
        return [whole]
    pieces = _clean(pieces)
    readings = [_union(pieces, whole, True), _union(pieces, whole, False), pieces, whole]
    return list(dict.fromkeys(readings))


# --------------------------------------------------------------------------- passes


@dataclass
class _Pass:
    best: _Decoded | None = None
    mirrored: int = 0  # rows that look like an MRZ read upside down


def _read_pass(image: Image.Image, source: Image.Image, scale: float, today: dt.date) -> _Pass:
    """Detect and read text on ``image`` (``source`` scaled by ``scale``), re-read the
    MRZ-like rows from ``source`` and decode them."""
    rows = _rows(_ocr_boxes(image))
    found = _Pass(mirrored=sum(1 for row in rows if row.text.count(">") >= 5))
    readings: dict[int, list[str]] = {}
    for window in _windows(rows):
        for row in window:
            if id(row) not in readings:
                readings[id(row)] = _line_readings(row, source, scale)
        decoded = _decode_window([readings[id(row)] for row in window], today)
        if decoded is not None and (found.best is None or decoded.rank() < found.best.rank()):
            found.best = decoded
        if found.best is not None and found.best.mrz is not None and found.best.cost == 0:
            break
    return found


def _scaled(image: Image.Image, longest: int) -> tuple[Image.Image, float]:
    scale = min(1.0, longest / max(image.size))
    if scale == 1.0:
        return image, 1.0
    size = (round(image.width * scale), round(image.height * scale))
    return image.resize(size, Image.Resampling.LANCZOS), scale


def _bottom(image: Image.Image) -> Image.Image:
    """The lower part of the page, where the MRZ is, enlarged for a small MRZ."""
    region = image.crop((0, round(image.height * 0.55), image.width, image.height))
    factor = min(2.0, CROP_WIDTH / region.width)
    if factor > 1.05:
        size = (round(region.width * factor), round(region.height * factor))
        region = region.resize(size, Image.Resampling.LANCZOS)
    elif factor < 1.0:
        region, _ = _scaled(region, CROP_WIDTH)
    return region


def _best(*candidates: _Decoded | None) -> _Decoded | None:
    present = [c for c in candidates if c is not None]
    return min(present, key=_Decoded.rank) if present else None


def _read_orientation(photo: Image.Image, today: dt.date) -> _Decoded | None:
    work, scale = _scaled(photo, WORK_SIDE)
    whole = _read_pass(work, photo, scale, today)
    if whole.best is not None or whole.mirrored:
        return whole.best  # if upside down, the caller turns the photo round
    bottom = _bottom(photo)
    return _read_pass(bottom, bottom, 1.0, today).best


def read_mrz(
    data: bytes, *, today: dt.date | None = None, max_bytes: int = MAX_BYTES
) -> MrzReading:
    """Find and read the MRZ on a photo of a travel document's data page.

    Raises :class:`ImageRejected` for an upload that is not an accepted picture and
    :class:`OcrUnavailable` when the engine cannot run here. A photo without a readable
    MRZ gives ``MrzReading(text="", mrz=None, error=None, ...)``.
    """
    started = time.perf_counter()
    if today is None:
        today = dt.date.today()
    photo = load_photo(data, max_bytes=max_bytes)
    _get_engine()
    with _read_lock:
        best = _read_orientation(photo, today)
        if best is None:  # nothing like an MRZ: perhaps the photo is upside down
            best = _read_orientation(photo.rotate(180), today)
    seconds = time.perf_counter() - started
    if best is None:
        return MrzReading("", None, None, seconds)
    return MrzReading(best.text, best.mrz, best.error, seconds)
