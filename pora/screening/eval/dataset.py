"""The evaluation set: list entries, registry persons and which entries are the same
person, from one seed.

Background entries are listed persons nobody looks for (they make the namesakes and
birth-date coincidences a real list has). Each query then comes with the entry it is
about: for a positive, the listed person as the list writes them and the same person as
the passport does, with the one difficulty its category names; for a negative, a listed
person and another, real-looking person whose name or birth date resembles theirs the
way its category says.

No query is left that nobody could decide: when a query and an entry that is not the
same person bear the same name (the same words, spelling aside) and nothing the entry
knows contradicts the query — no birth date, nationality or sex against it — the pair
is drawn again. The labels are then the truth, and every one of them can be earned.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from pora.screening.engine.records import PartialDate, Record
from pora.screening.eval.common import (
    GIVEN_FIRST,
    SURNAME_FIRST,
    Person,
    Table,
    birth_date,
    digit_typo,
    is_latin,
    keystroke_errors,
    moved_year,
    other_day_same_year,
    passport_number,
    pick,
    swapped_day_month,
    years_apart,
)
from pora.screening.eval.culture import Culture, swap
from pora.screening.eval.cultures import CULTURES, LIST_GIVEN_FIRST

SEED = 1
ENTRIES = 6000
QUERIES = 2400
POSITIVE_SHARE = 2 / 3
# Listed persons who are on the list twice (two sources, two spellings).
DUPLICATE_SHARE = 0.03
SPLITS = ("dev", "held_out")

# Positive categories and their shares of the positives: the difficulty between the
# list's entry and the passport.
POSITIVE = {
    "exact": 0.10, "transliteration": 0.22, "order": 0.10, "typo": 0.14, "nickname": 0.08,
    "date_only_year": 0.10, "swapped_day_month": 0.08, "date_typo": 0.08, "script": 0.10,
}
# Negative categories and their shares of the negatives: how the other person resembles
# the listed one.
NEGATIVE = {
    "homonym_surname_year": 0.20, "homonym_same_date": 0.22, "homonym_other_sex": 0.14,
    "homonym_namesake_other_year": 0.20, "homonym_longer_name": 0.12,
    "homonym_joined": 0.12,
}
CATEGORIES = (*POSITIVE, *NEGATIVE)
# Which cultures can make each category (the culture is drawn by its share among them).
SUPPORTED = {
    "transliteration": ("chinese", "korean", "japanese", "russian", "arabic", "nigerian",
                        "indian", "indonesian", "western"),
    "nickname": ("russian", "western", "arabic", "nigerian", "indonesian"),
    "script": ("chinese", "korean", "japanese", "russian", "arabic"),
    "homonym_other_sex": ("russian", "arabic", "western", "vietnamese", "indian"),
    "homonym_longer_name": ("russian", "arabic", "indian", "western"),
    "homonym_joined": ("chinese", "korean", "vietnamese"),
}
# How list entries give the birth date.
ENTRY_DATES = Table([("full", 55), ("year_month", 8), ("year", 17), ("missing", 12),
                     ("several", 8)])
# Where lists do give a date (for namesakes born another year).
DATED = Table([("full", 70), ("year", 20), ("year_month", 10)])
# Share of persons recorded as born on 1 January by nationality: registries that did not
# record the day gave that one (widely reported of Afghan, Iraqi, Somali, Sudanese and
# Yemeni documents, and of northern Nigeria's); a source of birth-date coincidences.
FIRST_JANUARY = {"IRQ": 0.15, "YEM": 0.2, "SDN": 0.2, "SYR": 0.05, "EGY": 0.02,
                 "NGA": 0.05}


@dataclass(frozen=True)
class Facts:
    """The truth behind a record: who it is, by structure (word keys, not spellings)."""

    person: int
    culture: str
    region: str
    sex: str
    born: str
    surname: tuple[str, ...]
    given: tuple[str, ...]
    middle: tuple[str, ...]

    @classmethod
    def of(cls, person: Person) -> Facts:
        return cls(person.number, person.culture, person.region, person.sex,
                   person.born.isoformat(), tuple(w.key for w in person.surname),
                   tuple(w.key for w in person.given), tuple(w.key for w in person.middle))


@dataclass(frozen=True)
class Query:
    record: Record
    split: str
    category: str
    truth: tuple[str, ...]  # ids of the entries that are this person; () for a negative
    source: str  # the entry the query was made about

    @property
    def positive(self) -> bool:
        return bool(self.truth)


@dataclass(frozen=True)
class EvalSet:
    seed: int
    entries: tuple[Record, ...]
    queries: tuple[Query, ...]
    facts: dict[str, Facts] = field(compare=False)

    def split(self, name: str) -> tuple[Query, ...]:
        if name not in SPLITS:
            raise ValueError(f"no split {name!r}: {', '.join(SPLITS)}")
        return tuple(q for q in self.queries if q.split == name)

    def entry(self, entry_id: str) -> Record:
        return self._entries[entry_id]

    @property
    def _entries(self) -> dict[str, Record]:
        cached = self.__dict__.get("_by_id")
        if cached is None:
            cached = {e.id: e for e in self.entries}
            object.__setattr__(self, "_by_id", cached)
        return cached

    def to_json(self) -> str:
        """The whole set as canonical JSON: the same seed gives the same bytes."""
        def record(r: Record) -> dict:
            return {"id": r.id, "names": list(r.names),
                    "birth_dates": [str(d) for d in r.birth_dates],
                    "nationalities": list(r.nationalities), "documents": list(r.documents),
                    "sex": r.sex, "facts": self.facts[r.id].__dict__}
        body = {"seed": self.seed,
                "entries": [record(e) for e in self.entries],
                "queries": [{**record(q.record), "split": q.split, "category": q.category,
                             "truth": list(q.truth), "source": q.source}
                            for q in self.queries]}
        return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def quota(shares: dict[str, float], total: int) -> list[str]:
    """``total`` slots shared by ``shares``, rounded so that they add up (largest
    remainders)."""
    exact = {k: v * total for k, v in shares.items()}
    counts = {k: int(v) for k, v in exact.items()}
    rest = total - sum(counts.values())
    for k in sorted(exact, key=lambda k: (counts[k] - exact[k], k))[:rest]:
        counts[k] += 1
    return [k for k in shares for _ in range(counts[k])]


# ------------------------------------------------------------------------- making


@dataclass
class _Made:
    """One attempt: the entries to add (person, record), the query and its truth."""

    entries: list[tuple[Person, Record]]
    query: tuple[Person, Record] | None = None
    truth: tuple[int, ...] = ()  # indexes into entries
    source: int = 0


def _compatible(query: Record, entry: Record) -> bool:
    """Nothing the entry knows contradicts the query (dates, nationality, sex)."""
    if entry.birth_dates:
        q = query.birth_dates[0]
        if not any(d.year == q.year and (d.month is None or d.month == q.month)
                   and (d.day is None or d.day == q.day) for d in entry.birth_dates):
            return False
    if entry.nationalities and query.nationalities[0] not in entry.nationalities:
        return False
    return not (entry.sex and entry.sex != query.sex)


class Maker:
    """Draws persons, lists them and writes their passports, from one generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.persons = 0
        self.entries: list[tuple[Person, Record]] = []
        self.queries: list[tuple[str, Person, Record, tuple[int, ...], int]] = []
        self._entry_keys: dict[tuple, list[int]] = defaultdict(list)
        self._query_keys: dict[tuple, list[int]] = defaultdict(list)
        self.cultures = Table((c, c.share) for c in CULTURES.values())

    # ------------------------------------------------------------ persons

    def _number(self, person: Person) -> Person:
        self.persons += 1
        return replace(person, number=self.persons)

    def _sex(self) -> str:
        return "M" if self.rng.random() < 0.5 else "F"

    def _culture(self, category: str | None = None) -> Culture:
        keys = SUPPORTED.get(category or "")
        if keys is None:
            return self.cultures.pick(self.rng)
        return Table((CULTURES[k], CULTURES[k].share) for k in keys).pick(self.rng)

    def person(self, culture: Culture, *, sex: str | None = None,
               born: dt.date | None = None, region: str | None = None) -> Person:
        """A new person of ``culture``; a birth date drawn here may be the 1 January of
        registries that did not record the day."""
        sex = sex or self._sex()
        drawn = born is None
        born = born or birth_date(self.rng)
        person = culture.draw(self.rng, sex=sex, born=born, region=region)
        if drawn and self.rng.random() < FIRST_JANUARY.get(person.nationality, 0.0):
            person = replace(person, born=dt.date(born.year, 1, 1))
        return self._number(person)

    # ------------------------------------------------------------ writing names

    def _order(self, culture: Culture, person: Person) -> str:
        """The order a registry keeps this passport's name in."""
        if not culture.has_order(person):
            return GIVEN_FIRST
        return GIVEN_FIRST if self.rng.random() < culture.given_first else SURNAME_FIRST

    def _list_order(self, culture: Culture) -> str:
        return GIVEN_FIRST if self.rng.random() < LIST_GIVEN_FIRST[culture.key] \
            else SURNAME_FIRST

    def passport_name(self, culture: Culture, person: Person, order: str) -> str:
        text = culture.render(person, culture.passport_scheme(person), order)
        return text.upper() if self.rng.random() < 0.7 else text

    def _case(self, text: str) -> str:
        """Lists write names in title case, some in capitals."""
        return text.upper() if self.rng.random() < 0.12 else text

    def _names(self, culture: Culture, person: Person, mode: str, *,
               order: str | None = None) -> list[str] | None:
        """An entry's names (primary first) in ``mode``: "generic" as lists write them;
        "exact" with the passport's spelling and order among them; "transliteration"
        with Latin names only in other romanisations; "order" with the passport's
        spelling in the other order only; "script" with the original script only."""
        rng = self.rng
        native = culture.native(person, rng) if culture.script else []
        schemes = culture.list_schemes(person)
        scheme_pass = culture.passport_scheme(person)
        if mode == "script":
            if not native:
                return None
            return native[:1 + (rng.random() < 0.4)]
        if mode == "order":
            names = [culture.render(person, scheme_pass, swap(order))]
            if native and rng.random() < 0.4:
                names.append(native[0])
            return names
        if mode == "transliteration":
            mine = culture.spelled(person, scheme_pass)
            other = [s for s in schemes.rows if culture.family(s) != culture.family(scheme_pass)
                     and culture.spelled(person, s) != mine]
            if not other:
                return None
            allowed = schemes.only(other)
            names = [culture.render(person, allowed.pick(rng), order)]
            if len(other) > 1 and rng.random() < 0.35:
                names.append(culture.render(person, allowed.pick(rng), order))
            # Lists of Chinese persons mostly give the characters beside the romanisation.
            if native and rng.random() < (0.7 if culture.key == "chinese" else 0.5):
                names.insert(0 if rng.random() < 0.5 else len(names), native[0])
            return _unique([self._case(n) for n in names])
        # generic, and exact on top of it
        names: list[str] = []
        if native and rng.random() < 0.45:
            names.append(native[0])
        else:
            names.append(culture.render(person, schemes.pick(rng), self._list_order(culture)))
        aliases = pick(rng, ((0, 25), (1, 30), (2, 25), (3, 20)))
        candidates = [n for n in native if n != names[0]]
        for scheme in schemes.rows:
            candidates.append(culture.render(person, scheme, self._list_order(culture)))
        if person.middle:
            candidates.append(culture.render(person, schemes.pick(rng),
                                             self._list_order(culture), short=True))
        rng.shuffle(candidates)
        names += candidates[:aliases]
        names = [self._case(n) if is_latin(n) else n for n in names]
        if mode == "exact":
            wanted = culture.render(person, scheme_pass, order)
            if wanted.casefold() not in {n.casefold() for n in names}:
                names.insert(0 if rng.random() < 0.5 else len(names), wanted)
        return _unique(names)

    # ------------------------------------------------------------ dates and facts

    def _dates(self, born: dt.date, mode: str) -> tuple[PartialDate, ...]:
        rng = self.rng
        if mode == "generic":
            mode = ENTRY_DATES.pick(rng)
        elif mode == "dated":
            mode = DATED.pick(rng)
        full = PartialDate(born.year, born.month, born.day)
        if mode == "full":
            return (full,)
        if mode == "year_month":
            return (PartialDate(born.year, born.month),)
        if mode == "year":
            return (PartialDate(born.year),)
        if mode == "missing":
            return ()
        # several: the years a list is unsure between, or two dates from two sources
        if rng.random() < 0.5:
            return tuple(PartialDate(y) for y in (born.year - 1, born.year, born.year + 1))
        other = moved_year(born, born.year + rng.choice((-3, -2, -1, 1, 2, 3)))
        other = other.replace(day=min(other.day, 28)) if rng.random() < 0.5 else \
            dt.date(other.year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        dates = [full, PartialDate(other.year, other.month, other.day)]
        rng.shuffle(dates)
        return tuple(dates)

    def _entry(self, culture: Culture, person: Person, names: list[str],
               dates_mode: str) -> Record:
        rng = self.rng
        r = rng.random()
        nationalities: tuple[str, ...] = (person.nationality,)
        if r < 0.15:
            nationalities = ()
        elif r < 0.23:
            second = culture.second_nationality(person, rng)
            if second and second != person.nationality:
                nationalities = (person.nationality, second)
        sex = person.sex if rng.random() < 0.5 else ""
        documents = (passport_number(rng, person.nationality),) if rng.random() < 0.1 else ()
        return Record(id="", names=tuple(names), birth_dates=self._dates(person.born, dates_mode),
                      nationalities=nationalities, documents=documents, sex=sex)

    def _query(self, person: Person, name: str, born: dt.date | None = None) -> Record:
        born = born or person.born
        return Record(id="", names=(name,),
                      birth_dates=(PartialDate(born.year, born.month, born.day),),
                      nationalities=(person.nationality,),
                      documents=(passport_number(self.rng, person.nationality),),
                      sex=person.sex)

    # ------------------------------------------------------------ categories

    def background(self) -> None:
        culture = self._culture()
        person = self.person(culture)
        names = self._names(culture, person, "generic")
        self._add_entry(person, self._entry(culture, person, names, "generic"))

    def positive(self, category: str, *, duplicate: bool) -> _Made | None:
        rng = self.rng
        culture = self._culture(category)
        region = None
        if category == "transliteration" and culture.key == "chinese":
            # Taiwanese and Hong Kong passports spell otherwise than lists' pinyin.
            region = pick(rng, (("tw", 45), ("hk", 40), ("cn", 15)))
        born = None
        if category == "swapped_day_month":
            born = birth_date(rng)
            while swapped_day_month(born) is None:
                born = birth_date(rng)
        person = self.person(culture, born=born, region=region)
        order = self._order(culture, person)
        passport = self.passport_name(culture, person, order)
        query_person, entry_person = person, person
        names_mode, dates_mode = "exact", "generic"
        query_born = person.born
        if category == "transliteration":
            names_mode = "transliteration"
        elif category == "order":
            scheme = culture.passport_scheme(person)
            if not culture.has_order(person) or culture.render(person, scheme, order) \
                    .casefold() == culture.render(person, scheme, swap(order)).casefold():
                return None
            names_mode = "order"
        elif category == "script":
            names_mode = "script"
        elif category == "typo":
            passport = keystroke_errors(rng, passport, 1 if rng.random() < 0.6 else 2)
        elif category == "nickname":
            made = culture.nickname(person, rng)
            if made is None:
                return None
            nick, side = made
            if side == "entry":
                entry_person = nick
            else:
                query_person = nick
                passport = self.passport_name(culture, nick, order)
        elif category == "date_only_year":
            dates_mode = "year"
        elif category == "swapped_day_month":
            dates_mode = "full"
            query_born = swapped_day_month(person.born)
        elif category == "date_typo":
            dates_mode = "full"
            query_born = digit_typo(rng, person.born)
        names = self._names(culture, entry_person, names_mode, order=order)
        if names is None:
            return None
        if category in {"nickname", "typo"} \
                and any(n.casefold() == passport.casefold() for n in names):
            return None
        entries = [(entry_person, self._entry(culture, entry_person, names, dates_mode))]
        if duplicate:
            again = self._names(culture, person, "generic")
            entries.append((person, self._entry(culture, person, again, "generic")))
        query = self._query(query_person, passport, query_born)
        return _Made(entries, (query_person, query), tuple(range(len(entries))), 0)

    def negative(self, category: str) -> _Made | None:
        rng = self.rng
        culture = self._culture(category)
        sex = self._sex()
        born = birth_date(rng)
        dates_mode = "generic"
        if category in {"homonym_surname_year", "homonym_same_date",
                        "homonym_namesake_other_year"}:
            person = self.person(culture, sex=sex)
            if category == "homonym_namesake_other_year":
                dates_mode = "dated"
                if rng.random() < 0.5:
                    other = moved_year(person.born, years_apart(rng, person.born, at_least=4))
                else:
                    other = birth_date(rng)
                    while abs(other.year - person.born.year) < 4:
                        other = birth_date(rng)
                listed, other_person = person, replace(person, born=other)
            else:
                if not person.surname:
                    return None
                try:
                    other_person = culture.other_given(person, rng)
                except RuntimeError:
                    return None
                if category == "homonym_same_date":
                    dates_mode = "full"
                    other_person = replace(other_person, born=person.born)
                else:
                    other_person = replace(other_person,
                                           born=other_day_same_year(rng, person.born))
                listed = person
        else:
            pair = {"homonym_other_sex": culture.other_sex_pair,
                    "homonym_longer_name": culture.longer_pair,
                    "homonym_joined": culture.joined_pair}[category](rng, sex=sex, born=born)
            if pair is None or pair[1] is None:
                return None
            listed, other_person = pair
            listed = self._number(listed)
            if category == "homonym_joined" or rng.random() < 0.5:
                other_person = replace(other_person, born=other_day_same_year(rng, born))
        other_person = self._number(replace(other_person, number=0))
        names = self._names(culture, listed, "generic")
        entry = self._entry(culture, listed, names, dates_mode)
        order = self._order(culture, other_person)
        query = self._query(other_person, self.passport_name(culture, other_person, order))
        return _Made([(listed, entry)], (other_person, query), (), 0)

    # ------------------------------------------------------------ fairness

    def _fair(self, made: _Made) -> bool:
        """No query, new or earlier, is indistinguishable from an entry that is not the
        same person (see the module's docstring)."""
        person, query = made.query
        truth = {id(made.entries[i][1]) for i in made.truth}
        key = person.key()
        for i in self._entry_keys.get(key, ()):
            if _compatible(query, self.entries[i][1]):
                return False
        for entry_person, entry in made.entries:
            if id(entry) not in truth and entry_person.key() == key \
                    and _compatible(query, entry):
                return False
            for j in self._query_keys.get(entry_person.key(), ()):
                _category, _person, earlier, _truth, _source = self.queries[j]
                if _compatible(earlier, entry):
                    return False
        return True

    def _add_entry(self, person: Person, record: Record) -> int:
        self.entries.append((person, record))
        self._entry_keys[person.key()].append(len(self.entries) - 1)
        return len(self.entries) - 1

    def add(self, category: str, made: _Made) -> None:
        indexes = [self._add_entry(p, r) for p, r in made.entries]
        person, query = made.query
        self.queries.append((category, person, query, tuple(indexes[i] for i in made.truth),
                             indexes[made.source]))
        self._query_keys[person.key()].append(len(self.queries) - 1)

    def make(self, category: str, *, duplicate: bool = False) -> None:
        for _attempt in range(500):
            if category in POSITIVE:
                made = self.positive(category, duplicate=duplicate)
            else:
                made = self.negative(category)
            if made is not None and self._fair(made):
                self.add(category, made)
                return
        raise RuntimeError(f"could not make a fair {category} query")


def _unique(names: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def build(*, seed: int = SEED, entries: int = ENTRIES, queries: int = QUERIES) -> EvalSet:
    """The evaluation set of ``seed``: ``entries`` list entries, ``queries`` registry
    persons (two thirds of them listed), split into dev and held_out."""
    maker = Maker(seed)
    rng = maker.rng
    positives = round(queries * POSITIVE_SHARE)
    slots = quota(POSITIVE, positives) + quota(NEGATIVE, queries - positives)
    rng.shuffle(slots)
    positive_slots = [i for i, c in enumerate(slots) if c in POSITIVE]
    duplicates = set(rng.sample(positive_slots, round(positives * DUPLICATE_SHARE)))
    background = entries - queries - len(duplicates)
    if background < 0:
        raise ValueError(f"{entries} entries cannot hold {queries} queries' entries")
    for _ in range(background):
        maker.background()
    for i, category in enumerate(slots):
        maker.make(category, duplicate=i in duplicates)
    return _assemble(seed, maker)


def _assemble(seed: int, maker: Maker) -> EvalSet:
    """Entries shuffled and numbered (the number says nothing about the query), queries
    numbered in order and split by category, half and half."""
    rng = maker.rng
    order = list(range(len(maker.entries)))
    rng.shuffle(order)
    ids = {index: f"E{n + 1:05d}" for n, index in enumerate(order)}
    facts: dict[str, Facts] = {}
    entries = []
    for index in sorted(order, key=lambda i: ids[i]):
        person, record = maker.entries[index]
        entries.append(replace(record, id=ids[index]))
        facts[ids[index]] = Facts.of(person)
    by_category: dict[str, list[int]] = defaultdict(list)
    for n, (category, *_rest) in enumerate(maker.queries):
        by_category[category].append(n)
    split_of: dict[int, str] = {}
    toggle = 0
    for category in CATEGORIES:
        members = by_category.get(category, [])
        rng.shuffle(members)
        for n in members:
            split_of[n] = SPLITS[toggle % 2]
            toggle += 1
    queries = []
    for n, (category, person, record, truth, source) in enumerate(maker.queries):
        query_id = f"Q{n + 1:05d}"
        facts[query_id] = Facts.of(person)
        queries.append(Query(replace(record, id=query_id), split_of[n], category,
                             tuple(sorted(ids[i] for i in truth)), ids[source]))
    return EvalSet(seed, tuple(entries), tuple(queries), facts)


def summary(data: EvalSet) -> dict:
    """Counts a reader wants before trusting the set."""
    cultures = Counter(data.facts[e.id].culture for e in data.entries)
    dates = Counter(_date_kind(e) for e in data.entries)
    return {
        "entries": len(data.entries),
        "aliases": sum(len(e.names) - 1 for e in data.entries) / max(len(data.entries), 1),
        "script": sum(any(not is_latin(n) for n in e.names) for e in data.entries),
        "cultures": cultures, "dates": dates,
        "nationality_known": sum(bool(e.nationalities) for e in data.entries),
        "sex_known": sum(bool(e.sex) for e in data.entries),
        "documents": sum(bool(e.documents) for e in data.entries),
        "queries": len(data.queries),
        "positives": sum(q.positive for q in data.queries),
        "categories": Counter(q.category for q in data.queries),
        "splits": Counter(q.split for q in data.queries),
    }


def _date_kind(entry: Record) -> str:
    if not entry.birth_dates:
        return "missing"
    if len(entry.birth_dates) > 1:
        return "several"
    date = entry.birth_dates[0]
    return "full" if date.day else "year_month" if date.month else "year"
