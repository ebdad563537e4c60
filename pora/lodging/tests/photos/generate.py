"""Regenerate the synthetic passport photos that ``test_ocr.py`` reads.

    uv run python pora/lodging/tests/photos/generate.py

The pictures are committed, so the tests never need this script or its fonts. It draws
document data pages (TD3 passport, TD2 and TD1 cards) whose machine readable zones come
from the ICAO Doc 9303 specimens or are built here with every check digit computed by
:func:`pora.lodging.mrz.check_digit`, puts each page on a desk-like background and
degrades the "photo": rotation, perspective, scale, blur, noise, uneven light, glare and
JPEG compression. The MRZ is set in OCR-B (Debian package ``fonts-ocr-b``) when it is
installed, else in DejaVu Sans Mono (``fonts-dejavu-core``); a few pages use the latter on
purpose. Every run draws the same pictures (fixed seeds) for the same fonts.

``expected.json`` beside the pictures lists, for each file, the MRZ lines it shows (empty
for the pictures without an MRZ) and whether the test suite requires it to be read; of
those it does not, it requires only that no different valid MRZ comes out.
"""

from __future__ import annotations

import io
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from pora.lodging.mrz import check_digit

HERE = Path(__file__).resolve().parent
OCR_B = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SANS_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")

PHOTO_SIZE = (1280, 960)
MAX_FILE_BYTES = 150_000


# --------------------------------------------------------------------------- MRZ data


def pad(value: str, width: int) -> str:
    return (value + "<" * width)[:width]


def td3(
    state: str,
    name: str,
    number: str,
    nationality: str,
    birth: str,
    sex: str,
    expiry: str,
    personal: str = "",
    code: str = "P<",
) -> tuple[str, str]:
    personal = pad(personal, 14)
    personal_check = check_digit(personal) if personal.strip("<") else "<"
    number = pad(number, 9)
    body = (
        number + check_digit(number) + nationality + birth + check_digit(birth) + sex
        + expiry + check_digit(expiry) + personal + personal_check
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return pad(code + state + name, 44), body + check_digit(composite)


def td2(
    state: str,
    name: str,
    number: str,
    nationality: str,
    birth: str,
    sex: str,
    expiry: str,
    optional: str = "",
    code: str = "I<",
) -> tuple[str, str]:
    number = pad(number, 9)
    body = (
        number + check_digit(number) + nationality + birth + check_digit(birth) + sex
        + expiry + check_digit(expiry) + pad(optional, 7)
    )
    composite = body[0:10] + body[13:20] + body[21:35]
    return pad(code + state + name, 36), body + check_digit(composite)


def td1(
    state: str,
    name: str,
    number: str,
    nationality: str,
    birth: str,
    sex: str,
    expiry: str,
    optional: str = "",
    optional_2: str = "",
    code: str = "I<",
) -> tuple[str, str, str]:
    number = pad(number, 9)
    one = pad(code + state + number + check_digit(number) + optional, 30)
    two = (
        birth + check_digit(birth) + sex + expiry + check_digit(expiry) + nationality
        + pad(optional_2, 11)
    )
    composite = one[5:30] + two[0:7] + two[8:15] + two[18:29]
    return one, two + check_digit(composite), pad(name, 30)


# ICAO Doc 9303 specimens, exactly as printed there (parts 4, 6 and 5).
SPECIMEN_TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
SPECIMEN_TD2 = (
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
)
SPECIMEN_TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)


# --------------------------------------------------------------------------- photos


@dataclass(frozen=True)
class Shot:
    """One photo: which MRZ, which page look, how it is degraded."""

    name: str
    lines: tuple[str, ...]
    seed: int
    mrz_font: Path = OCR_B
    angle: float = 0.0  # degrees, counter-clockwise
    scale: float = 0.8  # page width as a share of the photo width
    perspective: float = 0.0  # how far the corners move, share of the page size
    blur: float = 0.0
    noise: float = 6.0
    light: float = 0.25  # depth of the uneven lighting
    glare: bool = False
    quality: int = 72
    readable: bool = True
    holder: dict[str, str] = field(default_factory=dict)


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def mrz_font_for_pitch(path: Path, pitch: float) -> ImageFont.FreeTypeFont:
    """The font size whose advance is ``pitch`` pixels per character."""
    size = 10
    while font(path, size + 1).getlength("<" * 10) / 10 <= pitch:
        size += 1
    return font(path, size)


