"""Candidate retrieval among many entries (transliteration, typos, order, joined words,
documents with O/0), the screener's threshold and validity rules, and that retrieval
finds what comparing every entry finds."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from pora.screening.engine.compiled import postings_of
from pora.screening.engine.index import (
    Index,
    Screener,
    _birth_points,
    _Dates,
    _form,
    _year_keys,
    match_order,
)
from pora.screening.engine.records import PartialDate, Record
from pora.screening.engine.score import (
    READING_KINDS,
    Match,
    _beside,
    birth_feature,
    compare,
    other_syllables,
    syllable_codes,
    typing_similarities,
    typing_similarity,
    year_key,
)

GIVEN = ["Adam", "Bella", "Carlos", "Dewi", "Elena", "Farid", "Gita", "Hiroshi", "Ines",
         "Joko", "Kamal", "Lena", "Marco", "Nadia", "Oscar", "Putri", "Rafael", "Sari",
         "Tomas", "Umar", "Vera", "Wulan", "Yusuf", "Zara"]
SURNAMES = ["Andersen", "Brennan", "Castillo", "Dimitrov", "Eriksen", "Fontaine", "Gallagher",
            "Hoffmann", "Ivanova", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak",
            "Okafor", "Petersen", "Quintero", "Rossi", "Santoso", "Takahashi", "Urbina",
            "Vasquez", "Wibowo", "Yilmaz"]


def filler(count: int, seed: int = 3) -> list[Record]:
    """Entries that resemble nobody in the tests: invented two-word names."""
    rng = random.Random(seed)
    out = []
    for number in range(count):
        name = f"{rng.choice(GIVEN)}{rng.choice('klmnrst')} {rng.choice(SURNAMES)}{number}"
        out.append(Record(f"F{number}", (name,), (PartialDate(rng.randrange(1950, 2000)),),
                          (rng.choice(["IDN", "MYS", "AUS", "NLD"]),)))
    return out


def index_of(*records: Record, fillers: int = 3000) -> Index:
    index = Index()
    for record in [*filler(fillers), *records]:
        index.add(record)
    return index


def entry(entry_id: str, *names: str, born: str = "", nationality: str = "",
          documents: tuple[str, ...] = (), **extra) -> Record:
    birth = ()
    if born:
        parts = [int(p) for p in born.split("-")]
        birth = (PartialDate(*parts),)
    return Record(entry_id, names, birth, (nationality,) if nationality else (), documents,
                  extra=extra)


SIDOROV = entry("sidorov", "Сидоров Иван Петрович", "Ivan Petrovich Sidorov",
                born="1980-05-12", nationality="RUS")
RAHMAN = entry("rahman", "Mohamad Abdul Rahman", born="1975", nationality="MYS")
ALEKSANDR = entry("aleksandr", "Aleksandr Nikolaevich Volkov", nationality="RUS")
XIAOMING = entry("xiaoming", "王小明", "Wang Xiaoming", born="1990-02-03", nationality="CHN")
PASSPORT = entry("passport", "Completely Different", documents=("AB1023456",))
KIM = entry("kim", "김지은", nationality="KOR", born="1992-07-01")
WENXIAO = entry("wenxiao", "He Wenxiao", nationality="CHN", born="1988-01-15")

RETRIEVAL = [
    # (query, the entry it must find)
    (Record("q", ("Ivan Sidorov",)), "sidorov"),
    (Record("q", ("SIDOROV IVAN",)), "sidorov"),
    (Record("q", ("Sidorov Ivan Petrovich",)), "sidorov"),
    (Record("q", ("Muhamad Rahman",)), "rahman"),
    (Record("q", ("Mohammad Abdulrahman",)), "rahman"),
    (Record("q", ("Aleksander Volkov",)), "aleksandr"),
    (Record("q", ("Alexandr Volkov",)), "aleksandr"),
    (Record("q", ("Wang Xiao Ming",)), "xiaoming"),
    (Record("q", ("WANG XIAOMING",)), "xiaoming"),
    (Record("q", ("Kim Ji Eun",)), "kim"),
    (Record("q", ("Kim Jieun",)), "kim"),
    (Record("q", ("Ho Man Siu",)), "wenxiao"),
    (Record("q", ("Someone Else",), documents=("AB1O23456",)), "passport"),
    (Record("q", ("Someone Else",), documents=("ABIO23456",)), "passport"),
]


@pytest.fixture(scope="module")
def big_index() -> Index:
    return index_of(SIDOROV, RAHMAN, ALEKSANDR, XIAOMING, PASSPORT, KIM, WENXIAO)


@pytest.mark.parametrize(("query", "wanted"), RETRIEVAL,
                         ids=[f"{q.names[0]}->{w}" for q, w in RETRIEVAL])
def test_retrieval_finds_the_entry_among_thousands(big_index, query, wanted):
    found = [record.id for record in big_index.candidates(query, limit=10)]
    assert wanted in found


def test_retrieval_does_not_return_everything(big_index):
    assert len(big_index.candidates(Record("q", ("Ivan Sidorov",)), limit=10)) <= 10
    assert big_index.candidates(Record("q", ("Zzyzx Qwerty",)), limit=10) == []


def test_a_document_match_comes_on_top_of_the_limit(big_index):
    query = Record("q", ("Ivan Sidorov",), documents=("AB1023456",))
    found = [record.id for record in big_index.candidates(query, limit=1)]
    assert found[0] == "sidorov"
    assert "passport" in found


def test_a_query_of_only_common_words_still_finds_its_entries():
    common = [entry(f"m{n}", f"Muhammad {SURNAMES[n % 24]}{n}") for n in range(2500)]
    common += [entry(f"a{n}", f"Ali {GIVEN[n % 24]}{n}") for n in range(2500)]
    targets = [entry("ma1", "Muhammad Ali", born="1970"), entry("ma2", "Ali Muhammad")]
    index = Index()
    for record in [*common, *targets]:
        index.add(record)
    found = {r.id for r in index.candidates(Record("q", ("Muhammad Ali",)), limit=5)}
    assert {"ma1", "ma2"} <= found
    alone = [entry(f"solo{n}", "Muhammad", born=str(1950 + n % 40)) for n in range(3000)]
    for record in alone:
        index.add(record)
    found = {r.id for r in index.candidates(
        Record("q", ("Muhammad",), (PartialDate(1961),)), limit=50)}
    assert "solo11" in found


def test_a_spelling_that_only_sounds_alike_is_found_among_thousands_of_namesakes():
    namesakes = [entry(f"m{n}", f"Muhammad {SURNAMES[n % 24]}{n}", born=f"{1940 + n % 60}")
                 for n in range(3000)]
    index = index_of(*namesakes, entry("mononym", "Mohammed", born="1970-02-03"),
                     fillers=3000)
    query = Record("q", ("Muhammad",), (PartialDate(1970, 2, 3),))
    assert "mononym" in [m.entry_id for m in Screener(index).screen(query)]


def test_a_removed_entry_is_not_returned_and_a_new_version_replaces_the_old():
    index = index_of(SIDOROV, fillers=50)
    query = Record("q", ("Ivan Sidorov",))
    assert index.remove("sidorov") is SIDOROV
    assert "sidorov" not in [r.id for r in index.candidates(query)]
    assert index.get("sidorov") is None and len(index) == 50
    renamed = entry("sidorov", "Ivan Sidorov", born="1980")
    index.add(renamed)
    index.add(entry("sidorov", "Ivan Sidorov", born="1981"))
    assert [r.birth_dates for r in index.candidates(query) if r.id == "sidorov"] == [
        (PartialDate(1981),)]
    assert len(index) == 51


def test_entries_added_after_a_search_are_found():
    index = index_of(SIDOROV, fillers=200)
    assert index.candidates(Record("q", ("Ivan Sidorov",)))
    index.add(entry("late", "Farida Late Entry"))
    assert "late" in [r.id for r in index.candidates(Record("q", ("Farida Late Entry",)))]


def test_the_index_is_compact():
    index = index_of(fillers=20_000)
    # Postings, typo deletions and word codes: a few hundred bytes an entry, not the
    # kilobytes of Python lists and dictionaries.
    assert index.nbytes() / len(index) < 640


# ------------------------------------------------------------------------ screener

def test_screen_keeps_only_scores_at_the_threshold_best_first(big_index):
    screener = Screener(big_index)
    query = Record("q", ("Ivan Sidorov",), (PartialDate(1980, 5, 12),), ("RUS",))
    matches = screener.screen(query)
    assert matches[0].entry_id == "sidorov"
    assert all(m.score >= 80 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    strict = screener.screen(query, threshold=100)
    assert all(m.score == 100 for m in strict)
    assert screener.screen(Record("q", ("Nobody Atall",))) == []


def test_an_entry_outside_its_validity_is_not_compared():
    listed = entry("ban", "Ivan Sidorov", born="1980-05-12", nationality="RUS",
                   valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2025, 6, 30))
    open_ended = entry("open", "Ivan Sidorov", born="1980-05-12", nationality="RUS",
                       valid_from=dt.date(2025, 3, 1), valid_until=None)
    screener = Screener(index_of(listed, open_ended, fillers=100))
    query = Record("q", ("Ivan Sidorov",), (PartialDate(1980, 5, 12),), ("RUS",))

    def found(on):
        return sorted(m.entry_id for m in screener.screen(query, on=on))

    assert found(None) == ["ban", "open"]
    assert found(dt.date(2024, 12, 31)) == []
    assert found(dt.date(2025, 1, 1)) == ["ban"]
    assert found(dt.date(2025, 6, 30)) == ["ban", "open"]
    assert found(dt.date(2025, 7, 1)) == ["open"]


def test_screen_limit_and_screen_many_return_every_match():
    namesakes = [entry(f"n{n}", "Dewi Lestari", born=f"1985-01-{n + 1:02d}") for n in range(25)]
    screener = Screener(index_of(*namesakes, fillers=100))
    query = Record("q", ("Dewi Lestari",))
    assert len(screener.screen(query)) == 20
    assert len(screener.screen(query, limit=None)) == 25
    ((record, matches),) = list(screener.screen_many([query]))
    assert record is query and len(matches) == 25


def _people(entries: list[Record], rng: random.Random, count: int) -> list[Record]:
    """Persons made from entries the way passports write them: reordered, misspelt, upper
    case, partial birth dates; and as many strangers."""
    out = []
    for number in range(count):
        source = rng.choice(entries)
        words = rng.choice(source.names).split()
        change = rng.random()
        if change < 0.3:
            words.reverse()
        elif change < 0.6:
            at = rng.randrange(len(words))
            word = words[at]
            cut = rng.randrange(1, len(word)) if len(word) > 2 else 1
            words[at] = word[:cut] + word[cut + 1:]
        else:
            words = [w.upper() for w in words]
        out.append(Record(f"p{number}", (" ".join(words),), source.birth_dates,
                          source.nationalities))
        out.append(Record(f"s{number}", (f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}",),
                          (PartialDate(rng.randrange(1950, 2000)),), ("IDN",)))
    return out


def _found_of_exhaustive(screener: Screener, queries: list[Record]) -> tuple[int, int]:
    """(matches comparing every entry finds, those screening finds too); screening never
    finds one that comparing every entry does not."""
    wanted = found = 0
    for query in queries:
        truth = {m.entry_id for m in screener.exhaustive(query)}
        got = {m.entry_id for m in screener.screen(query, limit=None)}
        assert got <= truth
        wanted += len(truth)
        found += len(truth & got)
    return wanted, found


def test_retrieval_finds_what_comparing_every_entry_finds():
    rng = random.Random(11)
    lists = [entry(f"e{n}", f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}",
                   f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}",
                   born=f"{rng.randrange(1950, 2000)}", nationality=rng.choice(["IDN", "MYS"]))
             for n in range(800)]
    screener = Screener(index_of(*lists, fillers=400))
    wanted, found = _found_of_exhaustive(screener, _people(lists, rng, 30))
    assert wanted > 30
    assert found / wanted >= 0.99


# Names whose words the scorer's own rules judge: pinyin syllables and Korean family names
# alike in their letters (the syllable rule), Vietnamese middle names, typing errors.
ASIAN_SURNAMES = ["Wang", "Wong", "Huang", "Zhang", "Jiang", "Liang", "Kim", "Lim", "Jeon",
                  "Jung", "Nguyen", "Tran", "Pham", "Hoang"]
ASIAN_GIVEN = ["Xiaoming", "Xiaoling", "Jian", "Jiang", "Lian", "Ling", "Min-jun", "Min-seo",
               "Ji-eun", "Thi Mai", "Van Hoa", "Thanh Hai", "Minh", "Dinh", "Thinh"]


def test_retrieval_finds_what_comparing_every_entry_finds_for_syllable_names():
    rng = random.Random(12)
    lists = [entry(f"a{n}", f"{rng.choice(ASIAN_SURNAMES)} {rng.choice(ASIAN_GIVEN)}",
                   born=f"{rng.randrange(1960, 1990)}-{rng.randrange(1, 13)}-{rng.randrange(1, 29)}",
                   nationality=rng.choice(["CHN", "KOR", "VNM"]))
             for n in range(600)]
    screener = Screener(index_of(*lists, fillers=300))
    wanted, found = _found_of_exhaustive(screener, _people(lists, rng, 60))
    assert wanted > 40
    assert found / wanted >= 0.99


def test_screen_reports_the_scorers_score():
    screener = Screener(index_of(SIDOROV, fillers=10))
    query = Record("q", ("Sidorov Ivan",), (PartialDate(1980),), ("RUS",))
    (match,) = screener.screen(query)
    assert match.score == compare(query, SIDOROV).score
    assert match.entry is SIDOROV


# The vectorised birth-date points must be the scorer's, or entries would be skipped that
# the scorer keeps.
DATES = [PartialDate(1980, 5, 12), PartialDate(1980, 12, 5), PartialDate(1980, 5, 13),
         PartialDate(1981, 5, 12), PartialDate(1908, 5, 12), PartialDate(1980, 5),
         PartialDate(1980, 6), PartialDate(1980), PartialDate(1981), PartialDate(1983),
         PartialDate(1979, approximate=True), PartialDate(1985, approximate=True),
         PartialDate(1990, 1, 1)]


@pytest.mark.parametrize("query_date", DATES, ids=str)
def test_vectorised_birth_points_are_the_scorers(query_date):
    got = _birth_points(query_date, np.array([d.year for d in DATES]),
                        np.array([d.month or 0 for d in DATES]),
                        np.array([d.day or 0 for d in DATES]),
                        np.array([d.approximate for d in DATES]))
    wanted = [birth_feature(Record("q", ("a",), (query_date,)), Record("e", ("a",), (d,))).points
              for d in DATES]
    assert got.tolist() == wanted


def test_birth_points_of_many_query_dates_at_once_are_the_scorers():
    # Every query date against every entry date in one call, as a batch of persons is.
    pairs = [(q, e) for q in DATES for e in DATES]
    got = _birth_points(_Dates.of([q for q, _ in pairs]), np.array([e.year for _, e in pairs]),
                        np.array([e.month or 0 for _, e in pairs]),
                        np.array([e.day or 0 for _, e in pairs]),
                        np.array([e.approximate for _, e in pairs]))
    wanted = [birth_feature(Record("q", ("a",), (q,)), Record("e", ("a",), (e,))).points
              for q, e in pairs]
    assert got.tolist() == wanted


def test_a_batch_finds_for_each_person_what_it_finds_alone():
    rng = random.Random(5)
    lists = [entry(f"e{n}", f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}",
                   born=rng.choice(["", f"{rng.randrange(1950, 2000)}",
                                    f"{rng.randrange(1950, 2000)}-0{rng.randrange(1, 9)}-1{n % 9}"]),
                   nationality=rng.choice(["IDN", "MYS", ""]))
             for n in range(600)]
    screener = Screener(index_of(*lists, fillers=300))
    queries = list(_people(lists, rng, 40))
    # Two birth dates, and none, in the same batch.
    queries.append(Record("two", (lists[0].names[0],),
                          (PartialDate(1990, 1, 2), *lists[0].birth_dates)))
    queries.append(Record("none", (lists[1].names[0],)))
    alone = [screener.screen(query, limit=None) for query in queries]
    together = [matches for _query, matches in screener.screen_many(queries)]
    assert together == alone
    assert sum(map(len, alone)) > 40


def test_initials_do_not_crowd_out_a_name_that_only_differs_by_a_letter():
    # Words too short for a consonant skeleton ("M", "Ali") share its placeholder code:
    # that must not count as "same consonants" and put eighty "X Khan" ahead.
    index = Index()
    for number, letter in enumerate("BCDFGHJKLMNPQRSTVWXZ" * 4):
        index.add(Record(f"initial-{number}", (f"{letter} Khan",)))
    index.add(Record("alif", ("Alif Khan",)))
    index.settle()
    found = Screener(index).screen(Record("q", ("Ali Khan",)), limit=20)
    assert [match.entry_id for match in found] == ["alif"]


def test_equal_scores_list_entries_in_the_order_of_their_numbers():
    matches = [Match("q", entry_id, score, (), Record(entry_id, ("X",)))
               for entry_id, score in [("1000", 90), ("E7", 90), ("995", 90), ("12", 95)]]
    assert [m.entry_id for m in sorted(matches, key=match_order)] == [
        "12", "995", "1000", "E7"]


# The index works typing errors out for thousands of pairs at once; each must be the
# scorer's figure, or retrieval would drop entries the scorer keeps.
TYPED_PAIRS = [("ivanov", "ivsnof"), ("ivanov", "ivanov"), ("thinh", "dinh"), ("abc", "bac"),
               ("maria", "mraia"), ("a", "b"), ("q", "w"), ("jose", "josé"), ("zoë", "zoe"),
               ("nguyen", "ngyuen"), ("aleksandr", "alexander"), ("x", "xx"),
               ("muhammad", "mohammed"), ("12345", "12354")]


def _typing_reference(a: str, b: str) -> float:
    """The typing distance written out plainly, one pair at a time: the compiled loop must
    give exactly this."""
    previous2: list[float] = []
    previous = [float(j) for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [float(i)] + [0.0] * len(b)
        for j in range(1, len(b) + 1):
            change = 0.0 if a[i - 1] == b[j - 1] else (0.5 if _beside(a[i - 1], b[j - 1])
                                                      else 1.0)
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + change)
            if (i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]
                    and a[i - 1] != a[i - 2]):
                best = min(best, previous2[j - 2] + 0.5)
            current[j] = best
        previous2, previous = previous, current
    return max(0.0, 100.0 * (1 - previous[len(b)] / max(len(a), len(b))))


def test_typing_similarities_at_once_are_the_scorers_one_by_one():
    rng = random.Random(4)
    letters = "abcdefghijklmnopqrstuvwxyzéü"
    pairs = list(TYPED_PAIRS)
    for _ in range(3000):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(1, 11)))
        other = list(word)
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(other))
            kind = rng.randrange(4)
            if kind == 0:
                other.insert(at, rng.choice(letters))
            elif kind == 1 and len(other) > 1:
                del other[at]
            elif kind == 2:
                other[at] = rng.choice(letters)
            elif at + 1 < len(other):
                other[at], other[at + 1] = other[at + 1], other[at]
        pairs.append((word, "".join(other)))
    got = typing_similarities([a for a, _ in pairs], [b for _, b in pairs])
    wanted = np.array([_typing_reference(a, b) for a, b in pairs])
    assert np.abs(got - wanted).max() < 1e-3
    assert [typing_similarity(a, b) for a, b in pairs[:50]] == pytest.approx(wanted[:50])
    assert typing_similarities([], []).tolist() == []


@pytest.mark.parametrize(("a", "b", "other"), [
    ("liang", "ling", True), ("chen", "cheng", True), ("kim", "lim", True),
    ("jeon", "jung", True), ("lee", "yi", False), ("park", "bak", False),
    ("xiaoming", "xiaoling", False), ("ivan", "ivana", False)])
def test_the_syllable_rule_reads_the_same_numbers_or_arrays(a, b, other):
    codes = [*syllable_codes(a), *syllable_codes(b)]
    assert bool(other_syllables(*codes)) is other
    assert other_syllables(*(np.array([c]) for c in codes)).tolist() == [other]


def test_year_keys_looked_up_are_the_scorers():
    rng = np.random.default_rng(7)
    query = rng.integers(1800, 2150, 5000)
    entry = np.where(rng.random(5000) < 0.5, query + rng.integers(-12, 13, 5000),
                     rng.integers(1800, 2150, 5000))
    wanted = [year_key(int(q), int(e)) for q, e in zip(query, entry, strict=True)]
    assert _year_keys(query, entry).tolist() == wanted
    inside = (query >= 1850) & (query <= 2100) & (entry >= 1850) & (entry <= 2100)
    assert _year_keys(query[inside], entry[inside]).tolist() == np.array(wanted)[inside].tolist()


def _estimate(index: Index, query: Record, entry_id: str) -> float:
    """The index's name estimate of one entry for a query."""
    index.settle()
    number = index._numbers[entry_id]
    (found,) = index._name_estimates([(index._query(query).words, np.array([number]))])
    return float(found[0])


