"""The evaluation set (pora.screening.eval): reproducible, large enough, shaped like the
world, and every query really is what its category says."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from itertools import permutations

import pytest
from rapidfuzz.distance import Levenshtein

from pora.screening.eval import CATEGORIES, NEGATIVE, POSITIVE, SPLITS, build
from pora.screening.eval.chinese import SYLLABLES as HANZI
from pora.screening.eval.common import folded, is_latin, strip_marks
from pora.screening.eval.dataset import _compatible
from pora.screening.eval.japanese import _check_readings
from pora.screening.eval.korean import SYLLABLES as HANGUL


@pytest.fixture(scope="module")
def full():
    return build()


def _by_category(data):
    grouped = defaultdict(list)
    for query in data.queries:
        grouped[query.category].append(query)
    return grouped


def _glued_orders(name: str) -> set[str]:
    """The name's letters with its words in every order: a spelling in the same
    romanisation, however split or ordered, is one of them."""
    return {"".join(p) for p in permutations(_words(name))}


def _words(name: str) -> list[str]:
    return [folded(w) for w in name.replace("-", "").split() if folded(w)]


def test_the_same_seed_gives_the_same_bytes():
    first = build(seed=7, entries=700, queries=300).to_json()
    again = build(seed=7, entries=700, queries=300).to_json()
    other = build(seed=8, entries=700, queries=300).to_json()
    assert hashlib.sha256(first.encode()).digest() == hashlib.sha256(again.encode()).digest()
    assert first != other


def test_the_default_set_is_large_two_thirds_listed_and_split_in_halves(full):
    assert len(full.entries) >= 5000
    assert len(full.queries) >= 2000
    assert len({e.id for e in full.entries}) == len(full.entries)
    positives = sum(q.positive for q in full.queries)
    assert 0.62 <= positives / len(full.queries) <= 0.72
    splits = Counter(q.split for q in full.queries)
    assert set(splits) == set(SPLITS)
    assert abs(splits["dev"] - splits["held_out"]) <= len(full.queries) * 0.02
    for category, queries in _by_category(full).items():
        counts = Counter(q.split for q in queries)
        assert abs(counts["dev"] - counts["held_out"]) <= 1, category
    assert set(_by_category(full)) == set(CATEGORIES)
    assert min(len(q) for q in _by_category(full).values()) >= 80


def test_entries_look_like_watchlists(full):
    entries = full.entries
    aliases = Counter(min(len(e.names) - 1, 3) for e in entries)
    assert all(aliases[n] > 100 for n in range(4))
    assert max(len(e.names) for e in entries) <= 6
    scripts = sum(any(not is_latin(n) for n in e.names) for e in entries)
    assert 0.2 <= scripts / len(entries) <= 0.5
    kinds = Counter("missing" if not e.birth_dates else "several" if len(e.birth_dates) > 1
                    else "full" if e.birth_dates[0].day else "partial" for e in entries)
    assert all(kinds[k] > 0.05 * len(entries) for k in ("missing", "several", "full", "partial"))
    years = [d.year for e in entries for d in e.birth_dates]
    assert min(years) >= 1936 and max(years) <= 2008
    assert 0.7 <= sum(bool(e.nationalities) for e in entries) / len(entries) <= 0.95
    assert 0.3 <= sum(bool(e.sex) for e in entries) / len(entries) <= 0.7
    assert 0.05 <= sum(bool(e.documents) for e in entries) / len(entries) <= 0.15


def test_queries_look_like_passports(full):
    for query in full.queries:
        record = query.record
        assert len(record.names) == 1 and is_latin(record.names[0]), record
        assert len(record.birth_dates) == 1 and record.birth_dates[0].is_full
        assert len(record.nationalities) == 1 and len(record.documents) == 1
        assert record.sex in {"M", "F"}


def test_common_surnames_are_as_common_as_in_life(full):
    def share(culture, key):
        people = [full.facts[e.id] for e in full.entries if full.facts[e.id].culture == culture]
        return sum(key in f.surname for f in people) / len(people)

    assert share("korean", "ko:김") > 0.15  # Kim: 21.5% of Koreans
    assert share("korean", "ko:이") > 0.10  # Lee
    assert share("vietnamese", "vi:Nguyễn") > 0.28  # 38%
    chinese = share("chinese", "zh:王") + share("chinese", "zh:李") + share("chinese", "zh:張")
    assert chinese > 0.15
    assert share("indian", "in:Singh") > 0.05
    arabs = [full.facts[e.id] for e in full.entries if full.facts[e.id].culture == "arabic"]
    muhammad = sum("ar:muHammad" in (*f.given, *f.middle, *f.surname) for f in arabs)
    assert muhammad / len(arabs) > 0.15  # as the man's or his father's name


def test_labels_name_the_same_person_and_only_them(full):
    by_person = defaultdict(set)
    for entry in full.entries:
        by_person[full.facts[entry.id].person].add(entry.id)
    for query in full.queries:
        person = full.facts[query.record.id].person
        assert set(query.truth) == by_person.get(person, set())
        assert query.positive == (query.category in POSITIVE)
        if query.positive:
            assert query.source in query.truth
    assert sum(len(q.truth) > 1 for q in full.queries) > 10  # listed twice


def test_no_query_is_indistinguishable_from_an_entry_of_another_person(full):
    entries_by_key = defaultdict(list)
    for entry in full.entries:
        facts = full.facts[entry.id]
        entries_by_key[facts.surname, facts.middle, facts.given].append(entry)
    for query in full.queries:
        facts = full.facts[query.record.id]
        for entry in entries_by_key[facts.surname, facts.middle, facts.given]:
            if entry.id not in query.truth:
                assert not _compatible(query.record, entry), (query, entry)


def test_positive_categories_have_their_difficulty(full):
    grouped = _by_category(full)
    for query in grouped["exact"]:
        names = {n.casefold() for n in full.entry(query.source).names}
        assert query.record.names[0].casefold() in names
    for query in grouped["transliteration"]:
        name = query.record.names[0]
        latin = [n for n in full.entry(query.source).names if is_latin(n)]
        assert latin and not any(folded(n) in _glued_orders(name) for n in latin), latin
    for query in grouped["order"]:
        words = _words(query.record.names[0])
        others = [_words(n) for n in full.entry(query.source).names if is_latin(n)]
        assert any(sorted(o) == sorted(words) and o != words for o in others)
        assert not any(o == words for o in others)
    for query in grouped["typo"]:
        name = query.record.names[0].casefold()
        names = [n.casefold() for n in full.entry(query.source).names]
        assert name not in names
        assert min(Levenshtein.distance(name, n) for n in names) <= 4
    for query in grouped["nickname"]:
        entry = full.entry(query.source)
        assert query.record.names[0].casefold() not in {n.casefold() for n in entry.names}
        assert full.facts[query.record.id].given == full.facts[entry.id].given
    for query in grouped["script"]:
        assert not any(is_latin(n) for n in full.entry(query.source).names)


def test_date_categories_have_their_date(full):
    grouped = _by_category(full)
    for query in grouped["date_only_year"]:
        dates = full.entry(query.source).birth_dates
        assert dates and all(d.month is None for d in dates)
        assert {d.year for d in dates} == {query.record.birth_dates[0].year}
    for query in grouped["swapped_day_month"]:
        (date,) = full.entry(query.source).birth_dates
        q = query.record.birth_dates[0]
        assert (q.year, q.month, q.day) == (date.year, date.day, date.month) and q != date
    for query in grouped["date_typo"]:
        (date,) = full.entry(query.source).birth_dates
        q = query.record.birth_dates[0]
        assert q != date and (q.month, q.day) in {(date.month, date.day),
                                                  (date.month, int(f"{date.day:02d}"[::-1]))}
        year = f"{date.year}"
        assert abs(q.year - date.year) == 1 or f"{q.year}" == year[:2] + year[3] + year[2] \
            or q.year == date.year


def _same_family(query_facts, entry_facts):
    return query_facts.surname == entry_facts.surname and query_facts.culture == \
        entry_facts.culture


def test_namesakes_are_what_their_category_says(full):
    grouped = _by_category(full)
    for query in grouped["homonym_surname_year"]:
        q, e = full.facts[query.record.id], full.facts[query.source]
        assert _same_family(q, e) and q.given != e.given
        assert q.born[:4] == e.born[:4] and q.born[5:7] != e.born[5:7] \
            and q.born[8:] != e.born[8:]
    for query in grouped["homonym_same_date"]:
        q, e = full.facts[query.record.id], full.facts[query.source]
        assert _same_family(q, e) and q.given != e.given and q.born == e.born
        assert str(query.record.birth_dates[0]) in {str(d) for d in
                                                    full.entry(query.source).birth_dates}
    for query in grouped["homonym_other_sex"]:
        q, e = full.facts[query.record.id], full.facts[query.source]
        assert q.sex != e.sex and q.culture == e.culture
        assert (q.surname, q.middle, q.given) != (e.surname, e.middle, e.given)
        assert q.born[:4] == e.born[:4]
    for query in grouped["homonym_namesake_other_year"]:
        q, e = full.facts[query.record.id], full.facts[query.source]
        assert (q.surname, q.middle, q.given) == (e.surname, e.middle, e.given)
        assert abs(int(q.born[:4]) - int(e.born[:4])) >= 4
        dates = full.entry(query.source).birth_dates
        assert dates and all(abs(d.year - int(q.born[:4])) >= 4 for d in dates)
    for query in grouped["homonym_longer_name"]:
        q, e = full.facts[query.record.id], full.facts[query.source]
        assert q.given == e.given and q.surname != e.surname
        short, long = (_surname_root(f) for f in (e, q))
        assert long.startswith(short) and len(long) > len(short), (short, long)
    for query in grouped["homonym_joined"]:
        q, e = full.facts[query.record.id], full.facts[query.source]
        assert _same_family(q, e) and q.given != e.given
        # 建 Jian / 吉安 Ji An, 미나 Mi-na / 민아 Min-a; Hoàn / Hòa An a letter apart
        assert Levenshtein.distance(_glued(q.given), _glued(e.given)) <= 1, (q.given, e.given)


def _surname_root(facts) -> str:
    key = facts.surname[0].split(":", 1)[1].removesuffix("+f")
    return key.replace("ё", "е").replace("ь", "")  # Kovalev, Kovalevsky; Koval, Kovalenko


def _glued(keys: tuple[str, ...]) -> str:
    """The given name's syllables in their standard romanisation, glued together."""
    out = []
    for key in keys:
        culture, text = key.split(":", 1)
        if culture == "zh":
            out.append(HANZI[text][1])
        elif culture == "ko":
            out.append(HANGUL[text][0])
        else:
            out.append(strip_marks(text).lower())
    return unicodedata.normalize("NFC", "".join(out))


def test_every_japanese_reading_is_written_in_known_kana():
    _check_readings()


def test_categories_are_listed_once():
    assert set(POSITIVE).isdisjoint(NEGATIVE)
    assert abs(sum(POSITIVE.values()) - 1) < 1e-9 and abs(sum(NEGATIVE.values()) - 1) < 1e-9