def guilloche(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random) -> None:
    w, h = size
    colours = [(170, 200, 215), (205, 180, 210), (180, 210, 185)]
    for k in range(26):
        colour = colours[k % len(colours)]
        amp = rng.uniform(10, 40)
        freq = rng.uniform(0.006, 0.02)
        phase = rng.uniform(0, math.tau)
        base = rng.uniform(0, h)
        points = [(x, base + amp * math.sin(freq * x + phase)) for x in range(0, w + 8, 8)]
        draw.line(points, fill=colour, width=1)


def portrait(page: Image.Image, box: tuple[int, int, int, int], rng: random.Random) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    photo = Image.new("RGB", (w, h), (200 + rng.randint(-20, 20), 205, 210))
    draw = ImageDraw.Draw(photo)
    cx = w // 2
    skin = rng.choice([(224, 190, 160), (190, 150, 115), (140, 100, 75), (235, 205, 180)])
    hair = rng.choice([(40, 30, 25), (90, 60, 30), (170, 140, 90), (20, 20, 20)])
    draw.ellipse((cx - w * 0.40, h * 0.70, cx + w * 0.40, h * 1.30), fill=(60, 70, 90))
    draw.ellipse((cx - w * 0.24, h * 0.10, cx + w * 0.24, h * 0.62), fill=hair)
    draw.ellipse((cx - w * 0.20, h * 0.18, cx + w * 0.20, h * 0.70), fill=skin)
    page.paste(photo, (x0, y0))
    ImageDraw.Draw(page).rectangle(box, outline=(120, 120, 120))


def describe(lines: tuple[str, ...]) -> dict[str, str]:
    """Human-readable fields for the visual zone, taken from the MRZ itself."""
    if len(lines) == 3:
        one, two, three = lines
        names, number = three, one[5:14]
        birth, sex, expiry, nationality = two[0:6], two[7], two[8:14], two[15:18]
    else:
        one, two = lines
        names, number = one[5:], two[0:9]
        birth, sex, expiry, nationality = two[13:19], two[20], two[21:27], two[10:13]
    surname, _, given = names.strip("<").partition("<<")

    def date(raw: str) -> str:
        months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                  "DEC"]
        return f"{raw[4:6]} {months[int(raw[2:4]) - 1]} {raw[0:2]}"

    return {
        "Surname / Nama keluarga": surname.replace("<", " "),
        "Given names / Nama": given.replace("<", " "),
        "Nationality / Kebangsaan": nationality.strip("<"),
        "Date of birth / Tgl. lahir": date(birth),
        "Sex / Jenis kelamin": sex,
        "Date of expiry / Berlaku s.d.": date(expiry),
        "Document no. / No. dokumen": number.strip("<"),
    }


def _front(
    draw: ImageDraw.ImageDraw,
    lines: tuple[str, ...],
    size: tuple[int, int],
    label_font: ImageFont.FreeTypeFont,
    rng: random.Random,
) -> None:
    """Portrait-side fields: labels, values, a signature."""
    w, h = size
    value_font = font(SERIF if rng.random() < 0.5 else SANS_BOLD, int(h * 0.034))
    y = h * 0.13
    for label, value in describe(lines).items():
        draw.text((w * 0.32, y), label, font=label_font, fill=(90, 90, 120))
        draw.text((w * 0.32, y + h * 0.025), value, font=value_font, fill=(20, 20, 30))
        y += h * 0.065
    draw.text(
        (w * 0.04, h * 0.60), "Signature / Tanda tangan", font=label_font, fill=(90, 90, 120)
    )
    sig = [(w * 0.05 + i * 6, h * 0.66 + 12 * math.sin(i / 3.0 + rng.random())) for i in range(40)]
    draw.line(sig, fill=(30, 40, 110), width=3)


