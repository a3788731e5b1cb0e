"""Field descriptors: one object serves both the class (query paths) and the instance (values).

Accessed on a class, a field returns a query path (``Customer.base.firstName``
starts a criterion); accessed on an instance it returns the decoded value;
assignment validates the value and records it as a change. Each field knows
how to *decode* the hub's JSON form lazily, how to *check* a value a user
assigns, and how to *encode* it back, so the rest of the model never needs to
know about dates, enums or nested schemas.
"""

from __future__ import annotations

import datetime as _dt
import enum
import weakref
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Generic, overload

from .. import wire
from ..errors import InvalidType, InvalidValue

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import TypeVar

    from ..query.criteria import Path
    from .record import Properties, Record

    #: the Python type a field holds (``Any`` for a bare ``Field()`` or ``ListOf()``)
    T = TypeVar("T", default=Any)
    #: the type of a list's items
    I = TypeVar("I", default=Any)  # noqa: E741
else:
    from typing import TypeVar

    T = TypeVar("T")
    I = TypeVar("I")  # noqa: E741

#: the record class of a nested section
R = TypeVar("R", bound="Record")

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


class _Missing:
    """Marks "not set": distinct from ``None``, which is sent as JSON null."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

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


class Field(Generic[T]):
    """A typed attribute of a :class:`~contacthub_like.orm.record.Record`.

    ``read_only`` fields are filled by the hub (``id``, ``registeredAt``...):
    they can be read and passed to constructors, but assignment raises and they
    are never part of a request body.

    ``wire_name`` is the key in the API's JSON when it is not a Python identifier
    (NetSapiens' ``post-url``): the attribute is ``post_url``, the document keeps
    ``post-url``.  ``name`` is always the document key; ``attr`` the attribute.

    ``T`` is the Python type of the value, for type checkers (in the manner of SQLAlchemy's
    ``Mapped[T]``): ``Customer.base.firstName`` is a :class:`~contacthub_like.query.criteria.Path`,
    ``customer.base.firstName`` a ``str | None``.
    """

    #: whether decode() can return the raw JSON value unchanged (lets the record skip caching)
    passthrough = True

    def __init__(
        self, *, read_only: bool = False, doc: str | None = None, wire_name: str | None = None
    ) -> None:
        if wire_name is not None and (not isinstance(wire_name, str) or not wire_name):
            raise InvalidType(f"wire_name must be a non-empty str (the JSON key), got {wire_name!r}")
        #: the document key (the wire name when there is one, else the attribute)
        self.name: str = wire_name or ""
        #: the attribute on the record class
        self.attr: str = ""
        self.wire_name = wire_name
        self.read_only = read_only
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr = name
        self.name = self.wire_name or name

    # -- descriptor protocol ---------------------------------------------------------------
    @overload
    def __get__(self, instance: None, owner: type) -> Path: ...
    @overload
    def __get__(self, instance: Record, owner: type) -> T | None: ...
    def __get__(self, instance: Record | None, owner: type) -> Any:
        if instance is None:
            from ..query.criteria import Path

            return Path(owner, self.name, self)
        # hot path of every read: an assigned (or cached) value, else the hub's JSON as is
        name = self.name
        values = instance._values
        if values and name in values:
            return values[name]
        raw = instance._source.get(name)
        if raw is None or self.passthrough:
            return raw
        value = values[name] = self.decode(raw, instance)
        return value

    def __set__(self, instance: Record, value: T | None) -> None:
        if self.read_only:
            raise InvalidValue(
                f"{type(instance).__name__}.{self.name} is set by the hub and cannot be assigned; "
                "pass it to the constructor or from_dict() when you need an object with a known value"
            )
        instance._set_field(self, value)

    def __delete__(self, instance: Record) -> None:
        instance._unset(self.name)

    # -- value conversions -------------------------------------------------------------------
    def decode(self, raw: Any, parent: Record) -> Any:
        """JSON value from the hub -> Python value (lenient: the hub is trusted)."""
        return raw

    def check(self, value: Any, parent: Record) -> Any:
        """Python value assigned by a user -> value to keep; raises InvalidType/InvalidValue."""
        return value

    def encode(self, value: Any) -> Any:
        """Python value -> JSON value."""
        return wire.encode_value(value)

    # -- query support -----------------------------------------------------------------------
    def child(self, name: str) -> Field | None:
        """The field of a nested attribute, for paths such as ``Customer.base.contacts.email``."""
        return None

    def to_wire(self, value: Any) -> Any:
        """Encode a value compared against this field in a query filter."""
        return wire.encode_value(value)

    def _type_error(self, owner: str, value: Any, expected: str) -> InvalidType:
        return InvalidType(f"{owner}.{self.name} must be {expected}, got {type(value).__name__} {value!r}")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def _owner_name(parent: Record) -> str:
    return type(parent).__name__


class String(Field[str]):
    """Text; an enum member whose value is a string is accepted for its value."""

    if TYPE_CHECKING:  # what assignment accepts (check() converts it); no run-time method

        def __set__(self, instance: Record, value: str | enum.Enum | None) -> None: ...

    def check(self, value: Any, parent: Record) -> Any:
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, enum.Enum) and isinstance(value.value, str):
            return value.value
        raise self._type_error(_owner_name(parent), value, "a string or None")


class Integer(Field[int]):
    """Integers; decimal digit strings such as ``'1994'`` are accepted and parsed (no other coercion)."""

    if TYPE_CHECKING:

        def __set__(self, instance: Record, value: int | str | None) -> None: ...

    def check(self, value: Any, parent: Record) -> Any:
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        raise self._type_error(_owner_name(parent), value, "an integer (or a string of digits) or None")


class Number(Field[float]):
    """Numbers as JSON has them (an ``int`` or a ``float``); a :class:`~decimal.Decimal` is accepted."""

    if TYPE_CHECKING:

        def __set__(self, instance: Record, value: float | Decimal | None) -> None: ...

    def check(self, value: Any, parent: Record) -> Any:
        if value is None or (isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)):
            return value
        raise self._type_error(_owner_name(parent), value, "a number or None")


class Boolean(Field[bool]):
    """``True`` or ``False``; nothing else is taken for one."""

    def check(self, value: Any, parent: Record) -> Any:
        if value is None or isinstance(value, bool):
            return value
        raise self._type_error(_owner_name(parent), value, "True, False or None")


class Date(Field[_dt.date]):
    """Calendar dates, ``YYYY-MM-DD`` on the wire, :class:`datetime.date` in Python."""

    if TYPE_CHECKING:

        def __set__(self, instance: Record, value: _dt.date | str | None) -> None: ...

    passthrough = False

    def decode(self, raw: Any, parent: Record) -> Any:
        if raw is None:
            return None
        try:
            return wire.parse_date(raw, field=self.name)
        except ValueError:
            return raw  # keep what the hub sent rather than hide the record

    def check(self, value: Any, parent: Record) -> Any:
        if value is None:
            return None
        if isinstance(value, (str, _dt.date)):
            try:
                return wire.parse_date(value, field=f"{_owner_name(parent)}.{self.name}")
            except ValueError as exc:
                raise InvalidValue(str(exc)) from None
        raise self._type_error(_owner_name(parent), value, "a date, a 'YYYY-MM-DD' string or None")


class DateTime(Field[_dt.datetime]):
    """Instants: ISO-8601 on the wire (the hub sends ``+0000``), aware :class:`datetime` in Python.

    ``wire_format`` is a :meth:`~datetime.datetime.strftime` format for APIs that read
    another form than they write (NetSapiens answers ISO-8601 and takes
    ``YYYY-MM-DD HH:MM:SS`` in UTC): values are converted to UTC and written with it.
    Reading accepts ISO-8601 either way.
    """

    passthrough = False

    if TYPE_CHECKING:

        def __set__(self, instance: Record, value: _dt.datetime | str | None) -> None: ...

    def __init__(self, *, wire_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if wire_format is not None and (not isinstance(wire_format, str) or "%" not in wire_format):
            raise InvalidValue(
                f"wire_format must be a strftime format such as '%Y-%m-%d %H:%M:%S', got {wire_format!r}"
            )
        self.wire_format = wire_format

    def encode(self, value: Any) -> Any:
        if self.wire_format is not None and isinstance(value, _dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(_dt.timezone.utc)
            return value.strftime(self.wire_format)
        return super().encode(value)

    def decode(self, raw: Any, parent: Record) -> Any:
        if raw is None:
            return None
        try:
            return wire.parse_datetime(raw, field=self.name)
        except ValueError:
            return raw

    def check(self, value: Any, parent: Record) -> Any:
        if value is None:
            return None
        if isinstance(value, (str, _dt.datetime)):
            try:
                return wire.parse_datetime(value, field=f"{_owner_name(parent)}.{self.name}")
            except ValueError as exc:
                raise InvalidValue(str(exc)) from None
        raise self._type_error(_owner_name(parent), value, "a datetime, an ISO-8601 string or None")


class Money(Field[Decimal]):
    """Amounts: decimal strings on the wire, :class:`~decimal.Decimal` in Python, never float.

    ``non_negative`` refuses amounts below zero at assignment (quantities), so the mistake
    shows where it was made rather than as a 400 from the hub.
    """

    passthrough = False

    if TYPE_CHECKING:

        def __set__(self, instance: Record, value: Decimal | int | str | None) -> None: ...

    def __init__(self, *, non_negative: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.non_negative = non_negative

    def decode(self, raw: Any, parent: Record) -> Any:
        if raw is None or isinstance(raw, Decimal):
            return raw
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            return raw

    def check(self, value: Any, parent: Record) -> Any:
        if value is None:
            return None
        where = f"{_owner_name(parent)}.{self.name}"
        if isinstance(value, Decimal):
            amount = value
        elif isinstance(value, int) and not isinstance(value, bool):
            amount = Decimal(value)
        elif isinstance(value, str):
            try:
                amount = Decimal(value.strip())
            except InvalidOperation:
                raise InvalidValue(
                    f"{where} must be a decimal amount such as '12.50', got {value!r}"
                ) from None
        else:
            raise self._type_error(
                _owner_name(parent), value, "a Decimal, an int or a decimal string (floats lose cents)"
            )
        if not amount.is_finite():
            raise InvalidValue(f"{where} must be a finite amount, got {value!r}")
        if self.non_negative and amount < 0:
            raise InvalidValue(f"{where} must not be negative, got {value!r}")
        return amount

    def encode(self, value: Any) -> Any:
        # plain notation: str(Decimal('1E+2')) is '1E+2', which no hub reads as an amount
        if isinstance(value, Decimal) and value.is_finite():
            return format(value, "f")
        return wire.encode_value(value)

    def to_wire(self, value: Any) -> Any:
        if isinstance(value, float):
            raise InvalidType(f"compare {self.name} with a Decimal or a decimal string, not a float")
        if isinstance(value, Decimal) and value.is_finite():
            return format(value, "f")
        return wire.encode_value(value)


class Choice(Field[str]):
    """A string restricted to an enumeration; accepts the enum member or its value."""

    if TYPE_CHECKING:

        def __set__(self, instance: Record, value: str | enum.Enum | None) -> None: ...

    def __init__(
        self,
        choices: type[enum.Enum] | Iterable[str],
        *,
        aliases: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        #: other spellings accepted on assignment and translated to the wire value (documented per field)
        self.aliases: dict[str, str] = dict(aliases or {})
        if isinstance(choices, type) and issubclass(choices, enum.Enum):
            self.enum: type[enum.Enum] | None = choices
            self.choices: frozenset[str] = frozenset(str(m.value) for m in choices)
        else:
            self.enum = None
            self.choices = frozenset(choices)

    def check(self, value: Any, parent: Record) -> Any:
        if value is None:
            return None
        if isinstance(value, enum.Enum):
            value = value.value
        if isinstance(value, str) and value in self.aliases:
            value = self.aliases[value]
        if isinstance(value, str) and value in self.choices:
            return value
        if isinstance(value, str):
            hint = ""
            if self.enum is not None:
                hint = f" (see {self.enum.__qualname__})"
            known = (
                ", ".join(sorted(self.choices)) if len(self.choices) <= 60 else f"{len(self.choices)} values"
            )
            raise InvalidValue(
                f"{_owner_name(parent)}.{self.name} does not accept {value!r}; use one of: {known}{hint}"
            )
        raise self._type_error(_owner_name(parent), value, "a string from the allowed values or None")


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
