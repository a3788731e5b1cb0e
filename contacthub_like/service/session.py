"""A :class:`Session` talks to an API: one connection as entities see it.

Entities reach the API only through :meth:`Session.request` and :meth:`Session.list`; the
session reaches it only through its :class:`~contacthub_like.http.transport.Transport`.  Its
listing verbs live in :mod:`.listing`, its query verbs in :mod:`.queries`, mixed in here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import InvalidType, NotFound
from ..http.transport import Transport
from ..orm.entity import Entity
from ..orm.flows import Call, Flow, twins
from ..query.pager import entity_wrapper
from ..query.query import Query
from .api import Service
from .listing import ListingMixin
from .paths import segment
from .queries import QueryingMixin

__all__ = ["Session"]

E = TypeVar("E", bound=Entity)
S = TypeVar("S", bound="Session")


class Session(ListingMixin, QueryingMixin):
    """One API connection as entities see it: a :class:`Service` over a :class:`Transport`.

    Subclasses give :attr:`root` (the scope's path prefix, e.g. ``/workspaces/{ws}``) and may
    add the scope's parameters to every list (:meth:`scope_params`).
    """

    service: Service
    transport: Transport
    #: path prefix of every collection of this session's scope ("" for none)
    root: str = ""

    def __init__(self, service: Service, transport: Transport, *, root: str = "") -> None:
        self.service = service
        self.transport = transport
        self.root = root

    # -- paths ---------------------------------------------------------------------------------
    def path(self, entity_cls: type[Entity], ident: Any = None, suffix: str | None = None) -> str:
        """``{root}/{collection}[/{ident}][/{suffix}]`` with the id quoted as one path segment."""
        collection = entity_cls._meta.collection
        if not collection:
            raise InvalidType(
                f"{entity_cls.__name__} is not a collection of the {self.service.name} API "
                "(it declares no __collection__)"
            )
        path = f"{self.root}/{collection}"
        if ident is not None:
            path += "/" + segment(f"{entity_cls.__name__.lower()} id", ident)
        if suffix:
            path += "/" + suffix
        return path

    def scope_params(self, entity_cls: type[Entity]) -> dict[str, Any]:
        """Parameters every list request of this scope carries (none by default)."""
        return {}

    # -- the one entry entities write through ----------------------------------------------------
    def _request_flow(
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
    ) -> Flow[Any]:
        """One request on an entity's collection or one of its members; the parsed answer."""
        path = self.path(entity_cls, ident, suffix)
        return (
            yield from self._call_flow(
                method, path, params=params, body=body, headers=headers, idempotent=idempotent
            )
        )

    if TYPE_CHECKING:  # declared for type checkers as twins() makes them (the session's core verbs)

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
        async def request_async(
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
    else:
        request, request_async = twins(_request_flow)

    def _call_flow(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        form: Mapping[str, Any] | None = None,
    ) -> Flow[Any]:
        """One request on a path of this session's API, with the library's write semantics.

        ``body`` is sent as JSON, ``form`` as ``application/x-www-form-urlencoded`` (never both).

        A PATCH is safe to repeat (every PATCH body the library builds holds absolute values:
        whole lists, new values, nulls), and a DELETE that finds nothing after an earlier
        attempt lost its answer was done by that attempt.
        """
        extra: dict[str, Any] = {}
        if body is not None:
            extra["json"] = body
        if form is not None:
            extra["form"] = form
        if headers is not None:
            extra["headers"] = headers
        if idempotent is None and method == "PATCH":
            idempotent = True
        if idempotent is not None:
            extra["idempotent"] = idempotent
        try:
            return (yield Call(self.transport, "request", method, path, params=params, **extra))
        except NotFound as missing:
            if method == "DELETE" and missing.maybe_applied_before:
                return None
            raise

    if TYPE_CHECKING:

        def call(
            self,
            method: str,
            path: str,
            *,
            params: Mapping[str, Any] | None = None,
            body: Any = None,
            headers: Mapping[str, str] | None = None,
            idempotent: bool | None = None,
            form: Mapping[str, Any] | None = None,
        ) -> Any: ...
        async def call_async(
            self,
            method: str,
            path: str,
            *,
            params: Mapping[str, Any] | None = None,
            body: Any = None,
            headers: Mapping[str, str] | None = None,
            idempotent: bool | None = None,
            form: Mapping[str, Any] | None = None,
        ) -> Any: ...
    else:
        call, call_async = twins(_call_flow)

    def prepare_create(self, entity_cls: type[Entity], body: dict[str, Any]) -> dict[str, Any]:
        """The body of a create: the service's scope field filled in when the entity has it."""
        field = self.service.scope_field
        if field and field in entity_cls._meta.fields and not body.get(field):
            body[field] = self.scope_value()
        return body

    def scope_value(self) -> Any:
        """The value of the service's scope field for this session."""
        raise InvalidType(f"{type(self).__name__} has no scope value for {self.service.scope_field!r}")

    def wrap(self, entity_cls: type[E], document: Any) -> E:
        """An entity over a document as the API sent it (it becomes the change-tracking baseline)."""
        return entity_cls.from_dict(self, document)

    def wrapper(self, entity_cls: type[E]) -> Callable[[Any], E]:
        """:meth:`wrap` for every document of a list, as one callable made once per list.

        A session that reads documents plainly hands out ``from_dict`` itself, bound in a
        C ``partial``: a page of 50 then costs no extra Python frame per element.
        """
        if type(self).wrap is Session.wrap:
            return entity_wrapper(entity_cls, entity_cls.from_dict, self)
        return entity_wrapper(entity_cls, self.wrap, entity_cls)

    # -- envelopes and paging an entity class declares -------------------------------------------
    def unwrap(self, entity_cls: type[Entity], document: Any) -> Any:
        """The entity's document inside an answer: at the dotted ``__document_key__`` the class
        declares (StreamOne v1's ``data.invoice``), else the answer itself."""
        key = getattr(entity_cls, "__document_key__", None)
        if not key:
            return document
        found = document
        for part in key.split("."):
            if not isinstance(found, Mapping) or part not in found:
                raise InvalidType(
                    f"the {self.service.name} API answered a {entity_cls.__name__} without {key!r}; "
                    "is the base URL pointing at the right service?"
                )
            found = found[part]
        return found

    # -- reading ---------------------------------------------------------------------------------
    def _get_flow(
        self, entity_cls: type[E], ident: Any, *, params: Mapping[str, Any] | None = None
    ) -> Flow[E]:
        """One entity by id (``params``: the API's own options for reading it)."""
        document = yield from self._request_flow(entity_cls, "GET", ident, params=params)
        return self.wrap(entity_cls, self.unwrap(entity_cls, document))

    if TYPE_CHECKING:

        def get(self, entity_cls: type[E], ident: Any, *, params: Mapping[str, Any] | None = None) -> E: ...
        async def get_async(
            self, entity_cls: type[E], ident: Any, *, params: Mapping[str, Any] | None = None
        ) -> E: ...
    else:
        get, get_async = twins(_get_flow)

    #: the query builder class of this session's service (a subclass may add named options)
    query_class: type[Query[Any]] = Query

    def query(self, entity_cls: type[E]) -> Query[E]:
        """A query builder over ``entity_cls`` (``session.query(Thing).filter(...)``)."""
        return self.query_class(self, entity_cls)

    # -- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:
        """Release the connection pools (and whatever the auth strategy holds)."""
        self.transport.close()
        close_auth = getattr(self.transport.auth, "close", None)
        if callable(close_auth):  # e.g. the token endpoint's pool of an OAuth2 strategy
            close_auth()

    async def aclose(self) -> None:
        """``close()``, also closing the asyncio pool of the running loop."""
        await self.transport.aclose()
        self.close()

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self: S) -> S:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.service.name} at {self.transport.base_url}{self.root}>"
