"""The demo: a synthetic Jakarta Utara generated around one reference date (``pora demo``).

Not part of the product's areas: it sits above them all and may use any of them.
"""
