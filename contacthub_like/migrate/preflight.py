"""Checking an input file before the first request: encoding, delimiter, header, size.

A wrong encoding used to end in a traceback part way through, a wrong column in a thousand
identical rejects, and a ``;``-separated file in one giant column.  :func:`inspect_file`
reads the file once, before anything is sent, and either returns what the import needs
(the delimiter to use, how many records there are) or raises
:class:`~contacthub_like.errors.InvalidValue` saying what is wrong and how to fix it.
"""

from __future__ import annotations

import codecs
import csv
import os
from typing import Any

import attrs

from ..errors import InvalidValue

__all__ = ["FileInfo", "inspect_file", "DELIMITERS"]

#: delimiters recognised when none is given
DELIMITERS = ",;\t|"
_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


@attrs.frozen
class FileInfo:
    """What an import needs to know about its input before reading it."""

    records: int
    delimiter: str = ","
    headers: tuple[str, ...] = ()
    #: a note for the user (the delimiter that was guessed), or None
    note: str | None = None


def inspect_file(
    path: str | os.PathLike[str],
    fmt: str,
    *,
    mapping: Any = None,
    encoding: str = "utf-8",
    delimiter: str | None = None,
) -> FileInfo:
    """Read ``path`` once: refuse what cannot work, count the records, settle the CSV delimiter."""
    _check_encoding_name(encoding)
    header_line, nonblank = _scan(path, encoding)
    if fmt != "csv":
        return FileInfo(records=nonblank)
    if header_line is None:
        return FileInfo(records=0, delimiter=delimiter or ",")
    note = None
    if delimiter is None:
        delimiter = _sniff(header_line)
        if delimiter != ",":
            note = f"the header is separated by {_NAMES[delimiter]}: reading the file that way (--delimiter)"
    elif len(delimiter) != 1:
        raise InvalidValue(f"--delimiter must be one character, such as ';' or '\\t', got {delimiter!r}")
    headers = next(csv.reader([header_line], delimiter=delimiter))
    _check_headers(path, headers, delimiter, mapping)
    with open(path, encoding=encoding, newline="") as fh:
        try:
            rows = sum(1 for row in csv.reader(fh, delimiter=delimiter) if row)
        except csv.Error:
            rows = nonblank  # malformed rows are reported one by one during the import
    return FileInfo(records=max(rows - 1, 0), delimiter=delimiter, headers=tuple(headers), note=note)


def _check_encoding_name(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InvalidValue(
            f"unknown encoding {encoding!r}; use a Python codec name such as utf-8, latin-1 or cp1252"
        ) from None


def _scan(path: str | os.PathLike[str], encoding: str) -> tuple[str | None, int]:
    """The first non-blank line and the number of non-blank lines, decoding the whole file in chunks
    (memory stays flat) so an encoding error is found before anything is sent."""
    decoder = codecs.getincrementaldecoder(encoding)()
    first: str | None = None
    nonblank = 0
    newlines = 0
    pending = ""
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(1 << 20)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                lineno = newlines + chunk.count(b"\n", 0, max(exc.start, 0)) + 1
                raise InvalidValue(
                    f"{os.fspath(path)!r} is not valid {encoding}: a byte on line {lineno} cannot be "
                    "decoded; pass the file's encoding, e.g. --encoding latin-1 "
                    "(or cp1252 for files saved by Excel on Windows)"
                ) from None
            newlines += chunk.count(b"\n")
            lines = (pending + text).split("\n")
            pending = lines.pop() if chunk else ""
            for line in lines + ([pending] if not chunk and pending else []):
                if line.strip():
                    nonblank += 1
                    if first is None:
                        first = line.rstrip("\r").lstrip("\ufeff")
            if not chunk:
                return first, nonblank


def _sniff(header_line: str) -> str:
    """The delimiter of a header line: the one candidate that splits it, commas when in doubt."""
    try:
        found = csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","
    return found if found in DELIMITERS else ","


def _check_headers(path: Any, headers: list[str], delimiter: str, mapping: Any) -> None:
    name = os.fspath(path)
    if len(headers) == 1:
        others = [d for d in DELIMITERS if d != delimiter and d in headers[0]]
        if others:
            raise InvalidValue(
                f"the header of {name!r} is one column holding {_NAMES[others[0]]} ({headers[0][:60]!r}); "
                f"if the file is separated by {_NAMES[others[0]]}, pass --delimiter {others[0]!r}"
            )
    if mapping is None:
        from .sources import ColumnMapping

        mapping = ColumnMapping()
    _, unknown = mapping.targets(headers)
    if unknown:
        problems = "; ".join(f"{header!r}: {why}" for header, why in unknown.items())
        raise InvalidValue(
            f"the header of {name!r} has columns that have no place in a customer ({problems}); "
            "rename them to paths such as base.firstName, or map them in a --mapping file "
            "(null skips a column)"
        )
