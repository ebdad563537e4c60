"""Benchmarks against the targets the issues set (``pora bench <area>``).

Not part of the product's areas: it sits above them all and may use any of them.
"""
