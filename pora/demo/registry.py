"""Synthetic but realistic foreigners for Jakarta Utara, for the demo and the benchmarks.

On the reference date the office counts exactly the requested holders of a valid permit
of each kind (the published 1 February 2024 figures by default), plus overstayers,
departed visitors, extended and converted permit histories. Names follow each
nationality's passport romanisation. The same code makes a million persons for the
benchmarks: names come from pools drawn once from Faker, so size costs little.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from faker import Faker

from pora.core.bulk import bulk_insert
from pora.core.models import AreaLevel, Office
from pora.names.folding import fold, search_key, sponsor_key
from pora.registry.models import (
    PermitKind,
    PermitStatus,
    Person,
    Sponsor,
    SponsorKind,
    StayPermit,
    TravelDocument,
    VisaIndex,
)
from pora.registry.search_index import index_persons
from pora.registry.services.permits import chain_dates

PUBLISHED_1_FEB_2024 = {"ITAS": 8870, "ITAP": 1881, "ITK": 468}
REFERENCE_DATE = dt.date(2024, 2, 1)

# Share of each nationality among Jakarta Utara's foreigners (port, industry, trade).
NATIONALITY_MIX = [
    ("CHN", 34), ("KOR", 12), ("JPN", 10), ("IND", 7), ("TWN", 4), ("MYS", 4), ("NGA", 3),
    ("PHL", 3), ("USA", 3), ("SGP", 2), ("VNM", 2), ("AUS", 2), ("GBR", 2), ("DEU", 2),
    ("THA", 2), ("PAK", 2), ("FRA", 1), ("NLD", 1), ("RUS", 1), ("BGD", 1),
]

KOREAN_SURNAMES = ["KIM", "LEE", "PARK", "CHOI", "JUNG", "KANG", "CHO", "YOON", "JANG", "LIM",
                   "HAN", "OH", "SEO", "SHIN", "KWON", "HWANG", "AHN", "SONG", "JEON", "HONG"]
KOREAN_SYLLABLES = ["MIN", "JUN", "SEO", "JI", "HYUN", "WOO", "YEON", "SOO", "HO", "JAE",
                    "YOUNG", "SUNG", "EUN", "HEE", "DONG", "KYUNG", "JIN", "HYE", "SANG", "TAE",
                    "HA", "YOON", "NA", "RA", "KYU", "CHUL", "SEOK", "HOON", "BIN", "GEON",
                    "YE", "SOL", "A", "IN", "WON", "JOO", "HWA", "MI", "SEUNG", "HAN"]
PINYIN_GIVEN = ["XIAO", "MING", "WEI", "JUN", "HUA", "LI", "NA", "JING", "YAN", "FANG", "LEI",
                "YONG", "JIE", "TAO", "CHAO", "HAO", "YU", "HONG", "PING", "GANG", "QIANG",
                "XIU", "YING", "LAN", "MEI", "HUI", "LIN", "BO", "BIN", "FENG", "KAI", "LONG",
                "PENG", "RUI", "SHAN", "TING", "WEN", "XIN", "YANG", "ZHEN", "ZHI", "JIAN",
                "GUO", "DONG", "HAI", "JIA", "QING", "SHU", "XUE", "YI", "ZE", "HAN", "CHEN",
                "HUAN", "JIN", "KANG", "LU", "NING", "SI", "TIAN"]
VIETNAMESE_SURNAMES = ["NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "PHAN", "VU", "VO", "DANG",
                       "BUI", "DO", "HO", "NGO", "DUONG", "LY"]
VIETNAMESE_MIDDLE = ["VAN", "THI", "DUC", "MINH", "HUU", "NGOC", "THANH", "QUOC", "XUAN"]
VIETNAMESE_GIVEN = ["AN", "ANH", "BAO", "BINH", "CHI", "CUONG", "DUNG", "HA", "HAI", "HANH",
                    "HIEU", "HOA", "HUNG", "HUONG", "HUY", "KHANH", "LAN", "LINH", "LONG", "MAI",
                    "NAM", "NGA", "PHONG", "PHUONG", "QUAN", "QUANG", "SON", "TAM", "THAO",
                    "THU", "TIEN", "TRANG", "TRUNG", "TU", "TUAN", "VIET", "VY", "YEN"]
MALAY_GIVEN = ["AHMAD", "MUHAMMAD", "NUR", "SITI", "AIZAT", "HAFIZ", "FARAH", "AMIRAH", "IRFAN",
               "AZLAN", "SYAFIQ", "NURUL", "HAKIM", "ZULKIFLI", "ROSLAN", "AISYAH"]
MALAY_FATHER = ["ABDULLAH", "ISMAIL", "HASSAN", "OTHMAN", "YUSOF", "RAHMAN", "IBRAHIM",
                "AZIZ", "HAMID", "SULAIMAN", "KASSIM", "MOHD NOOR"]
CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["A", "B", "V", "G", "D", "E", "E", "ZH", "Z", "I", "I", "K", "L", "M", "N",
                     "O", "P", "R", "S", "T", "U", "F", "KH", "TS", "CH", "SH", "SHCH", "IE",
                     "Y", "", "E", "IU", "IA"], strict=True))


def _icao_latin(text: str) -> str:
    """Passport spelling: Latin capitals without diacritics (ICAO 9303 transliteration)."""
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        text = "".join(CYRILLIC.get(ch, ch) for ch in text.lower())
    return fold(text).upper()


def _faker_pool(locale: str, surname: Callable, given: Callable, n: int, rng_seed: int):
    fake = Faker(locale)
    fake.seed_instance(rng_seed)
    return ([_icao_latin(surname(fake)) for _ in range(n)],
            [_icao_latin(given(fake)) for _ in range(n)])


def name_pools(size: int = 1000, seed: int = 7) -> dict[str, tuple[list[str], list[str]]]:
    rng = random.Random(seed)
    romanised = (lambda f: f.last_romanized_name(), lambda f: f.first_romanized_name())
    plain = (lambda f: f.last_name(), lambda f: f.first_name())
    pools = {
        "CHN": _faker_pool("zh_CN", *romanised, size, seed),
        "TWN": _faker_pool("zh_TW", *romanised, size, seed),
        "JPN": _faker_pool("ja_JP", *romanised, size, seed),
        "IND": _faker_pool("en_IN", *plain, size, seed),
        "NGA": _faker_pool("en_NG", *plain, size, seed),
        "PHL": _faker_pool("en_PH", *plain, size, seed),
        "USA": _faker_pool("en_US", *plain, size, seed),
        "AUS": _faker_pool("en_AU", *plain, size, seed),
        "GBR": _faker_pool("en_GB", *plain, size, seed),
        "DEU": _faker_pool("de_DE", *plain, size, seed),
        "FRA": _faker_pool("fr_FR", *plain, size, seed),
        "NLD": _faker_pool("nl_NL", *plain, size, seed),
        "VNM": _faker_pool("vi_VN", *plain, size, seed),
        "THA": _faker_pool("en_TH", *plain, size, seed),
        "PAK": _faker_pool("en_PK", *plain, size, seed),
        "BGD": _faker_pool("en_BD", *plain, size, seed),
        "RUS": _faker_pool("ru_RU", *plain, size, seed),
    }
    # Mainland passports write a two-syllable given name as one word ("XIAOMING"); one
    # syllable is also common. Built from syllables so namesakes stay as rare as in life.
    chn_surnames = pools["CHN"][0]
    pools["CHN"] = (chn_surnames, [
        rng.choice(PINYIN_GIVEN) + (rng.choice(PINYIN_GIVEN) if rng.random() < 0.7 else "")
        for _ in range(size * 20)])
    pools["VNM"] = (
        [rng.choice(VIETNAMESE_SURNAMES) for _ in range(size)],
        [f"{rng.choice(VIETNAMESE_MIDDLE)} {rng.choice(VIETNAMESE_GIVEN)}"
         for _ in range(size * 5)],
    )
    pools["SGP"] = pools["CHN"]
    pools["KOR"] = (
        [rng.choice(KOREAN_SURNAMES) for _ in range(size)],
        [rng.choice(KOREAN_SYLLABLES) + " " + rng.choice(KOREAN_SYLLABLES) for _ in range(size)],
    )
    pools["MYS"] = (
        [rng.choice(MALAY_FATHER) for _ in range(size)],
        [rng.choice(MALAY_GIVEN) + " BIN " + rng.choice(MALAY_FATHER) for _ in range(size)],
    )
    return pools


# Permit profiles: (kind, visa code, purpose, days of validity, weight)
ITAS_PROFILES = [("C312", "work", 365, 55), ("C313", "investment", 365, 12),
                 ("C314", "investment", 730, 8), ("C317", "family", 365, 15),
                 ("C316", "study", 365, 10)]
ITK_PROFILES = [("B211A", "tourism", 60, 45), ("B211A", "business", 60, 35),
                ("D212", "business", 60, 20)]
STREETS = ["Jl. Pluit Raya", "Jl. Pantai Indah Kapuk", "Jl. Boulevard Raya", "Jl. Yos Sudarso",
           "Jl. Sunter Agung Podomoro", "Jl. Gading Kirana", "Jl. RE Martadinata",
           "Jl. Lodan Raya", "Jl. Cakung Cilincing", "Jl. Bandengan Utara", "Jl. Muara Karang",
           "Jl. Danau Sunter", "Jl. Kelapa Hybrida", "Jl. Enggano", "Jl. Marunda Makmur"]


@dataclass
class DemoStats:
    persons: int = 0
    permits: int = 0
    sponsors: int = 0
    by_kind_valid: dict[str, int] = field(default_factory=dict)
    overstay: int = 0
    departed: int = 0


class Generator:
    def __init__(self, *, office: Office, reference: dt.date, seed: int = 2024,
                 id_prefix: str = "DM"):
        self.office = office
        self.reference = reference
        self.rng = random.Random(seed)
        self.pools = name_pools(seed=seed)
        self.nationalities = [code for code, _w in NATIONALITY_MIX]
        self.weights = [w for _c, w in NATIONALITY_MIX]
        self.kelurahan = list(office.kelurahan_queryset().values_list("id", flat=True))
        if not self.kelurahan:
            raise ValueError(f"{office} has no kelurahan in its jurisdiction")
        self.visa = dict(VisaIndex.objects.values_list("code", "id"))
        self.id_prefix = id_prefix
        self.serial = 0
        self.companies: list[Sponsor] = []
        self.fake_id = Faker("id_ID")
        self.fake_id.seed_instance(seed)

    # ------------------------------------------------------------------ building blocks

    def make_companies(self, n: int) -> list[Sponsor]:
        existing = set(Sponsor.objects.values_list("name_key", flat=True))
        companies: list[Sponsor] = []
        while len(companies) < n:
            name = "PT " + self.fake_id.company().replace("PT ", "").replace(" Tbk", "").upper()
            key = sponsor_key(name)
            if key in existing:
                continue
            existing.add(key)
            companies.append(Sponsor(
                kind=SponsorKind.COMPANY, name=name, name_key=key,
                contact_name=self.fake_id.name(), phone=self.fake_id.phone_number()[:40],
                kelurahan_id=self.rng.choice(self.kelurahan),
                street=f"{self.rng.choice(STREETS)} No. {self.rng.randint(1, 200)}",
            ))
        bulk_insert(Sponsor, companies)
        self.companies.extend(companies)
        return companies

    def _person(self) -> tuple[Person, TravelDocument]:
        nationality = self.rng.choices(self.nationalities, self.weights)[0]
        surnames, given = self.pools[nationality]
        year = self.reference.year - self.rng.randint(19, 68)
        precision = self.rng.random()
        birth_month = self.rng.randint(1, 12) if precision > 0.01 else None
        birth_day = self.rng.randint(1, 28) if precision > 0.03 else None
        kelurahan = self.rng.choice(self.kelurahan)
        person = Person(
            surname=self.rng.choice(surnames), given_names=self.rng.choice(given),
            sex=self.rng.choice("MMMF"), birth_year=year, birth_month=birth_month,
            birth_day=birth_day if birth_month else None, nationality=nationality,
            office_id=self.office.pk, kelurahan_id=kelurahan,
            street=f"{self.rng.choice(STREETS)} No. {self.rng.randint(1, 250)}",
        )
        person.name_search = search_key(person.surname, person.given_names)
        self.serial += 1
        document = TravelDocument(
            person=person, number=f"{nationality[0]}{self.id_prefix}{self.serial:07d}",
            issuing_state=nationality,
            expiry_date=self.reference + dt.timedelta(days=self.rng.randint(200, 3000)),
        )
        return person, document

    def _permit(self, person: Person, kind: str, code: str | None, purpose: str,
                valid_from: dt.date, days: int, **extra) -> StayPermit:
        self.serial += 1
        sponsor = None
        if purpose in {"work", "investment", "business"} or kind == PermitKind.ITAP:
            sponsor = self.rng.choice(self.companies) if self.companies else None
        return StayPermit(
            number=f"{self.id_prefix}{kind[:3]}{self.serial:09d}", person=person, kind=kind,
            visa_index_id=self.visa.get(code) if code else None, purpose=purpose,
            issue_date=valid_from - dt.timedelta(days=self.rng.randint(0, 10)),
            valid_from=valid_from, valid_until=valid_from + dt.timedelta(days=days - 1),
            sponsor=sponsor, employer=sponsor.name if sponsor and purpose == "work" else "",
            office_id=self.office.pk, kelurahan_id=person.kelurahan_id, street=person.street,
            **extra,
        )

    def _profile(self, kind: str):
        if kind == PermitKind.ITAS:
            profiles = ITAS_PROFILES
        elif kind == PermitKind.ITK:
            profiles = ITK_PROFILES
        else:
            return (None, "family" if self.rng.random() < 0.5 else "work", 1825)
        code, purpose, days, _w = self.rng.choices(profiles, [p[3] for p in profiles])[0]
        return code, purpose, days

    # ---------------------------------------------------------------------- population

    def holders(self, kind: str, n: int) -> tuple[list, list, list]:
        """``n`` persons each holding a ``kind`` permit valid on the reference date."""
        persons, documents, permits = [], [], []
        for _ in range(n):
            person, document = self._person()
            code, purpose, days = self._profile(kind)
            start = self.reference - dt.timedelta(days=self.rng.randint(0, days - 1))
            current = self._permit(person, kind, code, purpose, start, days)
            # Histories: ITAS often extended from an earlier ITAS; ITAP converted from ITAS.
            if kind == PermitKind.ITAP or (kind == PermitKind.ITAS and self.rng.random() < 0.35):
                earlier = self._permit(
                    person, PermitKind.ITAS, "C312", "work", start - dt.timedelta(days=365), 365,
                    status=PermitStatus.CONVERTED if kind == PermitKind.ITAP
                    else PermitStatus.EXTENDED,
                )
                permits.append(earlier)
            persons.append(person)
            documents.append(document)
            permits.append(current)
        return persons, documents, permits

    def overstayers(self, n: int) -> tuple[list, list, list]:
        persons, documents, permits = [], [], []
        for _ in range(n):
            person, document = self._person()
            kind = PermitKind.ITK if self.rng.random() < 0.6 else PermitKind.ITAS
            code, purpose, days = self._profile(kind)
            # Days past expiry on the reference date: most under 60, some far beyond.
            late = self.rng.choice([self.rng.randint(1, 59)] * 3 + [self.rng.randint(60, 400)])
            until = self.reference - dt.timedelta(days=late)
            permits.append(self._permit(person, kind, code, purpose,
                                        until - dt.timedelta(days=days - 1), days))
            persons.append(person)
            documents.append(document)
        return persons, documents, permits

    def departed(self, n: int) -> tuple[list, list, list]:
        persons, documents, permits = [], [], []
        for _ in range(n):
            person, document = self._person()
            kind = PermitKind.ITK if self.rng.random() < 0.7 else PermitKind.ITAS
            code, purpose, days = self._profile(kind)
            start = self.reference - dt.timedelta(days=self.rng.randint(days // 2, 900))
            left = start + dt.timedelta(days=self.rng.randint(3, days - 1))
            extra = {"departed_on": min(left, self.reference - dt.timedelta(days=1))}
            if kind == PermitKind.ITAS and self.rng.random() < 0.05:
                extra.update(status=PermitStatus.CANCELLED,
                             cancelled_on=extra["departed_on"] - dt.timedelta(days=3))
                extra["cancelled_on"] = max(extra["cancelled_on"], start)
            permits.append(self._permit(person, kind, code, purpose, start, days, **extra))
            persons.append(person)
            documents.append(document)
        return persons, documents, permits

    def save(self, persons: list, documents: list, permits: list) -> None:
        bulk_insert(Person, persons)
        index_persons(((p.pk, p.office_id, p.name_search) for p in persons), replace=False)
        for document in documents:
            document.person_id = document.person.pk
        bulk_insert(TravelDocument, documents)
        by_person: dict[int, list[StayPermit]] = {}
        for permit in permits:
            permit.person_id = permit.person.pk
            by_person.setdefault(permit.person_id, []).append(permit)
        for chain in by_person.values():
            chain_dates(chain)
        bulk_insert(StayPermit, permits)


def generate(*, office: Office, reference: dt.date = REFERENCE_DATE,
             holders: dict[str, int] | None = None, overstay: int | None = None,
             departed: int | None = None, companies: int | None = None, seed: int = 2024,
             id_prefix: str = "DM", batch: int = 20_000,
             progress: Callable[[int], None] | None = None) -> DemoStats:
    holders = holders or PUBLISHED_1_FEB_2024
    total = sum(holders.values())
    overstay = round(total * 0.012) if overstay is None else overstay
    departed = round(total * 0.08) if departed is None else departed
    generator = Generator(office=office, reference=reference, seed=seed, id_prefix=id_prefix)
    generator.make_companies(companies if companies is not None else max(20, total // 25))
    stats = DemoStats(by_kind_valid=dict(holders), overstay=overstay, departed=departed,
                      sponsors=len(generator.companies))
    plan = [(generator.holders, kind, n) for kind, n in holders.items()]
    plan += [(lambda k, n: generator.overstayers(n), None, overstay),
             (lambda k, n: generator.departed(n), None, departed)]
    done = 0
    for make, kind, n in plan:
        for start in range(0, n, batch):
            size = min(batch, n - start)
            persons, documents, permits = make(kind, size)
            generator.save(persons, documents, permits)
            stats.persons += len(persons)
            stats.permits += len(permits)
            done += size
            if progress:
                progress(done)
    return stats


def kelurahan_count(office: Office) -> int:
    return office.kelurahan_queryset().filter(level=AreaLevel.KELURAHAN).count()
