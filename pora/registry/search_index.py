"""The name search's inverted index: words of names → persons, per office.

Writers call :func:`index_persons` with each new or renamed person; search calls
:func:`candidate_ids`. A query word finds its close spellings in the vocabulary
(:class:`NameWord`, trigram index on PostgreSQL), and persons are ranked by how many rare
matching words their names carry — the shortlist that :mod:`matching` then scores.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from django.db import connection
from rapidfuzz import fuzz, process

from pora.core.bulk import filter_in, insert_rows
from pora.names.similarity import ALTERNATIVE_SEPARATOR, join_variants
from pora.registry.models import NameToken, NameWord

WORD_MAX = 60
# How alike a query word and a name word must be: trigram similarity on PostgreSQL,
# the rapidfuzz ratio elsewhere. Keeps one-letter typos of short names.
WORD_SIMILARITY = 0.45
WORD_RATIO = 70
CANDIDATES = 250


def words_of(name_search: str) -> set[str]:
    return {word[:WORD_MAX] for alternative in name_search.split(ALTERNATIVE_SEPARATOR)
            for word in alternative.split() if word}


def index_persons(rows: Iterable[tuple[int, int, str]], *, replace: bool = True) -> None:
    """(person id, office id, name_search) → the person's tokens, replacing old ones."""
    rows = list(rows)
    if not rows:
        return
    counts: Counter[str] = Counter()
    if replace:
        old = filter_in(NameToken.objects.all(), "person_id", [pk for pk, _o, _n in rows])
        counts.subtract(old.values_list("word", flat=True))
        old.delete()
    tokens = []
    for person_id, office_id, name_search in rows:
        for word in words_of(name_search):
            tokens.append((person_id, office_id, word))
            counts[word] += 1
    # The database numbers the tokens itself: nobody refers to a token by id.
    insert_rows(NameToken, ("person_id", "office_id", "word"), tokens)
    _count_words({w: n for w, n in counts.items() if n})


def _count_words(counts: dict[str, int]) -> None:
    """Add to the words' person counts: new words are inserted, removals only decrement."""
    if not counts:
        return
    table = NameWord._meta.db_table
    added = sorted(w for w, n in counts.items() if n > 0)
    removed = sorted(w for w, n in counts.items() if n < 0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if added:
                cursor.execute(
                    f"INSERT INTO {table} (word, persons) "
                    "SELECT * FROM unnest(%s::text[], %s::int[]) "
                    f"ON CONFLICT (word) DO UPDATE SET persons = {table}.persons + EXCLUDED.persons",
                    [added, [counts[w] for w in added]],
                )
            if removed:
                cursor.execute(
                    f"UPDATE {table} SET persons = GREATEST(0, {table}.persons + d.n) "
                    "FROM unnest(%s::text[], %s::int[]) AS d(word, n) "
                    f"WHERE {table}.word = d.word",
                    [removed, [counts[w] for w in removed]],
                )
            return
        if added:
            cursor.executemany(
                f"INSERT INTO {table} (word, persons) VALUES (%s, %s) "
                "ON CONFLICT (word) DO UPDATE SET persons = persons + excluded.persons",
                [(w, counts[w]) for w in added],
            )
        if removed:
            cursor.executemany(
                f"UPDATE {table} SET persons = MAX(0, persons + %s) WHERE word = %s",
                [(counts[w], w) for w in removed],
            )


def query_words(query: str) -> list[str]:
    """The query's words, with adjacent words also joined ("xiao ming" → "xiaoming")."""
    out: set[str] = set()
    for variant in join_variants(query.split()):
        out.update(variant)
    return sorted(w[:WORD_MAX] for w in out if w)


def edits1(word: str) -> set[str]:
    """Every spelling one keystroke away: a letter dropped, added, changed or two swapped.

    Trigrams miss these in short names ("JNAE" shares one trigram with "JANE"), so they
    are looked up exactly, through the vocabulary's unique index.
    """
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changes = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | changes | inserts) - {word}


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
PER_WORD = 8  # closest vocabulary words kept per query word
POSTINGS_BUDGET = 80_000  # name tokens a search may read


