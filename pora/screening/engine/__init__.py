"""The screening engine: plain Python, no Django and no database.

The web application, the API and the ``pora screen`` batch command share it:
:mod:`records` (what is compared), :mod:`names` (normalisation and transliteration),
:mod:`features` (one small scored function per fact), :mod:`score` (their sum and
reasons), :mod:`index` (candidate retrieval) and :mod:`readers` (file formats).
"""
