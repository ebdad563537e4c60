"""Candidate retrieval: which few entries are worth comparing with a person.

Comparing a person with every entry of a list of 100,000 takes half a minute; screening a
check-in must take milliseconds. Three steps keep the comparisons few:

1. **Keys.** Every name is filed under its :func:`names.index_keys` (words, joined
   neighbours, sound and consonant codes), every document number under its OCR-folded
   form. A query looks up its own keys, and the words of the vocabulary one or two typing
   errors away (SymSpell deletions, checked with Levenshtein), so "Mohamad" meets
   "Muhamad". Entries sharing rare keys rank first (inverse document frequency); keys
   held by a twentieth of the index or more ("Muhammad") are not scanned, they only add
   weight to what rarer keys found, or narrow each other down when nothing else is there.
2. **Other facts, vectorised.** Birth date, nationality and sex of every entry sit in
   small arrays: an entry whose facts keep it below the threshold even with a perfect
   name is dropped without looking at it.
3. **Name estimate, vectorised.** The words of the remaining entries' aliases are scored
   against the query's words in one matrix (rapidfuzz in C, plus the scorer's sound,
   spelling and consonant rules on precomputed codes), aligned the way the scorer aligns
   them. Only entries whose estimate can reach the threshold get the full comparison.

Postings are sorted arrays keyed by 64-bit hashes of the keys (compressed sparse rows), a
few bytes per posting. Hashes are Python's own string hashes: an index lives in one
process and the processes it forks.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from pora.screening.engine import names as name_rules
from pora.screening.engine.records import Record
from pora.screening.engine.score import (
    DEFAULT_THRESHOLD,
    EXTRA_WORD,
    EXTRA_WORD_MONONYM,
    JOINED_PREFIXES,
    WEIGHTS,
    Match,
    Prepared,
    compare,
    nationality_feature,
    ocr_fold,
    prepare,
    sex_feature,
    simplified,
)

# Key prefixes besides those of names.index_keys: document numbers, birth years and
# nationalities. The last two only rank entries a name key found; alone they find nothing.
DOCUMENT = "!"
YEAR = "@"
NATIONALITY = "^"
# A word misspelt by one letter counts for less than the word itself.
TYPO_FACTOR = 0.7
# Birth year and nationality break ties between namesakes.
FACT_FACTOR = 0.5
# Words shorter than this have too many neighbours one letter away to be worth looking up.
TYPO_MIN_LENGTH = 4
# From this length two edits still make the same name ("Aleksandr" / "Alexander").
TYPO_TWO_EDITS = 8
# A score is the rounded sum of the name's points (themselves rounded to a tenth) and the
# other facts' points: a sum this far below the threshold can still round up to it.
SLACK = 0.6
# The name estimate follows the scorer's rules but not all of them (a particle written
# joined to the name, "Alotaibi"): it may fall short by this much.
ESTIMATE_MARGIN = 4.0
# Entries, ranked by shared keys, whose names are estimated (the rest are too far down).
ESTIMATED = 3000

_SEXES = ("", "M", "F")
_BIRTH_BEST = max(points for code, points in WEIGHTS.items() if code.startswith("birth_"))
_BIRTH_DIFFERENT = WEIGHTS["birth_different"]


def _hash(key: str) -> int:
    return hash(key)


def _deletes(token: str) -> set[str]:
    return {token[:i] + token[i + 1:] for i in range(len(token))}


def _years(record: Record) -> set[int]:
    years = set()
    for date in record.birth_dates:
        years.add(date.year)
        if date.approximate:
            years.update((date.year - 1, date.year + 1))
    return years


def _ragged(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``starts[i] .. starts[i] + lengths[i]`` of every segment, concatenated."""
    total = int(lengths.sum())
    if not total:
        return np.empty(0, np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(total, dtype=np.int64)


def _unprefixed(word: str) -> tuple[str, ...]:
    return tuple(word[len(prefix):] for prefix in JOINED_PREFIXES
                 if word.startswith(prefix) and len(word) - len(prefix) >= 3)


def _counted(similarity: np.ndarray) -> np.ndarray:
    """How much a pair of words adds to the name score (score._counted, vectorised)."""
    return np.where(similarity >= 85, similarity, np.maximum(0.0, 2 * similarity - 85))


class _Postings:
    """64-bit key hash → sorted numbers, as compressed sparse rows.

    Additions collect in flat arrays and are merged on the next lookup; after the first
    merge, a few additions go to a small dictionary instead of re-sorting everything.
    """

    def __init__(self) -> None:
        self.keys = np.empty(0, np.int64)
        self.starts = np.zeros(1, np.int64)
        self.values = np.empty(0, np.uint32)
        self._new_keys = array("q")
        self._new_values = array("I")
        self._delta: dict[int, list[int]] = {}
        self._delta_size = 0

    def add(self, key: int, value: int) -> None:
        self._new_keys.append(key)
        self._new_values.append(value)

    def settle(self) -> None:
        pending = len(self._new_values)
        if not pending:
            return
        if len(self.values) and pending + self._delta_size < max(20_000, len(self.values) // 20):
            for key, value in zip(self._new_keys, self._new_values, strict=True):
                self._delta.setdefault(key, []).append(value)
            self._delta_size += pending
            self._new_keys = array("q")
            self._new_values = array("I")
            return
        self._merge()

    def _merge(self) -> None:
        delta_keys = [k for k, vs in self._delta.items() for _ in vs]
        delta_values = [v for vs in self._delta.values() for v in vs]
        keys = np.concatenate([np.repeat(self.keys, np.diff(self.starts)),
                               np.array(self._new_keys, np.int64),
                               np.asarray(delta_keys, np.int64)])
        values = np.concatenate([self.values, np.array(self._new_values, np.uint32),
                                 np.asarray(delta_values, np.uint32)])
        self._new_keys = array("q")
        self._new_values = array("I")
        self._delta = {}
        self._delta_size = 0
        order = np.lexsort((values, keys))
        keys = keys[order]
        values = values[order]
        del order
        if len(keys):
            # The same key twice for one entry (aliases sharing a word) counts once.
            keep = np.empty(len(keys), bool)
            keep[0] = True
            keep[1:] = (keys[1:] != keys[:-1]) | (values[1:] != values[:-1])
            keys = keys[keep]
            values = values[keep]
            boundaries = np.flatnonzero(keys[1:] != keys[:-1]) + 1
            self.keys = keys[np.concatenate([[0], boundaries])]
            self.starts = np.concatenate([[0], boundaries, [len(keys)]]).astype(np.int64)
        else:
            self.keys = keys
            self.starts = np.zeros(1, np.int64)
        self.values = values

    def get_many(self, keys: list[int]) -> list[np.ndarray]:
        """The sorted postings of each key (empty when unknown)."""
        if not keys:
            return []
        empty = self.values[:0]
        if len(self.keys):
            wanted = np.asarray(keys, np.int64)
            at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
            found = (self.keys[at] == wanted).tolist()
            at = at.tolist()
        else:
            found = [False] * len(keys)
            at = [0] * len(keys)
        out = []
        for key, position, hit in zip(keys, at, found, strict=True):
            postings = (self.values[self.starts[position]:self.starts[position + 1]]
                        if hit else empty)
            extra = self._delta.get(key)
            if extra:
                postings = np.unique(np.concatenate([postings, np.asarray(extra, np.uint32)]))
            out.append(postings)
        return out

    def nbytes(self) -> int:
        return self.keys.nbytes + self.starts.nbytes + self.values.nbytes


class _Vocabulary:
    """Every name word of the index, with the codes the scorer compares words by."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self.simple_words: list[str] = []
        self._code_ids: dict[str, int] = {}
        self.columns = {name: array("i") for name in
                        ("length", "simple", "sound", "consonants", "vowel", "initial")}
        self.frozen: dict[str, np.ndarray] = {}
        self.deletes = _Postings()
        # Words starting with a particle ("alotaibi", "vandenberg"): what follows it.
        self.unprefixed: dict[int, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self.words)

    def _code(self, code: str) -> int:
        return self._code_ids.setdefault(code, len(self._code_ids) + 1)

    def codes(self, word: str) -> dict[str, int]:
        """The word's codes; unseen codes get -1 so that they equal nothing."""
        lookup = self._code_ids.get
        skeleton = name_rules.skeleton(word)
        return {
            "length": len(word),
            "simple": lookup("s" + simplified(word), -1),
            # The scorer gives sounding alike only to words of four letters or more.
            "sound": lookup("p" + name_rules.phonetic(word), -1) if len(word) >= 4 else -2,
            "consonants": lookup("k" + skeleton, -1) if len(skeleton) >= 2 else -3,
            "vowel": int(name_rules.has_vowel(word)),
            "initial": ord(word[0]),
        }

    def add(self, word: str) -> int:
        number = self.ids.get(word)
        if number is not None:
            return number
        number = len(self.words)
        self.ids[word] = number
        self.words.append(word)
        simple = simplified(word)
        self.simple_words.append(simple)
        skeleton = name_rules.skeleton(word)
        columns = self.columns
        columns["length"].append(len(word))
        columns["simple"].append(self._code("s" + simple))
        columns["sound"].append(self._code("p" + name_rules.phonetic(word))
                                if len(word) >= 4 else -4)
        columns["consonants"].append(self._code("k" + skeleton) if len(skeleton) >= 2 else -5)
        columns["vowel"].append(int(name_rules.has_vowel(word)))
        columns["initial"].append(ord(word[0]))
        if len(word) >= TYPO_MIN_LENGTH:
            for variant in _deletes(word):
                self.deletes.add(_hash(variant), number)
        rests = _unprefixed(word)
        if rests:
            self.unprefixed[number] = rests
        self.frozen = {}
        return number

    def arrays(self) -> dict[str, np.ndarray]:
        if not self.frozen:
            self.frozen = {name: np.array(column, np.int32)
                           for name, column in self.columns.items()}
        return self.frozen

    def similar(self, word: str) -> set[str]:
        """Vocabulary words one or (for long words) two edits away, not the word itself."""
        variants = _deletes(word)
        found: set[int] = set()
        # The word with one letter too many: a vocabulary word is one of its deletions.
        for variant in variants:
            number = self.ids.get(variant)
            if number is not None and len(variant) >= TYPO_MIN_LENGTH:
                found.add(number)
        # One letter missing, changed or two swapped: the deletions meet.
        for postings in self.deletes.get_many([_hash(v) for v in variants | {word}]):
            found.update(postings.tolist())
        limit = 2 if len(word) >= TYPO_TWO_EDITS else 1
        out = set()
        for number in found:
            other = self.words[number]
            if other != word and Levenshtein.distance(word, other, score_cutoff=limit) <= limit:
                out.add(other)
        return out

    def similarity(self, words: tuple[str, ...], numbers: np.ndarray) -> np.ndarray:
        """``len(words) × len(numbers)``: at least the scorer's word similarity, but for
        its rule on particles written joined to a name."""
        arrays = self.arrays()
        choices = [self.words[n] for n in numbers.tolist()]
        scores = process.cdist(words, choices, scorer=fuzz.ratio, dtype=np.float32)
        simple = process.cdist([simplified(w) for w in words],
                               [self.simple_words[n] for n in numbers.tolist()],
                               scorer=fuzz.ratio, dtype=np.float32)
        np.maximum(scores, simple - 3, out=scores)
        length = arrays["length"][numbers]
        vowel = arrays["vowel"][numbers] == 1
        for row, word in enumerate(words):
            codes = self.codes(word)
            line = scores[row]
            line[arrays["simple"][numbers] == codes["simple"]] = np.maximum(
                line[arrays["simple"][numbers] == codes["simple"]], 92)
            sound = (arrays["sound"][numbers] == codes["sound"]) & (length >= 4)
            line[sound] = np.maximum(line[sound], 92)
            consonants = arrays["consonants"][numbers] == codes["consonants"]
            if codes["vowel"]:
                consonants &= ~vowel
            line[consonants] = np.maximum(line[consonants], 90)
            initial = ((length == 1) | (len(word) == 1)) & (
                arrays["initial"][numbers] == codes["initial"])
            line[initial] = np.maximum(line[initial], 70)
            number = self.ids.get(word)
            if number is not None:
                line[numbers == number] = 100
        self._particles(words, numbers, scores)
        return scores

    def _particles(self, words: tuple[str, ...], numbers: np.ndarray,
                   scores: np.ndarray) -> None:
        """The scorer's 90 for a word that is the other with a particle written joined."""
        for row, word in enumerate(words):
            for rest in _unprefixed(word):
                alike = process.cdist([rest], [self.words[n] for n in numbers.tolist()],
                                      scorer=fuzz.ratio, dtype=np.float32)[0] >= 90
                scores[row][alike] = np.maximum(scores[row][alike], 90)
        if not self.unprefixed:
            return
        for column, number in enumerate(numbers.tolist()):
            rests = self.unprefixed.get(number)
            if rests:
                alike = process.cdist(words, rests, scorer=fuzz.ratio).max(axis=1) >= 90
                scores[alike, column] = np.maximum(scores[alike, column], 90)


class _Facts:
    """Birth date, nationality and sex of every entry as small arrays, so that the entries
    a name key found can be sorted out by the other facts in one vectorised step.

    Nationalities and sex are compared by the scorer itself, once per distinct value; the
    birth dates only by the one question the scorer answers with "clearly different".
    """

    def __init__(self) -> None:
        self.columns = {name: array("i") for name in
                        ("year", "month", "day", "approximate", "sex", "nation")}
        self.alive = bytearray()
        self.nation_ids: dict[tuple[str, ...], int] = {(): 0}
        self.frozen: dict[str, np.ndarray] = {}
        self._tables: dict[tuple, np.ndarray] = {}

    def add(self, record: Record) -> None:
        columns = self.columns
        dates = record.birth_dates
        single = dates[0] if len(dates) == 1 else None
        # 0: no birth date; -1: several, which this vectorised test leaves to the scorer.
        columns["year"].append(single.year if single else (-1 if dates else 0))
        columns["month"].append(single.month or 0 if single else 0)
        columns["day"].append(single.day or 0 if single else 0)
        columns["approximate"].append(1 if single and single.approximate else 0)
        columns["sex"].append(_SEXES.index(record.sex) if record.sex in _SEXES else 0)
        key = tuple(sorted(set(record.nationalities)))
        columns["nation"].append(self.nation_ids.setdefault(key, len(self.nation_ids)))
        self.alive.append(1)
        self.frozen = {}

    def kill(self, number: int) -> None:
        self.alive[number] = 0
        if self.frozen:
            self.frozen["alive"][number] = 0

    def arrays(self) -> dict[str, np.ndarray]:
        if not self.frozen:
            self.frozen = {name: np.array(column, np.int32)
                           for name, column in self.columns.items()}
            self.frozen["alive"] = np.frombuffer(bytes(self.alive), np.uint8).copy()
        return self.frozen

    def _table(self, kind: str, query: Record) -> np.ndarray:
        """The scorer's points for the query against each distinct entry value."""
        if kind == "nation":
            key = ("nation", tuple(sorted(set(query.nationalities))), len(self.nation_ids))
        else:
            key = ("sex", query.sex)
        table = self._tables.get(key)
        if table is None:
            if kind == "nation":
                values = sorted(self.nation_ids, key=self.nation_ids.get)
                table = np.array([nationality_feature(query, Record("", (), nationalities=v))
                                  .points for v in values], np.float32)
            else:
                points = [sex_feature(query, Record("", (), sex=v)) for v in _SEXES]
                table = np.array([p.points if p else 0.0 for p in points], np.float32)
            if len(self._tables) > 4096:
                self._tables.clear()
            self._tables[key] = table
        return table

    def best_points(self, numbers: np.ndarray, query: Record) -> np.ndarray:
        """For each entry, the most its birth date, nationality and sex can add: exact for
        nationality and sex; for the birth date the best there is, unless the dates are
        clearly different."""
        arrays = self.arrays()
        points = self._table("nation", query)[arrays["nation"][numbers]]
        points = points + self._table("sex", query)[arrays["sex"][numbers]]
        birth = np.full(len(numbers), _BIRTH_BEST, np.float32)
        if query.birth_dates:
            year = arrays["year"][numbers]
            month = arrays["month"][numbers]
            day = arrays["day"][numbers]
            approximate = arrays["approximate"][numbers] == 1
            different = year > 0
            for date in query.birth_dates:
                gap = np.abs(year - date.year)
                if date.approximate:
                    apart = gap > 3
                elif date.is_full:
                    # Both full: another year is clearly different unless day and month
                    # agree (then the year may be mistyped).
                    full = (month > 0) & (day > 0)
                    apart = np.where(approximate, gap > 3, np.where(
                        full, (gap > 0) & ((month != date.month) | (day != date.day)),
                        gap > 1))
                else:
                    apart = np.where(approximate, gap > 3, gap > 1)
                different &= apart
            birth[different] = _BIRTH_DIFFERENT
        return points + birth


class _Query:
    """A query's keys with their weight factor, its facts' keys and document keys."""

    __slots__ = ("documents", "facts", "names", "words")

    def __init__(self) -> None:
        self.names: dict[int, float] = {}
        self.facts: dict[int, float] = {}
        self.documents: list[int] = []
        self.words: list[tuple[str, ...]] = []

    def name(self, key: str, factor: float = 1.0) -> None:
        hashed = _hash(key)
        if self.names.get(hashed, 0.0) < factor:
            self.names[hashed] = factor


class Index:
    """Every entry of the lists being screened against, filed for fast retrieval."""

    # Keys carried by more entries than this (or a twentieth of the index, if more) are
    # not scanned whole.
    COMMON = 2000

    def __init__(self) -> None:
        self._records: list[Record | None] = []
        self._numbers: dict[str, int] = {}
        self._postings = _Postings()
        self._vocabulary = _Vocabulary()
        self._facts = _Facts()
        # Each entry's aliases, each alias's words (vocabulary numbers), as flat arrays.
        self._alias_starts = array("q", [0])  # per entry
        self._word_starts = array("q", [0])  # per alias
        self._words = array("i")
        self._frozen: dict[str, np.ndarray] = {}
        self._live = 0
        # Scratch arrays for summing weights, one pair per thread (a web process serves
        # several requests at once).
        self._local = threading.local()

    # -------------------------------------------------------------------- contents

    def __len__(self) -> int:
        return self._live

    def __contains__(self, entry_id: str) -> bool:
        return entry_id in self._numbers

    def __iter__(self) -> Iterator[Record]:
        return (record for record in self._records if record is not None)

    def get(self, entry_id: str) -> Record | None:
        number = self._numbers.get(entry_id)
        return None if number is None else self._records[number]

    def record(self, number: int) -> Record | None:
        return self._records[number]

    def numbers(self) -> Iterator[int]:
        return (n for n, record in enumerate(self._records) if record is not None)

    def add(self, record: Record) -> None:
        """File an entry; an entry with the same id is replaced."""
        if record.id in self._numbers:
            self.remove(record.id)
        number = len(self._records)
        self._records.append(record)
        self._numbers[record.id] = number
        self._facts.add(record)
        self._live += 1
        keys: set[str] = set()
        seen: set[tuple[str, ...]] = set()
        for raw in record.names:
            keys |= name_rules.index_keys(raw)
            words = name_rules.tokens(raw)
            if words and words not in seen:
                seen.add(words)
                self._words.extend(self._vocabulary.add(word) for word in words)
                self._word_starts.append(len(self._words))
        self._alias_starts.append(len(self._word_starts) - 1)
        keys.update(DOCUMENT + ocr_fold(doc) for doc in record.documents)
        keys.update(f"{YEAR}{year}" for year in _years(record))
        keys.update(NATIONALITY + code for code in record.nationalities)
        add = self._postings.add
        for key in keys:
            add(_hash(key), number)
        self._frozen = {}

    def remove(self, entry_id: str) -> Record | None:
        """Stop returning an entry. Its postings stay until the index is rebuilt."""
        number = self._numbers.pop(entry_id, None)
        if number is None:
            return None
        record = self._records[number]
        self._records[number] = None
        self._facts.kill(number)
        self._live -= 1
        return record

    def settle(self) -> None:
        """Merge recent additions; lookups do it themselves, a builder may do it first."""
        self._postings.settle()
        self._vocabulary.deletes.settle()
        self._vocabulary.arrays()
        self._facts.arrays()
        if not self._frozen:
            self._frozen = {"alias_starts": np.array(self._alias_starts, np.int64),
                            "word_starts": np.array(self._word_starts, np.int64),
                            "words": np.array(self._words, np.int32)}

    def nbytes(self) -> int:
        """Bytes held by the arrays (not counting the records and the vocabulary's words)."""
        self.settle()
        arrays = [*self._frozen.values(), *self._facts.frozen.values(),
                  *self._vocabulary.frozen.values()]
        return (self._postings.nbytes() + self._vocabulary.deletes.nbytes()
                + sum(a.nbytes for a in arrays))

    # ------------------------------------------------------------------- retrieval

    def _query(self, query: Record) -> _Query:
        built = _Query()
        words: set[str] = set()
        for raw in query.names:
            for key in name_rules.index_keys(raw):
                built.name(key)
            tokens = name_rules.tokens(raw)
            if tokens and tokens not in built.words:
                built.words.append(tokens)
            words.update(tokens)
        for word in words:
            if len(word) >= TYPO_MIN_LENGTH:
                for other in self._vocabulary.similar(word):
                    built.name(other, TYPO_FACTOR)
        for year in _years(query):
            built.facts[_hash(f"{YEAR}{year}")] = FACT_FACTOR
        for code in query.nationalities:
            built.facts[_hash(NATIONALITY + code)] = FACT_FACTOR
        built.documents = [_hash(DOCUMENT + ocr_fold(doc)) for doc in query.documents]
        return built

    def candidates(self, query: Record, limit: int = 50) -> list[Record]:
        """The ``limit`` entries most alike by name, then every one with the same
        (OCR-folded) document number."""
        return [self._records[n] for n in self.candidate_numbers(query, limit)]

    def candidate_numbers(self, query: Record, limit: int = 50, *,
                          floor: float | None = None) -> list[int]:
        """Entry numbers, best first: the ``limit`` most alike by name estimate, then every
        entry with the same (OCR-folded) document number.

        With ``floor`` (a score), only entries whose name estimate plus the most their
        other facts can add reaches it; documents count as the scorer counts them.
        """
        self.settle()
        built = self._query(query)
        documents = np.empty(0, np.int64)
        if built.documents:
            documents = np.unique(np.concatenate(
                self._postings.get_many(built.documents))).astype(np.int64)
        ranked = self._ranked(built, query, limit, floor)
        if len(documents):
            alive = self._facts.frozen["alive"]
            seen = set(ranked)
            ranked += [n for n in documents.tolist() if n not in seen and alive[n]]
        return ranked

    def _ranked(self, built: _Query, query: Record, limit: int,
                floor: float | None) -> list[int]:
        if not built.names or not built.words:
            return []
        total = max(len(self._records), 1)
        cap = max(self.COMMON, total // 20)
        keys = list(built.names)
        scanned, common = [], []
        for key, found in zip(keys, self._postings.get_many(keys), strict=True):
            if len(found):
                weight = built.names[key] * math.log(1 + total / len(found))
                (scanned if len(found) <= cap else common).append((found, weight))
        if not scanned and not common:
            return []
        facts = [(found, built.facts[key] * math.log(1 + total / len(found)))
                 for key, found in zip(built.facts, self._postings.get_many(list(built.facts)),
                                       strict=True) if len(found)]
        if scanned:
            numbers, weights = self._accumulate(scanned)
        else:
            numbers = _narrow(common, facts, limit, cap)
            weights = np.zeros(len(numbers))
        keep = self._facts.frozen["alive"][numbers] == 1
        other = self._facts.best_points(numbers, query)
        if floor is not None:
            keep &= 100 + other >= floor
        numbers, weights, other = numbers[keep], weights[keep], other[keep]
        if len(numbers) > ESTIMATED:
            top = np.argpartition(-weights, ESTIMATED - 1)[:ESTIMATED]
            numbers, weights, other = numbers[top], weights[top], other[top]
        if not len(numbers):
            return []
        for found, weight in common + facts:
            weights = weights + weight * _member(numbers, found)
        estimate = self._name_estimate(built.words, numbers) + other
        if floor is not None:
            keep = estimate + ESTIMATE_MARGIN >= floor
            numbers, weights, estimate = numbers[keep], weights[keep], estimate[keep]
        # Best estimate first; shared keys break ties, then the earlier entry.
        order = np.lexsort((numbers, -weights, -estimate))[:limit]
        return numbers[order].tolist()

    def _name_estimate(self, queries: list[tuple[str, ...]], numbers: np.ndarray
                       ) -> np.ndarray:
        """For each entry, the best over its aliases and the query's names (and their
        joined neighbours) of the scorer's word alignment, on estimated word similarity."""
        frozen = self._frozen
        alias_first = frozen["alias_starts"][numbers]
        alias_count = frozen["alias_starts"][numbers + 1] - alias_first
        aliases = _ragged(alias_first, alias_count)
        word_first = frozen["word_starts"][aliases]
        word_count = frozen["word_starts"][aliases + 1] - word_first
        words = frozen["words"][_ragged(word_first, word_count)]
        best = np.zeros(len(numbers), np.float32)
        if not len(words):
            return best
        distinct, inverse = np.unique(words, return_inverse=True)
        word_segments = np.cumsum(word_count) - word_count
        has_alias = alias_count > 0
        alias_segments = (np.cumsum(alias_count) - alias_count)[has_alias]
        variants = [v for q in queries for v in [q, *_joins(q)]]
        vocabulary = sorted({w for v in variants for w in v})
        position = {w: i for i, w in enumerate(vocabulary)}
        matrix = _counted(self._vocabulary.similarity(tuple(vocabulary), distinct))[:, inverse]
        for variant in variants:
            rows = matrix[[position[w] for w in variant]]
            row_sums = np.maximum.reduceat(rows, word_segments, axis=1).sum(axis=0)
            column_sums = np.add.reduceat(rows.max(axis=0), word_segments)
            shorter = np.minimum(len(variant), word_count)
            extra = np.abs(len(variant) - word_count)
            penalty = np.where(shorter >= 2, EXTRA_WORD, EXTRA_WORD_MONONYM)
            alias_score = np.minimum(row_sums, column_sums) / shorter - extra * penalty
            entry_score = np.maximum.reduceat(alias_score, alias_segments)
            np.maximum(best[has_alias], entry_score, out=entry_score)
            best[has_alias] = entry_score
        return np.clip(best, 0, 100)

    def _accumulate(self, parts: list[tuple[np.ndarray, float]]
                    ) -> tuple[np.ndarray, np.ndarray]:
        """Distinct entry numbers of the posting lists and their summed weights.

        Sums go into a per-thread array as long as the index (a posting list holds each
        entry once, so ``sums[postings] += weight`` is exact), then that array is cleared
        where it was touched: linear in the postings read, no sorting.
        """
        if len(parts) == 1:
            found, weight = parts[0]
            return found.astype(np.int64), np.full(len(found), weight)
        sums, marks = self._buffers()
        for found, weight in parts:
            sums[found] += weight
        numbers = np.concatenate([found for found, _ in parts])
        positions = np.arange(len(numbers), dtype=np.int64)
        marks[numbers] = positions
        first = marks[numbers] == positions
        numbers = numbers[first].astype(np.int64)
        weights = sums[numbers].astype(np.float64)
        sums[numbers] = 0.0
        return numbers, weights

    def _buffers(self) -> tuple[np.ndarray, np.ndarray]:
        size = len(self._records)
        buffers = getattr(self._local, "buffers", None)
        if buffers is None or len(buffers[0]) < size:
            capacity = max(size + size // 4, 1024)
            buffers = (np.zeros(capacity, np.float32), np.zeros(capacity, np.int64))
            self._local.buffers = buffers
        return buffers


def _joins(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Each way of writing two neighbouring words as one, as the scorer tries them."""
    if not 2 <= len(words) <= 6:
        return []
    return [words[:i] + (words[i] + words[i + 1],) + words[i + 2:]
            for i in range(len(words) - 1)]


def _member(numbers: np.ndarray, postings: np.ndarray) -> np.ndarray:
    """For each number: is it in the sorted ``postings``?"""
    if not len(postings) or not len(numbers):
        return np.zeros(len(numbers), bool)
    at = np.searchsorted(postings, numbers.astype(postings.dtype))
    at[at == len(postings)] = len(postings) - 1
    return postings[at] == numbers


def _narrow(common: list[tuple[np.ndarray, float]], facts: list[tuple[np.ndarray, float]],
            limit: int, cap: int) -> np.ndarray:
    """Only common keys ("Muhammad" alone): start from the rarest and intersect with the
    next ones (names first, then birth year and nationality) while enough entries remain."""
    ordered = sorted(common, key=lambda part: len(part[0]))
    found = ordered[0][0]
    for other, _weight in ordered[1:] + sorted(facts, key=lambda part: len(part[0])):
        if len(found) <= cap:
            break
        narrower = np.intersect1d(found, other, assume_unique=True)
        if len(narrower) >= limit:
            found = narrower
    return found[:cap].astype(np.int64)


class Screener:
    """Screens records against an :class:`Index`: retrieval, then the full comparison.

    Entries carry ``valid_from``/``valid_until`` (dates) in ``record.extra``; with ``on``
    given, an entry outside its validity that day is not compared at all.
    """

    # Entries compared at most per query, besides those with the same document number:
    # for the best few matches, and for all of them (a one-word name such as "Jane" may
    # resemble hundreds of entries "Jane ..." enough).
    CANDIDATES = 50
    CANDIDATES_ALL = 1000

    def __init__(self, index: Index, threshold: int = DEFAULT_THRESHOLD, *,
                 cache_size: int = 200_000):
        self.index = index
        self.threshold = threshold
        self._cache: OrderedDict[int, Prepared] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def _prepared(self, number: int) -> Prepared:
        record = self.index.record(number)
        with self._lock:
            cached = self._cache.get(number)
            if cached is not None and cached.record is record:
                self._cache.move_to_end(number)
                return cached
        prepared = prepare(record)
        with self._lock:
            self._cache[number] = prepared
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return prepared

    @staticmethod
    def valid_on(record: Record, on: dt.date | None) -> bool:
        if on is None:
            return True
        start = record.extra.get("valid_from")
        end = record.extra.get("valid_until")
        return (start is None or start <= on) and (end is None or on <= end)

    def _matches(self, query: Prepared, numbers: Iterable[int], threshold: int,
                 on: dt.date | None) -> list[Match]:
        found = []
        for number in numbers:
            record = self.index.record(number)
            if record is None or not self.valid_on(record, on):
                continue
            match = compare(query, self._prepared(number))
            if match.score >= threshold:
                found.append(match)
        found.sort(key=lambda m: (-m.score, m.entry_id))
        return found

    def screen(self, query: Record, *, threshold: int | None = None,
               limit: int | None = 20, on: dt.date | None = None) -> list[Match]:
        """The entries alike ``query`` at or above the threshold, best first (at most
        ``limit`` of them; every one found with ``limit=None``)."""
        threshold = self.threshold if threshold is None else threshold
        wanted = self.CANDIDATES_ALL if limit is None else max(self.CANDIDATES, limit)
        numbers = self.index.candidate_numbers(query, wanted, floor=threshold - SLACK)
        found = self._matches(prepare(query), numbers, threshold, on)
        return found if limit is None else found[:limit]

    def screen_many(self, queries: Iterable[Record], *, threshold: int | None = None,
                    limit: int | None = None, on: dt.date | None = None
                    ) -> Iterator[tuple[Record, list[Match]]]:
        """Each query with all its matches (or the best ``limit``), for bulk runs."""
        self.index.settle()
        for query in queries:
            yield query, self.screen(query, threshold=threshold, limit=limit, on=on)

    def exhaustive(self, query: Record, *, threshold: int | None = None,
                   on: dt.date | None = None) -> list[Match]:
        """Every entry compared, no retrieval: slow, the yardstick for retrieval's recall."""
        threshold = self.threshold if threshold is None else threshold
        return self._matches(prepare(query), self.index.numbers(), threshold, on)

