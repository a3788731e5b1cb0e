"""``StreamOne``: one object for both Ion APIs, configured like the seed SDK (or pointed at the sandbox).

``ion.query(Invoice)`` goes to v1, ``ion.get(Customer, "4567")`` to v3: each entity names its API
(``__api__``) and the facade hands it the matching session.  The seed SDK's JSON configuration
file is read as is, and it stays the v3 token store: the rotated refresh token is written back
to it (atomically, under a lock file), so the seed SDK and this library can share it.
"""

from __future__ import annotations

import builtins
import json
import os
from pathlib import Path
from typing import Any, TypeVar

from ...errors import ConfigurationError, InvalidType
from ...http.auth import BasicAuth
from ...http.retry import Retry
from ...http.rotating import (
    JsonFileTokenStore,
    MemoryTokenStore,
    RotatingRefreshGrant,
    StoredTokens,
    TokenStore,
)
from ...http.signed import SignedTransfers
from ...http.transport import Timeout
from ...orm import Entity
from ...query.apaginated import AsyncPaginatedList
from ...query.paginated import PaginatedList
from ...query.query import Query
from ...service import Session
from .entities import Invoice, Order, Product, Report, Subscription
from .sessions import STREAMONE_V1, STREAMONE_V3, StreamOneV1, StreamOneV3, V1Query

__all__ = ["StreamOne", "DEFAULT_HOST", "REISSUE_HINT"]

E = TypeVar("E", bound=Entity)

#: the retry policy unless told otherwise: 429 (honouring Retry-After) and gateway errors
DEFAULT_RETRY = Retry()
#: Ion's host; v1 is under /api/v1, v3 under /api/v3/accounts/{a}, OAuth under /oauth
DEFAULT_HOST = "https://ion.tdsynnex.com"
REISSUE_HINT = (
    "an Account Admin makes new ones in the Ion portal (Settings > Users > Edit > OAuth credentials > "
    "Request New Credentials)"
)
_EXAMPLE = (
    '{"v1": {"api_key": "...", "api_secret": "..."}, '
    '"v3": {"access_token": "...", "refresh_token": "..."}, "accountid": "..."}'
)


