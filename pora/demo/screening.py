"""Demo watchlists: wanted persons, bans, a notice list and local persons of interest.

A handful of entries describe foreigners of the demo registry the way lists really do —
in Cyrillic, in another name order, with a typo, a partial birth date or a passport
number misread — so the review queue has real hits to work on. The other entries are
fictitious people nobody in the registry resembles, some expired, one withdrawn, and one
homonym whose birth date gives him away. Everything goes through the services.
"""

from __future__ import annotations

import datetime as dt
import random

from faker import Faker

from pora.core.models import Office, User
from pora.registry.models import Person
from pora.registry.selectors import present_persons
from pora.screening.models import Action, Hit, HitStatus, ListKind, Trigger
from pora.screening.services.lists import entry_extend, entry_save, entry_withdraw, watchlist_create
from pora.screening.services.screening import hit_decide, screen_persons

LISTS = [
    ("DPO Polda Metro Jaya", ListKind.WANTED, True, Action.ARREST,
     "Polda Metro Jaya", "KUHAP Pasal 17; surat DPO"),
    ("Daftar Penangkalan", ListKind.ENTRY_BAN, True, Action.REFUSE_PERMIT,
     "Direktorat Jenderal Imigrasi", "UU 6/2011 Pasal 102"),
    ("Daftar Pencegahan", ListKind.EXIT_BAN, True, Action.REPORT,
     "Direktorat Jenderal Imigrasi", "UU 6/2011 Pasal 91"),
    ("Red Notice (contoh)", ListKind.NOTICE, True, Action.ARREST,
     "NCB Interpol Indonesia", ""),
    ("Orang asing yang diawasi Kanim Jakarta Utara", ListKind.INTEREST, False,
     Action.DISCREET, "Seksi Inteldakim", "Permenimipas 2/2025"),
]
_CYRILLIC = [("shch", "щ"), ("kh", "х"), ("zh", "ж"), ("ch", "ч"), ("sh", "ш"), ("ya", "я"),
             ("yu", "ю"), ("ts", "ц"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"),
             ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "й"), ("k", "к"),
             ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"),
             ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("c", "к"), ("x", "кс"),
             ("w", "в"), ("h", "х"), ("j", "дж"), ("q", "к")]


def cyrillic(name: str) -> str:
    """A Latin spelling written back in Cyrillic letters, as a Russian list prints it."""
    out, text = [], name.lower()
    i = 0
    while i < len(text):
        for latin, letter in _CYRILLIC:
            if text.startswith(latin, i):
                out.append(letter)
                i += len(latin)
                break
        else:
            out.append(text[i])
            i += 1
    return " ".join(word.capitalize() for word in "".join(out).split())


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _birth(person: Person, *, year_only: bool = False) -> list[str]:
    if person.birth_year is None:
        return []
    if year_only or person.birth_month is None:
        return [str(person.birth_year)]
    if person.birth_day is None:
        return [f"{person.birth_year}-{person.birth_month:02d}"]
    return [f"{person.birth_year}-{person.birth_month:02d}-{person.birth_day:02d}"]


