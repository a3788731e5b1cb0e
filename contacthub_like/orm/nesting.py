"""Fields that hold structure: nested sections, lists and free-form objects.

A section is wrapped on first read and cached, so later reads and edits share it; a list
is copied on first read, so in-place edits (``append``, ``+=``) never touch the hub's
document and the diff sees them. Wrapping a section is the hot path of hydration: the
record module hands this one the slots' own setters (see ``record._install_fast_path``) so
it costs one Python frame.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .. import wire
from .descriptors import Field, I, _owner_name

if TYPE_CHECKING:  # pragma: no cover
    from ..query.criteria import Path
    from .record import Properties, Record

#: the record class of a nested section
R = TypeVar("R", bound="Record")

__all__ = ["Nested", "ListOf", "FreeForm", "decode_free"]

#: Record._from_source's function, set by the record module once it is defined
_PLAIN_FROM_SOURCE: Any = None
#: setters of Record's _source, _values and _parent_ref slots, set by the record module too
_set_source: Any = None
_set_values: Any = None
_set_parent: Any = None
#: the record module's Record and Properties classes, set by it once they are defined (it imports
#: this module, so a function-level import would be paid on every free-form value instead)
_Record: Any = None
_Properties: Any = None
_new_object = object.__new__
_weak_ref = weakref.ref


class Nested(Field[R]):
    """A nested object with its own schema (``base``, ``base.contacts``, ``tags``...).

    ``Nested(CustomerBase)`` is a ``Nested[CustomerBase]``: an instance reads the section as a
    ``CustomerBase`` (so its own fields are typed too); a class reads a query path.
    """

    passthrough = False

    def __init__(self, record_cls: type[R], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.record_cls = record_cls
        #: whether record_cls builds sections the plain way (decided on first read, when classes are final)
        self._plain: bool | None = None

    @overload
    def __get__(self, instance: None, owner: type) -> Path: ...
    @overload
    def __get__(self, instance: Record, owner: type) -> R: ...
    def __get__(self, instance: Record | None, owner: type) -> Any:
        if instance is None:
            return super().__get__(instance, owner)
        # the section is wrapped once, on first read, and cached: later reads and edits share it.
        # This runs once per section read, the hot path of hydration: one frame, no further calls
        # into Python (the slots are set through their own C setters, see record._install_fast_path).
        values = instance._values
        name = self.name
        if name in values:
            return values[name]
        raw = instance._source.get(name)
        if type(raw) is not dict:
            return raw
        cls = self.record_cls
        if self._plain or (self._plain is None and self._decide_plain()):
            section = _new_object(cls)
            _set_source(section, raw)
            _set_values(section, {})
            _set_parent(section, _weak_ref(instance))
        else:
            section = cls._from_source(raw, instance)
        values[name] = section
        return section

    def _decide_plain(self) -> bool:
        """Whether record_cls builds sections the plain way (asked on first read: classes are final)."""
        self._plain = self.record_cls._from_source.__func__ is _PLAIN_FROM_SOURCE  # type: ignore[attr-defined]
        return self._plain

    def decode(self, raw: Any, parent: Record) -> Any:
        if isinstance(raw, dict):
            return self.record_cls._from_source(raw, parent)
        return raw

    if TYPE_CHECKING:  # a dict, a Properties or another record is copied into the section's class

        def __set__(self, instance: Record, value: R | Mapping[str, Any] | Record | None) -> None: ...

    def check(self, value: Any, parent: Record) -> Any:
        return self.record_cls._adopt(value, parent, f"{_owner_name(parent)}.{self.name}")

    def encode(self, value: Any) -> Any:
        return wire.encode_value(value)

    def child(self, name: str) -> Field | None:
        meta = self.record_cls._meta
        return meta.fields.get(meta.aliases.get(name, name))


class ListOf(Field[list[I]]):
    """A JSON array. Arrays are replaced whole on PATCH, so any change resends the full list.

    ``ListOf(Nested(Job))`` is a ``ListOf[Job]``: an instance reads a ``list[Job]`` (an empty
    list when the hub sent none, so it can be extended in place); ``ListOf()`` holds any values.
    """

    passthrough = False

    def __init__(self, item: Field[I] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item = item
        #: items are kept as the hub sent them (strings, numbers): reading copies the list, nothing more
        self._plain_items = item is not None and item.passthrough

    @overload
    def __get__(self, instance: None, owner: type) -> Path: ...
    @overload
    def __get__(self, instance: Record, owner: type) -> list[I]: ...
    def __get__(self, instance: Record | None, owner: type) -> Any:
        if instance is None:
            return super().__get__(instance, owner)
        values = instance._values
        name = self.name
        if name in values:
            return values[name]
        raw = instance._source.get(name)
        if type(raw) is list and self._plain_items:
            # the common case (tags, strings): a shallow copy, so in-place edits (append, +=) never
            # touch the hub's document and the diff sees them; no further frame for decode()
            value = values[name] = raw.copy()
            return value
        # a missing array reads as an empty list that can be extended in place (``+=``, append);
        # an untouched empty list is never reported as a change
        value = values[name] = [] if raw is None else self.decode(raw, instance)
        return value

    def decode(self, raw: Any, parent: Record) -> Any:
        if not isinstance(raw, list):
            return raw
        item = self.item
        if item is None:
            return [decode_free(v, parent) for v in raw]
        if item.passthrough:
            return list(raw)  # a copy: in-place edits must not touch the hub's document
        return [item.decode(v, parent) for v in raw]

    if TYPE_CHECKING:

        def __set__(self, instance: Record, value: list[I] | tuple[I, ...] | None) -> None: ...

    def check(self, value: Any, parent: Record) -> Any:
        if value is None:
            return None
        if not isinstance(value, (list, tuple)):
            raise self._type_error(_owner_name(parent), value, "a list or None")
        item = self.item
        if item is None:
            return [_free_value(v, parent) for v in value]
        return [item.check(v, parent) for v in value]

    def child(self, name: str) -> Field | None:
        return self.item.child(name) if self.item is not None else None


class FreeForm(Field["Properties"]):
    """A schema-less object (``extended``, event ``properties``): any keys, kept as :class:`Properties`."""

    passthrough = False

    if TYPE_CHECKING:  # read as Properties (any attribute); assigned from a dict or a record

        @overload
        def __get__(self, instance: None, owner: type) -> Path: ...
        @overload
        def __get__(self, instance: Record, owner: type) -> Properties: ...
        def __get__(self, instance: Record | None, owner: type) -> Any: ...
        def __set__(self, instance: Record, value: Mapping[str, Any] | Record | None) -> None: ...

    def decode(self, raw: Any, parent: Record) -> Any:
        if isinstance(raw, dict):
            return _Properties._from_source(raw, parent)
        return raw

    def check(self, value: Any, parent: Record) -> Any:
        return _Properties._adopt(value, parent, f"{_owner_name(parent)}.{self.name}")


def _free_value(value: Any, parent: Record) -> Any:
    """Normalise a value stored in a free-form section: dicts become Properties, lists track edits."""
    if isinstance(value, _Record):
        return value
    if isinstance(value, dict):
        return _Properties._adopt(value, parent, "value")
    if isinstance(value, (list, tuple)):
        return [_free_value(v, parent) for v in value]
    return value


def decode_free(raw: Any, parent: Record) -> Any:
    """Decode a JSON value found in a free-form section (no schema to say it is a date)."""
    if isinstance(raw, dict):
        return _Properties._from_source(raw, parent)
    if isinstance(raw, list):
        return [decode_free(v, parent) for v in raw]
    return raw
