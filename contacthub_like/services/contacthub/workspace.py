"""Workspace and Node: the session objects every entity talks through.

A :class:`Workspace` owns one :class:`~contacthub_like.http.transport.Transport`
(connection pool, auth, timeouts); a :class:`Node` is a view of one entry node
of it and carries the verbs. Nodes move dicts: they know URLs and parameters,
never field names, and hand documents to the entity classes to wrap.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import requests
from requests.auth import AuthBase

from ... import wire
from ...errors import (
    ConfigurationError,
    Conflict,
    InvalidType,
    InvalidValue,
    NotFound,
    TagNotFound,
    TransportError,
)
from ...http.auth import BearerToken
from ...http.files import atomic_write
from ...http.retry import Retry
from ...http.throttle import TokenBucket
from ...http.transport import Throttle, Transport, quote_segment
from ...orm.entity import Entity
from ...query.paginated import PaginatedList
from ...query.query import Query
from .entities.customer import Customer
from .entities.event import Event
from .entities.subresources import CustomerItem, Education, Job, Like, Subscription
from .settings import DEFAULT_BASE_URL, HubSettings, load_env, load_ini, load_json, normalize_base_url
from .versions import Versioned

if TYPE_CHECKING:  # pragma: no cover
    from ...migrate.records import Summary

__all__ = ["Workspace", "Node", "CustomerSession"]

E = TypeVar("E", bound=Entity)
I = TypeVar("I", bound=CustomerItem)  # noqa: E741

DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)

#: The retry policy a Workspace uses unless told otherwise (``retry=None`` turns retries off).
DEFAULT_RETRY = Retry()


class CustomerSession(str):
    """A session id linked to a customer (``{id, value}`` on the wire).

    It *is* the session id (``value``) as a ``str``, because the original SDK's
    ``add_customer_session`` returned just that; the hub's record id, which
    :meth:`Node.get_customer_session` and :meth:`Node.delete_customer_session` take,
    is :attr:`id`.
    """

    id: str

    def __new__(cls, id: str, value: str) -> CustomerSession:
        obj = super().__new__(cls, value)
        object.__setattr__(obj, "id", str(id))
        return obj

    @property
    def value(self) -> str:
        return str.__str__(self)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"CustomerSession is read-only; cannot set {name!r}")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CustomerSession):
            return (self.id, self.value) == (other.id, other.value)
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__

    def __reduce__(self) -> tuple[Any, ...]:
        return (CustomerSession, (self.id, self.value))

    def __repr__(self) -> str:
        return f"CustomerSession(id={self.id!r}, value={self.value!r})"


class Workspace:
    """Credentials and one HTTP session for a hub workspace.

    ``Workspace(workspace_id, token)`` talks to the remote hub;
    ``Workspace()`` with no credentials (or :meth:`local`) starts the embedded
    local hub and connects to it. Use it as a context manager, or call
    :meth:`close`, to release the connection pool.

    Reliability settings (see :doc:`reliability`): ``auth`` replaces the bearer ``token``
    with another strategy from :mod:`contacthub_like.http.auth` (OAuth2, basic, static JWT);
    ``retry`` is the :class:`~contacthub_like.http.retry.Retry` policy (``None``: one attempt
    only); ``throttle`` caps the request rate of every thread using this Workspace, as
    requests per second or any object with ``acquire()``.
    """

    def __init__(
        self,
        workspace_id: str | int | None = None,
        token: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        *,
        node_id: str | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        pool_maxsize: int = 10,
        transport: Transport | None = None,
        auth: AuthBase | None = None,
        retry: Retry | None = DEFAULT_RETRY,
        throttle: float | Throttle | None = None,
    ) -> None:
        if auth is not None and token is not None:
            raise ConfigurationError("pass either token=... or auth=..., not both")
        if auth is not None:
            token = ""  # the auth object signs requests
        if token is not None and not isinstance(token, str):  # as the settings loaders refuse it
            raise ConfigurationError(f"token must be a str, got {type(token).__name__}")
        if workspace_id is None and token is None and transport is None:
            local = _local_settings(None)
            workspace_id, token, base_url = local.workspace_id, local.token, local.base_url
            node_id = node_id or local.node_id
        if workspace_id is None or workspace_id == "" or (token is None and transport is None):
            raise ConfigurationError(
                "a Workspace needs both workspace_id and token, e.g. Workspace(workspace_id='ws', token='...'); "
                "call Workspace() with neither to use the embedded local hub"
            )
        #: the workspace id, as it appears in every URL
        self.workspace_id: str = str(workspace_id)
        #: API root, e.g. 'https://api.contactlab.it/hub/v1' (a trailing '/workspaces' is accepted and removed)
        self.base_url: str = normalize_base_url(base_url)
        #: node used by :meth:`get_node` when it is called without an id
        self.default_node_id: str | None = str(node_id) if node_id is not None else None
        self.timeout = timeout
        if retry is not None and not callable(getattr(retry, "run", None)):
            raise InvalidType(f"retry must be a Retry (or None for no retries), got {type(retry).__name__}")
        self.transport: Transport = transport or Transport(
            self.base_url,
            auth if auth is not None else BearerToken(str(token)),
            timeout=timeout,
            pool_maxsize=pool_maxsize,
            retry=retry,
            throttle=_throttle(throttle),
        )
        #: the retry policy and throttle in use (a transport passed in brings its own)
        self.retry = self.transport.retry
        self.throttle = self.transport.throttle
        self._nodes: dict[str, Node] = {}
        # A Workspace can be shared by threads (bulk work on a bounded pool, page prefetch): the transport
        # keeps no per-request state and the connection pool is thread-safe (give it pool_maxsize >= the
        # number of threads); the threads must also agree on one Node per id. Entities are not locked.
        self._nodes_lock = threading.Lock()

    # -- alternative constructors ------------------------------------------------------------
    @classmethod
    def from_settings(cls, settings: HubSettings, **kwargs: Any) -> Workspace:
        """Build from a loaded :class:`~contacthub_like.services.contacthub.settings.HubSettings`; keyword arguments win over it."""
        kwargs.setdefault("node_id", settings.node_id)
        if settings.timeout is not None:
            kwargs.setdefault("timeout", settings.timeout)
        caps: dict[str, Any] = {
            name: value
            for name in ("max_attempts", "max_total_wait")
            if (value := getattr(settings, name)) is not None
        }
        if settings.retry_on is not None:
            caps["statuses"] = settings.retry_on
        if caps:
            kwargs.setdefault("retry", attrs.evolve(DEFAULT_RETRY, **caps))
        if settings.requests_per_second is not None:
            kwargs.setdefault("throttle", settings.requests_per_second)
        return cls(settings.workspace_id, settings.token, settings.base_url, **kwargs)

    @classmethod
    def from_ini_file(cls, file_path: str | PathLike[str], **kwargs: Any) -> Workspace:
        """Read ``workspace_id``, ``token`` and optionally ``base_url``/``node_id`` from an INI file.

        The file may have no section header (``key = value`` lines) or a ``[contacthub]``
        section; ``%`` in a token is taken literally.
        """
        return cls.from_settings(load_ini(file_path), **kwargs)

    #: spelling used by the original documentation
    from_INI_file = from_ini_file

    @classmethod
    def from_json_file(cls, file_path: str | PathLike[str], **kwargs: Any) -> Workspace:
        """Read the same keys as :meth:`from_ini_file` from a JSON object."""
        return cls.from_settings(load_json(file_path), **kwargs)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, local_fallback: bool = True, **kwargs: Any
    ) -> Workspace:
        """Read ``CONTACTHUB_WORKSPACE_ID``/``CONTACTHUB_TOKEN`` (and friends) from the environment.

        Without them, and with ``local_fallback`` (the default), connect to the embedded local hub.
        """
        env = os.environ if environ is None else environ
        if local_fallback and not env.get("CONTACTHUB_WORKSPACE_ID") and not env.get("CONTACTHUB_TOKEN"):
            return cls.local(env.get("CONTACTHUB_LIKE_DB") or None, **kwargs)
        return cls.from_settings(load_env(env), **kwargs)

    @classmethod
    def local(cls, path: str | PathLike[str] | None = None, **kwargs: Any) -> Workspace:
        """Start (or reuse) the embedded hub for the SQLite file ``path`` and connect to its default workspace."""
        local = _local_settings(path)
        kwargs.setdefault("node_id", local.node_id)
        return cls(local.workspace_id, local.token, local.base_url, **kwargs)

    # -- nodes ------------------------------------------------------------------------------------
    def get_node(self, node_id: str | int | None = None) -> Node:
        """The :class:`Node` for ``node_id`` (the configured default node when omitted)."""
        if node_id is None:
            node_id = self.default_node_id
            if node_id is None:
                raise ConfigurationError(
                    "get_node() needs a node id: pass it, or set node_id in the configuration"
                )
        key = str(node_id)
        node = self._nodes.get(key)
        if node is None:
            with self._nodes_lock:
                node = self._nodes.get(key)
                if node is None:
                    node = self._nodes[key] = Node(self, key)
        return node

    # -- lifecycle --------------------------------------------------------------------------------
    def close(self) -> None:
        self.transport.close()
        close_auth = getattr(self.transport.auth, "close", None)
        if callable(close_auth):  # e.g. the token endpoint's connection pool of OAuth2PasswordGrant
            close_auth()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Workspace {self.workspace_id!r} at {self.base_url!r}>"


def _throttle(value: float | Throttle | None) -> Throttle | None:
    if value is None or callable(getattr(value, "acquire", None)):
        return value  # type: ignore[return-value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return TokenBucket(value)
    raise InvalidType(
        f"throttle must be requests per second (a number), an object with acquire() or None, "
        f"got {type(value).__name__}"
    )


def _local_settings(path: str | PathLike[str] | None) -> HubSettings:
    from ...sandbox.extra import require_hub_extra

    require_hub_extra()  # a ConfigurationError saying what to install, not a ModuleNotFoundError
    from ...sandbox.admin import ensure_default_credentials
    from ...sandbox.server import start_local_hub

    hub = start_local_hub(path)
    creds = ensure_default_credentials(hub.db_path)
    return HubSettings(
        workspace_id=creds.workspace_id, token=creds.token, base_url=hub.base_url, node_id=creds.node_id
    )


class Node:
    """One entry node of a workspace: the verbs for customers, their items, sessions and events."""

    def __init__(self, workspace: Workspace, node_id: str) -> None:
        self.workspace = workspace
        self.node_id = str(node_id)
        self._root = f"/workspaces/{quote_segment(workspace.workspace_id)}"

    def __repr__(self) -> str:
        return f"<Node {self.node_id!r} of workspace {self.workspace.workspace_id!r}>"

    def __enter__(self) -> Node:
        return self

    def __exit__(self, *exc: object) -> None:
        self.workspace.close()

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
        transport = self.workspace.transport
        extra: dict[str, Any] = {}
        if headers is not None:
            extra["headers"] = headers
        if idempotent is None and method == "PATCH":
            # Every PATCH this library builds is a merge patch of absolute values (whole lists,
            # new values, nulls), never a relative edit, so repeating it after a lost answer is safe.
            idempotent = True
        if idempotent is not None:
            extra["idempotent"] = idempotent
        if body is not None:
            extra["json"] = body
        try:
            return transport.request(method, self._root + path, params=params, **extra)
        except NotFound as missing:
            # A repeated DELETE finding nothing after an earlier attempt lost its answer: that attempt did it.
            if method == "DELETE" and missing.maybe_applied_before:
                return None
            raise

    def _paginate(
        self,
        path: str,
        params: dict[str, Any],
        wrap: Callable[[dict[str, Any]], E],
        page: int | None,
        size: int | None,
    ) -> PaginatedList[E]:
        if size is not None:
            _check_positive_int("size", size)
            params["size"] = size
        if page is not None:
            _check_non_negative_int("page", page)

        def fetch(number: int) -> dict[str, Any]:
            return self._request("GET", path, params={**params, "page": number} if number else params)

        return PaginatedList(fetch, wrap, start_page=page or 0, size=size)

    def fetch_page(self, entity_cls: type[Entity], params: Mapping[str, Any]) -> dict[str, Any]:
        """GET one page of an entity collection; used by :class:`~contacthub_like.query.Query`."""
        collection = entity_cls._meta.collection
        if not collection:
            raise InvalidType(f"{entity_cls.__name__} is not a queryable hub collection")
        full = {"nodeId": self.node_id, **params}
        return self._request("GET", f"/{collection}", params=full)

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
        """One request on an entity collection: ``/<collection>[/{ident}][/{suffix}]``.

        The one place entities reach the hub through; ``suffix`` addresses sub-paths such
        as ``customers`` of an audience or ``lines.csv`` of an invoice.
        """
        return self._request(method, self._entity_path(entity_cls, ident, suffix), params=params, body=body)

    def entity_list(
        self,
        entity_cls: type[Entity],
        ident: str | None,
        suffix: str | None,
        wrap: Callable[[dict[str, Any]], E],
        *,
        params: Mapping[str, Any] | None = None,
        page: int | None = None,
        size: int | None = None,
    ) -> PaginatedList[E]:
        """A lazy list over a paged sub-collection, e.g. the members or the uploads of an audience."""
        path = self._entity_path(entity_cls, ident, suffix)
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
        path = self._entity_path(entity_cls, ident, suffix)
        response = self.workspace.transport.request_raw(
            "GET", self._root + path, headers={"Accept": accept}, stream=True
        )
        try:
            return atomic_write(target, response.iter_content(chunk_size=64 * 1024))
        except requests.RequestException as exc:
            raise TransportError(
                f"GET {path}: the download was interrupted ({type(exc).__name__}); "
                f"{target} was left as it was"
            ) from exc
        finally:
            response.close()

    def _entity_path(self, entity_cls: type[Entity], ident: str | None, suffix: str | None) -> str:
        collection = entity_cls._meta.collection
        if not collection:
            raise InvalidType(f"{entity_cls.__name__} is not a hub collection")
        path = f"/{collection}"
        if ident is not None:
            path += "/" + _segment(f"{entity_cls.__name__.lower()} id", ident)
        if suffix:
            path += "/" + suffix
        return path

    def query(self, entity: type[E]) -> Query:
        """A query builder over ``entity`` (e.g. ``node.query(Customer).filter(...)``)."""
        return Query(self, entity)

    def bulk(self, records: Iterable[Any], *, workers: int = 8, **options: Any) -> Summary:
        """Write many records (customer dicts with their ``events``, or entities) with upserts.

        A thread pool of ``workers`` shares this workspace's connections; see
        :func:`contacthub_like.migrate.bulk_import` for ``checkpoint``, ``rejects`` and ``on_result``.
        """
        from ...migrate import bulk_import

        return bulk_import(self, records, workers=workers, **options)

    # -- customers ---------------------------------------------------------------------------------
    def _customer_request(
        self, method: str, customer_id: str, body: Any, *, if_match: str | None = None
    ) -> Any:
        """One customer's document; with the hub's ETag when it sends one (see .versions).

        ``if_match`` makes a write conditional: the hub answers 412 (PreconditionFailed) when the
        customer is no longer that version.
        """
        path = f"/customers/{_segment('customer id', customer_id)}"
        headers = {"If-Match": if_match} if if_match else None
        if method == "DELETE":
            return self._request(method, path, body=body, headers=headers)
        extra: dict[str, Any] = {"json": body} if body is not None else {}
        # every method here repeats safely (PATCH bodies hold absolute values, see _request)
        response = self.workspace.transport.request_raw(
            method, self._root + path, headers=headers, idempotent=True, **extra
        )
        return Versioned(response.json(), response.headers.get("ETag"))

    def _put_body(self, customer_id: str, body: dict[str, Any], node_id: str | None = None) -> dict[str, Any]:
        """A full customer for PUT: it names itself (``id``) and its node, as every ContactHub SDK does."""
        return {"id": str(customer_id), "nodeId": node_id or self.node_id, **body}

    def _wrap_customer(self, data: dict[str, Any]) -> Customer:
        return Customer.from_dict(self, data)

    def _create_customer(
        self, body: dict[str, Any], *, force_update: bool, claim_repeat: bool = True
    ) -> dict[str, Any]:
        """POST a customer.  ``claim_repeat=False`` raises the 409 of a repeated POST instead of taking
        the matched customer as this call's creation: "maybe ours" is not proof that it is new."""
        body = {**body, "nodeId": self.node_id}
        try:
            # Repeating is safe when the hub can recognise the repeat (a 409, resolved below): only
            # with an externalId or email, the keys its matching policy uses.
            return self._request("POST", "/customers", body=body, idempotent=_has_matching_key(body))
        except Conflict as conflict:
            existing = conflict.existing_id
            if existing and conflict.maybe_applied_before and claim_repeat and not force_update:
                # an earlier attempt lost its answer, most likely after creating the customer: it is ours
                return self._customer_request("GET", existing, None)
            if not force_update or not existing:
                raise
            # empty sections in a new customer mean "nothing given": they must not clear the existing data
            patch = _prune_empty({k: v for k, v in body.items() if k != "nodeId"})
            return self._customer_request("PATCH", existing, patch)

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

    def get_customer(self, id: str | None = None, external_id: str | None = None) -> Customer:
        """One customer, by ``id`` or by ``external_id`` (exactly one of them)."""
        if (id is None) == (external_id is None):
            # a ValueError, as in the original SDK
            raise InvalidValue("get_customer() takes exactly one of id=... or external_id=...")
        if id is not None:
            return self._wrap_customer(self._customer_request("GET", id, None))
        page = self._request(
            "GET", "/customers", params={"nodeId": self.node_id, "externalId": external_id, "size": 2}
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

    def add_customer(
        self, force_update: bool = False, forceUpdate: bool | None = None, **attributes: Any
    ) -> Customer:
        """Create a customer from keyword attributes (``base=...``, ``extra=...``...).

        ``force_update=True`` turns a 409 conflict into a PATCH of the existing customer.
        """
        customer = Customer(self, default_attributes={}, **attributes)
        return customer.post(force_update=force_update if forceUpdate is None else forceUpdate)

    def update_customer(
        self, id: str | None = None, full_update: bool = False, **attributes: Any
    ) -> Customer:
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
            return self._wrap_customer(self._customer_request("PUT", id, self._put_body(id, body)))
        return self._wrap_customer(self._customer_request("PATCH", id, body))

    def delete_customer(self, id: str | None = None, **attributes: Any) -> Customer | None:
        """Delete a customer; returns it as the hub last had it (None when the hub sends no body)."""
        if id is None:
            raise InvalidType("delete_customer() needs the customer id: delete_customer(id=...)")
        data = self._customer_request("DELETE", id, None)
        return self._wrap_customer(data) if isinstance(data, dict) else None

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
    def _item_request(
        self, method: str, cls: type[CustomerItem], customer_id: str, item_id: str | None, body: Any
    ) -> Any:
        path = f"/customers/{_segment('customer id', customer_id)}/{cls.__collection__}"
        if item_id is not None:
            path += "/" + _segment(f"{cls.__name__.lower()} id", item_id)
        return self._request(method, path, body=body)

    def _wrap_item(self, cls: type[I], customer_id: str, data: Any) -> I:
        item = cls.from_dict(None, data if isinstance(data, dict) else {}, customer_id=customer_id)
        item._node = self
        return item  # type: ignore[return-value]

    def add_item(self, cls: type[I], customer_id: str, **attributes: Any) -> I:
        """Add an item of ``cls`` (Education, Job, Like, Subscription) to a customer."""
        body = cls(**attributes).to_dict()
        return self._wrap_item(cls, customer_id, self._item_request("POST", cls, customer_id, None, body))

    def get_item(self, cls: type[I], customer_id: str, item_id: str) -> I:
        """Fetch one item of ``cls`` by its id."""
        return self._wrap_item(cls, customer_id, self._item_request("GET", cls, customer_id, item_id, None))

    def update_item(self, cls: type[I], customer_id: str, item_id: str, **attributes: Any) -> I:
        """Replace an item (PUT); ``id`` in ``attributes`` is ignored in favour of ``item_id``."""
        attributes.pop("id", None)
        body = cls(**attributes).to_dict()
        return self._wrap_item(cls, customer_id, self._item_request("PUT", cls, customer_id, item_id, body))

    def remove_item(self, cls: type[I], customer_id: str, item_id: str) -> None:
        """Delete one item of ``cls`` from a customer."""
        self._item_request("DELETE", cls, customer_id, item_id, None)

    def add_education(self, customer_id: str, **attributes: Any) -> Education:
        """Add a education to a customer; returns it as the hub stored it."""
        return self.add_item(Education, customer_id, **attributes)

    def get_education(self, customer_id: str, education_id: str) -> Education:
        """Fetch one education of a customer."""
        return self.get_item(Education, customer_id, education_id)

    def update_education(self, customer_id: str, id: str, **attributes: Any) -> Education:
        """Replace a education of a customer (PUT)."""
        return self.update_item(Education, customer_id, id, **attributes)

    def remove_education(self, customer_id: str, education_id: str) -> None:
        """Delete one education from a customer."""
        self.remove_item(Education, customer_id, education_id)

    def add_job(self, customer_id: str, **attributes: Any) -> Job:
        """Add a job to a customer; returns it as the hub stored it."""
        return self.add_item(Job, customer_id, **attributes)

    def get_job(self, customer_id: str, job_id: str) -> Job:
        """Fetch one job of a customer."""
        return self.get_item(Job, customer_id, job_id)

    def update_job(self, customer_id: str, id: str, **attributes: Any) -> Job:
        """Replace a job of a customer (PUT)."""
        return self.update_item(Job, customer_id, id, **attributes)

    def remove_job(self, customer_id: str, job_id: str) -> None:
        """Delete one job from a customer."""
        self.remove_item(Job, customer_id, job_id)

    def add_like(self, customer_id: str, **attributes: Any) -> Like:
        """Add a like to a customer; returns it as the hub stored it."""
        return self.add_item(Like, customer_id, **attributes)

    def get_like(self, customer_id: str, like_id: str) -> Like:
        """Fetch one like of a customer."""
        return self.get_item(Like, customer_id, like_id)

    def update_like(self, customer_id: str, id: str, **attributes: Any) -> Like:
        """Replace a like of a customer (PUT)."""
        return self.update_item(Like, customer_id, id, **attributes)

    def remove_like(self, customer_id: str, like_id: str) -> None:
        """Delete one like from a customer."""
        self.remove_item(Like, customer_id, like_id)

    def add_subscription(self, customer_id: str, **attributes: Any) -> Subscription:
        """Add a subscription to a customer; returns it as the hub stored it."""
        return self.add_item(Subscription, customer_id, **attributes)

    def get_subscription(self, customer_id: str, subscription_id: str) -> Subscription:
        """Fetch one subscription of a customer."""
        return self.get_item(Subscription, customer_id, subscription_id)

    def update_subscription(self, customer_id: str, id: str, **attributes: Any) -> Subscription:
        """Replace a subscription of a customer (PUT)."""
        return self.update_item(Subscription, customer_id, id, **attributes)

    def remove_subscription(self, customer_id: str, subscription_id: str) -> None:
        """Delete one subscription from a customer."""
        self.remove_item(Subscription, customer_id, subscription_id)

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
        return f"/customers/{_segment('customer id', customer_id)}/sessions"

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
        data = self._request(
            "GET", f"{self._sessions_path(customer_id)}/{_segment('session id', session_id)}"
        )
        return CustomerSession(id=str(data["id"]), value=str(data["value"]))

    def delete_customer_session(self, customer_id: str, session_id: str) -> None:
        """Unlink a session (by record id) from a customer."""
        self._request("DELETE", f"{self._sessions_path(customer_id)}/{_segment('session id', session_id)}")

    # -- events -----------------------------------------------------------------------------------------
    def _event_request(self, method: str, event_id: str) -> Any:
        return self._request(method, f"/events/{_segment('event id', event_id)}")

    def _post_event(self, body: dict[str, Any]) -> str | None:
        if not body.get("customerId") and not body.get("bringBackProperties"):
            raise InvalidValue(
                "an event needs customerId=... or bringBackProperties=Properties(type='EXTERNAL_ID'|'SESSION_ID', "
                "value=...) to say whose it is"
            )
        # one key per logical event, made before any attempt: the hub stores each key once
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        data = self._request("POST", "/events", body=body, headers=headers, idempotent=True)
        return str(data["id"]) if isinstance(data, dict) and data.get("id") else None

    def add_event(self, **attributes: Any) -> Event:
        """Post an event built from keyword attributes; returns it with the id the hub assigned."""
        attributes.pop("id", None)
        return Event(self, **attributes).post()

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

    def get_event(self, id: str) -> Event:
        """One event by id."""
        return Event.from_dict(self, self._event_request("GET", id))

    def delete_event(self, id: str) -> None:
        """Delete one event by id (the hub answers 204)."""
        self._event_request("DELETE", id)


def _has_matching_key(body: Mapping[str, Any]) -> bool:
    base = body.get("base")
    contacts = base.get("contacts") if isinstance(base, Mapping) else None
    email = contacts.get("email") if isinstance(contacts, Mapping) else None
    return bool(body.get("externalId")) or bool(email)


def _prune_empty(value: Any) -> Any:
    """Drop empty dicts and lists, recursively (a dict left empty by the pruning goes too)."""
    if isinstance(value, dict):
        pruned = {k: _prune_empty(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v != {} and v != []}
    return value


def _manual_tags(customer: Customer) -> list[str]:
    """The customer's manual tags; a missing ``tags`` section is created empty so it can be patched."""
    if customer.tags is None:
        customer.tags = {"auto": [], "manual": []}
    return list(customer.tags.manual or [])


def _comma_list(value: str | Iterable[str]) -> str:
    if isinstance(value, str):
        return value
    return ",".join(str(v.value if hasattr(v, "value") else v) for v in value)


def _segment(what: str, value: Any) -> str:
    """A path segment from an id, refusing values that would change the URL's meaning."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if not text or "/" in text or text in (".", "..") or "?" in text or "#" in text:
        raise InvalidValue(f"{what} must be a non-empty string without '/', '?' or '#', got {value!r}")
    return text


def _check_positive_int(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidValue(f"{name} must be a positive integer, got {value!r}")


def _check_non_negative_int(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidValue(f"{name} must be an integer >= 0 (pages are numbered from 0), got {value!r}")
