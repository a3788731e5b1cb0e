"""Records: objects over a JSON document that remember what the hub last sent.

A record keeps the hub's document (``_source``) untouched and puts every value
it decodes or a user assigns in ``_values``. Reading decodes lazily, so
hydrating a page of customers costs little more than ``json.loads``; the diff
compares ``_values`` against ``_source``, recursing into nested records that
still belong to the same source object, so editing ``c.base.contacts.email``
yields ``{"base": {"contacts": {"email": ...}}}`` and nothing else.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Self

from .. import wire
from ..errors import InvalidType
from .descriptors import MISSING, Field
from .nesting import _free_value, decode_free
from .tracking import copy_json, dict_diff

__all__ = ["Record", "Properties", "RecordMeta", "Meta"]

#: keys whose values are masked in reprs
_SECRET_KEYS = frozenset({"password", "token", "secret", "access_token", "refresh_token", "client_secret"})


class Meta:
    """Per-class schema gathered by :class:`RecordMeta`."""

    __slots__ = ("name", "fields", "open", "collection", "aliases")

    def __init__(self, name: str, fields: dict[str, Field], open: bool, collection: str | None) -> None:
        self.name: str = name
        #: fields by document key (a field's ``name``: its ``wire_name`` when it has one)
        self.fields: dict[str, Field[Any]] = fields
        #: attribute name -> document key, for fields whose wire name is not their attribute
        self.aliases: dict[str, str] = {
            field.attr: key for key, field in fields.items() if field.attr and field.attr != key
        }
        self.open: bool = open
        self.collection: str | None = collection

    def __repr__(self) -> str:
        return f"<Meta {self.name} fields={list(self.fields)} open={self.open}>"


class RecordMeta(type):
    """Collects :class:`Field` descriptors into ``cls._meta``; everything else is left to ``type``.

    Subclasses get ``__slots__ = ()`` unless they declare their own, so values never
    land in an instance ``__dict__`` by accident (they belong in ``_values``).
    """

    def __new__(
        mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any
    ) -> RecordMeta:
        namespace.setdefault("__slots__", ())
        cls = super().__new__(mcs, name, bases, namespace)
        fields: dict[str, Field] = {}
        for base in reversed(cls.__mro__[1:]):
            base_meta = base.__dict__.get("_meta")
            if isinstance(base_meta, Meta):
                fields.update(base_meta.fields)
        for attr, value in namespace.items():
            if isinstance(value, Field):
                fields[value.name or attr] = value
        open_schema = namespace.get("__open__", None)
        if open_schema is None:
            parent_meta = getattr(cls, "_meta", None)
            open_schema = parent_meta.open if isinstance(parent_meta, Meta) else True
        collection = namespace.get("__collection__", None)
        if collection is None:
            parent_meta = getattr(cls, "_meta", None)
            collection = parent_meta.collection if isinstance(parent_meta, Meta) else None
        cls._meta = Meta(name, fields, bool(open_schema), collection)  # type: ignore[attr-defined]
        if open_schema and "__delattr__" not in namespace:
            # Only open records need ``del record.free_key`` (fields delete through their descriptor).
            # A Python __delattr__ replaces the type's C attribute setter, and CPython then stops
            # specialising every attribute store on the class: closed records keep the C one.
            cls.__delattr__ = Record._delete_key  # type: ignore[assignment,method-assign]
        return cls


class Record(metaclass=RecordMeta):
    """Base of every model object: entities, nested sections and free-form :class:`Properties`."""

    # No __setattr__ override here: plain slot assignment keeps hydration cheap. Fields are data
    # descriptors; free-form assignment is added by Properties; other names fail as on any slotted class.
    # The back-reference to the containing record is weak: a customer holds its sections, and a
    # strong link back would make every customer whose sections were read a reference cycle, freed
    # only by the cyclic collector (whose passes cost more than the reads themselves in a page walk).
    __slots__ = ("_source", "_values", "_parent_ref", "__weakref__")
    __open__ = False
    _meta: ClassVar[Meta]

    _source: dict[str, Any]
    _values: dict[str, Any]
    _parent_ref: weakref.ref[Record] | None

    @property
    def _parent(self) -> Record | None:
        """The record this one is a section or item of, while that record is alive."""
        ref = self._parent_ref
        return ref() if ref is not None else None

    @_parent.setter
    def _parent(self, parent: Record | None) -> None:
        self._parent_ref = weakref.ref(parent) if parent is not None else None

    def __init__(self, **attributes: Any) -> None:
        self._init_state({}, None)
        for key, value in attributes.items():
            self._assign(key, value)

    # -- construction -----------------------------------------------------------------------
    def _init_state(self, source: dict[str, Any], parent: Record | None) -> None:
        self._source = source
        self._values = {}
        self._parent = parent

    @classmethod
    def _from_source(cls, source: dict[str, Any], parent: Record | None = None) -> Self:
        """Wrap a document the hub sent, without copying it (it is never mutated)."""
        obj = cls.__new__(cls)
        obj._source = source
        obj._values = {}
        obj._parent = parent
        return obj

    @classmethod
    def _adopt(cls, value: Any, parent: Record, where: str) -> Any:
        """Turn an assigned value (dict, Properties, record) into a record of this class owned by ``parent``."""
        if value is None:
            return None
        if type(value) is cls and value._parent in (None, parent):
            value._parent = parent
            return value
        if isinstance(value, Record):
            # a record built in code (no hub document behind it) holds all it has in _values
            items: Any = value._values.items() if not value._source else value._python_items()
        elif isinstance(value, Mapping):
            items = value.items()
        else:
            raise InvalidType(
                f"{where} must be a dict, a Properties or a {cls.__name__}, got {type(value).__name__} {value!r}"
            )
        obj = cls.__new__(cls)
        obj._init_state({}, parent)
        for key, item in items:
            obj._assign(str(key), item)
        return obj

    # -- field access -----------------------------------------------------------------------
    def _get_field(self, field: Field) -> Any:
        """Slow path of :meth:`Field.__get__` (kept for callers holding a field object)."""
        return field.__get__(self, type(self))

    def _set_field(self, field: Field, value: Any) -> None:
        self._values[field.name] = field.check(value, self)

    def _assign(self, key: str, value: Any) -> None:
        """Set a key by name (an attribute or a document key), through its field when the schema has one."""
        key = self._meta.aliases.get(key, key)
        field = self._meta.fields.get(key)
        if field is not None:
            if field.read_only:
                # read-only values given at construction describe an existing object: keep them as known
                # state (constructors always start from a fresh source dict, never a hub document)
                self._source[key] = field.encode(value)
                self._values.pop(key, None)
                return
            self._set_field(field, value)
            return
        if not self._meta.open:
            self._unknown_attribute(key, setting=True)
        self._values[key] = _free_value(value, self)

    def _get_free(self, key: str) -> Any:
        value = self._values.get(key, MISSING)
        if value is not MISSING:
            return value
        raw = self._source.get(key, MISSING)
        if raw is MISSING:
            raise AttributeError(key)
        if isinstance(raw, (dict, list)):
            value = decode_free(raw, self)
            self._values[key] = value
            return value
        return raw

    def _unset(self, key: str) -> None:
        """Clear a key: the next PATCH sends null (or [] where the hub held a list)."""
        if key in self._source:
            self._values[key] = None
        else:
            self._values.pop(key, None)

    def _unknown_attribute(self, key: str, setting: bool = False) -> None:
        known = ", ".join(sorted(f.attr or k for k, f in self._meta.fields.items())) or "(none)"
        verb = "set" if setting else "read"
        raise AttributeError(
            f"{type(self).__name__} has no attribute {key!r} to {verb}; its fields are: {known}"
        )

    # Type checkers see no __getattr__ on Record: on a record with a schema, an attribute that is
    # not a field (``c.base.firstNaem``) is a typing error, as it is an AttributeError at run time.
    # Records whose documents are open (Properties, OpenRecord) declare a typed one.
    if not TYPE_CHECKING:

        def __getattr__(self, key: str) -> Any:
            if key.startswith("__") or key in Record.__slots__:
                raise AttributeError(key)
            try:
                return self._get_free(key)
            except AttributeError:
                pass
            if self._meta.open:
                raise AttributeError(
                    f"{type(self).__name__} has no attribute {key!r} (it was never set)"
                ) from None
            self._unknown_attribute(key)

    def _delete_key(self, key: str) -> None:
        """Clear a key by attribute or document name (``del record[key]``; ``del record.key`` on open records)."""
        key = self._meta.aliases.get(key, key)
        field = self._meta.fields.get(key)
        if field is not None:
            field.__delete__(self)
        else:
            self._unset(key)

    # -- mapping-style access (for keys that clash with method names) ---------------------------
    def keys(self) -> list[str]:
        keys = list(self._source)
        keys.extend(k for k in self._values if k not in self._source)
        return keys

    def _get(self, key: str) -> Any:
        key = self._meta.aliases.get(key, key)
        field = self._meta.fields.get(key)
        if field is not None:
            return self._get_field(field)
        return self._get_free(key)

    def _python_items(self) -> Iterator[tuple[str, Any]]:
        for key in self.keys():
            yield key, self._get(key)

    def items(self) -> list[tuple[str, Any]]:
        return list(self._python_items())

    def __getitem__(self, key: str) -> Any:
        try:
            return self._get(key)
        except AttributeError:
            raise KeyError(key) from None

    def __setitem__(self, key: str, value: Any) -> None:
        self._assign(key, value)

    def __delitem__(self, key: str) -> None:
        self._delete_key(key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.keys()

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def get(self, key: str, default: Any = None) -> Any:
        try:
            value = self._get(key)
        except AttributeError:
            return default
        return default if value is None and key not in self.keys() else value

    # -- serialisation and change tracking ----------------------------------------------------
    def _encode(self, key: str, value: Any) -> Any:
        field = self._meta.fields.get(key)
        if field is not None:
            return field.encode(value)
        return wire.encode_value(value)

    def to_dict(self) -> dict[str, Any]:
        """The whole document in wire form: what the hub sent, with every local change applied."""
        values = self._values
        out = {k: copy_json(v) for k, v in self._source.items() if k not in values}
        for key, value in values.items():
            out[key] = self._encode(key, value)
        return out

    def _diff(self) -> dict[str, Any]:
        """What changed since the hub's last document, nested, ready to be a PATCH body."""
        out: dict[str, Any] = {}
        source = self._source
        fields = self._meta.fields
        for key, value in self._values.items():
            field = fields.get(key)
            if field is not None and field.read_only:
                continue
            old = source.get(key, MISSING)
            if isinstance(value, Record) and old is not MISSING and value._source is old:
                sub = value._diff()
                if sub:
                    out[key] = sub
                continue
            if (
                old is not MISSING
                and field is not None
                and not field.passthrough
                and not isinstance(value, (Record, list))
                and field.decode(old, self) == value
            ):
                continue
            new = self._encode(key, value)
            if new == [] and (old is MISSING or old is None):
                continue  # arrays: empty, null and absent mean the same to the hub
            if old is MISSING:
                out[key] = new
            elif new != old:
                if isinstance(new, dict) and isinstance(old, dict):
                    out[key] = dict_diff(old, new)
                elif new is None and isinstance(old, list):
                    if old:
                        out[key] = []  # the hub clears arrays with [] rather than null
                else:
                    out[key] = new
        return out

    def _has_changes(self) -> bool:
        return bool(self._diff())

    def _reset(self, source: dict[str, Any]) -> None:
        """Adopt a fresh document from the hub: it becomes the new baseline and local changes are dropped."""
        self._source = source
        self._values = {}

    # -- dunder conveniences --------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(other, Record):
            return self.to_dict() == other.to_dict()
        if isinstance(other, Mapping):
            return self.to_dict() == wire.encode_value(dict(other))
        return NotImplemented

    __hash__: ClassVar[None] = None  # type: ignore[assignment]  # mutable, compared by content

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_redacted(self.to_dict())!r})"