def data_page(shot: Shot, rng: random.Random) -> Image.Image:
    """The document itself, flat and clean."""
    lines = shot.lines
    width = len(lines[0])
    # ID-3 (125 x 88 mm), ID-2 (105 x 74 mm) and ID-1 (85.6 x 54 mm) at 10 px per mm.
    size = {44: (1250, 880), 36: (1050, 740), 30: (856, 540)}[width]
    w, h = size
    tint = (246 + rng.randint(-6, 4), 240 + rng.randint(-8, 6), 228 + rng.randint(-10, 10))
    page = Image.new("RGB", size, tint)
    draw = ImageDraw.Draw(page)
    guilloche(draw, size, rng)

    title = "PASPOR / PASSPORT" if width == 44 else "IDENTITY CARD / KARTU IDENTITAS"
    state = lines[0][2:5].strip("<")
    draw.text((w * 0.04, h * 0.03), title, font=font(SANS_BOLD, int(h * 0.045)), fill=(40, 50, 90))
    draw.text(
        (w * 0.70, h * 0.03), f"Type {lines[0][0]}   Code {state}",
        font=font(SANS, int(h * 0.03)), fill=(40, 50, 90),
    )

    label_font = font(SANS, int(h * 0.022))
    if width == 30:
        # A TD1 card carries its MRZ on the back, under the address and issue details.
        back = {
            "Address / Alamat": "12 SPECIMEN STREET, UTOPIA CITY",
            "Date of issue / Tgl. dikeluarkan": "01 JAN 22",
            "Authority / Instansi": "CITY OF UTOPIA",
        }
        y = h * 0.14
        for label, value in back.items():
            draw.text((w * 0.05, y), label, font=font(SANS, 16), fill=(90, 90, 120))
            draw.text((w * 0.05, y + 20), value, font=font(SANS_BOLD, 20), fill=(20, 20, 30))
            y += h * 0.11
    else:
        portrait(page, (int(w * 0.04), int(h * 0.14), int(w * 0.28), int(h * 0.58)), rng)
        _front(draw, lines, size, label_font, rng)
    # The MRZ: 2.54 mm character pitch, lines 4.23 mm apart, 6 mm from the bottom edge
    # for TD3 (Doc 9303 part 3 and 4); the cards scale the same way.
    pitch = 25.4 if shot.mrz_font == OCR_B else 24.5
    mrz = mrz_font_for_pitch(shot.mrz_font, pitch)
    left = (w - pitch * width) / 2
    spacing = 42.3
    top = h - 60 - spacing * (len(lines) - 1) - mrz.size
    ink = (15 + rng.randint(0, 25),) * 3
    for i, line in enumerate(lines):
        draw.text((left, top + i * spacing), line, font=mrz, fill=ink)
    return page