class StreamOne:
    """Both StreamOne Ion APIs: v1 with an API key and secret, v3 with a rotating refresh token.

    :param host: Ion's host (the sandbox's is ``http://127.0.0.1:PORT/streamone``).
    :param api_key: with ``api_secret``, the v1 credentials (Settings > Account Information).
    :param account_id: the reseller account of v3 paths.
    :param token_store: where the v3 tokens live (:class:`~contacthub_like.http.rotating.JsonFileTokenStore`);
        ``refresh_token=`` builds an in-memory one instead (the rotated token is then lost at exit).
    :param timeout: of every request, seconds or ``(connect, read)``.
    :param retry: the retry policy (429 with ``Retry-After``, gateway errors); ``None`` for none.
    """

    def __init__(
        self,
        *,
        host: str = DEFAULT_HOST,
        api_key: str | None = None,
        api_secret: str | None = None,
        account_id: str | int | None = None,
        token_store: TokenStore | None = None,
        refresh_token: str | None = None,
        timeout: Timeout = (10.0, 60.0),
        retry: Retry | None = DEFAULT_RETRY,
        transfers: SignedTransfers | None = None,
    ) -> None:
        if refresh_token is not None and token_store is not None:
            raise ConfigurationError("pass token_store or refresh_token, not both")
        if refresh_token is not None:
            token_store = MemoryTokenStore(StoredTokens(refresh_token))
        self.host: str = host.rstrip("/") if isinstance(host, str) else host
        self._v1: StreamOneV1 | None = None
        self._v3: StreamOneV3 | None = None
        if (api_key is None) != (api_secret is None):
            raise ConfigurationError("v1 needs both api_key and api_secret")
        if api_key is not None and api_secret is not None:
            transport = STREAMONE_V1.transport(
                self.host, BasicAuth(api_key, api_secret), timeout=timeout, retry=retry
            )
            self._v1 = StreamOneV1(transport, transfers)
        if token_store is not None:
            if account_id is None or str(account_id).strip() == "":
                raise ConfigurationError(
                    "v3 needs account_id (the reseller account number of Account Information)"
                )
            auth = RotatingRefreshGrant(
                f"{self.host}/oauth/token", token_store, reissue_hint=REISSUE_HINT, timeout=timeout
            )
            transport = STREAMONE_V3.transport(self.host, auth, timeout=timeout, retry=retry)
            self._v3 = StreamOneV3(transport, str(account_id).strip())
        if self._v1 is None and self._v3 is None:
            raise ConfigurationError(
                "StreamOne needs v1 credentials (api_key, api_secret) and/or v3 ones (account_id and "
                "token_store or refresh_token); StreamOne.from_json_file() reads the seed SDK's file"
            )

    # -- construction --------------------------------------------------------------------------------
    @classmethod
    def from_json_file(
        cls, path: str | os.PathLike[str], *, host: str | None = None, **options: Any
    ) -> StreamOne:
        """From the seed SDK's configuration file: ``{"v1": {api_key, api_secret}, "v3": {access_token,
        refresh_token}, "accountid": ...}``, plus an optional ``base_url`` (the sandbox writes it).

        The file stays the v3 token store: each rotated refresh token is saved back into it.
        """
        file = Path(path)
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigurationError(f"{file} does not exist; it should look like {_EXAMPLE}") from None
        except ValueError as exc:
            raise ConfigurationError(
                f"{file} is not valid JSON ({exc.args[0]}); it should look like {_EXAMPLE}"
            ) from None
        if not isinstance(document, dict) or ("v1" not in document and "v3" not in document):
            raise ConfigurationError(f"{file} must hold v1 and/or v3 credentials, like {_EXAMPLE}")
        if "accountid" not in document:
            raise ConfigurationError(f"{file} has no accountid (the seed SDK requires it too): {_EXAMPLE}")
        v1 = document.get("v1")
        if v1 is not None and not (isinstance(v1, dict) and v1.get("api_key") and v1.get("api_secret")):
            raise ConfigurationError(f"{file}: v1 must hold api_key and api_secret")
        store = None
        if document.get("v3") is not None:
            store = JsonFileTokenStore(file, ("v3",))
            store.load()  # says now, not at the first call, what is missing
        return cls(
            host=host or document.get("base_url") or DEFAULT_HOST,
            api_key=v1["api_key"] if v1 else None,
            api_secret=v1["api_secret"] if v1 else None,
            account_id=document["accountid"],
            token_store=store,
            **options,
        )

    @classmethod
    def local(cls, path: str | os.PathLike[str] | None = None, **options: Any) -> StreamOne:
        """The embedded sandbox's StreamOne emulator (started or reused for the SQLite file ``path``),
        with its demo data.

        Each call has the emulator issue fresh credentials into ``<db>.configs/streamone.json`` beside
        the database (the seed SDK can read the same file), so a reset database never leaves stale ones.
        """
        from ...sandbox.server import start_local_hub

        try:
            from ...sandbox import streamone as emulator
        except ImportError:  # pragma: no cover - depends on the installed sandbox
            raise ConfigurationError(
                "this installation has no StreamOne emulator (contacthub_like.sandbox.streamone)"
            ) from None
        hub = start_local_hub(path)
        config_dir = hub.db_path.parent / f"{hub.db_path.stem}.configs"
        hub.store.ensure_schema(emulator.SCHEMA)
        written = emulator.seed(hub.store, base_url=hub.base_url, config_dir=config_dir)
        config = next((p for p in written if p.name == "streamone.json"), config_dir / "streamone.json")
        return cls.from_json_file(config, host=hub.base_url + emulator.PREFIX, **options)

    # -- sessions -------------------------------------------------------------------------------------
    @property
    def v1(self) -> StreamOneV1:
        """The v1 session (invoices, v1 customers)."""
        if self._v1 is None:
            raise ConfigurationError("no v1 credentials: give api_key and api_secret (the file's 'v1')")
        return self._v1

    @property
    def v3(self) -> StreamOneV3:
        """The v3 session (customers, subscriptions, orders, products, reports)."""
        if self._v3 is None:
            raise ConfigurationError(
                "no v3 credentials: give account_id and a refresh token (the file's 'v3')"
            )
        return self._v3

    def session_for(self, entity_cls: type[Entity]) -> Session:
        """The session of the API ``entity_cls`` belongs to."""
        api = getattr(entity_cls, "__api__", None)
        if api == "v1":
            return self.v1
        if api == "v3":
            return self.v3
        raise InvalidType(f"{getattr(entity_cls, '__name__', entity_cls)!r} is not a StreamOne entity")

    # -- the core's verbs, routed ---------------------------------------------------------------------
    def query(self, entity_cls: type[E]) -> Query[E]:
        """A query on ``entity_cls`` (a :class:`V1Query` for v1 entities, with ``relations()``)."""
        return self.session_for(entity_cls).query(entity_cls)

    def get(self, entity_cls: type[E], ident: str | int) -> E:
        """One entity by id."""
        return self.session_for(entity_cls).get(entity_cls, ident)

    async def get_async(self, entity_cls: type[E], ident: str | int) -> E:
        """:meth:`get`, awaited."""
        return await self.session_for(entity_cls).get_async(entity_cls, ident)

    def list(self, entity_cls: type[E], *, size: int | None = None, **params: Any) -> PaginatedList[E]:
        """Every entity of a collection, with the API's own list parameters, lazily paged."""
        return self.session_for(entity_cls).list(entity_cls, params, size=size)

    def list_async(
        self, entity_cls: type[E], *, size: int | None = None, **params: Any
    ) -> AsyncPaginatedList[E]:
        """:meth:`list` for ``async for``."""
        return self.session_for(entity_cls).list_async(entity_cls, params, size=size)

    # -- v1 ---------------------------------------------------------------------------------------------
    def customer_invoices(self, customer_id: str | int) -> V1Query[Invoice]:
        """One customer's invoices (``GET /api/v1/invoices?customerId=``), as a query."""
        return self.v1.customer_invoices(customer_id)

    def download_invoice_files(
        self, invoice_id: str | int, folder: str | os.PathLike[str]
    ) -> builtins.list[Path]:
        """The detailed invoice's files, saved into ``folder`` (streamed, atomically, no credentials sent)."""
        return self.v1.download_invoice_files(invoice_id, folder)

    async def download_invoice_files_async(
        self, invoice_id: str | int, folder: str | os.PathLike[str]
    ) -> builtins.list[Path]:
        """:meth:`download_invoice_files`, awaited (the files stream over httpx)."""
        return await self.v1.download_invoice_files_async(invoice_id, folder)

    def generate_invoices(self, source: str, period: Any = None, **options: Any) -> Any:
        """Generate invoices for ``source`` and the month of ``period`` (default last month)."""
        return self.v1.generate_invoices(source, period, **options)

    async def generate_invoices_async(self, source: str, period: Any = None, **options: Any) -> Any:
        """:meth:`generate_invoices`, awaited."""
        return await self.v1.generate_invoices_async(source, period, **options)

    # -- v3 ---------------------------------------------------------------------------------------------
    def subscriptions(
        self, *, offset_paging: bool = False, size: int | None = None, **filters: Any
    ) -> PaginatedList[Subscription]:
        """See :meth:`StreamOneV3.subscriptions`."""
        return self.v3.subscriptions(offset_paging=offset_paging, size=size, **filters)

    def subscriptions_async(
        self, *, offset_paging: bool = False, size: int | None = None, **filters: Any
    ) -> AsyncPaginatedList[Subscription]:
        """:meth:`subscriptions` for ``async for``."""
        return self.v3.subscriptions_async(offset_paging=offset_paging, size=size, **filters)

    def customer_subscription(
        self, customer_id: str | int, subscription_id: str, *, refresh: bool | None = None
    ) -> Subscription:
        """One subscription of a customer (``refresh=True``: Ion updates it first)."""
        return self.v3.customer_subscription(customer_id, subscription_id, refresh=refresh)

    async def customer_subscription_async(
        self, customer_id: str | int, subscription_id: str, *, refresh: bool | None = None
    ) -> Subscription:
        """:meth:`customer_subscription`, awaited."""
        return await self.v3.customer_subscription_async(customer_id, subscription_id, refresh=refresh)

    def customer_orders(
        self, customer_id: str | int, *, status: str | None = None, size: int | None = None
    ) -> PaginatedList[Order]:
        """One customer's orders, lazily paged."""
        return self.v3.customer_orders(customer_id, status=status, size=size)

    def customer_orders_async(
        self, customer_id: str | int, *, status: str | None = None, size: int | None = None
    ) -> AsyncPaginatedList[Order]:
        """:meth:`customer_orders` for ``async for``."""
        return self.v3.customer_orders_async(customer_id, status=status, size=size)

    def product(self, product_id: str, **options: Any) -> Product:
        """One product (``exclude_pricing=False``... asks for the blocks Ion leaves out)."""
        return self.v3.product(product_id, **options)

    async def product_async(self, product_id: str, **options: Any) -> Product:
        """:meth:`product`, awaited."""
        return await self.v3.product_async(product_id, **options)

    def reports(self, module: str | None = None) -> PaginatedList[Report]:
        """The reports of ``module`` (all when None)."""
        return self.v3.reports(module)

    def reports_async(self, module: str | None = None) -> AsyncPaginatedList[Report]:
        """:meth:`reports` for ``async for``."""
        return self.v3.reports_async(module)

    # -- lifecycle ---------------------------------------------------------------------------------------
    def _sessions(self) -> builtins.list[Session]:
        return [session for session in (self._v1, self._v3) if session is not None]

    def close(self) -> None:
        """Release both APIs' connection pools (and the token endpoint's, and the transfers')."""
        for session in self._sessions():
            session.close()

    async def aclose(self) -> None:
        """:meth:`close`, also closing the asyncio pools of the running loop."""
        for session in self._sessions():
            await session.aclose()

    def __enter__(self) -> StreamOne:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> StreamOne:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        apis = [name for name, session in (("v1", self._v1), ("v3", self._v3)) if session is not None]
        return f"<StreamOne {'+'.join(apis)} at {self.host!r}>"
