"""Names of persons and companies, compared across spellings and scripts.

One Django-free package below every area (registry search, guest linking, screening, and
``pora screen`` without a database all use it):

- :mod:`.folding` — case, accents and punctuation folded away (``fold``), and the keys the
  registry searches and links by (``search_key``, ``sponsor_key``);
- :mod:`.similarity` — token-order-tolerant similarity of two folded names (0–100);
- :mod:`.transliteration` — any script to Latin words (Han, Hangul, Cyrillic, Arabic …),
  titles and connectors dropped, with the phonetic and skeleton codes screening indexes.
"""