def _redacted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("***" if k in _SECRET_KEYS and v is not None else _redacted(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    return value


class Properties(Record):
    """A free-form object: any keyword becomes an attribute, nested dicts become Properties.

    ``Properties(city='Milan', geo=Properties(lat=45.4, lon=9.2))`` can be assigned to
    any section; a schema'd section copies its values and checks their types.
    """

    __slots__ = ()
    __open__ = True

    if TYPE_CHECKING:  # any name reads as a key of the document (Record.__getattr__ at run time)

        def __getattr__(self, key: str) -> Any: ...

    def __setattr__(self, key: str, value: Any) -> None:
        # any public name is a key of the document; private names are the record's own slots
        if key.startswith("_"):
            object.__setattr__(self, key, value)
        else:
            self._assign(key, value)

    def _init_state(self, source: dict[str, Any], parent: Record | None) -> None:
        # the slots' own setters: this class's __setattr__ is Python, three calls of it cost more
        # than building the rest of a small section
        _SET_SOURCE(self, source)
        _SET_VALUES(self, {})
        _SET_PARENT(self, weakref.ref(parent) if parent is not None else None)

    def __init__(
        self, parent: Record | None = None, parent_attr: str | None = None, **attributes: Any
    ) -> None:
        self._init_state({}, parent if isinstance(parent, Record) else None)
        for key, value in attributes.items():
            self._assign(key, value)

    @classmethod
    def from_dict(
        cls,
        parent: Record | None = None,
        parent_attr: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Self:
        """Build Properties holding a copy of ``attributes`` (the caller's dict is not kept)."""
        return cls._from_source(wire.encode_value(dict(attributes or {})), parent)


#: the slots' own C setters (Properties route attribute assignment through Python; these do not)
_SET_SOURCE = Record.__dict__["_source"].__set__
_SET_VALUES = Record.__dict__["_values"].__set__
_SET_PARENT = Record.__dict__["_parent_ref"].__set__


def _install_fast_path() -> None:
    """Let :class:`~contacthub_like.orm.fields.Nested` recognise records built the plain way."""
    from . import nesting

    nesting._PLAIN_FROM_SOURCE = Record._from_source.__func__  # type: ignore[attr-defined]
    # The slots' own setters: Properties overrides __setattr__ (in Python) for free-form keys, and
    # going through it three times per section would cost more than the rest of the wrapping.
    nesting._set_source = _SET_SOURCE
    nesting._set_values = _SET_VALUES
    nesting._set_parent = _SET_PARENT
    nesting._Record = Record
    nesting._Properties = Properties


_install_fast_path()
