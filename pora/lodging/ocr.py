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
* Each MRZ line is read more than once (see below); where the readings differ, every
  combination is decoded and the check digits pick the one that passes, preferring the
  fewest filler repairs.
* Nothing is guessed beyond that. In the alphanumeric fields (document number, optional
  data) an ``O`` read for a ``0`` is left as read: trying swaps until a check digit passes
  would, for a reading with a wrong digit elsewhere in the field, find a compensating swap
  about one time in three and produce a different, valid-looking MRZ. Such a reading
  fails with the parser's message and is shown for the person to correct.
* The names carry no check digit. They are taken as read, with fillers restored at the
  end of the line; the person at the desk compares them with the page.
* An issuing state or nationality that is not a known ISO 3166 or ICAO code fails the
  reading (its field is ``"issuing_state"`` or ``"nationality"``): no check digit covers
  those codes, so this is the only plausibility test they get.

How the photo is read: the engine's detector finds the text lines on the picture (scaled
to at most :data:`WORK_SIDE` pixels). Only long lines are read, pairs and triples of equal
length (as MRZ lines are) first: each is cut out of the full-resolution photo, straightened
and recognised. Runs of lines that look like an MRZ are read once more in short
overlapping pieces (the recogniser drops letters from very long lines); each line's
readings are combined and every combination is decoded. If no valid MRZ comes out of a
legible page, its lower part is read again enlarged; if the text runs up the picture, or
nothing on it is legible, the photo is turned (a quarter either way, or half a turn) and
read again.

The engine is RapidOCR on ONNX Runtime (package ``rapidocr-onnxruntime``, whose models
ship inside the wheel: nothing is downloaded at run time). It is imported on first use,
runs on one thread, and one reading runs at a time per process so that a small server
stays responsive.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
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
    "load_photo",
    "ocr_available",
    "ocr_unavailable_reason",
    "read_mrz",
]

MAX_BYTES = 8 * 1024 * 1024
# Pillow's names of the formats accepted; MPO is how Pillow names the JPEG files of
# phone cameras that carry a second, preview picture.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
MAX_PIXELS = 50_000_000  # more than any phone camera; guards against decompression bombs
MAX_SIDE = 20_000
MIN_SIDE = 32
SOURCE_SIDE = 4000  # larger photos are scaled down to this once loaded
WORK_SIDE = 1280  # text is looked for on the photo scaled to at most this size
THREADS = 1  # inference threads of the engine
MIN_SCORE = 0.5  # recogniser confidence below which a line is not taken for text
MIN_RATIO = 10.0  # text lines shorter than this many times their height are not read
LEGIBLE_SCORE = 0.85  # a line read this confidently is ordinary upright text
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
    from rapidocr_onnxruntime import RapidOCR  # heavy: imported on first use

    # Only the detector and the recogniser are used (engine.text_det, engine.text_rec):
    # the angle classifier takes MRZ lines, full of '<', for upside-down text and turns
    # them round, so whole-page rotation is handled here instead. "max": the detector
    # reads the picture at its own size (up to 2000 pixels) instead of enlarging its
    # short side to 736, which would blow a strip of MRZ up fourfold. One thread: on two
    # shared cores a second one spins more than it helps (0.9 against 1.7 CPU seconds a
    # photo, measured with the test photos) and the other requests keep a core.
    return RapidOCR(
        use_cls=False,
        print_verbose=False,
        det_limit_type="max",
        intra_op_num_threads=THREADS,
        inter_op_num_threads=THREADS,
    )


def _get_engine() -> Any:
    global _engine, _engine_failure  # one engine per process
    with _load_lock:
        if _engine is not None:
            return _engine
        if _engine_failure is not None:
            raise OcrUnavailable(_engine_failure)
        try:
            _engine = _load_engine()
        except Exception as exc:  # ImportError, OSError from a shared library, ...
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


@functools.lru_cache(maxsize=1)
def ocr_installed() -> bool:
    """Whether the engine's packages are installed, without loading the engine.

    Pages call this on every render; loading the engine (about a second and 120 MB) waits
    for the first photo. A broken installation still shows up then, as OcrUnavailable.
    """
    import importlib.util

    return all(importlib.util.find_spec(name) is not None
               for name in ("rapidocr_onnxruntime", "onnxruntime"))


def ocr_unavailable_reason() -> str:
    """Why :func:`ocr_available` is false, for logs and skipped tests ("" when it is true)."""
    return "" if ocr_available() else (_engine_failure or "OCR engine unavailable")


# --------------------------------------------------------------------------- the upload


