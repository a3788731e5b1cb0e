"""Attribute paths (``Customer.base.contacts.email``) and sort keys: where every criterion starts.

Comparing a :class:`Path` builds a :class:`~contacthub_like.query.criteria.Condition`; the
criteria module imports this one, so conditions are reached through the module object
(imported last, below) rather than a name bound while that module is still loading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from ..errors import InvalidType, InvalidValue
from .operators import SimpleOperators as _OPS

if TYPE_CHECKING:  # pragma: no cover
    from .criteria import Condition

__all__ = ["Path", "SortKey"]


def _entity_name(entity: Any) -> str:
    return getattr(entity, "__name__", None) or repr(entity)


class Path:
    """A dotted attribute path from an entity's root, such as ``Customer.base.contacts.email``.

    The model creates the first step (``Path(Customer, "base", field)``); every
    further attribute access walks into the field's schema through
    ``field.child(name)``. Unknown names are allowed (free-form sections such as
    ``extended`` and attributes newer than this library); use ``path["name"]``
    for keys that are not Python identifiers or that clash with :meth:`asc` /
    :meth:`desc`.

    The path's parts are kept in underscore slots (``_entity``, ``_attribute``,
    ``_field``) so that no public name can hide an attribute of the entity.
    """

    __slots__ = ("_entity", "_attribute", "_field")

    _entity: Any
    _attribute: str
    _field: Any

    def __init__(self, entity: Any, attribute: str, field: Any = None) -> None:
        if (
            not isinstance(attribute, str)
            or not attribute
            or attribute.startswith(".")
            or attribute.endswith(".")
        ):
            raise InvalidValue(
                f"an attribute path must be a dotted name such as 'base.firstName', got {attribute!r}"
            )
        object.__setattr__(self, "_entity", entity)
        object.__setattr__(self, "_attribute", attribute)
        object.__setattr__(self, "_field", field)

    # -- walking -------------------------------------------------------------------------------
    def __getattr__(self, name: str) -> Path:
        # Private and dunder names are never attribute steps: tools (copy, pickle, mocks,
        # IPython) probe them and must get the ordinary AttributeError.
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> Path:
        if not isinstance(name, str) or not name or "." in name:
            raise InvalidValue(
                f"a path step must be one attribute name without dots, got {name!r}; "
                f"write {self._attribute}.a.b as path['a']['b']"
            )
        child = self._field.child(name) if self._field is not None else None
        return Path(self._entity, f"{self._attribute}.{name}", child)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a query path is immutable (cannot set {name!r} on {self!r})")

    # immutable: copies are the path itself; pickling rebuilds it from its parts
    def __copy__(self) -> Path:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Path:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path, (self._entity, self._attribute, self._field))

    # -- comparisons ---------------------------------------------------------------------------
    # ``path == other_path`` is plain identity of the two paths (a bool), so paths work as
    # dict keys and set members; the hub cannot compare two attributes anyway, and a bool
    # given to filter() or & is refused with an explanation.
    @overload  # type: ignore[override]  # a criterion, as in SQLAlchemy
    def __eq__(self, other: Path) -> bool: ...  # type: ignore[overload-overlap]
    @overload
    def __eq__(self, other: object) -> Condition: ...
    def __eq__(self, other: object) -> Any:
        if isinstance(other, Path):
            return self._entity is other._entity and self._attribute == other._attribute
        if other is None:
            return _criteria.Condition(self, _OPS.IS_NULL)
        return _criteria.Condition(self, _OPS.EQUALS, other)

    @overload  # type: ignore[override]
    def __ne__(self, other: Path) -> bool: ...  # type: ignore[overload-overlap]
    @overload
    def __ne__(self, other: object) -> Condition: ...
    def __ne__(self, other: object) -> Any:
        if isinstance(other, Path):
            return not (self._entity is other._entity and self._attribute == other._attribute)
        if other is None:
            return _criteria.Condition(self, _OPS.IS_NOT_NULL)
        return _criteria.Condition(self, _OPS.NOT_EQUALS, other)

    def __lt__(self, other: Any) -> Condition:
        return _criteria.Condition(self, _OPS.LT, other)

    def __le__(self, other: Any) -> Condition:
        return _criteria.Condition(self, _OPS.LTE, other)

    def __gt__(self, other: Any) -> Condition:
        return _criteria.Condition(self, _OPS.GT, other)

    def __ge__(self, other: Any) -> Condition:
        return _criteria.Condition(self, _OPS.GTE, other)

    def __hash__(self) -> int:
        return hash((Path, self._entity, self._attribute))

    def like(self, pattern: str) -> Condition:
        """The text matches ``pattern``, where ``%`` stands for any run of characters (``"Jo%"``).

        Only some APIs can run it on the server (StreamOne v1's ``partial`` filter); elsewhere a
        query with it runs client-side or is refused.
        """
        return _criteria.Condition(self, _OPS.LIKE, pattern)

    def startswith(self, prefix: str) -> Condition:
        """The text starts with ``prefix`` (``like(prefix + "%")``); ``prefix`` may not hold ``%``."""
        if not isinstance(prefix, str) or not prefix or "%" in prefix:
            raise InvalidValue(
                f"startswith() takes a non-empty text without '%', got {prefix!r}; use like() for patterns"
            )
        return _criteria.Condition(self, _OPS.LIKE, prefix + "%")

    # -- ordering --------------------------------------------------------------------------------
    def asc(self) -> SortKey:
        """Ascending sort on this attribute, for :meth:`Query.order_by`."""
        return SortKey(self._attribute, descending=False, entity=self._entity)

    def desc(self) -> SortKey:
        """Descending sort on this attribute, for :meth:`Query.order_by`."""
        return SortKey(self._attribute, descending=True, entity=self._entity)

    def __neg__(self) -> SortKey:
        return self.desc()

    def __pos__(self) -> SortKey:
        return self.asc()

    # -- misuse guards -----------------------------------------------------------------------------
    __iter__ = None  # __getitem__ must not make paths iterable

    def __contains__(self, item: Any) -> bool:
        raise InvalidType(
            f"'x in {self._attribute}' cannot build a filter; write in_(x, {_entity_name(self._entity)}."
            f"{self._attribute}) instead"
        )

    def __bool__(self) -> bool:
        raise InvalidType(
            f"the attribute path {self._attribute} has no truth value: compare it "
            f"(e.g. {self._attribute} != None) to build a criterion"
        )

    def __repr__(self) -> str:
        return f"<Path {_entity_name(self._entity)}.{self._attribute}>"


class SortKey:
    """One ``sort`` parameter: an attribute and a direction (``field,asc`` / ``field,desc``)."""

    __slots__ = ("attribute", "descending", "entity")

    def __init__(self, attribute: str, *, descending: bool = False, entity: Any = None) -> None:
        self.attribute: str = attribute
        self.descending: bool = descending
        self.entity: Any = entity

    @classmethod
    def parse(cls, spec: Path | SortKey | str) -> SortKey:
        """Accept ``Customer.base.lastName``, ``-Customer.base.lastName``, ``.desc()``,
        ``"base.lastName"``, ``"-base.lastName"`` or ``"base.lastName,desc"``."""
        if isinstance(spec, SortKey):
            return spec
        if isinstance(spec, Path):
            return spec.asc()
        if isinstance(spec, str):
            text = spec.strip()
            descending = False
            if "," in text:
                text, _, direction = text.partition(",")
                direction = direction.strip().lower()
                if direction not in ("asc", "desc"):
                    raise InvalidValue(f"a sort direction must be 'asc' or 'desc', got {spec!r}")
                descending = direction == "desc"
            elif text.startswith(("-", "+")):
                descending = text[0] == "-"
                text = text[1:]
            text = text.strip()
            if not text or text.startswith(".") or text.endswith(".") or " " in text:
                raise InvalidValue(
                    f"a sort key must be a dotted attribute such as '-base.lastName', got {spec!r}"
                )
            return cls(text, descending=descending)
        raise InvalidType(
            "order_by() takes attribute paths (Customer.base.lastName, -Customer.base.lastName, "
            f"Customer.base.lastName.desc()) or strings ('base.lastName', '-base.lastName'), got {spec!r}"
        )

    def to_param(self) -> str:
        return f"{self.attribute},{'desc' if self.descending else 'asc'}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SortKey):
            return NotImplemented
        return (self.attribute, self.descending) == (other.attribute, other.descending)

    def __hash__(self) -> int:
        return hash((SortKey, self.attribute, self.descending))

    def __repr__(self) -> str:
        return f"<SortKey {self.to_param()}>"


# last: criteria imports this module, and by now Path and SortKey exist for it to import
from . import criteria as _criteria  # noqa: E402
