"""Write the reading tables of ``pora.names`` from pykakasi and ToJyutping.

    uv sync --extra tables
    python -m pora.names.data.build_tables

The product reads only the files written here (see :mod:`pora.names.tables`); the two
libraries are needed to rebuild them, not to run PORA. Kept resident, pykakasi's dictionary
costs ~114 MiB and ToJyutping's trie ~71 MiB in every process that reads one name, which
pushed ``pora bench screening --only memory`` past its 2 GiB ceiling.

Written files, each with a header saying where the data comes from and its licence:

- ``kanji_words.tsv.gz``: the words of pykakasi's dictionary a name can be made of (kanji,
  with 々 〆 〇 ヶ ヵ; every length) and the reading pykakasi's converter picks for each;
- ``kanji_variants.txt``: the variant kanji pykakasi reads as their standard form;
- ``cantonese_jyutping.txt``: every Han character's first Jyutping in ToJyutping, and the
  words of its dictionary whose context changes a character's spelling (see
  :func:`jyutping_lines`).

Reading pykakasi's and ToJyutping's data files needs their internals (a pickle and a
module-level trie): the library versions are written into each header, and a newer version
may need this script adapted.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.metadata
import pickle
from collections import defaultdict
from pathlib import Path

from pora.names.chinese import _is_han
from pora.names.japanese import _JAPANESE_ONLY_MARKS, _in_kanji_range

DATA = Path(__file__).resolve().parent
KANJI_WORDS = "kanji_words.tsv.gz"
KANJI_VARIANTS = "kanji_variants.txt"
JYUTPING = "cantonese_jyutping.txt"

_PYKAKASI_NOTICE = """\
Source: the KAKASI dictionary as pykakasi {version} ships it ({file}),
https://codeberg.org/miurahr/pykakasi
  PyKakasi and the KAKASI dictionary: Copyright (C) 2010-2024 Hiroshi Miura and contributors.
  KAKASI dictionary: Copyright (C) 1992 1993 1994 Hironobu Takahashi, Masahiko Sato,
  Yukiyoshi Kameyama, Miki Inooka, Akihiko Sasaki, Dai Ando, Junichi Okukawa, Katsushi Sato
  and Nobuhiro Yamagishi (made from the SKK dictionary and KAKASI's own of 1992).
  UniDic parts: Copyright (c) 2011-2021, The UniDic Consortium, relicensed by pykakasi.
Licence: GNU General Public License, version 3 or (at your option) any later version
(GPL-3.0-or-later), as pykakasi; PORA (AGPL-3.0-or-later) combines it under section 13 of
both licences. https://www.gnu.org/licenses/gpl-3.0.html
"""


def _header(title: str, notice: str, layout: str) -> str:
    lines = [title, "Written by pora/names/data/build_tables.py: rebuild it, do not edit.", "",
             *notice.rstrip("\n").split("\n"), "", *layout.rstrip("\n").split("\n")]
    return "".join(f"# {line}".rstrip() + "\n" for line in lines) + "\n"


def _table(pairs: dict[str, str]) -> str:
    """Sorted ``key<TAB>value`` lines: code point order, which Python's ``<`` on str is."""
    return "".join(f"{key}\t{pairs[key]}\n" for key in sorted(pairs))


# --- Japanese (pykakasi) -------------------------------------------------------------

def _pykakasi_file(name: str) -> object:
    from pykakasi.properties import Configurations

    with open(Configurations.dictpath(name), "rb") as handle:
        return pickle.load(handle)  # the library's own packaged data, as pykakasi loads it


def kanji_words() -> dict[str, str]:
    """The dictionary's words that name words can be made of, with their reading.

    pykakasi's converter takes, at a kanji, the longest dictionary word the text starts
    with, read by the first of its readings that has no okurigana condition (only 色 has
    one, read しょく after そん). Words holding hiragana or other katakana are left out:
    they need okurigana (書く), which a name does not have; a name mixing kanji and kana
    (中島みゆき) is read kanji word by kana run, as pykakasi reads it.
    """
    from pykakasi.properties import Configurations

    words: dict[str, str] = {}
    for table in _pykakasi_file(Configurations.jisyo_kanwa).values():
        for word, readings in table.items():
            if not all(_in_kanji_range(ch) or ch in _JAPANESE_ONLY_MARKS for ch in word):
                continue
            reading = next((kana for kana, condition in readings if condition is None), None)
            if reading:
                assert "\t" not in reading and "\n" not in reading, word
                words[word] = reading
    return words


def kanji_variants() -> dict[str, str]:
    """Variant kanji → the standard form pykakasi looks words up by (itaiji: 嶋 → 島).

    The dictionary also deletes variation selectors; :mod:`pora.names.japanese` removes
    those before reading, so only the one-to-one mappings are kept.
    """
    from pykakasi.properties import Configurations

    variants = {}
    for code, standard in _pykakasi_file(Configurations.jisyo_itaiji).items():
        if standard:
            assert len(standard) == 1, (code, standard)
            variants[chr(code)] = standard
    return variants


def write_japanese() -> None:
    version = importlib.metadata.version("pykakasi")
    words = kanji_words()
    header = _header(
        "Kanji words and their readings, for pora.names.japanese.",
        _PYKAKASI_NOTICE.format(version=version, file="kanwadict4.db"),
        "Words of kanji only (with 々 〆 〇 ヶ ヵ), every length, each with the reading\n"
        "pykakasi's converter gives it (the first without an okurigana condition).\n"
        "word<TAB>reading in hiragana, sorted by code point.")
    data = (header + _table(words)).encode("utf-8")
    (DATA / KANJI_WORDS).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    variants = kanji_variants()
    header = _header(
        "Variant kanji read as their standard form, for pora.names.japanese.",
        _PYKAKASI_NOTICE.format(version=version, file="itaijidict4.db"),
        "variant<TAB>standard, sorted by code point.")
    (DATA / KANJI_VARIANTS).write_text(header + _table(variants), encoding="utf-8")
    print(f"{KANJI_WORDS}: {len(words)} words; {KANJI_VARIANTS}: {len(variants)} variants")


# --- Cantonese (ToJyutping) ----------------------------------------------------------

def _tojyutping_entries() -> dict[str, list[str]]:
    """Every key of ToJyutping's trie with its first reading, one Jyutping per character.

    ``get_jyutping_candidates`` ranks a character's readings by the longest dictionary
    word that covers it (the earliest of equally long ones), that word's first reading
    first; the first reading of each key is all that ranking needs.
    """
    root = importlib.import_module("ToJyutping.Trie").root
    entries: dict[str, list[str]] = {}
    stack = [("", root)]
    while stack:
        prefix, node = stack.pop()
        for ch, child in node.items():
            key = prefix + ch
            if child.v:
                first = child.v[0]
                syllables = [first.jyutping] if len(key) == 1 else [p.jyutping for p in first]
                assert len(syllables) == len(key), key
                entries[key] = syllables
            stack.append((key, child))
    return entries


def _toneless(syllable: str) -> str:
    return syllable.rstrip("0123456789")


def _shadows(word: str, rival: str, changed: set[int]) -> bool:
    """Whether ``word`` can hide from ``rival`` a character the rival spells otherwise.

    ``changed`` holds the rival's positions whose reading is not the character's own. The
    rival is placed at every offset where the two overlap and agree on the characters they
    share; the word matters if a changed position of the rival falls inside the overlap.
    """
    for offset in range(1 - len(rival), len(word)):
        shared = [i for i in range(len(rival)) if 0 <= offset + i < len(word)]
        if all(rival[i] == word[offset + i] for i in shared) and changed.intersection(shared):
            return True
    return False


def jyutping_lines() -> dict[str, str]:
    """Every Han character with its first Jyutping, and the words that matter in context.

    A word matters when it spells a character otherwise than the character alone would
    (tones aside: Hong Kong spelling writes none), or when leaving it out could let a word
    no longer than it, overlapping it in some name, take over a character that the other
    word spells otherwise; a word that only repeats its characters' own readings is left
    out otherwise (the longest word covering a character decides its reading).
    """
    entries = {key: syllables for key, syllables in _tojyutping_entries().items()
               if all(_is_han(ch) for ch in key)}
    single = {key: syllables[0] for key, syllables in entries.items() if len(key) == 1}
    words = {key: syllables for key, syllables in entries.items()
             if len(key) > 1 and all(ch in single for ch in key)}

    changes = {word: {i for i, (ch, syllable) in enumerate(zip(word, syllables, strict=True))
                      if _toneless(syllable) != _toneless(single[ch])}
               for word, syllables in words.items()}
    changing = {word for word, changed in changes.items() if changed}
    by_char: dict[str, list[str]] = defaultdict(list)
    for word in changing:
        for ch in set(word):
            by_char[ch].append(word)
    kept = set(changing)
    for word in words.keys() - changing:
        rivals = {other for ch in set(word) for other in by_char[ch] if len(other) <= len(word)}
        if any(_shadows(word, other, changes[other]) for other in rivals):
            kept.add(word)
    lines = {ch: syllable for ch, syllable in single.items()}
    lines.update({word: " ".join(words[word]) for word in kept})
    return lines


def write_cantonese() -> None:
    version = importlib.metadata.version("tojyutping")
    dist = importlib.metadata.distribution("tojyutping")
    licence = (dist.read_text("LICENSE") or "").strip()
    assert licence.startswith("BSD 2-Clause"), "ToJyutping's licence changed: review it"
    notice = (f"Source: ToJyutping {version} (https://github.com/CanCLID/ToJyutping), its\n"
              "dictionary trie. Licence: BSD-2-Clause, whose notice follows.\n\n" + licence)
    lines = jyutping_lines()
    header = _header(
        "Chinese characters and words with their Jyutping, for pora.names.chinese.",
        notice,
        "Every Han character with the first Jyutping ToJyutping gives it alone, and the words\n"
        "whose first reading spells a character otherwise in that context,\n"
        "or that could shadow such a word. key<TAB>one Jyutping per character, sorted by\n"
        "code point.")
    (DATA / JYUTPING).write_text(header + _table(lines), encoding="utf-8")
    words = sum(1 for key in lines if len(key) > 1)
    print(f"{JYUTPING}: {len(lines) - words} characters, {words} words")


def main() -> None:
    write_japanese()
    write_cantonese()
    for name in (KANJI_WORDS, KANJI_VARIANTS, JYUTPING):
        print(f"{name}: {(DATA / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

