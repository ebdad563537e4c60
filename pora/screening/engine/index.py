"""Candidate retrieval: which few entries are worth comparing with a person.

Comparing a person with every entry of a list of 100,000 takes half a minute; screening a
check-in must take milliseconds. Three steps keep the comparisons few:

1. **Keys.** Every name is filed under its :func:`names.index_keys` (words, joined
   neighbours, sound and consonant codes), every document number under its OCR-folded
   form. A query looks up its own keys, and the words of the vocabulary one or two typing
   errors away (SymSpell deletions, checked with Levenshtein), so "Mohamad" meets
   "Muhamad". Entries sharing rare keys rank first (inverse document frequency). Keys
   held by a fifth of the index or more are not scanned: they only add weight to what
   rarer keys found, or narrow each other down when little else is there. Below that
   they are: "Mohammed" alone sounds like the listed "Muhammad" and shares no other key.
2. **Other facts, vectorised.** Birth dates, nationality and sex of every entry sit in
   small arrays and get the scorer's points in one step: an entry they keep below the
   threshold even with a perfect name is dropped without looking at its name.
3. **Name estimate, vectorised.** The words of the remaining entries' aliases (and of
   their readings with two neighbouring words joined) are scored against the query's in
   one matrix: rapidfuzz in C, plus the scorer's spelling, sound, consonant, particle and
   initial rules on precomputed codes; the words are then aligned the way the scorer
   aligns them. Only entries whose estimate reaches the threshold get the full
   comparison, and entries with the same document number always do.

Steps 2 and 3 take a batch of queries at once (:meth:`Index.candidate_numbers_many`):
each numpy call then works on the candidates of every query in the batch, which is what
makes a bulk run fast, since a query's own candidates are often only a few dozen.

Postings are sorted arrays keyed by 40-bit hashes of the keys (compressed sparse rows), a
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
from itertools import islice

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from pora.names import transliteration as name_rules
from pora.names.chinese import hk_pinyin_words, hk_spells_pinyin, hong_kong_name
from pora.names.readings import name_readings
from pora.screening.engine.records import PartialDate, Record
from pora.screening.engine.score import (
    BIRTH_CODES,
    DEFAULT_THRESHOLD,
    HONG_KONG_PINYIN,
    JOINED_LONG,
    OTHER_SYLLABLE,
    READING_KINDS,
    READING_PAIR_COST,
    TYPING_GAIN,
    WEIGHTS,
    Match,
    Prepared,
    chinese_name,
    compare,
    consonant_key,
    day_key,
    joined_readings,
    joined_word_may_fit,
    may_be_typed,
    name_support,
    nationality_feature,
    ocr_fold,
    other_syllables,
    particle_rests,
    prepare,
    sex_feature,
    simplified,
    syllable_codes,
    typing_similarities,
    year_key,
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
# The name estimate applies the scorer's word rules to precomputed codes, each at least
# as generous as the scorer; aligning words greedily on those, it may still pair them
# differently and fall a little short of the scorer: entries within this margin are
# compared.
ESTIMATE_MARGIN = 4.0
# Two neighbouring words written as one are filed under their sound when this short
# (syllables of Korean, Chinese or Vietnamese names; longer Latin pairs rarely sound
# like one word).
JOINED_SOUND = 10
# Query words whose misspellings in the vocabulary are remembered.
TYPO_CACHE = 100_000
# Entries, ranked by shared keys, whose names are estimated (the rest are too far down).
ESTIMATED = 3000
# Entries whose names are estimated in one go at most, over a batch of queries (a batch
# of ordinary names has a few thousand; one of common names would take a gigabyte).
ESTIMATED_TOGETHER = 10_000

# A posting is one 64-bit word: a 40-bit key hash (a million entries have some ten
# million keys: a handful of collisions, each costing a spare candidate) and a 24-bit
# entry or word number.
NUMBER_BITS = 24
NUMBER_MASK = (1 << NUMBER_BITS) - 1
KEY_MASK = (1 << (64 - NUMBER_BITS)) - 1

_SEXES = ("", "M", "F")
_BIRTH_BEST = max(points for code, points in WEIGHTS.items() if code.startswith("birth_"))


def _hash(key: str) -> int:
    return hash(key) & KEY_MASK


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


def _spellings(record: Record) -> Iterator[tuple[tuple[str, ...], int]]:
    """The words of each of the record's names, then of their other readings
    (names.readings: Japanese, Wade-Giles, Cantonese, nicknames), as the scorer reads them
    (score.prepare), each with its kind's number in score.READING_KINDS (0 as written);
    names without a word are left out."""
    for raw in record.names:
        words = name_rules.tokens(raw)
        if words:
            yield words, 0
    for raw in record.names:
        for words, kind in name_readings(raw, record.nationalities):
            yield words, _KIND_NUMBER[kind]


_KIND_NUMBER = {kind: number for number, kind in enumerate(READING_KINDS)}


def _unprefixed(word: str) -> tuple[str, ...]:
    """The word without each particle it may begin with (score.particle_rests)."""
    return tuple(rest for _prefix, rest in particle_rests(word))


def _joined_sound(word: str) -> str:
    """The sound key of two words written as one ("seo ung" sounds like "song"); computed
    without the name functions' cache, which the many one-off joined words would crowd."""
    return "~" + name_rules.phonetic.__wrapped__(word)


def _code(text: str) -> int:
    return hash(text) & 0x7FFFFFFF


def _simple_code(simple: str) -> int:
    """The vocabulary's code of a simplified spelling (score.simplified)."""
    return _code("s" + simple)


class _Store:
    """Columns of numbers that grow as Python arrays while entries are added and are read
    as numpy arrays: freezing moves the numbers into numpy, adding again moves them back,
    so that a large index never holds both copies."""

    def __init__(self, **typecodes: str):
        self.growing = {name: array(code) for name, code in typecodes.items()}
        self.frozen: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> array:
        if self.frozen:
            for column_name, column in self.growing.items():
                column.frombytes(self.frozen[column_name].tobytes())
            self.frozen = {}
        return self.growing[name]

    def freeze(self) -> dict[str, np.ndarray]:
        if not self.frozen:
            self.frozen = {name: np.array(column) for name, column in self.growing.items()}
            for column in self.growing.values():
                del column[:]
        return self.frozen

    def nbytes(self) -> int:
        return sum(column.nbytes for column in self.freeze().values())