def desk(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A wood-grain or cloth-like background."""
    w, h = size
    base = np.array(rng.choice([(120, 85, 55), (95, 95, 100), (150, 120, 90), (60, 70, 80)]))
    ys = np.linspace(0, 1, h)[:, None]
    xs = np.linspace(0, 1, w)[None, :]
    grain = np.sin(xs * rng.uniform(20, 60) + np.sin(ys * rng.uniform(3, 9)) * 3) * 12
    arr = base[None, None, :] + grain[..., None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def perspective_coeffs(src: list[tuple[float, float]], dst: list[tuple[float, float]]):
    """Coefficients for ``Image.transform(PERSPECTIVE)`` mapping ``dst`` back to ``src``."""
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    target = np.array([c for point in src for c in point], dtype=float)
    return np.linalg.solve(np.array(rows, dtype=float), target).tolist()


def photograph(shot: Shot) -> bytes:
    rng = random.Random(shot.seed)
    page = data_page(shot, rng) if shot.lines else text_page(rng)
    pw, ph = page.size
    out_w, out_h = PHOTO_SIZE
    scale = shot.scale * out_w / pw
    page = page.resize((int(pw * scale), int(ph * scale)), Image.LANCZOS)
    pw, ph = page.size

    # Place the page, tilt it in perspective, then rotate about the photo's centre.
    scene = desk(PHOTO_SIZE, rng)
    ox = (out_w - pw) / 2 + rng.uniform(-0.04, 0.04) * out_w
    oy = (out_h - ph) / 2 + rng.uniform(-0.04, 0.04) * out_h
    p = shot.perspective
    corners = [(0, 0), (pw, 0), (pw, ph), (0, ph)]
    moved = [
        (ox + x + rng.uniform(-p, p) * pw, oy + y + rng.uniform(-p, p) * ph) for x, y in corners
    ]
    coeffs = perspective_coeffs(corners, moved)
    mask = Image.new("L", page.size, 255)
    warped = page.transform(PHOTO_SIZE, Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    warped_mask = mask.transform(PHOTO_SIZE, Image.PERSPECTIVE, coeffs, Image.BILINEAR)
    shadow = warped_mask.filter(ImageFilter.GaussianBlur(12))
    scene.paste((30, 25, 20), (8, 10), shadow.point(lambda v: v // 2))
    scene.paste(warped, (0, 0), warped_mask)
    if shot.angle:
        scene = scene.rotate(shot.angle, Image.BICUBIC, fillcolor=(70, 60, 50))

    arr = np.asarray(scene).astype(np.float32)
    # Uneven light: a bright side fading to a darker corner.
    ys = np.linspace(0, 1, out_h)[:, None]
    xs = np.linspace(0, 1, out_w)[None, :]
    direction = rng.uniform(0, math.tau)
    ramp = (np.cos(direction) * xs + np.sin(direction) * ys)
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min())
    arr *= (1.0 - shot.light * ramp)[..., None]
    if shot.glare:
        gx, gy = rng.uniform(0.3, 0.7) * out_w, rng.uniform(0.3, 0.7) * out_h
        dist2 = (xs * out_w - gx) ** 2 + (ys * out_h - gy) ** 2
        arr += (120 * np.exp(-dist2 / (2 * (0.12 * out_w) ** 2)))[..., None]
    # Sensor noise from a seeded generator, so the pictures are reproducible.
    noise = np.random.default_rng(shot.seed).normal(0, shot.noise, arr.shape)
    arr = np.clip(arr + noise, 0, 255).astype(np.uint8)
    image = Image.fromarray(arr, "RGB")
    if shot.blur:
        image = image.filter(ImageFilter.GaussianBlur(shot.blur))

    quality = shot.quality
    while True:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True)
        if buffer.tell() <= MAX_FILE_BYTES or quality <= 30:
            return buffer.getvalue()
        quality -= 5


# --------------------------------------------------------------------------- negatives


LETTER = """HOTEL SEKAR WANGI - JL. RAYA UBUD NO. 12, GIANYAR, BALI
Invoice No. 2025/06/0418        Date: 01-06-2025
Guest: Mr. Jonathan Reyes      Room 214 (Deluxe Garden)
Arrival 28-05-2025   Departure 01-06-2025   Nights: 4
Room charge 4 x IDR 1.250.000 ........ IDR 5.000.000
Breakfast 8 x IDR 95.000 ................ IDR 760.000
Laundry ..................................... IDR 180.000
Service 10% ................................. IDR 594.000
Tax 11% ..................................... IDR 718.740
TOTAL ..................................... IDR 7.252.740
Paid by card XXXX-XXXX-XXXX-4821   Ref. AB12CD34EF56GH78IJ90
Thank you for staying with us. Terima kasih atas kunjungan Anda.
Code: HSW<2025<0418<JREYES<<R214<<DELUXE<GARDEN"""


def text_page(rng: random.Random) -> Image.Image:
    """A hotel invoice: printed text, numbers and even a few '<', but no MRZ."""
    page = Image.new("RGB", (1000, 1300), (250, 250, 245))
    draw = ImageDraw.Draw(page)
    body = font(MONO, 24)
    for i, line in enumerate(LETTER.splitlines()):
        draw.text((50, 60 + i * 52), line, font=body, fill=(25, 25, 25))
    draw.rectangle((50, 800, 950, 1200), outline=(120, 120, 120), width=2)
    draw.text((70, 820), "Notes / Catatan:", font=font(SANS, 26), fill=(60, 60, 60))
    for k in range(6):
        y = 880 + k * 50
        draw.line((70, y, 930, y + rng.randint(-2, 2)), fill=(190, 190, 190), width=1)
    return page


def landscape(seed: int) -> bytes:
    """A photo-like picture with no text: sky, hills, a sun, sensor noise."""
    rng = random.Random(seed)
    w, h = PHOTO_SIZE
    ys = np.linspace(0, 1, h)[:, None, None]
    sky = np.array([90, 150, 220]) * (1 - ys) + np.array([210, 225, 240]) * ys
    arr = np.broadcast_to(sky, (h, w, 3)).copy()
    image = Image.fromarray(arr.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    draw.ellipse((900, 120, 1040, 260), fill=(255, 240, 190))
    for layer, colour in enumerate([(80, 120, 70), (60, 100, 55), (40, 80, 45)]):
        base = h * (0.55 + 0.12 * layer)
        amp, freq, phase = rng.uniform(30, 80), rng.uniform(0.004, 0.01), rng.uniform(0, 6)
        top = [(x, base - amp * math.sin(freq * x + phase)) for x in range(0, w + 10, 10)]
        draw.polygon([*top, (w, h), (0, h)], fill=colour)
    for _ in range(60):  # trees
        x, y = rng.uniform(0, w), rng.uniform(h * 0.7, h)
        draw.ellipse((x - 18, y - 50, x + 18, y), fill=(30 + rng.randint(0, 30), 70, 35))
    arr = np.asarray(image.filter(ImageFilter.GaussianBlur(1.2))).astype(np.float32)
    arr += np.random.default_rng(seed).normal(0, 5, arr.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


# --------------------------------------------------------------------------- the set


def shots() -> list[Shot]:
    synthetic = [
        td3("NLD", "DE<BRUIJN<<WILLEKE<LISELOTTE", "SPECI2014", "NLD", "650310", "F",
            "240309", "999999990"),
        td3("D<<", "MUSTERMANN<<ERIKA", "C01X00T47", "D<<", "640812", "F", "270801"),
        td3("GBR", "SMITH<<JOHN<PETER", "925076473", "GBR", "800101", "M", "310514"),
        td3("AUS", "CITIZEN<<JANE", "PA0954712", "AUS", "921203", "F", "290630"),
        td3("JPN", "TANAKA<<HANAKO", "TR1234567", "JPN", "881122", "F", "280919"),
        td3("USA", "O<CONNOR<<MICHAEL<JAMES", "510398211", "USA", "770704", "M", "300228"),
        td3("CHN", "ZHANG<<WEI", "E12345678", "CHN", "950517", "M", "330101"),
        td3("FRA", "MARTIN<<MARIE<CLAIRE<SOPHIE", "20AB01234", "FRA", "010914", "F", "310913"),
        td3("KOR", "KIM<<MINJUN", "M10293847", "KOR", "990228", "M", "340405",
            "1234567890123"),
        td3("RUS", "IVANOV<<SERGEI", "751234567", "RUS", "690101", "M", "261231"),
        td3("IND", "SHARMA<<PRIYA", "Z4011972", "IND", "030315", "F", "330314"),
        td3("SGP", "TAN<<BOON<HUAT", "K0I234O56", "SGP", "600606", "M", "270101"),
        td3("NZL", "WILLIAMS<HARRISON<<OLIVIA<GRACE<ELIZABETH", "LA1234567", "NZL", "051020",
            "F", "301019"),
        td3("MYS", "BIN<ABDULLAH<<AHMAD<FAIZAL", "A00112233", "MYS", "851130", "M", "280601",
            "851130145567"),
        td2("UTO", "SCHMIDT<<KLAUS", "X0Z1B2S3Q", "UTO", "721224", "M", "290101", "ABC123"),
        td1("D<<", "MUSTERMANN<<ERIKA", "LZ6311T47", "D<<", "830812", "F", "310731",
            code="ID"),
        td1("UTO", "HUSSAIN<<AISHA<NOOR", "M84612009", "UTO", "941105", "F", "320228",
            "PN000111", "EXTRA9"),
    ]
    plan = [
        Shot("td3_specimen_straight.jpg", SPECIMEN_TD3, 1),
        Shot("td3_specimen_tilted.jpg", SPECIMEN_TD3, 2, angle=4.5, perspective=0.03, blur=0.6),
        Shot("td2_specimen.jpg", SPECIMEN_TD2, 3, angle=-2.0, scale=0.75),
        Shot("td1_specimen.jpg", SPECIMEN_TD1, 4, angle=1.5, scale=0.6, perspective=0.02),
        Shot("td3_nld.jpg", synthetic[0], 5, angle=-3.0, perspective=0.04, light=0.35),
        Shot("td3_deu.jpg", synthetic[1], 6, angle=2.0, blur=1.0, quality=60),
        Shot("td3_gbr_dejavu.jpg", synthetic[2], 7, MONO, angle=-1.0, noise=9),
        Shot("td3_aus_glare.jpg", synthetic[3], 8, angle=3.0, glare=True, perspective=0.02),
        Shot("td3_jpn_small.jpg", synthetic[4], 9, scale=0.6, angle=-2.5),
        Shot("td3_usa.jpg", synthetic[5], 10, angle=6.0, perspective=0.05, light=0.4),
        Shot("td3_chn_dejavu.jpg", synthetic[6], 11, MONO, blur=0.8, quality=55),
        Shot("td3_fra.jpg", synthetic[7], 12, angle=-5.0, scale=0.9, noise=10),
        Shot("td3_kor_personal_number.jpg", synthetic[8], 13, angle=1.0, perspective=0.03),
        Shot("td3_rus_upside_down.jpg", synthetic[9], 14, angle=178.0, scale=0.85),
        Shot("td3_ind.jpg", synthetic[10], 15, angle=-1.5, blur=1.2, light=0.45),
        # Letters O and I among the digits of a document number: the recogniser reads
        # the O as 0, and the check digit rightly refuses the reading (no guessing).
        Shot(
            "td3_sgp_o_and_zero.jpg", synthetic[11], 16, angle=2.5, perspective=0.02,
            readable=False,
        ),
        Shot("td3_nzl_long_names.jpg", synthetic[12], 17, angle=-4.0, noise=8, quality=58),
        Shot("td3_mys.jpg", synthetic[13], 18, MONO, angle=3.5, perspective=0.04),
        Shot("td2_uto_letters_in_number.jpg", synthetic[14], 19, angle=-2.0, blur=0.7),
        Shot("td1_deu.jpg", synthetic[15], 20, angle=2.0, scale=0.65, light=0.35),
        Shot("td1_uto_optional_data.jpg", synthetic[16], 21, MONO, angle=-3.0, scale=0.7),
        Shot("td3_specimen_far.jpg", SPECIMEN_TD3, 22, scale=0.42, angle=1.0, noise=7),
        Shot(
            "td3_specimen_heavy_blur.jpg", SPECIMEN_TD3, 23, scale=0.5, blur=3.2, noise=12,
            quality=40, readable=False,
        ),
        Shot("none_invoice.jpg", (), 24, angle=2.0, scale=0.55),
    ]
    return plan


def main() -> None:
    for path in HERE.glob("*.jpg"):
        path.unlink()
    expected: dict[str, dict[str, object]] = {}
    for shot in shots():
        data = photograph(shot)
        (HERE / shot.name).write_bytes(data)
        expected[shot.name] = {"lines": list(shot.lines), "readable": shot.readable}
        print(f"{shot.name:40} {len(data) // 1024:4d} KiB")
    (HERE / "none_landscape.jpg").write_bytes(landscape(25))
    expected["none_landscape.jpg"] = {"lines": [], "readable": True}
    (HERE / "none_blank_wall.png").write_bytes(blank_wall(26))
    expected["none_blank_wall.png"] = {"lines": [], "readable": True}
    (HERE / "not_an_image.jpg").write_bytes(
        b"%PDF-1.4\n% This is not a picture, whatever its name says.\n1 0 obj <<>> endobj\n"
    )
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


def blank_wall(seed: int) -> bytes:
    """A nearly featureless PNG (a wall photographed by mistake), small on disk."""
    image = desk((640, 480), random.Random(seed)).filter(ImageFilter.GaussianBlur(4))
    buffer = io.BytesIO()
    image.quantize(32).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


if __name__ == "__main__":
    main()