@pytest.mark.parametrize(("query", "names", "nationality"), [
    # Sound replaces a higher spelling figure (jong~jeong 89 of letters, 85 by sound): the
    # estimate pairs words as the scorer does and reaches its 85.
    ("Eom Seong-jong", ("엄중정", "EOM Jung-jeong", "EOM Jungjeong"), "KOR"),
    # Words written as one that are the same word.
    ("Wang Xiao Ming", ("王小明", "Wang Xiaoming"), "CHN"),
    ("Kim Jieun", ("김지은", "Kim Ji Eun"), "KOR"),
    ("Abdulrahman Saleh", ("Abdul Rahman Saleh",), "SAU"),
    # Hong Kong syllables against the pinyin they may spell, also written as one.
    ("Ho Man Siu", ("He Wenxiao",), "CHN"),
    ("Chun Ping Kwok", ("Junping Guo",), "CHN"),
])
def test_the_name_estimate_is_not_below_the_scorers_name(query, names, nationality):
    listed = entry("listed", *names, nationality=nationality)
    person = Record("q", (query,), nationalities=(nationality,))
    name = sum(r.points for r in compare(person, listed).reasons if r.code.startswith("name_"))
    assert _estimate(index_of(listed, fillers=20), person, "listed") >= name - 0.01