class _Postings:
    """Key hash → sorted numbers, as compressed sparse rows.

    Additions collect as one 64-bit word each (the 40-bit key hash above a 24-bit number,
    so that one in-place sort orders them) and are merged on the next lookup; after the
    first merge, a few additions go to a small dictionary instead of re-sorting all.
    """

    def __init__(self) -> None:
        self.keys = np.empty(0, np.uint64)
        self.starts = np.zeros(1, np.int64)
        self.values = np.empty(0, np.uint32)
        self._new = array("Q")
        self._delta: dict[int, list[int]] = {}
        self._delta_size = 0

    def add(self, key: int, value: int) -> None:
        if value > NUMBER_MASK:
            raise OverflowError(f"an index holds at most {NUMBER_MASK:,} entries and words")
        self._new.append((key << NUMBER_BITS) | value)

    def pending(self) -> bool:
        return bool(self._new)

    def settle(self) -> None:
        pending = len(self._new)
        if not pending:
            return
        if len(self.values) and pending + self._delta_size < max(20_000, len(self.values) // 20):
            for word in self._new:
                self._delta.setdefault(word >> NUMBER_BITS, []).append(word & NUMBER_MASK)
            self._delta_size += pending
            self._new = array("Q")
            return
        self._merge()

    def _merge(self) -> None:
        """Everything added, sorted and counted once, in place where it can be: the
        first merge of a large index sorts the additions' own buffer, and no step holds
        two 64-bit copies of every posting (the peak of building a large index)."""
        shift = np.uint64(NUMBER_BITS)
        if len(self.values) or self._delta:
            parts = [np.repeat(self.keys, np.diff(self.starts)) << shift | self.values,
                     np.frombuffer(self._new, np.uint64),
                     np.array([key << NUMBER_BITS | value
                               for key, values in self._delta.items() for value in values],
                              np.uint64)]
            merged = np.concatenate(parts)
            del parts
            self._new = array("Q")
        else:
            merged = np.frombuffer(self._new, np.uint64)
        self._delta = {}
        self._delta_size = 0
        merged.sort()
        from pora.screening.engine import compiled  # numba, when first needed

        self.keys, self.starts, self.values = compiled.postings_of(merged, shift)
        del merged
        self._new = array("Q")

    def get_many(self, keys: list[int]) -> list[np.ndarray]:
        """The sorted postings of each key (empty when unknown)."""
        if not keys:
            return []
        empty = self.values[:0]
        if len(self.keys):
            wanted = np.asarray(keys, np.uint64)
            at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
            found = (self.keys[at] == wanted).tolist()
            at = at.tolist()
        else:
            found = [False] * len(keys)
            at = [0] * len(keys)
        out = []
        starts = self.starts
        for key, position, hit in zip(keys, at, found, strict=True):
            postings = self.values[starts[position]:starts[position + 1]] if hit else empty
            extra = self._delta.get(key)
            if extra:
                postings = np.unique(np.concatenate([postings, np.asarray(extra, np.uint32)]))
            out.append(postings)
        return out

    def nbytes(self) -> int:
        return self.keys.nbytes + self.starts.nbytes + self.values.nbytes


class _Vocabulary:
    """Every name word of the index, with the codes the scorer compares words by.

    Words joined to their neighbour ("jieun" of "ji eun") are many and mostly unique: they
    keep their codes and the numbers of their two halves, not strings of their own.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.count = 0
        # Strings while words are added, object arrays once looked up (None: joined).
        self.words: list[str | None] = []
        self.simple_words: list[str | None] = []
        self.strings: dict[str, np.ndarray] = {}
        # Codes are 31-bit hashes: a rare collision only lets a pair through to the scorer.
        self.columns = _Store(simple="i", sound="i", consonants="i", left="i", right="i",
                              length="b", vowel="b", initial="b", particle="b",
                              pinyin="b", korean="b")
        self.deletes = _Postings()

    def __len__(self) -> int:
        return self.count

    @property
    def frozen(self) -> dict[str, np.ndarray]:
        return self.columns.frozen

    @staticmethod
    def codes(word: str, *, once: bool = False) -> dict[str, int]:
        """The word's codes; ``once`` for a word seen once (a joined one), which would only
        crowd the other words out of the name functions' caches."""
        consonants = consonant_key(word)
        simple = (simplified.__wrapped__ if once else simplified)(word)
        sound = (name_rules.phonetic.__wrapped__ if once else name_rules.phonetic)(word)
        pinyin, korean = syllable_codes(word)
        return {
            "length": min(len(word), 127),
            "simple": _simple_code(simple),
            # The scorer gives sounding alike only to words of four letters or more.
            "sound": _code("p" + sound) if len(word) >= 4 else -1,
            "consonants": _code("k" + consonants) if consonants is not None else -2,
            "vowel": int(name_rules.has_vowel(word)),
            "initial": ord(word[0]) if word[0].isascii() else 0,
            "pinyin": pinyin,
            "korean": korean,
        }

    def add(self, word: str) -> int:
        number = self.ids.get(word)
        if number is None:
            number = self._append(word, word, -1, -1)
            self.ids[word] = number
            self.simple_words[number] = simplified(word)
            if len(word) >= TYPO_MIN_LENGTH:
                for variant in _deletes(word):
                    self.deletes.add(_hash(variant), number)
        return number

    def add_joined(self, left: int, right: int) -> int:
        self._thaw()
        return self._append(None, self.words[left] + self.words[right], left, right)

    def _thaw(self) -> None:
        if self.strings:
            self.words = self.strings["words"].tolist()
            self.simple_words = self.strings["simple"].tolist()
            self.strings = {}

    def _append(self, stored: str | None, word: str, left: int, right: int) -> int:
        self._thaw()
        number = self.count
        self.count += 1
        self.words.append(stored)
        self.simple_words.append(None)
        columns = self.columns
        for name, value in self.codes(word, once=stored is None).items():
            columns[name].append(value)
        columns["left"].append(left)
        columns["right"].append(right)
        columns["particle"].append(1 if _unprefixed(word) else 0)
        return number

    def arrays(self) -> dict[str, np.ndarray]:
        if not self.strings:
            # Object arrays pick the candidates' strings at C speed.
            self.strings = {"words": np.array(self.words, dtype=object),
                            "simple": np.array(self.simple_words, dtype=object)}
            self.words, self.simple_words = [], []
        return self.columns.freeze()

    def nbytes(self) -> int:
        return self.columns.nbytes() + self.deletes.nbytes()

    def spelled(self, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The words and their simplified spellings; a joined word is put together from its
        halves (its simplified spelling too, near enough for a ratio)."""
        words = self.strings["words"][numbers]
        simple = self.strings["simple"][numbers]
        joined = np.flatnonzero(self.frozen["left"][numbers] >= 0)
        if len(joined):
            # Object arrays add their strings element by element, in C.
            left = self.frozen["left"][numbers[joined]]
            right = self.frozen["right"][numbers[joined]]
            words[joined] = self.strings["words"][left] + self.strings["words"][right]
            simple[joined] = self.strings["simple"][left] + self.strings["simple"][right]
        return words, simple

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
        words = self.strings["words"]
        for number in found:
            other = words[number]
            if other != word and Levenshtein.distance(word, other, score_cutoff=limit) <= limit:
                out.add(other)
        return out

    def similarity(self, blocks: list[tuple[str, ...]], numbers: np.ndarray,
                   counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Query words against vocabulary words, block by block: block ``j`` is its query
        words against its run of ``counts[j]`` of ``numbers``, ``len(blocks[j]) ×
        counts[j]`` similarities raveled. Each is at least the scorer's word similarity,
        but for its rule on particles written joined to a name. Returns the blocks one
        after another, whether each pair's words would let a word made of two stand for
        the other (score.joined_word_may_fit), and where each block starts.

        rapidfuzz compares each block in one call (several words against many at once is
        its fastest way); the scorer's other rules then run once over all the blocks.
        """
        arrays = self.arrays()
        counts = np.asarray(counts, np.int64)
        spelled, simple_spelled = self.spelled(numbers)
        lengths = np.array([len(words) for words in blocks], np.int64)
        sizes = lengths * counts
        block_first = np.cumsum(sizes) - sizes
        number_first = np.cumsum(counts) - counts
        scores = np.empty(int(sizes.sum()), np.float32)
        simple = np.empty(len(scores), np.float32)
        for block, words in enumerate(blocks):
            if not sizes[block]:
                continue
            run = slice(number_first[block], number_first[block] + counts[block])
            out = slice(block_first[block], block_first[block] + sizes[block])
            scores[out] = process.cdist(words, spelled[run], scorer=fuzz.ratio,
                                        dtype=np.float32).ravel()
            simple[out] = process.cdist([simplified(w) for w in words], simple_spelled[run],
                                        scorer=fuzz.ratio, dtype=np.float32).ravel()
        # Each pair's query word (numbered across the blocks) and place in ``numbers``: a
        # query word's pairs are its block's run of numbers.
        run_of_word = np.repeat(np.arange(len(blocks)), lengths)
        query_of = np.repeat(np.arange(len(run_of_word)), counts[run_of_word])
        number_of = _ragged(number_first[run_of_word], counts[run_of_word])
        codes = [self.codes(word) for words in blocks for word in words]

        def column(name: str) -> np.ndarray:
            return arrays[name][numbers][number_of]

        def query(name: str) -> np.ndarray:
            return np.array([c[name] for c in codes], np.int64)[query_of]

        def at_least(where: np.ndarray, value) -> None:
            np.copyto(scores, np.maximum(scores, value), where=where)

        length, query_length = column("length"), query("length")
        shortest = np.minimum(length, query_length)
        same_simple = column("simple") == query("simple")
        fits = joined_word_may_fit(same_simple, shortest, scores)
        np.maximum(scores, simple - 3, out=scores)
        at_least(same_simple, 92)
        # Typing errors (score.typing_similarity), worked out for the pairs the scorer's
        # rule allows, all at once (score.typing_similarities).
        typed = np.flatnonzero(may_be_typed(scores, length, query_length))
        if len(typed):
            query_words = [word for words in blocks for word in words]
            found = typing_similarities([query_words[q] for q in query_of[typed].tolist()],
                                        spelled[number_of[typed]].tolist())
            scores[typed] = np.maximum(scores[typed],
                                       np.minimum(found, scores[typed] + TYPING_GAIN))
        # Sounding alike counts for words of four letters or more spelt half alike.
        # As the scorer does, the sound's figure replaces a spelling figure below 92 (jong
        # and jeong are 85, not their 89 of letters): the alignment pairs words by these
        # figures, and pairing them otherwise than the scorer would can end lower.
        np.copyto(scores, np.where(shortest >= 5, 92, 85).astype(np.float32),
                  where=(column("sound") == query("sound")) & (shortest >= 4) & (scores >= 50)
                  & (scores < 92))
        # Two pinyin syllables or two Korean family names are two names however alike
        # their letters (the scorer's syllable rule, before the rules below).
        np.copyto(scores, np.minimum(scores, OTHER_SYLLABLE), where=(scores < 100) & (
            other_syllables(column("pinyin"), column("korean"), query("pinyin"),
                            query("korean"))))
        # A code below 0 stands for "too few consonants", on both sides alike: no match.
        consonants = query("consonants")
        at_least((column("consonants") == consonants) & (consonants >= 0)
                 & ((column("vowel") == 0) | (query("vowel") == 0)), 90)
        at_least(((length == 1) | (query_length == 1))
                 & (column("initial") == query("initial")), 70)
        self._particles(blocks, numbers, counts, spelled, scores, block_first)
        return scores, fits, block_first

    def _particles(self, blocks: list[tuple[str, ...]], numbers: np.ndarray,
                   counts: np.ndarray, spelled: np.ndarray, scores: np.ndarray,
                   block_first: np.ndarray) -> None:
        """The scorer's 90 for a word that is the other with a particle written joined."""
        number_first = np.cumsum(counts) - counts
        for block, words in enumerate(blocks):
            rests, rows = [], []
            for row, word in enumerate(words):
                for rest in _unprefixed(word):
                    rests.append(rest)
                    rows.append(row)
            if rests and counts[block]:
                run = spelled[number_first[block]:number_first[block] + counts[block]]
                alike = process.cdist(rests, run, scorer=fuzz.ratio, dtype=np.float32) >= 90
                which, at = np.nonzero(alike)
                at = block_first[block] + np.asarray(rows)[which] * counts[block] + at
                scores[at] = np.maximum(scores[at], 90)
        flagged = np.flatnonzero(self.frozen["particle"][numbers])
        if not len(flagged):
            return
        owner_blocks = np.searchsorted(number_first, flagged, side="right") - 1
        changes = np.flatnonzero(np.diff(owner_blocks)) + 1
        for columns, owned_by in zip(np.split(flagged, changes), np.split(owner_blocks, changes),
                                     strict=True):
            block = int(owned_by[0])
            rests, owners = [], []
            for column in columns.tolist():
                for rest in _unprefixed(spelled[column]):
                    rests.append(rest)
                    owners.append(column - number_first[block])
            if not rests:
                continue
            alike = process.cdist(blocks[block], rests, scorer=fuzz.ratio,
                                  dtype=np.float32) >= 90
            rows, at = np.nonzero(alike)
            at = block_first[block] + rows * counts[block] + np.asarray(owners)[at]
            scores[at] = np.maximum(scores[at], 90)


class _Facts:
    """Birth date, nationality and sex of every entry as small arrays, so that the entries
    a name key found can be sorted out by the other facts in one vectorised step.

    Nationalities and sex are compared by the scorer itself, once per distinct value;
    birth dates get the scorer's points, vectorised (:func:`_birth_points`).
    """

    def __init__(self) -> None:
        # order: where the entry ranks among equals (see Index.add).
        self.columns = _Store(sex="b", nation="i", date_starts="q", order="q")
        self.columns["date_starts"].append(0)
        # Every birth date of every entry, flat; an entry's run starts at date_starts.
        self.dates = _Store(year="h", month="b", day="b", approximate="b")
        self.dated = 0
        self.alive = bytearray()
        self.nation_ids: dict[tuple[str, ...], int] = {(): 0}
        self.frozen: dict[str, np.ndarray] = {}
        self._tables: dict[tuple, np.ndarray] = {}

    def add(self, record: Record, order: int) -> None:
        dates = self.dates
        for date in record.birth_dates:
            dates["year"].append(date.year)
            dates["month"].append(date.month or 0)
            dates["day"].append(date.day or 0)
            dates["approximate"].append(1 if date.approximate else 0)
        self.dated += len(record.birth_dates)
        columns = self.columns
        columns["date_starts"].append(self.dated)
        columns["sex"].append(_SEXES.index(record.sex) if record.sex in _SEXES else 0)
        columns["order"].append(order)
        key = tuple(sorted(set(record.nationalities)))
        columns["nation"].append(self.nation_ids.setdefault(key, len(self.nation_ids)))
        self.alive.append(1)
        self.frozen = {}

    def pending(self) -> bool:
        return not self.frozen

    def kill(self, number: int) -> None:
        self.alive[number] = 0
        if self.frozen:
            self.frozen["alive"][number] = 0

    def arrays(self) -> dict[str, np.ndarray]:
        if not self.frozen:
            self.frozen = {**self.columns.freeze(), **self.dates.freeze(),
                           "alive": np.frombuffer(bytes(self.alive), np.uint8).copy()}
        return self.frozen

    def nbytes(self) -> int:
        return sum(column.nbytes for column in self.arrays().values())

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

    def points_many(self, queries: list[Record], numbers: list[np.ndarray],
                    floor: float | None) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each query and its entry numbers: the positions of the living entries that
        a perfect name would still bring to ``floor`` (all of them without one), and the
        points their nationality, sex and birth dates add. Nationality and sex first (a
        table lookup), birth dates for what is left; every query in one vectorised pass."""
        if not queries:
            return []
        arrays = self.arrays()
        sizes = np.array([len(n) for n in numbers], np.int64)
        flat = np.concatenate(numbers).astype(np.int64)
        owner = np.repeat(np.arange(len(queries)), sizes)
        nation = np.stack([self._table("nation", query) for query in queries])
        sex = np.stack([self._table("sex", query) for query in queries])
        other = nation[owner, arrays["nation"][flat]] + sex[owner, arrays["sex"][flat]]
        keep = arrays["alive"][flat] == 1
        if floor is not None:
            keep &= 100 + other + _BIRTH_BEST >= floor
        at = np.flatnonzero(keep)
        other = other[at] + self._birth_points(flat[at], owner[at], queries)
        if floor is not None:
            reach = 100 + other >= floor
            at, other = at[reach], other[reach]
        starts = np.cumsum(sizes) - sizes
        bounds = np.searchsorted(at, starts[1:])
        return [(positions - start, points) for positions, points, start
                in zip(np.split(at, bounds), np.split(other, bounds), starts.tolist(),
                       strict=True)]

    def _birth_points(self, numbers: np.ndarray, owner: np.ndarray, queries: list[Record]
                      ) -> np.ndarray:
        """What the birth dates add, entry by entry: the best pair of the entry's and its
        query's (``queries[owner]``) dates; nothing when either side has none."""
        arrays = self.arrays()
        points = np.zeros(len(numbers), np.float32)
        dates_of = np.array([len(query.birth_dates) for query in queries], np.int64)
        first = arrays["date_starts"][numbers]
        count = arrays["date_starts"][numbers + 1] - first
        dated = (count > 0) & (dates_of[owner] > 0)
        if not dated.any():
            return points
        count = count[dated]
        at = _ragged(first[dated], count)
        whose = np.repeat(owner[dated], count)
        year, month = arrays["year"][at], arrays["month"][at]
        day, approximate = arrays["day"][at], arrays["approximate"][at] == 1
        best = np.full(len(at), -np.inf, np.float32)
        for rank in range(int(dates_of.max())):
            dates = _Dates.of([query.birth_dates[rank] if rank < len(query.birth_dates)
                               else None for query in queries])
            # One query's date goes to all its entries' dates as it is (broadcast).
            found = _birth_points(dates if len(queries) == 1 else dates.take(whose),
                                  year, month, day, approximate)
            if rank:
                found[dates_of[whose] <= rank] = -np.inf
            np.maximum(best, found, out=best)
        points[dated] = np.maximum.reduceat(best, np.cumsum(count) - count)
        return points


class _Dates:
    """Query birth dates as columns, one row per date compared; months and days are 0
    when unknown, an absent date is all 0."""

    __slots__ = ("approximate", "day", "month", "year")

    def __init__(self, year, month, day, approximate) -> None:
        self.year, self.month, self.day = year, month, day
        self.approximate = approximate

    @classmethod
    def of(cls, dates: list[PartialDate | None]) -> _Dates:
        known = [date or PartialDate(0) for date in dates]
        return cls(np.array([d.year for d in known], np.int64),
                   np.array([d.month or 0 for d in known], np.int64),
                   np.array([d.day or 0 for d in known], np.int64),
                   np.array([d.approximate for d in known], bool))

    def take(self, at: np.ndarray) -> _Dates:
        return _Dates(self.year[at], self.month[at], self.day[at], self.approximate[at])


# The scorer's points for every packed pair of dates (score.date_key → score.BIRTH_CODES).
_BIRTH_TABLE = np.array([WEIGHTS[code] for code in BIRTH_CODES], np.float32)


# score.year_key of every pair of years a reader accepts (records.parse_date), made by it.
_FIRST_YEAR, _LAST_YEAR = 1850, 2100
_YEARS = np.arange(_FIRST_YEAR, _LAST_YEAR + 1, dtype=np.int64)
_YEAR_KEYS = year_key(_YEARS[:, None], _YEARS[None, :]).astype(np.int16)


def _year_keys(q_year: np.ndarray, e_year: np.ndarray) -> np.ndarray:
    """score.year_key of each pair, looked up; years outside the table worked out."""
    q_at, e_at = q_year - _FIRST_YEAR, e_year - _FIRST_YEAR
    span = _LAST_YEAR - _FIRST_YEAR
    inside = (q_at >= 0) & (q_at <= span) & (e_at >= 0) & (e_at <= span)
    if inside.all():
        return _YEAR_KEYS[q_at, e_at]
    keys = np.asarray(year_key(q_year, e_year)).astype(np.int16)
    keys[inside] = _YEAR_KEYS[q_at[inside], e_at[inside]]
    return keys


def _birth_points(date: PartialDate | _Dates, year: np.ndarray, month: np.ndarray,
                  day: np.ndarray, approximate: np.ndarray) -> np.ndarray:
    """score.birth_feature's points for query dates against single dates, vectorised: the
    scorer's own date_key on arrays (its year part from a table), then its rule's table
    (months and days are 0 when unknown): one query date against them all, or
    (``_Dates``) one query date for each."""
    if isinstance(date, PartialDate):
        date = _Dates.of([date])
    q_year = np.broadcast_to(date.year, year.shape)
    key = day_key(date.month, date.day, date.approximate, month.astype(np.int64),
                  day.astype(np.int64), approximate) + _year_keys(q_year, year.astype(np.int64))
    return _BIRTH_TABLE[key]


class _Query:
    """A query's keys with their weight factor, its facts' keys and document keys."""

    __slots__ = ("documents", "facts", "names", "words")

    def __init__(self) -> None:
        self.names: dict[int, float] = {}
        self.facts: dict[int, float] = {}
        self.documents: list[int] = []
        # The name's spellings (the scorer's: the first of equal words) and their kinds.
        self.words: list[tuple[tuple[str, ...], int]] = []


class Index:
    """Every entry of the lists being screened against, filed for fast retrieval."""

    # Keys carried by more entries than this (or a fifth of the index, if more) are not
    # scanned whole.
    COMMON = 5000

    def __init__(self) -> None:
        self._records: list[Record | None] = []
        self._numbers: dict[str, int] = {}
        # Entries with a name written the Hong Kong way (Wong Siu Ming): the scorer meets
        # a pinyin name with them syllable by syllable (score.word_similarity), which the
        # name estimate cannot follow into their words written as one; few in any list.
        self._hong_kong_entries: set[int] = set()
        self._hong_kong_numbers: np.ndarray | None = None  # the set as an array, when read
        self._postings = _Postings()
        self._vocabulary = _Vocabulary()
        self._facts = _Facts()
        # Each entry's aliases (alias_starts, per entry), each alias's words (word_starts,
        # per alias; the words are vocabulary numbers) and form (_form: its reading kind,
        # and which word is two joined).
        self._aliases = _Store(alias_starts="I", word_starts="I", form="b")
        self._aliases["alias_starts"].append(0)
        self._aliases["word_starts"].append(0)
        self._words = _Store(words="i")
        self._alias_count = 0
        self._word_count = 0
        self._frozen: dict[str, np.ndarray] = {}
        self._live = 0
        # Scratch arrays for summing weights, one pair per thread (a web process serves
        # several requests at once).
        self._local = threading.local()
        self._settling = threading.Lock()
        self._typo_cache: dict[str, tuple[int, ...]] = {}
        self._typo_cache_words = 0

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
        """File an entry; an entry with the same id is replaced.

        Among entries alike, the one added first ranks first, or the one with the lower
        ``record.extra["order"]`` where entries carry one: an index kept up to date by
        removing and adding entries then ranks them as one built afresh in that order.
        """
        if record.id in self._numbers:
            self.remove(record.id)
        number = len(self._records)
        self._records.append(record)
        self._numbers[record.id] = number
        self._facts.add(record, record.extra.get("order", number))
        self._live += 1
        keys: set[str] = set()
        seen: set[tuple[str, ...]] = set()
        vocabulary = self._vocabulary
        spellings = []
        for words, kind in _spellings(record):
            keys |= name_rules.token_keys(words)
            if not kind and hong_kong_name(words):
                self._hong_kong_entries.add(number)
                self._hong_kong_numbers = None
            if words not in seen:
                seen.add(words)
                spellings.append((words, kind))
                self._alias([vocabulary.add(word) for word in words], _form(kind))
        # The scorer also reads a name with two neighbouring words joined ("ji eun" as
        # "jieun"): those readings are filed as aliases of their own.
        for words, kind in spellings:
            numbers = [vocabulary.ids[word] for word in words]
            for at, reading in enumerate(joined_readings(words)):
                if reading in seen:
                    continue
                seen.add(reading)
                joined = vocabulary.ids.get(reading[at])
                if joined is None:
                    joined = vocabulary.add_joined(numbers[at], numbers[at + 1])
                self._alias([*numbers[:at], joined, *numbers[at + 2:]], _form(kind, at))
                if len(reading[at]) <= JOINED_SOUND:
                    keys.add(_joined_sound(reading[at]))
        self._aliases["alias_starts"].append(self._alias_count)
        keys.update(DOCUMENT + ocr_fold(doc) for doc in record.documents)
        keys.update(f"{YEAR}{year}" for year in _years(record))
        keys.update(NATIONALITY + code for code in record.nationalities)
        add = self._postings.add
        for key in keys:
            add(_hash(key), number)
        self._frozen = {}

    def _alias(self, words: list[int], form: int) -> None:
        self._words["words"].extend(words)
        self._word_count += len(words)
        self._alias_count += 1
        self._aliases["word_starts"].append(self._word_count)
        self._aliases["form"].append(form)

    def remove(self, entry_id: str) -> Record | None:
        """Stop returning an entry. Its postings stay until the index is rebuilt."""
        number = self._numbers.pop(entry_id, None)
        if number is None:
            return None
        record = self._records[number]
        self._records[number] = None
        if number in self._hong_kong_entries:
            self._hong_kong_entries.discard(number)
            self._hong_kong_numbers = None
        self._facts.kill(number)
        self._live -= 1
        return record

    def settle(self) -> None:
        """Merge recent additions; lookups do it themselves, a builder may do it first."""
        if self._frozen and not self._postings.pending() and not self._facts.pending():
            return
        with self._settling:  # two requests of a web process may look up at once
            self._postings.settle()
            self._vocabulary.deletes.settle()
            self._vocabulary.arrays()
            self._facts.arrays()
            if not self._frozen:
                self._frozen = {**self._aliases.freeze(), **self._words.freeze()}

    def nbytes(self) -> int:
        """Bytes held by the arrays (not counting the records and the vocabulary's words)."""
        self.settle()
        return (self._postings.nbytes() + self._vocabulary.nbytes() + self._facts.nbytes()
                + self._aliases.nbytes() + self._words.nbytes())

    # ------------------------------------------------------------------- retrieval

    def _query(self, query: Record) -> _Query:
        built = _Query()
        seen = set()
        for tokens, kind in _spellings(query):
            keys = self._name_keys(tokens)
            for key, factor in keys.items():
                if built.names.get(key, 0.0) < factor:
                    built.names[key] = factor
            if tokens not in seen:
                seen.add(tokens)
                built.words.append((tokens, kind))
            if not kind:  # a name spelt the Hong Kong way: the pinyin it may stand for
                for word in hk_pinyin_words(tokens):
                    built.names.setdefault(_hash(word), TYPO_FACTOR)
        for year in _years(query):
            built.facts[_hash(f"{YEAR}{year}")] = FACT_FACTOR
        for code in query.nationalities:
            built.facts[_hash(NATIONALITY + code)] = FACT_FACTOR
        built.documents = [_hash(DOCUMENT + ocr_fold(doc)) for doc in query.documents]
        return built

    def _name_keys(self, tokens: tuple[str, ...]) -> dict[int, float]:
        """A name's hashed keys with their weight factor."""
        keys = {_hash(key): 1.0 for key in name_rules.token_keys(tokens)}
        for joined in joined_readings(tokens):
            for word in joined:
                if word not in tokens and len(word) <= JOINED_SOUND:
                    keys.setdefault(_hash(_joined_sound(word)), 1.0)
        for word in set(tokens):
            for key in self._typos(word):
                keys.setdefault(key, TYPO_FACTOR)
        return keys

    def _typos(self, word: str) -> tuple[int, ...]:
        """The keys of the vocabulary's misspellings of a word. Remembered: a bulk run meets
        the same words over and over; forgotten when a word is added."""
        if len(word) < TYPO_MIN_LENGTH:
            return ()
        vocabulary = self._vocabulary
        cache = self._typo_cache
        if self._typo_cache_words != len(vocabulary) or len(cache) > TYPO_CACHE:
            cache.clear()
            self._typo_cache_words = len(vocabulary)
        found = cache.get(word)
        if found is None:
            sound = name_rules.phonetic(word)
            # A misspelling that sounds the same is found by the sound key already.
            found = cache[word] = tuple(_hash(other) for other in vocabulary.similar(word)
                                        if name_rules.phonetic(other) != sound)
        return found

    def candidates(self, query: Record, limit: int = 50) -> list[Record]:
        """The ``limit`` entries most alike by name, then every one with the same
        (OCR-folded) document number."""
        return [self._records[n] for n in self.candidate_numbers(query, limit)]

    def candidate_numbers(self, query: Record, limit: int = 50, *,
                          floor: float | None = None) -> list[int]:
        """Entry numbers, best first: the ``limit`` most alike by name estimate, then every
        entry with the same (OCR-folded) document number.

        With ``floor`` (a score), only entries whose name estimate plus what their birth
        dates, nationality and sex add comes within :data:`ESTIMATE_MARGIN` of it; those
        with the same document number come whatever their score.
        """
        return self.candidate_numbers_many([query], limit, floor=floor)[0]

    def candidate_numbers_many(self, queries: list[Record], limit: int = 50, *,
                               floor: float | None = None) -> list[list[int]]:
        """:meth:`candidate_numbers` of each query. Their entries' other facts and their
        name estimates are worked out together: a bulk run pays numpy's per-call costs
        once per batch, not once per person."""
        self.settle()
        built = [self._query(query) for query in queries]
        found = [self._found(query_keys, limit) for query_keys in built]
        pending = [at for at, numbers in enumerate(found) if numbers is not None]
        facts = self._facts.points_many([queries[at] for at in pending],
                                        [found[at][0] for at in pending], floor)
        shortlists: list = [None] * len(queries)
        for at, (positions, other) in zip(pending, facts, strict=True):
            shortlists[at] = self._shortlist(found[at], positions, other)
        estimates = self._name_estimates_in_parts(
            [(query_keys.words, shortlist[0]) for query_keys, shortlist
             in zip(built, shortlists, strict=True) if shortlist is not None])
        ranked_all = []
        for query_keys, shortlist in zip(built, shortlists, strict=True):
            ranked = [] if shortlist is None else self._ranked(
                shortlist, next(estimates), limit, floor)
            if query_keys.documents:
                documents = np.unique(np.concatenate(
                    self._postings.get_many(query_keys.documents))).astype(np.int64)
                alive = self._facts.frozen["alive"]
                seen = set(ranked)
                ranked += [n for n in documents.tolist() if n not in seen and alive[n]]
            ranked_all.append(ranked)
        return ranked_all

    def _found(self, built: _Query, limit: int) -> tuple | None:
        """The entries sharing name keys with the query, with the weight of the keys they
        share; the common keys and the facts' keys with their postings, to weigh the
        entries kept; None when no key is in the index."""
        if not built.names or not built.words:
            return None
        total = max(len(self._records), 1)
        cap = max(self.COMMON, total // 5)
        keys = list(built.names)
        scanned, common = [], []
        for key, found in zip(keys, self._postings.get_many(keys), strict=True):
            if len(found):
                weight = built.names[key] * math.log(1 + total / len(found))
                (scanned if len(found) <= cap else common).append((found, weight))
        if not scanned and not common:
            return None
        facts = [(found, built.facts[key] * math.log(1 + total / len(found)))
                 for key, found in zip(built.facts, self._postings.get_many(list(built.facts)),
                                       strict=True) if len(found)]
        numbers, weights = self._accumulate(scanned) if scanned else (
            np.empty(0, np.int64), np.empty(0))
        if common and len(numbers) < limit:
            # Rare keys found too few ("Muhammad Ali" joined, but not "Ali Muhammad"):
            # the common ones narrowed down by each other add theirs.
            narrowed = _narrow(common, facts, limit, cap)
            extra = narrowed[~np.isin(narrowed, numbers)]
            numbers = np.concatenate([numbers, extra])
            weights = np.concatenate([weights, np.zeros(len(extra))])
        return numbers, weights, common + facts

    def _shortlist(self, found: tuple, positions: np.ndarray, other: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The entries worth a name estimate (those the other facts keep, ``positions``),
        with the weight of the keys they share with the query and the points ``other``
        facts add; None when there are none."""
        numbers, weights, more_keys = found
        numbers, weights = numbers[positions], weights[positions]
        if len(numbers) > ESTIMATED:
            top = np.argpartition(-weights, ESTIMATED - 1)[:ESTIMATED]
            numbers, weights, other = numbers[top], weights[top], other[top]
        if not len(numbers):
            return None
        for postings, weight in more_keys:
            weights = weights + weight * _member(numbers, postings)
        return numbers, weights, other

    def _ranked(self, shortlist: tuple[np.ndarray, np.ndarray, np.ndarray],
                name_estimate: np.ndarray, limit: int, floor: float | None) -> list[int]:
        numbers, weights, other = shortlist
        # Facts that agree add only as far as the name carries them (score.name_support);
        # the name's estimate may fall short by the margin, and so may its support.
        carried = name_support(name_estimate + ESTIMATE_MARGIN)
        estimate = name_estimate + np.where(other > 0, other * carried, other)
        if floor is not None:
            keep = estimate + ESTIMATE_MARGIN >= floor
            numbers, weights, estimate = numbers[keep], weights[keep], estimate[keep]
        # Best estimate first; shared keys break ties, then the earlier entry.
        order = np.lexsort((self._facts.frozen["order"][numbers], -weights, -estimate))[:limit]
        return numbers[order].tolist()

    def _name_estimates_in_parts(self, jobs: list[tuple[list[tuple[str, ...]], np.ndarray]]
                                 ) -> Iterator[np.ndarray]:
        """:meth:`_name_estimates` of the jobs, in order, with no more than
        :data:`ESTIMATED_TOGETHER` entries at a time (a batch of common names has
        thousands of candidates each, and memory grows with them)."""
        part, size = [], 0
        for job in jobs:
            if part and size + len(job[1]) > ESTIMATED_TOGETHER:
                yield from self._name_estimates(part)
                part, size = [], 0
            part.append(job)
            size += len(job[1])
        if part:
            yield from self._name_estimates(part)

    def _name_estimates(self, jobs: list[tuple[list[tuple[str, ...]], np.ndarray]]
                        ) -> list[np.ndarray]:
        """For each job (a query's names and entry numbers), each entry's best over its
        aliases and the query's names (and their joined neighbours) of the scorer's word
        alignment, on estimated word similarity. All the jobs go through each numpy step
        together."""
        if not jobs:
            return []
        frozen = self._frozen
        sizes = np.array([len(numbers) for _, numbers in jobs], np.int64)
        numbers = np.concatenate([n for _, n in jobs]).astype(np.int64)
        best = np.zeros(len(numbers), np.float32)
        bounds = np.cumsum(sizes)[:-1]
        alias_first = frozen["alias_starts"][numbers].astype(np.int64)
        alias_count = frozen["alias_starts"][numbers + 1] - alias_first
        aliases = _ragged(alias_first, alias_count)
        word_first = frozen["word_starts"][aliases].astype(np.int64)
        word_count = frozen["word_starts"][aliases + 1] - word_first
        words = frozen["words"][_ragged(word_first, word_count)].astype(np.int64)
        if not len(words):
            return np.split(best, bounds)
        alias_entry = np.repeat(np.arange(len(numbers)), alias_count)
        alias_job = np.repeat(np.arange(len(jobs)), sizes)[alias_entry]
        word_alias = np.repeat(np.arange(len(aliases)), word_count)
        word_job = alias_job[word_alias]
        word_base = np.cumsum(word_count) - word_count
        # Each job's distinct words, and each alias word's column among them; short words
        # made of two (which a word can only meet by being the same) after the others.
        word_codes = self._vocabulary.frozen
        short = ((word_codes["left"][words] >= 0)
                 & (word_codes["length"][words] < JOINED_LONG)).astype(np.int64)
        distinct, inverse = np.unique((word_job << 33) | (short << 32) | words,
                                      return_inverse=True)
        distinct_job = distinct >> 33
        distinct_count = np.bincount(distinct_job, minlength=len(jobs))
        distinct_first = np.cumsum(distinct_count) - distinct_count
        column = inverse - distinct_first[word_job]
        distinct_numbers = distinct & 0xFFFFFFFF
        full = (distinct >> 32) & 1 == 0
        full_count = np.bincount(distinct_job[full], minlength=len(jobs))
        blocks, readings = [], []
        for job, (queries, _numbers) in enumerate(jobs):
            variants = [(v, form) for q, kind in queries
                        for v, form in ((q, _form(kind)), *(
                            (joined, _form(kind, at))
                            for at, joined in enumerate(joined_readings(q))))]
            vocabulary = sorted({w for v, _ in variants for w in v})
            position = {w: i for i, w in enumerate(vocabulary)}
            blocks.append(tuple(vocabulary))
            readings += [(job, [position[w] for w in v], form) for v, form in variants]
        matrix, fits, block_first = self._vocabulary.similarity(
            blocks, distinct_numbers[full], full_count)
        self._hong_kong([{word for q, kind in queries if not kind and hong_kong_name(q)
                          for v in (q, *joined_readings(q)) for word in v}
                         for queries, _numbers in jobs],
                        blocks, distinct_numbers[full], full_count, matrix, fits, block_first)
        block_words = np.array([len(block) for block in blocks], np.int64)
        query_simple = np.array([_simple_code(simplified(word)) for block in blocks
                                 for word in block], np.int64)
        job_aliases = np.bincount(alias_job, minlength=len(jobs))
        job_alias_first = np.cumsum(job_aliases) - job_aliases
        reading_job = np.array([job for job, _, _ in readings], np.int64)
        reading_rows = np.concatenate([np.asarray(rows, np.int64) for _, rows, _ in readings])
        reading_first = np.zeros(len(readings) + 1, np.int64)
        np.cumsum([len(rows) for _, rows, _ in readings], out=reading_first[1:])
        from pora.screening.engine import compiled  # numba, when first needed

        compiled.align_all(
            compiled.Matrix(matrix, fits, block_first, full_count, np.cumsum(block_words) - block_words,
                    query_simple, distinct_first,
                    word_codes["simple"][distinct_numbers].astype(np.int64)),
            reading_job, reading_first, reading_rows,
            np.array([form for _, _, form in readings], np.int64),
            job_alias_first, job_aliases, alias_entry, frozen["form"][aliases].astype(np.int64),
            word_base, word_count.astype(np.int64), column.astype(np.int64), READING_PAIR_COST,
            best)
        np.clip(best, 0, 100, out=best)
        if self._hong_kong_entries:
            # A Chinese name against an entry written the Hong Kong way: compared in full.
            if self._hong_kong_numbers is None:
                self._hong_kong_numbers = np.array(sorted(self._hong_kong_entries), np.int64)
            hong_kong = self._hong_kong_numbers
            starts = np.concatenate(([0], bounds))
            for job, (queries, _numbers) in enumerate(jobs):
                if any(not kind and chinese_name(q) for q, kind in queries):
                    part = slice(starts[job], starts[job] + sizes[job])
                    best[part][np.isin(numbers[part], hong_kong)] = 100.0
        return np.split(best, bounds)

    def _hong_kong(self, hong_kong: list[set[str]], blocks: list[tuple[str, ...]],
                   numbers: np.ndarray, counts: np.ndarray, matrix: np.ndarray,
                   fits: np.ndarray, block_first: np.ndarray) -> None:
        """The scorer's rule for a name spelt the Hong Kong way (score.word_similarity):
        its words (``hong_kong``, per block) are HONG_KONG_PINYIN alike to the pinyin words
        they may spell, and may stand for them written as one."""
        number_first = np.cumsum(counts) - counts
        spelled = None
        for block, words in enumerate(blocks):
            rows = [row for row, word in enumerate(words) if word in hong_kong[block]]
            if not rows or not counts[block]:
                continue
            if spelled is None:
                spelled = self._vocabulary.spelled(numbers)[0]
            run = spelled[number_first[block]:number_first[block] + counts[block]].tolist()
            for row in rows:
                alike = [at for at, other in enumerate(run) if hk_spells_pinyin(words[row], other)]
                if alike:
                    cells = block_first[block] + row * counts[block] + np.array(alike, np.int64)
                    matrix[cells] = np.maximum(matrix[cells], HONG_KONG_PINYIN)
                    fits[cells] = True

    def _accumulate(self, parts: list[tuple[np.ndarray, float]]
                    ) -> tuple[np.ndarray, np.ndarray]:
        """Distinct entry numbers of the posting lists, in the order first met, and their
        summed weights.

        Sums go into a per-thread array as long as the index, in the order of the parts
        (the same sums as adding one part after another), then that array is cleared
        where it was touched: linear in the postings read, no sorting.
        """
        if len(parts) == 1:
            found, weight = parts[0]
            return found.astype(np.int64), np.full(len(found), weight)
        numbers = np.concatenate([found for found, _ in parts])
        weights = np.repeat(np.array([weight for _, weight in parts], np.float32),
                            [len(found) for found, _ in parts])
        from pora.screening.engine import compiled  # numba, when first needed

        return compiled.accumulated(numbers, weights, self._sums())

    def _sums(self) -> np.ndarray:
        """This thread's array of sums by entry number, all zero between uses."""
        size = len(self._records)
        sums = getattr(self._local, "sums", None)
        if sums is None or len(sums) < size:
            sums = self._local.sums = np.zeros(max(size + size // 4, 1024), np.float32)
        return sums


def _form(kind: int, joined_at: int = -1) -> int:
    """An alias's or query reading's form in one small number: bit 0 set for two words
    written as one, bits 1-3 the reading kind's number, bits 4-6 which word is joined."""
    return kind << 1 if joined_at < 0 else (joined_at << 4) | (kind << 1) | 1


def match_order(match: Match) -> tuple:
    """Best score first; among equals, ids in their order, numbers by value ("995" before
    "1000"), as the index ranks candidates."""
    entry_id = match.entry_id
    return (-match.score, 0, int(entry_id), "") if entry_id.isdecimal() else \
        (-match.score, 1, 0, entry_id)


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
    next ones (names first, then birth year and nationality) while enough entries remain.
    An intersection too small to go on with is kept: those entries share the most."""
    ordered = sorted(common, key=lambda part: len(part[0]))
    found = ordered[0][0]
    kept = []
    for other, _weight in ordered[1:] + sorted(facts, key=lambda part: len(part[0])):
        if len(found) <= cap:
            break
        narrower = np.intersect1d(found, other, assume_unique=True)
        if len(narrower) >= limit:
            found = narrower
        elif len(narrower):
            kept.append(narrower)
    return np.unique(np.concatenate([*kept, found[:cap]])).astype(np.int64)


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
    # Queries whose candidates are looked up together by screen_many.
    BATCH = 64

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
        found.sort(key=match_order)
        return found

    def screen(self, query: Record, *, threshold: int | None = None,
               limit: int | None = 20, on: dt.date | None = None) -> list[Match]:
        """The entries alike ``query`` at or above the threshold, best first (at most
        ``limit`` of them; every one found with ``limit=None``)."""
        ((_query, found),) = self.screen_many([query], threshold=threshold, limit=limit, on=on)
        return found

    def screen_many(self, queries: Iterable[Record], *, threshold: int | None = None,
                    limit: int | None = None, on: dt.date | None = None
                    ) -> Iterator[tuple[Record, list[Match]]]:
        """Each query with all its matches (or the best ``limit``), for bulk runs: the
        queries' candidates are looked up :data:`BATCH` at a time."""
        threshold = self.threshold if threshold is None else threshold
        wanted = self.CANDIDATES_ALL if limit is None else max(self.CANDIDATES, limit)
        queries = iter(queries)
        while batch := list(islice(queries, self.BATCH)):
            candidates = self.index.candidate_numbers_many(batch, wanted,
                                                           floor=threshold - SLACK)
            for query, numbers in zip(batch, candidates, strict=True):
                found = self._matches(prepare(query), numbers, threshold, on)
                yield query, found if limit is None else found[:limit]

    def exhaustive(self, query: Record, *, threshold: int | None = None,
                   on: dt.date | None = None) -> list[Match]:
        """Every entry compared, no retrieval: slow, the yardstick for retrieval's recall."""
        threshold = self.threshold if threshold is None else threshold
        return self._matches(prepare(query), self.index.numbers(), threshold, on)

