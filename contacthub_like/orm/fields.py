"""Field descriptors, the one place entity modules import them from.

The base class and single-value fields live in :mod:`.descriptors`; nested sections,
lists and free-form objects in :mod:`.nesting`.
"""

from __future__ import annotations

from .descriptors import (
    MISSING,
    Boolean,
    Choice,
    Date,
    DateTime,
    Field,
    Integer,
    Money,
    Number,
    String,
)
from .nesting import FreeForm, ListOf, Nested

__all__ = [
    "Field",
    "String",
    "Integer",
    "Number",
    "Boolean",
    "Date",
    "DateTime",
    "Money",
    "Choice",
    "Nested",
    "ListOf",
    "FreeForm",
    "MISSING",
]
