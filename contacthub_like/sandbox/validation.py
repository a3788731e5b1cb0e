"""A small validation framework for JSON documents: specs that check and normalise a value.

Each :class:`Spec` checks one value, appends every problem it finds to ``errors`` with a
JSON pointer (so a client sees all of them at once, as the real API reports them) and
returns the normalised value.  The hub's schemas (:mod:`.schema`) are tables of these.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import field_error, pointer
from .timefmt import format_hub, parse_date, parse_datetime

Errors = list[dict[str, Any]]
MAX_SECTION_BYTES = 64 * 1024


class Spec:
    """A node of the document schema: ``check`` returns the normalised value or records errors."""

    nullable = True

    def empty(self) -> Any:
        return None

    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:  # pragma: no cover
        raise NotImplementedError


def _type_error(path: tuple[Any, ...], errors: Errors, expected: str, value: Any) -> None:
    errors.append(
        field_error(pointer(*path), f"expected {expected}, got {_json_type(value)}", "INVALID_TYPE")
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class Str(Spec):
    def __init__(
        self,
        pattern: str | None = None,
        choices: frozenset[str] | None = None,
        check_fn: Any = None,
        what: str = "string",
    ) -> None:
        self.pattern: re.Pattern[str] | None = re.compile(pattern) if pattern else None
        self.choices = choices
        self.check_fn = check_fn
        self.what = what

    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            _type_error(path, errors, "string or null", value)
            return None
        if self.choices is not None and value not in self.choices:
            errors.append(
                field_error(pointer(*path), f"{value!r} is not one of {sorted(self.choices)}", "INVALID_ENUM")
            )
        elif self.pattern is not None and not self.pattern.match(value):
            errors.append(
                field_error(pointer(*path), f"{value!r} is not a valid {self.what}", "INVALID_FORMAT")
            )
        elif self.check_fn is not None and not self.check_fn(value):
            errors.append(
                field_error(pointer(*path), f"{value!r} is not a valid {self.what}", "INVALID_FORMAT")
            )
        return value


def Enum(*values: str) -> Str:  # noqa: N802 - reads like a type in the schema tables
    return Str(choices=frozenset(values))


class Date(Spec):
    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if value is None:
            return None
        if not isinstance(value, str) or parse_date(value) is None:
            errors.append(
                field_error(
                    pointer(*path), f"{value!r} is not a date in the form YYYY-MM-DD", "INVALID_FORMAT"
                )
            )
            return None
        return value


class DateTime(Spec):
    """Accepts any ISO-8601 spelling; stores the hub's own ``...SSS+0000`` form so SQL can sort it."""

    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if value is None:
            return None
        dt = parse_datetime(value) if isinstance(value, str) else None
        if dt is None:
            errors.append(
                field_error(pointer(*path), f"{value!r} is not an ISO-8601 date-time", "INVALID_FORMAT")
            )
            return None
        return format_hub(dt)


class Int(Spec):
    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            _type_error(path, errors, "integer or null", value)
            return None
        return value


class WholeNumber(Int):
    """An integer, or a string of decimal digits (``"1994"``) stored as that integer.

    The original SDK documents ``add_education(startYear='1994')``: the years of an education
    are accepted both ways.  Anything else (``"19.5"``, ``"nineteen"``) is refused like a bad integer.
    """

    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if isinstance(value, str) and _WHOLE_NUMBER.match(value):
            return int(value)
        return super().check(value, path, errors)


WHOLE_NUMBER_PATTERN = r"^-?[0-9]{1,9}$"
_WHOLE_NUMBER = re.compile(WHOLE_NUMBER_PATTERN)


class Num(Spec):
    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _type_error(path, errors, "number or null", value)
            return None
        return value


class Bool(Spec):
    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if value is None:
            return None
        if not isinstance(value, bool):
            _type_error(path, errors, "boolean or null", value)
            return None
        return value


class FreeObject(Spec):
    """Any JSON object (``extended``, event ``properties``): only the type is checked."""

    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            _type_error(path, errors, "object or null", value)
            return None
        return value


class Arr(Spec):
    """A list; ``null`` is stored as ``[]`` (that is what the API returns for empty lists)."""

    def __init__(self, item: Spec) -> None:
        self.item = item

    def empty(self) -> Any:
        return []

    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if value is None:
            return []
        if not isinstance(value, list):
            _type_error(path, errors, "array", value)
            return []
        return [self.item.check(v, path + (i,), errors) for i, v in enumerate(value)]


class Obj(Spec):
    """A closed object: unknown keys are errors, missing keys are filled with their empty value."""

    def __init__(
        self, fields: dict[str, Spec], *, required: tuple[str, ...] = (), nullable: bool = True
    ) -> None:
        self.fields = fields
        self.required = required
        self.nullable = nullable

    def empty(self) -> Any:
        return None if self.nullable else self.full_empty()

    def full_empty(self) -> dict[str, Any]:
        return {k: s.empty() for k, s in self.fields.items()}

    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if value is None:
            return self.empty()
        if not isinstance(value, dict):
            _type_error(path, errors, "object or null", value)
            return self.empty()
        for key in value:
            if key not in self.fields:
                errors.append(
                    field_error(pointer(*path, key), f"unknown property {key!r}", "UNKNOWN_PROPERTY")
                )
        for key in self.required:
            if value.get(key) is None:
                errors.append(field_error(pointer(*path, key), f"{key!r} is required", "REQUIRED"))
        return {k: s.check(value.get(k), path + (k,), errors) for k, s in self.fields.items()}


def check_section_size(name: str, value: Any, errors: Errors) -> None:
    """Record a TOO_LARGE error when a free-form section (``base``, ``extended``, an event's
    ``properties``...) exceeds the API's 64 KB limit, measured as its compact UTF-8 JSON."""
    if value is None:
        return
    size = (
        len(value.encode("utf-8"))
        if isinstance(value, str)
        else len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    )
    if size > MAX_SECTION_BYTES:
        errors.append(field_error(pointer(name), f"{name} is larger than 64 KB ({size} bytes)", "TOO_LARGE"))
