"""Names of persons and companies, compared across spellings and scripts.

One Django-free package below every area (registry search, guest linking, screening, and
``pora screen`` without a database all use it):

- :mod:`.folding` — case, accents and punctuation folded away (``fold``), and the keys the
  registry searches and links by (``search_key``, ``sponsor_key``);
- :mod:`.similarity` — token-order-tolerant similarity of two folded names (0–100);
- :mod:`.transliteration` — any script to Latin words (Han, Hangul, Cyrillic, Arabic …),
  titles and connectors dropped, with the phonetic and skeleton codes screening indexes;
- :mod:`.japanese` — kanji and kana names as a Japanese passport spells them
  (``japanese_readings``: 田中 宏 → tanaka hiroshi), and ``looks_japanese``;
- :mod:`.chinese` — Wade-Giles names read as pinyin (``chinese_readings``: Chiang Ching-kuo
  → jiang jing guo), Chinese characters as Hong Kong spells them (``cantonese_readings``:
  陳大文 → chan tai man), and Hong Kong family-name spellings' pinyin (Chan → Chen);
- :mod:`.nicknames` — hypocorisms (``name_groups``, ``are_hypocorisms``: Misha is Mikhail,
  Bob is Robert, Mohd is Muhammad).

The readings modules read their dictionaries on first use, not on import, so ``pora
screen`` and Django start as fast as before: compact tables in ``data/`` written from
pykakasi and ToJyutping by :mod:`.data.build_tables` (~6 MiB resident together, where the
libraries took ~185 MiB), searched in place by :mod:`.tables`.
"""
