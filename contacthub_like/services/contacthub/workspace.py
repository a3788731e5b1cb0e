"""Workspace: credentials, settings and one connection pool; :meth:`Workspace.get_node` gives the sessions."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from os import PathLike
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from requests.auth import AuthBase

from ...errors import (
    ConfigurationError,
    InvalidType,
)
from ...http.auth import BearerToken
from ...http.retry import Retry
from ...http.throttle import TokenBucket
from ...http.transport import DEFAULT_TIMEOUT, Throttle, Transport
from ...orm.entity import Entity
from .customer_session import CustomerSession
from .entities.subresources import CustomerItem
from .node import Node
from .service import CONTACTHUB
from .settings import DEFAULT_BASE_URL, HubSettings, load_env, load_ini, load_json, normalize_base_url

if TYPE_CHECKING:  # pragma: no cover
    from ...http.transport import RetryPolicy

__all__ = ["Workspace", "Node", "CustomerSession"]

E = TypeVar("E", bound=Entity)
I = TypeVar("I", bound=CustomerItem)  # noqa: E741


#: The retry policy a Workspace uses unless told otherwise (``retry=None`` turns retries off).
DEFAULT_RETRY = Retry()


class Workspace:
    """Credentials and one HTTP session for a hub workspace.

    ``Workspace(workspace_id, token)`` talks to the remote hub;
    ``Workspace()`` with no credentials (or :meth:`local`) starts the embedded
    local hub and connects to it. Use it as a context manager, or call
    ``close()``, to release the connection pool.

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
            given = f"{type(retry).__module__}.{type(retry).__qualname__}"
            raise InvalidType(
                f"retry must be a contacthub_like.Retry (from contacthub_like import Retry), or None for "
                f"no retries; got {given}"
                + (
                    " (urllib3's Retry drives requests' adapters, not this library)"
                    if type(retry).__module__.startswith("urllib3")
                    else ""
                )
            )
        self.transport: Transport = transport or CONTACTHUB.transport(
            self.base_url,
            auth if auth is not None else BearerToken(str(token)),
            timeout=timeout,
            pool_maxsize=pool_maxsize,
            retry=retry,
            throttle=_throttle(throttle),
        )
        #: the retry policy and throttle in use (a transport passed in brings its own)
        self.retry: RetryPolicy | None = self.transport.retry
        self.throttle: Throttle | None = self.transport.throttle
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

    async def aclose(self) -> None:
        """``close()``, also closing the asyncio pool the ``_async`` verbs used in the running loop."""
        await self.transport.aclose()
        self.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Workspace:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

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
