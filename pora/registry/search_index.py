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

from pora.core.bulk import allocate_ids, filter_in, insert_rows
from pora.registry.matching import ALTERNATIVE_SEPARATOR, join_variants
from pora.registry.models import NameToken, NameWord

WORD_MAX = 60
# How alike a query word and a name word must be: trigram similarity on PostgreSQL,
# the rapidfuzz ratio elsewhere. Keeps one-letter typos of short names.
WORD_SIMILARITY = 0.45
WORD_RATIO = 70
CANDIDATES = 1500


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
    ids = allocate_ids(NameToken, len(tokens))
    insert_rows(NameToken, ("id", "person_id", "office_id", "word"),
                [(pk, *token) for pk, token in zip(ids, tokens, strict=True)])
    _count_words({w: n for w, n in counts.items() if n})


def _count_words(counts: dict[str, int]) -> None:
    if not counts:
        return
    table = NameWord._meta.db_table
    words = sorted(counts)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (word, persons) "
                "SELECT * FROM unnest(%s::text[], %s::int[]) "
                f"ON CONFLICT (word) DO UPDATE SET persons = "
                f"GREATEST(0, {table}.persons + EXCLUDED.persons)",
                [words, [counts[w] for w in words]],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} (word, persons) VALUES (%s, MAX(0, %s)) "
                "ON CONFLICT (word) DO UPDATE SET persons = MAX(0, persons + excluded.persons)",
                [(w, counts[w]) for w in words],
            )


def query_words(query: str) -> list[str]:
    """The query's words, with adjacent words also joined ("xiao ming" → "xiaoming")."""
    out: set[str] = set()
    for variant in join_variants(query.split()):
        out.update(variant)
    return sorted(w[:WORD_MAX] for w in out if w)


def similar_words(words: list[str]) -> dict[str, float]:
    """Name words close to the query's words, each with a weight: similarity × rarity."""
    if not words:
        return {}
    found: dict[str, tuple[float, int]] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET pg_trgm.similarity_threshold = %s", [WORD_SIMILARITY])
            cursor.execute(
                f"SELECT w.word, MAX(similarity(w.word, q.word)), MAX(w.persons) "
                f"FROM unnest(%s::text[]) AS q(word) "
                f"JOIN {NameWord._meta.db_table} w ON w.word %% q.word GROUP BY w.word",
                [words],
            )
            for word, similarity, persons in cursor.fetchall():
                found[word] = (similarity, persons)
    else:
        vocabulary = dict(NameWord.objects.values_list("word", "persons"))
        keys = list(vocabulary)
        for word in words:
            for match, score, _i in process.extract(word, keys, scorer=fuzz.ratio, limit=None,
                                                    score_cutoff=WORD_RATIO):
                similarity = score / 100
                if similarity > found.get(match, (0, 0))[0]:
                    found[match] = (similarity, vocabulary[match])
    # Rarity as inverse document frequency: "wang" weighs little, "xiaoming" much.
    return {word: similarity * (1 + math.log(1 + 1_000_000 / (1 + persons)))
            for word, (similarity, persons) in found.items()}


def candidate_ids(office_id: int, query: str, *, limit: int = CANDIDATES) -> list[int]:
    """Persons of the office whose names carry the most weight of the query's words."""
    weights = similar_words(query_words(query))
    if not weights:
        return []
    words = sorted(weights)
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
