"""Node: ContactHub's session, the verbs for customers, their items, sessions and events.

A node moves documents: it knows paths and parameters, never field names beyond what the
ContactHub service declares; the ContactHub rules of each write (upserts, PUT bodies, event
idempotency keys) live in the entities' flows, so every verb has its ``_async`` twin.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable, Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import requests

from ... import wire
from ...errors import (
    InvalidType,
    InvalidValue,
    NotFound,
    TagNotFound,
    TransportError,
)
from ...http.files import atomic_write
from ...http.transport import quote_segment
from ...orm.entity import Entity
from ...orm.flows import Call, Flow, run, twins
from ...query.combination import Where
from ...query.paginated import PaginatedList
from ...service import Session, segment
from .customer_session import CustomerSession
from .entities.customer import Customer, create_customer_flow, put_body, versioned_flow
from .entities.event import Event
from .entities.subresources import CustomerItem, Education, Job, Like, Subscription
from .service import CONTACTHUB, query_document

if TYPE_CHECKING:  # pragma: no cover
    from ...migrate.records import Summary
    from .workspace import Workspace

__all__ = ["Node", "item_verbs"]

E = TypeVar("E", bound=Entity)
I = TypeVar("I", bound=CustomerItem)  # noqa: E741
#: what a sub-collection's documents become (a member customer, an upload record...)
W = TypeVar("W")


def item_verbs(
    cls: type[I],
) -> tuple[Callable[..., I], Callable[..., I], Callable[..., I], Callable[..., None]]:
    """``add_<kind>``, ``get_<kind>``, ``update_<kind>`` and ``remove_<kind>`` of one kind of item.

    Their parameters are the original SDK's (``get_education(customer_id, education_id)``,
    ``update_education(customer_id, id, **attributes)``), shown as such to ``help()`` and IDEs.
    """
    kind = cls.__name__.lower()
    item_param = f"{kind}_id"

    def item_id(args: tuple[Any, ...], kwargs: dict[str, Any], verb: str) -> str:
        if args:
            return str(args[0])
        if item_param in kwargs:
            return str(kwargs.pop(item_param))
        raise InvalidType(f"{verb}_{kind}() needs the {kind} id: {verb}_{kind}(customer_id, {item_param})")

    def add(self: Node, customer_id: str, **attributes: Any) -> I:
        return self.add_item(cls, customer_id, **attributes)

    def get(self: Node, customer_id: str, *args: Any, **kwargs: Any) -> I:
        return self.get_item(cls, customer_id, item_id(args, kwargs, "get"))

    def update(self: Node, customer_id: str, id: str, **attributes: Any) -> I:
        return self.update_item(cls, customer_id, id, **attributes)

    def remove(self: Node, customer_id: str, *args: Any, **kwargs: Any) -> None:
        self.remove_item(cls, customer_id, item_id(args, kwargs, "remove"))

    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    base = [
        inspect.Parameter("self", positional),
        inspect.Parameter("customer_id", positional, annotation=str),
    ]
    by_id = inspect.Signature([*base, inspect.Parameter(item_param, positional, annotation=str)])
    for verb, name, what, signature in (
        (add, "add", f"Add a {kind} to a customer; returns it as the hub stored it.", None),
        (get, "get", f"Fetch one {kind} of a customer.", by_id),
        (update, "update", f"Replace a {kind} of a customer (PUT).", None),
        (remove, "remove", f"Delete one {kind} from a customer.", by_id),
    ):
        verb.__name__ = verb.__qualname__ = f"{name}_{kind}"
        verb.__doc__ = what
        if signature is not None:
            verb.__signature__ = signature  # type: ignore[union-attr]
    return add, get, update, remove


class Node(Session):
    """One entry node of a workspace: the verbs for customers, their items, sessions and events.

    A :class:`~contacthub_like.service.Session` of the ContactHub service, scoped to
    ``/workspaces/{ws}`` and to this node (lists carry ``nodeId``, creates fill it in).
    """

    def __init__(self, workspace: Workspace, node_id: str) -> None:
        super().__init__(
            CONTACTHUB, workspace.transport, root=f"/workspaces/{quote_segment(workspace.workspace_id)}"
        )
        self.workspace = workspace
        self.node_id: str = str(node_id)

    def __repr__(self) -> str:
        return f"<Node {self.node_id!r} of workspace {self.workspace.workspace_id!r}>"

    def __enter__(self) -> Node:
        return self

    def __exit__(self, *exc: object) -> None:
        self.workspace.close()

    def close(self) -> None:
        """Close the node's workspace (its connection pools are the node's)."""
        self.workspace.close()

    async def aclose(self) -> None:
        await self.workspace.aclose()

    # -- the service's scope -------------------------------------------------------------------------
    def scope_params(self, entity_cls: type[Entity]) -> dict[str, Any]:
        return {"nodeId": self.node_id}

    def scope_value(self) -> str:
        return self.node_id

    def query_document(self, where: Where) -> dict[str, Any] | None:
        """The hub's ``query`` parameter for ``where``, as a dict (see :meth:`Query.to_dict`)."""
        return query_document(where)

    # -- plumbing ---------------------------------------------------------------------------------
    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """A request on a path below the workspace (``/customers/...``)."""
        return self.call(
            method, self.root + path, params=params, body=body, headers=headers, idempotent=idempotent
        )

    def _paginate(
        self,
        path: str,
        params: dict[str, Any],
        wrap: Callable[[dict[str, Any]], W],
        page: int | None,
        size: int | None,
    ) -> PaginatedList[W]:
        if size is not None:
            _check_positive_int("size", size)
        if page is not None:
            _check_non_negative_int("page", page)
        # a sub-collection's documents are wrapped as the caller says (members are customers,
        # uploads are plain records): the list is of what ``wrap`` makes, not of Entity
        listed: PaginatedList[Any] = self.list(
            Entity,
            params,
            page=page or 0,
            size=size,
            wrap=wrap,
            path=self.root + path,
        )
        return listed

    def entity_request(
        self,
        method: str,
        entity_cls: type[Entity],
        ident: str | None = None,
        *,
        suffix: str | None = None,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> Any:
        """:meth:`request` with the method first, as earlier releases spelled it."""
        return self.request(entity_cls, method, ident, suffix=suffix, params=params, body=body)

    def entity_list(
        self,
        entity_cls: type[Entity],
        ident: str | None,
        suffix: str | None,
        wrap: Callable[[dict[str, Any]], W],
        *,
        params: Mapping[str, Any] | None = None,
        page: int | None = None,
        size: int | None = None,
    ) -> PaginatedList[W]:
        """A lazy list over a paged sub-collection, e.g. the members or the uploads of an audience."""
        path = self.path(entity_cls, ident, suffix)[len(self.root) :]
        return self._paginate(path, dict(params or {}), wrap, page, size)

    def entity_download(
        self,
        entity_cls: type[Entity],
        ident: str,
        suffix: str,
        target: str | PathLike[str],
        *,
        accept: str = "*/*",
    ) -> Path:
        """Stream a non-JSON document (``lines.csv``) into ``target``, replacing it only once complete."""
        path = self.path(entity_cls, ident, suffix)
        response = self.transport.request_raw("GET", path, headers={"Accept": accept}, stream=True)
        try:
            return atomic_write(target, response.iter_content(chunk_size=64 * 1024))
        except requests.RequestException as exc:
            raise TransportError(
                f"GET {path[len(self.root) :]}: the download was interrupted ({type(exc).__name__}); "
                f"{target} was left as it was"
            ) from exc
        finally:
            response.close()

    def bulk(self, records: Iterable[Any], *, workers: int = 8, **options: Any) -> Summary:
        """Write many records (customer dicts with their ``events``, or entities) with upserts.

        A thread pool of ``workers`` shares this workspace's connections; see
        :func:`contacthub_like.migrate.bulk_import` for ``checkpoint``, ``rejects``, ``on_result`` and
        ``dry_run`` (a preview with reads only).
        """
        from ...migrate import bulk_import

        return bulk_import(self, records, workers=workers, **options)

    async def bulk_async(self, records: Iterable[Any], *, concurrency: int = 32, **options: Any) -> Summary:
        """:meth:`bulk` on the running event loop, ``concurrency`` records at once; the same summary.

        See :func:`contacthub_like.migrate.bulk_import_async` (give the Workspace a ``pool_maxsize``
        of at least ``concurrency``).
        """
        from ...migrate import bulk_import_async

        return await bulk_import_async(self, records, concurrency=concurrency, **options)

    # -- customers ---------------------------------------------------------------------------------
    def _wrap_customer(self, data: dict[str, Any]) -> Customer:
        return Customer.from_dict(self, data)

    def get_customers(
        self,
        external_id: str | None = None,
        page: int | None = None,
        size: int | None = None,
        fields: Iterable[str] | str | None = None,
        sort: str | Iterable[str] | None = None,
    ) -> PaginatedList[Customer] | Customer:
        """Customers of this node as a lazy list starting at ``page`` (0-based).

        With ``external_id``, a single match is returned as a :class:`Customer`
        (as the original SDK did); several or none give the list.
        """
        params: dict[str, Any] = {"nodeId": self.node_id}
        if external_id is not None:
            params["externalId"] = external_id
        if fields is not None:
            params["fields"] = fields if isinstance(fields, str) else ",".join(fields)
        if sort is not None:
            params["sort"] = sort if isinstance(sort, str) else list(sort)
        result = self._paginate("/customers", params, self._wrap_customer, page, size)
        if external_id is not None and result.total_elements == 1 and len(result.elements) == 1:
            return result.elements[0]
        return result

    def _get_customer_flow(self, id: str | None = None, external_id: str | None = None) -> Flow[Customer]:
        """One customer, by ``id`` or by ``external_id`` (exactly one of them)."""
        if (id is None) == (external_id is None):
            # a ValueError, as in the original SDK
            raise InvalidValue("get_customer() takes exactly one of id=... or external_id=...")
        if id is not None:
            return self._wrap_customer((yield from versioned_flow(self, "GET", id)))
        page = yield Call(
            self,
            "request",
            Customer,
            "GET",
            params={"nodeId": self.node_id, "externalId": external_id, "size": 2},
        )
        elements = page.get("elements") or []
        if len(elements) == 1:
            return self._wrap_customer(elements[0])
        if not elements:
            raise NotFound(f"no customer with externalId {external_id!r} in node {self.node_id}")
        raise InvalidValue(
            f"{page.get('page', {}).get('totalElements', len(elements))} customers share externalId "
            f"{external_id!r}; use node.get_customers(external_id=...) to list them"
        )

    get_customer, get_customer_async = twins(_get_customer_flow)

    def _create_customer(
        self, body: dict[str, Any], *, force_update: bool, claim_repeat: bool = True
    ) -> dict[str, Any]:
        """POST a customer's body, with ContactHub's 409 rules (see ``create_customer_flow``); the
        importer passes ``claim_repeat=False`` to learn whether it created the customer."""
        return run(create_customer_flow(self, body, force_update=force_update, claim_repeat=claim_repeat))

    def _add_customer_flow(
        self, force_update: bool = False, forceUpdate: bool | None = None, **attributes: Any
    ) -> Flow[Customer]:
        """Create a customer from keyword attributes (``base=...``, ``extra=...``...).

        ``force_update=True`` turns a 409 conflict into a PATCH of the existing customer.
        """
        customer = Customer(self, default_attributes={}, **attributes)
        return (yield from customer._post_flow(force_update if forceUpdate is None else forceUpdate))

    add_customer, add_customer_async = twins(_add_customer_flow)

    def _update_customer_flow(
        self, id: str | None = None, full_update: bool = False, **attributes: Any
    ) -> Flow[Customer]:
        """PATCH (default) or PUT (``full_update=True``) a customer with the given attributes.

        PATCH sends exactly the given attributes (``None`` clears a field); PUT replaces
        the customer. Read-only keys (``registeredAt``, ``updatedAt``) are ignored, so
        ``update_customer(**customer.to_dict(), full_update=True)`` works.
        """
        if id is None:
            raise InvalidType(
                "update_customer() needs the customer id: update_customer(id=customer.id, **changes), "
                "or call customer.patch()"
            )
        attributes.pop("nodeId", None)
        changes = Customer(self, default_attributes={}, **attributes)
        body = changes._without_read_only(changes.to_dict())
        if full_update:
            body = put_body(id, body, self.node_id)
        return self._wrap_customer(
            (yield from versioned_flow(self, "PUT" if full_update else "PATCH", id, body))
        )

    update_customer, update_customer_async = twins(_update_customer_flow)

    def _delete_customer_flow(self, id: str | None = None, **attributes: Any) -> Flow[Customer | None]:
        """Delete a customer; returns it as the hub last had it (None when the hub sends no body)."""
        if id is None:
            raise InvalidType("delete_customer() needs the customer id: delete_customer(id=...)")
        data = yield Call(self, "request", Customer, "DELETE", id)
        return self._wrap_customer(data) if isinstance(data, dict) else None

    delete_customer, delete_customer_async = twins(_delete_customer_flow)

    # -- tags ---------------------------------------------------------------------------------------
    def add_tag(self, customer_id: str, tag: str) -> Customer:
        """Add a manual tag; a tag already present sends no request."""
        customer = self.get_customer(id=customer_id)
        manual = _manual_tags(customer)
        if tag not in manual:
            customer.tags.manual = [*manual, tag]
            customer.patch()
        return customer

    def remove_tag(self, customer_id: str, tag: str) -> Customer:
        """Remove a manual tag; raises :class:`TagNotFound` (a ValueError) when it is not there."""
        customer = self.get_customer(id=customer_id)
        manual = _manual_tags(customer)
        if tag not in manual:
            raise TagNotFound(f"customer {customer_id} has no manual tag {tag!r} (its tags: {manual})")
        customer.tags.manual = [t for t in manual if t != tag]
        customer.patch()
        return customer

    # -- customer items (educations, jobs, likes, subscriptions) ------------------------------------
    def _wrap_item(self, cls: type[I], customer_id: str, data: Any) -> I:
        item = cls.from_dict(None, data if isinstance(data, dict) else {}, customer_id=customer_id)
        item._node = self
        return item

    def _bound_item(self, cls: type[I], customer_id: str, item: I | None = None, **document: Any) -> I:
        item = item if item is not None else self._wrap_item(cls, customer_id, document)
        item._node = self
        item._customer_id = str(customer_id)
        return item

    def _add_item_flow(self, cls: type[I], customer_id: str, **attributes: Any) -> Flow[I]:
        """Add an item of ``cls`` (Education, Job, Like, Subscription) to a customer."""
        return (yield from self._bound_item(cls, customer_id, cls(**attributes))._post_flow())

    def _get_item_flow(self, cls: type[I], customer_id: str, item_id: str) -> Flow[I]:
        """Fetch one item of ``cls`` by its id."""
        return (yield from self._bound_item(cls, customer_id, id=item_id)._refresh_flow())

    def _update_item_flow(self, cls: type[I], customer_id: str, item_id: str, **attributes: Any) -> Flow[I]:
        """Replace an item (PUT); ``id`` in ``attributes`` is ignored in favour of ``item_id``."""
        attributes.pop("id", None)
        item = self._bound_item(cls, customer_id, cls(**attributes))
        item.id = item_id
        return (yield from item._put_flow())

    def _remove_item_flow(self, cls: type[I], customer_id: str, item_id: str) -> Flow[None]:
        """Delete one item of ``cls`` from a customer."""
        yield from self._bound_item(cls, customer_id, id=item_id)._delete_flow()

    add_item, add_item_async = twins(_add_item_flow)
    get_item, get_item_async = twins(_get_item_flow)
    update_item, update_item_async = twins(_update_item_flow)
    remove_item, remove_item_async = twins(_remove_item_flow)

    # the original SDK's per-kind names, one row per kind of item
    add_education, get_education, update_education, remove_education = item_verbs(Education)
    add_job, get_job, update_job, remove_job = item_verbs(Job)
    add_like, get_like, update_like, remove_like = item_verbs(Like)
    add_subscription, get_subscription, update_subscription, remove_subscription = item_verbs(Subscription)

    # names used by the original SDK's reference documentation
    get_customer_education = get_education
    get_customer_job = get_job
    get_customer_like = get_like
    get_customer_subscription = get_subscription

    # -- sessions -------------------------------------------------------------------------------------
    @staticmethod
    def create_session_id() -> str:
        """A new random (UUID4) session id for anonymous events."""
        return str(uuid.uuid4())

    def _sessions_path(self, customer_id: str) -> str:
        return f"/customers/{segment('customer id', customer_id)}/sessions"

    def add_customer_session(self, customer_id: str, session_id: str) -> CustomerSession:
        """Link a session id to a customer; events posted under it are attached to the customer."""
        data = self._request("POST", self._sessions_path(customer_id), body={"value": str(session_id)})
        return CustomerSession(id=str(data["id"]), value=str(data["value"]))

    def get_customer_sessions(self, customer_id: str) -> list[CustomerSession]:
        """Every session linked to a customer."""
        data = self._request("GET", self._sessions_path(customer_id)) or {}
        return [CustomerSession(id=str(s["id"]), value=str(s["value"])) for s in data.get("elements", [])]

    def get_customer_session(self, customer_id: str, session_id: str) -> CustomerSession:
        """One linked session, by the record id the hub gave it (not by its value)."""
        data = self._request("GET", f"{self._sessions_path(customer_id)}/{segment('session id', session_id)}")
        return CustomerSession(id=str(data["id"]), value=str(data["value"]))

    def delete_customer_session(self, customer_id: str, session_id: str) -> None:
        """Unlink a session (by record id) from a customer."""
        self._request("DELETE", f"{self._sessions_path(customer_id)}/{segment('session id', session_id)}")

    # -- events -----------------------------------------------------------------------------------------
    def _add_event_flow(self, **attributes: Any) -> Flow[Event]:
        """Post an event built from keyword attributes; returns it with the id the hub assigned."""
        attributes.pop("id", None)
        return (yield from Event(self, **attributes)._post_flow())

    add_event, add_event_async = twins(_add_event_flow)

    def get_events(
        self,
        customer_id: str | None = None,
        event_type: str | Iterable[str] | None = None,
        context: str | Iterable[str] | None = None,
        event_mode: str | None = None,
        date_from: Any = None,
        date_to: Any = None,
        page: int | None = None,
        size: int | None = None,
    ) -> PaginatedList[Event]:
        """Events as a lazy list; without ``customer_id``, all events of this node."""
        params: dict[str, Any] = {}
        if customer_id is not None:
            params["customerId"] = customer_id
        else:
            params["nodeId"] = self.node_id
        for key, value in (("type", event_type), ("context", context)):
            if value is not None:
                params[key] = _comma_list(value)
        if event_mode is not None:
            params["mode"] = _comma_list(event_mode)
        if date_from is not None:
            params["dateFrom"] = wire.encode_value(date_from)
        if date_to is not None:
            params["dateTo"] = wire.encode_value(date_to)
        return self._paginate("/events", params, lambda d: Event.from_dict(self, d), page, size)

    def event_documents(self, customer_id: str) -> list[dict[str, Any]]:
        """Every event of a customer, as the hub sent them (what an importer compares against)."""
        return [event.to_dict() for event in self.get_events(customer_id=customer_id).stream()]

    async def event_documents_async(self, customer_id: str) -> list[dict[str, Any]]:
        """:meth:`event_documents`, awaited."""
        events = self.list_async(
            Entity,
            {"customerId": customer_id},
            path=self.root + "/events",
            wrap=lambda d: Event.from_dict(self, d),
        )
        return [event.to_dict() async for event in events.stream()]

    def _get_event_flow(self, id: str) -> Flow[Event]:
        """One event by id."""
        return Event.from_dict(self, (yield Call(self, "request", Event, "GET", id)))

    def _delete_event_flow(self, id: str) -> Flow[None]:
        """Delete one event by id (the hub answers 204)."""
        yield Call(self, "request", Event, "DELETE", id)

    get_event, get_event_async = twins(_get_event_flow)
    delete_event, delete_event_async = twins(_delete_event_flow)


def _manual_tags(customer: Customer) -> list[str]:
    """The customer's manual tags; a missing ``tags`` section is created empty so it can be patched."""
    if customer.tags is None:
        customer.tags = {"auto": [], "manual": []}
    return list(customer.tags.manual or [])


def _comma_list(value: str | Iterable[str]) -> str:
    if isinstance(value, str):
        return value
    return ",".join(str(v.value if hasattr(v, "value") else v) for v in value)


def _check_positive_int(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidValue(f"{name} must be a positive integer, got {value!r}")


def _check_non_negative_int(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidValue(f"{name} must be an integer >= 0 (pages are numbered from 0), got {value!r}")