@pytest.mark.parametrize(("query", "query_nationality", "names", "nationality"), [
    # Two readings of different kinds are not compared (a Korean romanisation against a
    # Cantonese reading of Hanzi), and "xiangwei" cannot stand for "cheng wei" joined.
    ("Heo Il-jong", "KOR", ("许想华",), "CHN"),
    ("Wen Xiangwei", "CHN", ("成伟文", "Weiwen Cheng"), "CHN"),
])
def test_the_name_estimate_follows_the_scorers_reading_and_joined_word_rules(
        query, query_nationality, names, nationality):
    listed = entry("listed", *names, nationality=nationality)
    person = Record("q", (query,), nationalities=(query_nationality,))
    name = sum(r.points for r in compare(person, listed).reasons if r.code.startswith("name_"))
    estimate = _estimate(index_of(listed, fillers=20), person, "listed")
    assert name < 40
    assert estimate < 70  # before: 83 and 96, so each went to the full comparison


def test_postings_rows_count_each_entry_once_per_key():
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 50, 2000).astype(np.uint64)
    numbers = rng.integers(0, 300, 2000).astype(np.uint64)
    merged = np.sort(keys << np.uint64(24) | numbers)
    got_keys, starts, values = postings_of(merged.copy(), np.uint64(24))
    wanted = {}
    for key, number in zip(keys.tolist(), numbers.tolist(), strict=True):
        wanted.setdefault(key, set()).add(number)
    assert got_keys.tolist() == sorted(wanted)
    for at, key in enumerate(got_keys.tolist()):
        assert values[starts[at]:starts[at + 1]].tolist() == sorted(wanted[key])
    empty_keys, empty_starts, empty_values = postings_of(np.empty(0, np.uint64), np.uint64(24))
    assert (len(empty_keys), empty_starts.tolist(), len(empty_values)) == (0, [0], 0)


def test_forms_pack_the_reading_kind_and_the_joined_word():
    assert _form(0) == 0
    assert _form(3) == 6
    assert _form(3, 2) == (2 << 4) | 6 | 1
    assert max(_form(kind, at) for kind in range(len(READING_KINDS)) for at in range(5)) < 128