def load_photo(data: bytes, max_bytes: int = MAX_BYTES) -> Image.Image:
    """Check an upload and return it as an upright RGB picture, or raise ImageRejected."""
    if len(data) > max_bytes:
        limit = f"{max_bytes / (1024 * 1024):.0f} MB"
        raise ImageRejected(
            f"Berkas terlalu besar ({len(data) / (1024 * 1024):.1f} MB); batasnya {limit}. "
            "Kirim foto dengan resolusi lebih kecil.",
            f"The file is too large ({len(data) / (1024 * 1024):.1f} MB); the limit is "
            f"{limit}. Send a smaller photo.",
        )
    if not data:
        raise ImageRejected("Berkas kosong.", "The file is empty.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise ImageRejected(
                "Berkas ini bukan gambar. Unggah foto halaman data paspor (JPEG, PNG, "
                "atau WebP).",
                "This file is not a picture. Upload a photo of the passport data page "
                "(JPEG, PNG or WebP).",
            ) from None
        if image.format not in ACCEPTED_FORMATS:
            shown = image.format or "?"
            raise ImageRejected(
                f"Format gambar {shown} tidak diterima. Gunakan JPEG, PNG, atau WebP.",
                f"The {shown} image format is not accepted. Use JPEG, PNG or WebP.",
            )
        width, height = image.size
        if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise _too_many_pixels()
        if min(width, height) < MIN_SIDE:
            raise ImageRejected(
                f"Gambar terlalu kecil ({width} × {height} piksel) untuk dibaca.",
                f"The picture is too small ({width} × {height} pixels) to read.",
            )
        if image.format in ("JPEG", "MPO"):
            # Decode a huge JPEG at a fraction of its size straight away (DCT scaling).
            image.draft("RGB", (SOURCE_SIDE, SOURCE_SIDE))
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (OSError, ValueError, SyntaxError):
            raise ImageRejected(
                "Gambar rusak atau terpotong. Ambil dan unggah foto lagi.",
                "The picture is damaged or incomplete. Take and upload the photo again.",
            ) from None
    # A broken EXIF block is no reason to refuse the photo: it is then read as stored.
    with contextlib.suppress(Exception):
        image = ImageOps.exif_transpose(image)
    return _to_rgb(image)


