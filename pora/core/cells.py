"""Spreadsheet text that must never run as a formula (formula or "CSV" injection).

Names, passports and notes in PORA's downloads come from uploaded files and lodging
software: a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) would be a live formula in the officer's Excel or LibreOffice. An XLSX cell
says it is text by its type; a CSV cell cannot, so it gets a leading apostrophe, which the
spreadsheet shows as text. The importers take that apostrophe off again, so that a
rejected-rows file fixed and uploaded again keeps a phone number such as ``+62 21 …``.

Nothing here needs Django: the screening engine's readers use it too.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset("=+-@\t\r")
QUOTE = "'"


def formula_like(value: object) -> bool:
    """Text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value[:1] in FORMULA_STARTS


def csv_cell(value: object) -> object:
    """``value`` as a CSV download writes it: formula-like text behind an apostrophe."""
    return QUOTE + value if formula_like(value) else value  # type: ignore[operator]


def from_csv_cell(text: str) -> str:
    """An uploaded cell without the apostrophe :func:`csv_cell` put before a formula-like
    text; any other text as it is."""
    if text[:1] == QUOTE and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def from_csv_cells(cells: list[str]) -> list[str]:
    """A row's cells through :func:`from_csv_cell` (the same list when none starts with an
    apostrophe, as in nearly every file)."""
    if not any(cell[:1] == QUOTE for cell in cells):
        return cells
    return [from_csv_cell(cell) for cell in cells]
