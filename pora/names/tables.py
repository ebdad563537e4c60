"""Sorted text tables searched in place, without a Python object per entry.

The readings modules need a few hundred thousand dictionary entries (kanji words with their
readings, Chinese characters and words with their Jyutping). As a dict they cost about 200
bytes each in string and dict objects: pykakasi's dictionary held that way is ~114 MiB
resident in every process that reads one Japanese name, ToJyutping's trie ~71 MiB. Kept as
one text of sorted ``key<TAB>value`` lines, an entry costs its characters (two bytes each),
and a lookup is a binary search over the text: about twenty comparisons of short slices.

The data files are written by :mod:`pora.names.data.build_tables`.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from importlib import resources


class SortedLines:
    """Lines ``key<TAB>value``, sorted by key in code point order, each ending in a newline."""

    __slots__ = ("_start", "_text")

    def __init__(self, text: str, start: int = 0) -> None:
        self._text = text
        self._start = start  # where the lines begin (after the file's header)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """Every (key, value), in order: for small tables read whole into a dict."""
        for line in self._text[self._start:].splitlines():
            key, _, value = line.partition("\t")
            yield key, value

    def _first_at_or_after(self, key: str) -> int:
        """The offset of the first line whose key is not smaller than ``key``.

        A binary search over character offsets, each probe moved back to the start of its
        line: ``lo`` and ``hi`` are line starts, every line before ``lo`` is smaller and
        every line from ``hi`` on is not.
        """
        text = self._text
        lo, hi = self._start, len(text)
        while lo < hi:
            mid = (lo + hi) // 2
            line = text.rfind("\n", lo, mid) + 1 or lo
            tab = text.find("\t", line)
            if text[line:tab] < key:
                lo = text.find("\n", tab) + 1
            else:
                hi = line
        return lo

    def seek(self, key: str) -> tuple[str | None, bool]:
        """The value of ``key`` (None if absent), and whether a longer key starts with it.

        The second answer lets a caller walk a word character by character as through a
        trie, and stop where no dictionary word continues.
        """
        text = self._text
        line = self._first_at_or_after(key)
        if line >= len(text):
            return None, False
        tab = text.find("\t", line)
        end = text.find("\n", tab)
        if text[line:tab] != key:
            return None, text.startswith(key, line)
        return text[tab + 1:end], text.startswith(key, end + 1)

    def get(self, key: str) -> str | None:
        """The value of ``key``, None if the table has no such line."""
        return self.seek(key)[0]


def read_table(name: str) -> SortedLines:
    """A table from ``pora/names/data``: ``#`` header lines, then sorted lines (gzip if .gz).

    The file is decoded once into one string; the header stays in it, skipped by offset,
    rather than copying several megabytes to cut it off.
    """
    raw = resources.files("pora.names").joinpath(f"data/{name}").read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8")
    del raw
    start = 0
    while start < len(text) and text[start] in "#\n":
        start = text.find("\n", start) + 1 or len(text)
    return SortedLines(text, start)