def generate(*, office: Office, officer: User, reference: dt.date,
             today: dt.date | None = None) -> dict:
    """Lists valid around ``today`` (the reference date unless given), hits among the
    foreigners present on ``reference``."""
    today = today or reference
    rng = random.Random(20240201)
    fake = Faker(["en_US", "fr_FR", "de_DE", "ru_RU", "ko_KR", "zh_CN", "ar_AA", "vi_VN"])
    fake.seed_instance(20240201)
    lists = {}
    for name, kind, shared, action, source, legal in LISTS:
        lists[kind] = watchlist_create(
            actor=officer, office=office, name=name, kind=kind, shared=shared, source=source,
            default_action=action,
            description=f"{source}. Data contoh untuk demo; bukan orang sebenarnya.")
    legal_of = {kind: legal for _n, kind, _s, _a, _src, legal in LISTS}

    def add(kind: str, names: list[str], **fields):
        return entry_save(actor=officer, watchlist=lists[kind], names=names,
                          legal_reference=legal_of[kind],
                          valid_from=fields.pop("valid_from", today - dt.timedelta(days=200)),
                          **fields)

    present = list(present_persons(office, reference)
                   .prefetch_related("documents").order_by("id")[:4000])
    rng.shuffle(present)
    by_nationality: dict[str, list[Person]] = {}
    for person in present:
        by_nationality.setdefault(person.nationality, []).append(person)
    picked: list[tuple[str, Person]] = []

    def pick(nationality: str | None = None) -> Person:
        pool = by_nationality.get(nationality or "", []) if nationality else present
        person = next(p for p in pool if p.birth_year and all(p is not q for _k, q in picked))
        return person

    # Listed the way sources really write them.
    russian = pick("RUS") if by_nationality.get("RUS") else pick()
    picked.append(("cyrillic", russian))
    add(ListKind.WANTED, [cyrillic(f"{russian.given_names} {russian.surname}"),
                          f"{russian.surname} {russian.given_names}"],
        sex=russian.sex, birth_dates=_birth(russian), nationalities=[russian.nationality],
        reason="Penipuan daring lintas negara; dicari Polda Metro Jaya.",
        source="Surat DPO/123/II/2024/Ditreskrimsus")
    reordered = pick("CHN") if by_nationality.get("CHN") else pick()
    picked.append(("order", reordered))
    add(ListKind.NOTICE, [f"{reordered.given_names} {reordered.surname}"],
        birth_dates=_birth(reordered, year_only=True), nationalities=[reordered.nationality],
        reason="Red notice: penggelapan dana.", source="Notice 2023/45678")
    typo = pick()
    picked.append(("typo", typo))
    add(ListKind.ENTRY_BAN, [f"{typo.surname} {_typo(typo.given_names.split()[0], rng)}"],
        sex=typo.sex, birth_dates=_birth(typo), nationalities=[typo.nationality],
        valid_until=today + dt.timedelta(days=3000),
        reason="Dideportasi 2021 karena overstay lebih dari 60 hari (Pasal 78 ayat 3).",
        source="Keputusan penangkalan IMI-2021-0042")
    document_person = next(p for p in present if p.documents.all()
                           and all(p is not q for _k, q in picked))
    picked.append(("document", document_person))
    number = document_person.documents.all()[0].number
    misread = number.replace("0", "O", 1) if "0" in number else number + "1"
    add(ListKind.EXIT_BAN, [f"{document_person.given_names[:1]}. {document_person.surname}"],
        documents=[misread], nationalities=[document_person.nationality],
        valid_until=today + dt.timedelta(days=150),
        reason="Tersangka perkara pajak; permintaan pencegahan Ditjen Pajak.",
        source="Kep. Menteri IMI-2024-0311")
    local = pick()
    picked.append(("local", local))
    add(ListKind.INTEREST, [f"{local.given_names} {local.surname}"],
        birth_dates=_birth(local), nationalities=[local.nationality], sex=local.sex,
        valid_until=today + dt.timedelta(days=365),
        reason="Laporan warga: diduga bekerja tanpa izin di gudang Marunda.",
        source="Laporan masyarakat 2024-01-12")
    # A homonym: the same name, born decades apart: below the threshold, never a hit.
    homonym = pick()
    add(ListKind.WANTED, [f"{homonym.given_names} {homonym.surname}"],
        birth_dates=[str(homonym.birth_year - 31)], nationalities=[homonym.nationality],
        reason="Homonim untuk contoh: tanggal lahir berbeda jauh.", source="Contoh")

    # Fictitious people nobody in the registry resembles.
    kinds = [kind for _n, kind, *_rest in LISTS]
    for i in range(60):
        kind = kinds[i % len(kinds)]
        born = fake.date_of_birth(minimum_age=20, maximum_age=70)
        fields = {"sex": rng.choice("MF"), "birth_dates": [born.isoformat()],
                  "nationalities": [rng.choice(["RUS", "CHN", "KOR", "USA", "FRA", "DEU",
                                                "VNM", "EGY", "NGA", "IND"])],
                  "documents": [f"{rng.choice('ABCEK')}{rng.randrange(10**7, 10**8)}"],
                  "reason": "Data contoh.", "source": f"Contoh {i + 1:03d}"}
        if i % 7 == 6:  # expired: a ban whose period has run out stops matching
            fields["valid_from"] = today - dt.timedelta(days=900)
            fields["valid_until"] = today - dt.timedelta(days=30)
        entry = add(kind, [fake.name(), fake.name() if i % 3 == 0 else ""], **fields)
        if i == 4:
            entry_withdraw(actor=officer, entry=entry, note="Dicabut oleh instansi pengusul.")
        if i == 5:
            entry_save(actor=officer, watchlist=entry.watchlist, entry=entry,
                       valid_until=today + dt.timedelta(days=90), note="Masa berlaku awal.")
            entry_extend(actor=officer, entry=entry, valid_until=today + dt.timedelta(days=270),
                         note="Diperpanjang 6 bulan (Pasal 97).")

    raised = screen_persons([p.pk for _k, p in picked] + [homonym.pk], trigger=Trigger.RESCREEN)
    hits = list(Hit.objects.filter(office=office).order_by("id"))
    for hit in hits:
        if hit.person_id == local.pk:
            hit_decide(actor=officer, hit=hit, status=HitStatus.CONFIRMED,
                       note="Dicocokkan dengan paspor dan foto; tim lapangan diberi tahu.")
        elif hit.person_id == typo.pk:
            hit_decide(actor=officer, hit=hit, status=HitStatus.UNSURE,
                       note="Tanggal lahir sama, nama mirip; menunggu foto dari Ditjen.")
    return {"lists": len(lists), "hits": raised}
