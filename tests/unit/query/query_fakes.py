"""Stand-ins for the model, so query tests depend only on the query package's contract.

The model gives the query layer: class attributes that are ``Path`` objects, fields
with ``child(name)`` / ``to_wire(value)``, ``_meta.collection`` and a
``from_dict(node, data)`` classmethod. These fakes implement exactly that.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from contacthub_like import wire
from contacthub_like.errors import InvalidValue
from contacthub_like.query import Path
from contacthub_like.service import Session
from contacthub_like.services.contacthub.service import CONTACTHUB, query_document


class ContactHubPages(Session):
    """A session of the ContactHub service whose pages come from ``fetch_page`` (overridden by fakes)."""

    service = CONTACTHUB

    def query_document(self, where: Any) -> Any:
        return query_document(where)


class FakeField:
    """A field with a nested schema (``children``) and plain wire encoding."""

    def __init__(self, name: str, children: dict[str, FakeField] | None = None) -> None:
        self.name = name
        self.children = children or {}

    def child(self, name: str) -> FakeField | None:
        return self.children.get(name)

    def to_wire(self, value: Any) -> Any:
        return wire.encode_value(value)


class DateField(FakeField):
    """Like the model's date field: a datetime compared with a date attribute is sent as its date."""

    def to_wire(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, str):
            return value
        if isinstance(value, dt.date):
            return value.isoformat()
        raise InvalidValue(f"{self.name} is a date, got {value!r}")


class FakeEntity:
    """A queryable entity: ``FakeEntity.base.firstName`` etc. are paths, as the model provides them."""

    _meta = SimpleNamespace(collection="customers")

    def __init__(self, node: Any, data: dict[str, Any]) -> None:
        self.node = node
        self.data = data

    @classmethod
    def from_dict(cls, node: Any, data: dict[str, Any]) -> FakeEntity:
        return cls(node, data)

    @property
    def id(self) -> Any:
        return self.data["id"]

    def __repr__(self) -> str:
        return f"FakeEntity({self.data.get('id')!r})"


_BASE = FakeField(
    "base",
    {
        "firstName": FakeField("firstName"),
        "lastName": FakeField("lastName"),
        "dob": DateField("dob"),
        "contacts": FakeField("contacts", {"email": FakeField("email")}),
    },
)
FakeEntity.base = Path(FakeEntity, "base", _BASE)  # type: ignore[attr-defined]
FakeEntity.tags = Path(FakeEntity, "tags", FakeField("tags", {"manual": FakeField("manual")}))  # type: ignore[attr-defined]
FakeEntity.extra = Path(FakeEntity, "extra", FakeField("extra"))  # type: ignore[attr-defined]
FakeEntity.extended = Path(FakeEntity, "extended", None)  # type: ignore[attr-defined]
FakeEntity.registeredAt = Path(FakeEntity, "registeredAt", FakeField("registeredAt"))  # type: ignore[attr-defined]


class OtherEntity(FakeEntity):
    """A second entity, to check that paths of one cannot filter the other."""


OtherEntity.name = Path(OtherEntity, "name", None)  # type: ignore[attr-defined]


def envelope(ids: list[Any], *, number: int, size: int, total: int, unfiltered: int = 0) -> dict[str, Any]:
    """A hub page envelope holding elements with the given ids."""
    pages = (total + size - 1) // size
    return {
        "elements": [{"id": i} for i in ids],
        "page": {
            "size": size,
            "totalElements": total,
            "totalUnfilteredElements": unfiltered,
            "totalPages": pages,
            "number": number,
        },
    }


class FakeNode(ContactHubPages):
    """Serves ``total`` elements (ids 0..total-1) in pages, and records every params dict it got."""

    def __init__(self, total: int, default_size: int = 10) -> None:
        self.total = total
        self.default_size = default_size
        self.calls: list[tuple[Any, dict[str, Any]]] = []

    def fetch_page(self, entity_cls: Any, params: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((entity_cls, dict(params)))
        size = params.get("size", self.default_size)
        number = params.get("page", 0)
        ids = list(range(self.total))[number * size : (number + 1) * size]
        return envelope(ids, number=number, size=size, total=self.total)
