"""Keeping spreadsheet formulas out of CSV exports, reversibly.

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some, a tab or carriage return) as a formula: ``=HYPERLINK("http://x","y")`` in a
customer's name becomes a link in whoever opens the export (CSV injection, OWASP).  Exports
therefore prefix such cells with ``'``, which spreadsheets show as text.  To keep every
value recoverable, a cell that already starts with ``'`` is prefixed too, and the importer
removes exactly one ``'`` from a cell that starts with ``'`` followed by one of those
characters: ``restore(neutralise(text)) == text`` for any text.
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "neutralise", "restore"]

#: first characters that make a spreadsheet evaluate a cell
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"
_ESCAPED = (*FORMULA_STARTS, _ESCAPE)


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it without running it (``'`` in front when needed)."""
    return _ESCAPE + text if text.startswith(_ESCAPED) else text


def restore(text: str) -> str:
    """The value :func:`neutralise` was given; other text is returned as it is."""
    return text[1:] if text.startswith(_ESCAPE) and text[1:2].startswith(_ESCAPED) else text
