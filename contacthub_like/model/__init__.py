"""The ORM core: field descriptors, records with change tracking, free-form Properties, entities."""

from .entity import Entity
from .fields import (
    MISSING,
    Boolean,
    Choice,
    Date,
    DateTime,
    Field,
    FreeForm,
    Integer,
    ListOf,
    Money,
    Nested,
    Number,
    String,
)
from .record import Properties, Record
from .tracking import apply_merge_patch, copy_json, dict_diff

__all__ = [
    "MISSING",
    "Boolean",
    "Choice",
    "Date",
    "DateTime",
    "Entity",
    "Field",
    "FreeForm",
    "Integer",
    "ListOf",
    "Money",
    "Nested",
    "Number",
    "Properties",
    "Record",
    "String",
    "apply_merge_patch",
    "copy_json",
    "dict_diff",
]

_ENTITY_NAMES = frozenset({"Customer", "Event", "Education", "Job", "Like", "Subscription"})


def __getattr__(name: str):  # pragma: no cover - thin compatibility hook
    """``from contacthub_like.model import Education`` (a path the original docs used) resolves lazily,
    because the entities themselves are built on this package."""
    if name in _ENTITY_NAMES:
        from .. import entities

        return getattr(entities, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
