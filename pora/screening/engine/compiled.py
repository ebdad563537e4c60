"""The engine's loops that numpy cannot do without Python-speed steps, compiled by numba
(cached on disk after the first run). Imported when first needed, not when the engine
is: numba's own import costs half a second, which every process that loads the screening
app but never screens (a migration, a management command) would otherwise pay.

Each loop applies a rule written in :mod:`pora.screening.engine.score`; the tests
compare them with the rule written out plainly.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from pora.screening.engine import score

counted = njit(score.counted_words, cache=True, nogil=True)


class Matrix(NamedTuple):
    """A batch's estimated word similarities for the alignment: ``values`` and ``fits``
    (score.joined_word_may_fit) of each job's query words against its distinct words but
    for the short words made of two, block by block (``first``, ``full`` columns each); a
    short word made of two is worth 100 against a word with the same simplified spelling
    (``query_simple`` by the job's ``query_first``, ``word_simple`` by ``word_first``) and
    nothing against any other."""

    values: np.ndarray
    fits: np.ndarray
    first: np.ndarray
    full: np.ndarray
    query_first: np.ndarray
    query_simple: np.ndarray
    word_first: np.ndarray
    word_simple: np.ndarray


@njit(cache=True, nogil=True)
def align_all(matrix, reading_job, reading_first, reading_rows, reading_form,
               job_alias_first, job_aliases, alias_entry, alias_form, word_base,
               word_count, column, pair_cost, best):  # pragma: no cover - compiled
    """score._aligned on estimated similarities, for every reading of a query name against
    every alias of its job's entries; each entry's best goes into ``best``, less what the
    two reading kinds cost (score.reading_cost; two kinds not compared give nothing). The
    scorer joins words on one side at a time: a joined reading against a joined alias
    gives nothing either."""
    most = 1
    for r in range(len(reading_job)):
        most = max(most, reading_first[r + 1] - reading_first[r])
    for a in range(len(word_count)):
        most = max(most, word_count[a])
    table = np.empty((most, most), np.float32)
    for r in range(len(reading_job)):
        job = reading_job[r]
        length = reading_first[r + 1] - reading_first[r]
        for a in range(job_alias_first[job], job_alias_first[job] + job_aliases[job]):
            count = word_count[a]
            cost = pair_cost[(reading_form[r] >> 1) & 7, (alias_form[a] >> 1) & 7]
            if count == 0 or length == 0 or cost < 0 or (reading_form[r] & alias_form[a] & 1):
                continue
            fill_table(table, matrix, job, reading_rows[reading_first[r]:reading_first[r + 1]],
                        reading_form[r], column[word_base[a]:word_base[a] + count],
                        alias_form[a])
            score = aligned_table(table, length, count) - cost
            best[alias_entry[a]] = max(best[alias_entry[a]], score)


@njit(cache=True, nogil=True)
def fill_table(table, matrix, job, rows, reading_form, columns,
                alias_form):  # pragma: no cover - compiled
    """The similarities of one reading's words (``rows``) and one alias's (``columns``)
    into the top left of ``table``. A word made of two only stands for a word it fits
    (score._joined_word_fits): against any other it counts nothing."""
    reading_joined = reading_form >> 4 if reading_form & 1 else -1
    alias_joined = alias_form >> 4 if alias_form & 1 else -1
    full = matrix.full[job]
    for i in range(len(rows)):
        for j in range(len(columns)):
            if columns[j] < full:
                cell = matrix.first[job] + rows[i] * full + columns[j]
                value, fits = matrix.values[cell], matrix.fits[cell]
            else:
                fits = (matrix.query_simple[matrix.query_first[job] + rows[i]]
                        == matrix.word_simple[matrix.word_first[job] + columns[j]])
                value = np.float32(100.0) if fits else np.float32(0.0)
            if (i == reading_joined or j == alias_joined) and not fits:
                value = np.float32(0.0)
            table[i, j] = value


@njit(cache=True, nogil=True)
def aligned_table(table, length, count):  # pragma: no cover - compiled
    """score._aligned on a filled table: repeatedly pair the most alike query and alias
    words still free (the first of equals, query word then alias word, as the scorer's
    stable sort does), sum what the pairs count, then charge the words left over."""
    shorter = min(length, count)
    total = 0.0
    for _ in range(shorter):
        top, top_i, top_j = np.float32(-1.0), 0, 0
        for i in range(length):
            for j in range(count):
                if table[i, j] > top:
                    top, top_i, top_j = table[i, j], i, j
        if top < 0:
            break
        total += counted(top)
        table[top_i, :count] = -1.0
        table[:length, top_j] = -1.0
    penalty = score.EXTRA_WORD if shorter >= 2 else score.EXTRA_WORD_MONONYM
    return total / shorter - abs(length - count) * penalty


@njit(cache=True, nogil=True)
def accumulated(numbers, weights, sums):  # pragma: no cover - compiled
    """Index._accumulate's loop: ``sums`` is all zero before and after; a number is met
    for the first time while its sum is zero (weights are above zero)."""
    distinct = np.empty(len(numbers), np.int64)
    count = 0
    for k in range(len(numbers)):
        number = numbers[k]
        if sums[number] == 0:
            distinct[count] = number
            count += 1
        sums[number] += weights[k]
    totals = np.empty(count, np.float64)
    for k in range(count):
        totals[k] = sums[distinct[k]]
        sums[distinct[k]] = 0
    return distinct[:count], totals


@njit(cache=True, nogil=True)
def postings_of(merged, shift):  # pragma: no cover - compiled
    """Sorted (key << shift | number) words as compressed rows: the distinct keys, where
    each key's numbers start, and the numbers; the same word twice (an entry's aliases
    sharing a key) counts once. Two passes, no temporary as long as the words."""
    mask = (np.uint64(1) << shift) - np.uint64(1)
    keys_count = 0
    values_count = 0
    for k in range(len(merged)):
        if k == 0 or merged[k] != merged[k - 1]:
            values_count += 1
            if k == 0 or (merged[k] >> shift) != (merged[k - 1] >> shift):
                keys_count += 1
    keys = np.empty(keys_count, np.uint64)
    starts = np.empty(keys_count + 1, np.int64)
    values = np.empty(values_count, np.uint32)
    key_at = -1
    value_at = 0
    for k in range(len(merged)):
        if k and merged[k] == merged[k - 1]:
            continue
        key = merged[k] >> shift
        if key_at < 0 or key != keys[key_at]:
            key_at += 1
            keys[key_at] = key
            starts[key_at] = value_at
        values[value_at] = merged[k] & mask
        value_at += 1
    starts[keys_count] = values_count
    return keys, starts, values


@njit(cache=True, nogil=True)
def typing_similarities(x, x_starts, y, y_starts, beside):  # pragma: no cover - compiled
    """score.typing_similarities' loop: the distance of each pair of words given as code
    points (``x``, ``y``) and where each word starts."""
    # In double precision, as the scorer's figures always were.
    count = len(x_starts) - 1
    out = np.zeros(count, np.float64)
    width = 1
    for k in range(count):
        width = max(width, y_starts[k + 1] - y_starts[k] + 1)
    previous2 = np.zeros(width)
    previous = np.zeros(width)
    current = np.zeros(width)
    for k in range(count):
        xa, la = x_starts[k], x_starts[k + 1] - x_starts[k]
        yb, lb = y_starts[k], y_starts[k + 1] - y_starts[k]
        for j in range(lb + 1):
            previous[j] = j
        for i in range(1, la + 1):
            xi = x[xa + i - 1]
            current[0] = i
            for j in range(1, lb + 1):
                yj = y[yb + j - 1]
                if xi == yj:
                    change = 0.0
                elif xi < 128 and yj < 128 and beside[xi, yj]:
                    change = 0.5
                else:
                    change = 1.0
                best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + change)
                if (i > 1 and j > 1 and xi == y[yb + j - 2] and x[xa + i - 2] == yj
                        and xi != x[xa + i - 2]):
                    best = min(best, previous2[j - 2] + 0.5)
                current[j] = best
            previous2, previous, current = previous, current, previous2
        longer = max(la, lb)
        out[k] = max(0.0, 100.0 * (1 - previous[lb] / longer)) if longer else 100.0
    return out
