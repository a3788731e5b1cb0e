"""The verbs an entity may have, one mixin each: an entity declares what its API allows.

``class Invoice(Creatable, Updatable, Refreshable, Entity)`` has ``post()``, ``patch()`` and
``refresh()`` and nothing else, so a script cannot call a verb the API would refuse.  Every
verb goes through the one entry of the session (:meth:`EntitySession.request`), which knows
the paths; the entity knows only its document and what changed in it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .entity import Entity
from .flows import Call, Flow, run, run_async

__all__ = [
    "EntitySession",
    "Creatable",
    "Replaceable",
    "Updatable",
    "Deletable",
    "Refreshable",
    "Listable",
    "Resource",
]

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Self  # typing.Self is 3.11+; type checkers bundle typing_extensions

    from ..query.paginated import PaginatedList

#: an entity class of Listable.list
_L = TypeVar("_L", bound="Listable")


class EntitySession(Protocol):
    """What an entity needs from its session (:class:`contacthub_like.service.Session` is one)."""

    def request(
        self,
        entity_cls: type[Entity],
        method: str,
        ident: Any = None,
        *,
        suffix: str | None = None,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> Any: ...

    def prepare_create(self, entity_cls: type[Entity], body: dict[str, Any]) -> dict[str, Any]: ...

    def list(
        self,
        entity_cls: Any,
        params: Mapping[str, Any] | None = ...,
        *,
        size: int | None = ...,
        wrap: Callable[[Any], Any] | None = ...,
    ) -> Any: ...


class Creatable(Entity):
    """``post()`` / ``post_async()``: create the object; the API's answer becomes the baseline."""

    __slots__ = ()

    def _post_flow(self) -> Flow[Self]:
        session = self._require_node("post")
        body = session.prepare_create(type(self), self._body_for_create)
        self._reset((yield Call(session, "request", type(self), "POST", body=body)))
        return self

    def post(self) -> Self:
        """Create this object; the API's answer becomes the new baseline for :meth:`patch`."""
        return run(self._post_flow())

    async def post_async(self) -> Self:
        """:meth:`post`, awaited."""
        return await run_async(self._post_flow())


class Replaceable(Entity):
    """``put()`` / ``put_async()``: replace the object with this object's full content."""

    __slots__ = ()

    def _put_flow(self) -> Flow[Self]:
        session = self._require_node("put")
        ident = self._require_id("put")
        body = self._without_read_only(self.to_dict())
        self._reset((yield Call(session, "request", type(self), "PUT", ident, body=body)))
        return self

    def put(self) -> Self:
        """Replace the object on the API with this object's full content."""
        return run(self._put_flow())

    async def put_async(self) -> Self:
        """:meth:`put`, awaited."""
        return await run_async(self._put_flow())


class Updatable(Entity):
    """``patch()`` / ``patch_async()``: send only what changed since the API's last document."""

    __slots__ = ()

    def _patch_flow(self) -> Flow[Self]:
        session = self._require_node("patch")
        ident = self._require_id("patch")
        diff = self._diff()
        if diff:
            self._reset((yield Call(session, "request", type(self), "PATCH", ident, body=diff)))
        return self

    def patch(self) -> Self:
        """Send only what changed since the API's last document (nothing when nothing changed)."""
        return run(self._patch_flow())

    async def patch_async(self) -> Self:
        """:meth:`patch`, awaited (the same tracker, the same body)."""
        return await run_async(self._patch_flow())


class Deletable(Entity):
    """``delete()`` / ``delete_async()``."""

    __slots__ = ()

    def _delete_flow(self) -> Flow[None]:
        session = self._require_node("delete")
        yield Call(session, "request", type(self), "DELETE", self._require_id("delete"))

    def delete(self) -> None:
        """Delete the object on the API."""
        run(self._delete_flow())

    async def delete_async(self) -> None:
        """:meth:`delete`, awaited."""
        await run_async(self._delete_flow())


class Refreshable(Entity):
    """``refresh()`` / ``refresh_async()``: reload, dropping local changes."""

    __slots__ = ()

    def _refresh_flow(self) -> Flow[Self]:
        session = self._require_node("refresh")
        self._reset((yield Call(session, "request", type(self), "GET", self._require_id("refresh"))))
        return self

    def refresh(self) -> Self:
        """Reload from the API, dropping local changes."""
        return run(self._refresh_flow())

    async def refresh_async(self) -> Self:
        """:meth:`refresh`, awaited."""
        return await run_async(self._refresh_flow())


class Listable(Entity):
    """``Entity.list(session, ...)``: the collection as a lazy list."""

    __slots__ = ()

    @classmethod
    def list(
        cls: type[_L],
        session: EntitySession,
        *,
        size: int | None = None,
        wrap: Callable[[Any], _L] | None = None,
        **params: Any,
    ) -> PaginatedList[_L]:
        """Every object of the collection (``params`` are the API's own list parameters), lazily."""
        return session.list(cls, params, size=size, wrap=wrap)


class Resource(Creatable, Replaceable, Updatable, Deletable, Refreshable, Entity):
    """An entity with every write verb (most ContactHub collections)."""

    __slots__ = ()