def _too_many_pixels() -> ImageRejected:
    return ImageRejected(
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


# --------------------------------------------------------------------------- text lines


@dataclass(frozen=True)
class _Box:
    """One text region the detector found: its corners, clockwise from top left."""

    points: tuple[tuple[float, float], ...]

    @property
    def centre(self) -> tuple[float, float]:
        return (
            sum(p[0] for p in self.points) / 4,
            sum(p[1] for p in self.points) / 4,
        )

    @property
    def direction(self) -> tuple[float, float]:
        (x0, y0), (x1, y1) = self.points[0], self.points[1]
        length = max(math.hypot(x1 - x0, y1 - y0), 1e-6)
        return (x1 - x0) / length, (y1 - y0) / length

    @property
    def height(self) -> float:
        p = self.points
        return max((math.dist(p[0], p[3]) + math.dist(p[1], p[2])) / 2, 1.0)

    @property
    def sideways(self) -> bool | None:
        """Whether a long box runs up the picture (``None``: too short to tell)."""
        (x0, y0), (x1, y1), _, (x3, y3) = self.points
        along, across = math.hypot(x1 - x0, y1 - y0), math.hypot(x3 - x0, y3 - y0)
        if max(along, across) <= 3 * min(along, across):
            return None
        long_x, long_y = (x1 - x0, y1 - y0) if along >= across else (x3 - x0, y3 - y0)
        return abs(long_y) > abs(long_x)


@dataclass
class _Row:
    """Boxes on one text line, left to right."""

    boxes: list[_Box] = field(default_factory=list)

    def quad(self) -> tuple[tuple[float, float], ...]:
        """The row's corners, clockwise from top left: first box's left, last box's right."""
        first, last = self.boxes[0].points, self.boxes[-1].points
        return first[0], last[1], last[2], first[3]

    @property
    def length(self) -> float:
        q = self.quad()
        return max((math.dist(q[0], q[1]) + math.dist(q[3], q[2])) / 2, 1.0)

    @property
    def ratio(self) -> float:
        """Length over height: about 20 for a TD1 line, 28 for a passport's."""
        q = self.quad()
        return self.length / max((math.dist(q[0], q[3]) + math.dist(q[1], q[2])) / 2, 1.0)


def _bgr(image: Image.Image) -> Any:
    import numpy as np  # installed with the engine

    return np.ascontiguousarray(np.asarray(image)[:, :, ::-1])


def _detect(image: Image.Image) -> list[_Box]:
    """Where the text is, without reading it (reading every label on a page is slow)."""
    boxes, _ = _get_engine().text_det(_bgr(image))
    if boxes is None:
        return []
    return [_Box(tuple((float(x), float(y)) for x, y in quad)) for quad in boxes]


def _recognise(lines: list[Image.Image]) -> list[tuple[str, float]]:
    """The text and confidence of each (upright, cut out) text line."""
    if not lines:
        return []
    results, _ = _get_engine().text_rec([_bgr(line) for line in lines])
    return [(str(text), float(score)) for text, score, *_ in results]


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
_MAX_COMBINATIONS = 256

# ICAO codes that are not ISO 3166-1 alpha-3 (Doc 9303 part 3, 5).
_ICAO_CODES = frozenset({
    "D", "EUE", "GBD", "GBN", "GBO", "GBP", "GBS", "RKS", "UNA", "UNK", "UNO", "UTO", "XBA",
    "XCC", "XCE", "XCO", "XEC", "XES", "XIM", "XMP", "XOM", "XPO", "XSC", "XXA", "XXB", "XXC",
    "XXX", "XAA", "XDC",
})


@cache
def _known_codes() -> frozenset[str]:
    import pycountry  # only needed once a reading passes its checks

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
    # Fillers only trail a name (a name part is never preceded by three fillers), so in
    # that trailing run a 'K' between fillers, or at the end, is a misread filler.
    row, start = _NAME_LINE[fmt], _NAME_START[fmt]
    name = fixed[row][start:]
    cut = name.find("<<<")
    if cut != -1:
        tail = re.sub(r"(?<=<)K(?=<|K|$)", "<", name[cut:])
        tail = re.sub(r"(?<=<)K(?=<|K|$)", "<", tail)  # a second sweep for 'KK'
        fixed[row] = fixed[row][:start] + name[:cut] + tail
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


def _decode(lines: tuple[str, ...], cost: int, today: dt.date) -> _Decoded:
    try:
        mrz = _parse(lines, today)
    except MRZError as exc:
        return _Decoded(lines, None, exc, cost)
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
            decoded = _decode(lines, sum(cost for _, cost in combo), today)
            if best is None or decoded.rank() < best.rank():
                best = decoded
    if best is None:  # no layout fits: show the lines as read, with the parser's reason
        lines = tuple(readings[-1] for readings in rows)
        try:
            _parse(lines, today)
        except MRZError as exc:
            return _Decoded(lines, None, exc, 99)
    return best


def _windows(flags: list[bool]) -> Iterator[range]:
    """Runs of two or three consecutive MRZ-like rows (by index)."""
    for size in (3, 2):
        for start in range(len(flags) - size + 1):
            if all(flags[start : start + size]):
                yield range(start, start + size)


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
    width, height = line.size
    count = min(6, max(1, round(width / (0.75 * height * _PIECE_CHARS))))
    overlap = 1.5 * height
    spans = [
        (max(0.0, i * width / count - overlap), min(width, (i + 1) * width / count + overlap))
        for i in range(count)
    ]
    pieces = [_bgr(line.crop((int(a), 0, int(b), height))) for a, b in spans]
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
    except Exception:  # noqa: BLE001 - another engine version: read whole lines only
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


def _line_readings(whole: str, line: Image.Image) -> list[str]:
    """Every reading of one MRZ line worth trying, the most complete first: ``whole`` read
    in one go, the line read in pieces, and the two combined."""
    whole = _clean(whole)
    pieces = _read_pieces(line)
    if pieces is None:
        return [whole]
    pieces = _clean(pieces)
    readings = [_union(pieces, whole, True), _union(pieces, whole, False), pieces, whole]
    return list(dict.fromkeys(readings))


# --------------------------------------------------------------------------- passes


@dataclass
class _Pass:
    best: _Decoded | None = None
    mirrored: int = 0  # rows that look like an MRZ read upside down ('>' for '<')
    upright: int = 0  # long text boxes lying along the picture's width ...
    sideways: int = 0  # ... and along its height (the photo is turned a quarter)
    anticlockwise: bool = False  # which quarter turn should make the sideways text upright
    legible: int = 0  # long lines read with confidence: the photo is the right way up

    @property
    def done(self) -> bool:
        return self.best is not None and self.best.mrz is not None and self.best.cost == 0


def _read_pass(image: Image.Image, source: Image.Image, scale: float, today: dt.date) -> _Pass:
    """Find text lines on ``image`` (``source`` scaled by ``scale``), read the long ones
    from ``source`` and decode the runs of MRZ-like lines."""
    boxes = _detect(image)
    upright = [box for box in boxes if box.sideways is False]
    sideways = [box for box in boxes if box.sideways]
    found = _Pass(upright=len(upright), sideways=len(sideways))
    if len(sideways) > len(upright):
        # The text runs up or down the picture. Read a few boxes turned a quarter
        # anticlockwise: if they read well, so will the photo turned that way.
        sample = [_rectify(image, box.points).transpose(Image.Transpose.ROTATE_90)
                  for box in sideways[:6]]
        scores = [score for _, score in _recognise(sample)]
        found.anticlockwise = statistics.fmean(scores) >= MIN_SCORE
        return found

    rows = _rows(upright)
    long_rows = [i for i, row in enumerate(rows) if row.ratio >= MIN_RATIO]
    # MRZ lines come in twos and threes of equal length: read such rows first, lowest
    # first, and the other long rows only if they give no MRZ.
    twins = {
        i for i in long_rows for j in (i - 1, i + 1)
        if j in long_rows and 0.75 < rows[i].length / rows[j].length < 1.33
    }
    first = sorted(twins, reverse=True)
    batches = [first, [i for i in long_rows if i not in twins]]
    lines: dict[int, Image.Image] = {}
    texts: dict[int, tuple[str, float]] = {}
    readings: dict[int, list[str]] = {}
    for batch in batches:
        if not batch:
            continue
        for i in batch:
            lines[i] = _rectify(source, tuple((x / scale, y / scale) for x, y in rows[i].quad()))
        texts.update(zip(batch, _recognise([lines[i] for i in batch]), strict=True))
        flags = [
            i in texts and texts[i][1] >= MIN_SCORE and _looks_like_mrz(texts[i][0])
            for i in range(len(rows))
        ]
        for window in _windows(flags):
            for i in window:
                if i not in readings:
                    readings[i] = _line_readings(texts[i][0], lines[i])
            decoded = _decode_window([readings[i] for i in window], today)
            if decoded is not None and (found.best is None or decoded.rank() < found.best.rank()):
                found.best = decoded
            if found.done:
                break
        if found.done:
            break
    found.mirrored = sum(1 for text, _ in texts.values() if text.count(">") >= 5)
    found.legible = sum(1 for _, score in texts.values() if score >= LEGIBLE_SCORE)
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


def _read_orientation(photo: Image.Image, today: dt.date, *, enlarge: bool = True) -> _Pass:
    """The whole photo; then, if it is legible but gave no valid MRZ, its lower part
    enlarged (a small MRZ in a wide shot)."""
    work, scale = _scaled(photo, WORK_SIDE)
    whole = _read_pass(work, photo, scale, today)
    if whole.done or whole.sideways > whole.upright or not enlarge:
        return whole
    failed = whole.best is not None and whole.best.mrz is None
    if failed or (whole.best is None and whole.legible >= 3 and not whole.mirrored):
        bottom = _bottom(photo)
        whole.best = _best(whole.best, _read_pass(bottom, bottom, 1.0, today).best)
    return whole


def _read_photo(photo: Image.Image, today: dt.date) -> _Decoded | None:
    """Read the photo as it is, and turned round when it seems to need it."""
    first = _read_orientation(photo, today)
    best = first.best
    if first.done:
        return best
    if first.sideways > first.upright:
        turns = [Image.Transpose.ROTATE_270, Image.Transpose.ROTATE_90]  # clockwise first
        if first.anticlockwise:
            turns.reverse()
    elif first.mirrored or (best is None and first.legible < 3):
        turns = [Image.Transpose.ROTATE_180]  # upside down, or nothing legible at all
    else:
        turns = []
    for turn in turns:
        # Upside down, the lower part is what the first look already saw at the top.
        enlarge = turn != Image.Transpose.ROTATE_180
        turned = _read_orientation(photo.transpose(turn), today, enlarge=enlarge)
        best = _best(best, turned.best)
        if turned.done:
            break
    return best


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
    photo, _ = _scaled(load_photo(data, max_bytes=max_bytes), SOURCE_SIDE)
    _get_engine()
    with _read_lock:
        best = _read_photo(photo, today)
    seconds = time.perf_counter() - started
    if best is None:
        return MrzReading("", None, None, seconds)
    return MrzReading(best.text, best.mrz, best.error, seconds)