def similar_words(words: list[str], typed: set[str] | None = None) -> dict[str, tuple[float, int]]:
    """Name words close to the query's words: (weight = similarity × rarity, persons).

    ``typed`` are the words as the user typed them; only those are matched for typos.
    The rest (adjacent words joined, "xiao ming" → "xiaoming") are looked up exactly.
    """
    if not words:
        return {}
    typed = set(words) if typed is None else typed
    found: dict[str, tuple[float, int]] = {}

    def keep(word: str, similarity: float, persons: int) -> None:
        if similarity > found.get(word, (0.0, 0))[0]:
            found[word] = (similarity, persons)

    for word, persons in filter_in(NameWord.objects.all(), "word", words).values_list(
        "word", "persons"
    ):
        keep(word, 1.0, persons)
    # Only words nobody's name carries are taken for typos and looked up approximately:
    # a correctly spelt query costs one index probe per word.
    unknown = [w for w in words if w not in found and w in typed]
    near = set().union(*(edits1(w) for w in unknown if 3 <= len(w) <= 12))
    if near:
        for word, persons in filter_in(NameWord.objects.all(), "word", sorted(near)).values_list(
            "word", "persons"
        ):
            keep(word, 0.8, persons)
    # Letters added, dropped or swapped in several places: trigram similarity, for the
    # long words one-keystroke edits did not explain.
    words = [w for w in unknown if not any(n in found for n in edits1(w))]
    if connection.vendor == "postgresql":
        long_words = [w for w in words if len(w) >= 5]
        if long_words:
            with connection.cursor() as cursor:
                # SET takes no bound parameter (server-side binding); set_config() does.
                cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                               [str(WORD_SIMILARITY)])
                cursor.execute(
                    "SELECT q.word, m.word, m.sim, m.persons FROM unnest(%s::text[]) AS q(word) "
                    "CROSS JOIN LATERAL (SELECT w.word, similarity(w.word, q.word) AS sim, "
                    f"w.persons FROM {NameWord._meta.db_table} w WHERE w.word %% q.word "
                    "ORDER BY sim DESC LIMIT %s) m",
                    [long_words, PER_WORD],
                )
                for _query_word, word, similarity, persons in cursor.fetchall():
                    keep(word, similarity, persons)
    else:
        vocabulary = dict(NameWord.objects.values_list("word", "persons"))
        keys = list(vocabulary)
        for word in words:
            for match, score, _i in process.extract(word, keys, scorer=fuzz.ratio,
                                                    limit=PER_WORD, score_cutoff=WORD_RATIO):
                keep(match, score / 100, vocabulary[match])
    # Rarity as inverse document frequency: "wang" weighs little, "xiaoming" much.
    return {word: (similarity * (1 + math.log(1 + 1_000_000 / (1 + persons))), persons)
            for word, (similarity, persons) in found.items()}


def _within_budget(weights: dict[str, float], persons: dict[str, int]) -> list[str]:
    """The heaviest words whose postings fit the budget: common words are read last."""
    chosen, total = [], 0
    for word in sorted(weights, key=lambda w: -weights[w]):
        if chosen and total + persons.get(word, 0) > POSTINGS_BUDGET:
            continue
        chosen.append(word)
        total += persons.get(word, 0)
    return chosen


def candidate_ids(office_id: int, query: str, *, limit: int = CANDIDATES) -> list[int]:
    """Persons of the office whose names carry the most weight of the query's words."""
    matches = similar_words(query_words(query), typed=set(query.split()))
    if not matches:
        return []
    weights = {word: weight for word, (weight, _n) in matches.items()}
    words = sorted(_within_budget(weights, {word: n for word, (_w, n) in matches.items()}))
    table = NameToken._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT t.person_id FROM {table} t "
                "JOIN unnest(%s::text[], %s::float8[]) AS q(word, weight) ON t.word = q.word "
                "WHERE t.office_id = %s GROUP BY t.person_id "
                "ORDER BY SUM(q.weight) DESC, t.person_id LIMIT %s",
                [words, [weights[w] for w in words], office_id, limit],
            )
            return [row[0] for row in cursor.fetchall()]
        marks = ", ".join(["%s"] * len(words))
        cursor.execute(
            f"SELECT person_id, word FROM {table} WHERE office_id = %s AND word IN ({marks})",
            [office_id, *words],
        )
        score: Counter[int] = Counter()
        for person_id, word in cursor.fetchall():
            score[person_id] += weights[word]
    return [pk for pk, _s in sorted(score.items(), key=lambda i: (-i[1], i[0]))[:limit]]
