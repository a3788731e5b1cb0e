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
from .verbs import (
    Creatable,
    Deletable,
    EntitySession,
    Listable,
    Refreshable,
    Replaceable,
    Resource,
    Updatable,
)

__all__ = [
    "MISSING",
    "Boolean",
    "Choice",
    "Date",
    "DateTime",
    "Creatable",
    "Deletable",
    "Entity",
    "EntitySession",
    "Listable",
    "Refreshable",
    "Replaceable",
    "Resource",
    "Updatable",
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
