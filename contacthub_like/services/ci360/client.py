"""``CI360``: one tenant's connection — the session every CI360 entity talks through.

Two credentials sign its requests, chosen by path (a :class:`~contacthub_like.http.auth.RoutedAuth`
built from :data:`TOKEN_BY_API`): the static JWT (HS256 over ``{"clientID": tenant}``), built once,
and the temporary token the gateway's ``POST /token`` issues for that JWT and the API user's
password, cached until 30 s before it expires and obtained by one thread while others wait.
Signed-URL transfers go through :class:`~contacthub_like.http.signed.SignedTransfers`, which
never sends either.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from ...errors import InvalidResponse, InvalidValue
from ...http.auth import OAuth2PasswordGrant, RoutedAuth, StaticJWT
from ...http.retry import Retry
from ...http.signed import DEFAULT_TRANSFER_TIMEOUT, SignedTransfers
from ...http.throttle import TokenBucket
from ...http.transport import DEFAULT_TIMEOUT, Timeout
from ...orm.flows import Call, Flow, twins
from ...service import Session
from .config import read_ini
from .data import IDENTITY_FILTERS, IdentityRecord
from .events import ExternalEvent, events_csv
from .wire import CI360_SERVICE

__all__ = ["CI360", "TOKEN_BY_API"]

#: which credential each API takes ("temporary": the /token grant; others: the static JWT)
TOKEN_BY_API: Mapping[str, str] = {
    "/marketingAudience": "temporary",
    "/marketingGateway": "static",
    "/marketingData": "static",
    "/marketingExecution": "static",
}
#: seconds before ``expires_in`` the temporary token is renewed
TOKEN_RENEW_MARGIN = 30.0


class CI360(Session):
    """A CI360 tenant: ``CI360(gateway_url, client_id, client_secret, username, password)``.

    :param base_url: the external API gateway, e.g. ``https://extapigwservice-eu-prod.ci360.sas.com``.
    :param client_id: the tenant id.
    :param client_secret: the tenant secret (it signs the static JWT).
    :param username: the API user, for the temporary token.
    :param password: that user's password.
    :param timeout: seconds, or ``(connect, read)``, for every API request.
    :param retry: the retry policy (default :class:`~contacthub_like.http.retry.Retry`; it backs
        off on the gateway's throttle answer, a 403 with ``errorCode`` 1429); None for no retries.
    :param throttle: requests per second to stay under, or an object with ``acquire()``.
    :param transfer_timeout: timeout of signed-URL uploads (files may be large).
    """

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        username: str,
        password: str,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        retry: Retry | None = Retry(),  # noqa: B008 - an immutable policy
        throttle: float | Any = None,
        transfer_timeout: Timeout = DEFAULT_TRANSFER_TIMEOUT,
    ) -> None:
        if not isinstance(base_url, str) or not base_url.startswith(("https://", "http://")):
            raise InvalidValue(f"base_url must be the gateway's http(s) URL, got {base_url!r}")
        base_url = base_url.rstrip("/")
        static = StaticJWT(client_id, client_secret)
        temporary = OAuth2PasswordGrant(
            base_url + "/token",
            username,
            password,
            token_auth=static,
            refresh_margin=TOKEN_RENEW_MARGIN,
            timeout=timeout,
        )
        tokens = {"static": static, "temporary": temporary}
        auth = RoutedAuth(
            base_url, {api: tokens[which] for api, which in TOKEN_BY_API.items()}, default=static
        )
        if isinstance(throttle, (int, float)) and not isinstance(throttle, bool):
            throttle = TokenBucket(throttle)
        transport = CI360_SERVICE.transport(base_url, auth, timeout=timeout, retry=retry, throttle=throttle)
        super().__init__(CI360_SERVICE, transport)
        self.client_id: str = static.client_id
        #: uploads to the signed URLs the API hands out (no Authorization header)
        self.transfers: SignedTransfers = SignedTransfers(timeout=transfer_timeout)

    # -- constructors --------------------------------------------------------------------------
    @classmethod
    def from_ini_file(cls, path: str | os.PathLike[str], **options: Any) -> CI360:
        """Connect with the seed client's ``sasci360veloxpy.ini`` (its ``[tenant]`` section)."""
        settings = read_ini(path)
        return cls(
            settings.base_url,
            settings.client_id,
            settings.client_secret,
            settings.username,
            settings.password,
            **options,
        )

    @classmethod
    def local(cls, db_path: str | os.PathLike[str] | None = None, **options: Any) -> CI360:
        """The embedded emulator (started if needed, seeded as ``hub init`` seeds it)."""
        from ...sandbox.ci360 import seeding
        from ...sandbox.server import start_local_hub

        hub = start_local_hub(db_path)
        seeding.seed(hub.store, base_url=hub.base_url, config_dir=None)
        secret, password = seeding.ensure_tenant(hub.store)
        return cls(hub.base_url + "/ci360", seeding.TENANT, secret, seeding.API_USER, password, **options)

    # -- signed transfers (a flow's Call target) -------------------------------------------------
    def upload_signed(
        self, url: str, source: str | os.PathLike[str] | bytes | IO[bytes], content_type: str = "text/csv"
    ) -> None:
        """PUT ``source`` as raw bytes to a signed URL, streamed from disk, without credentials."""
        self.transfers.upload(url, source, content_type=content_type).close()

    async def upload_signed_async(
        self, url: str, source: str | os.PathLike[str] | bytes | IO[bytes], content_type: str = "text/csv"
    ) -> None:
        """:meth:`upload_signed`, awaited: the transfer goes over httpx and the file is read in a worker
        thread chunk by chunk, so the event loop goes on while it streams."""
        await self.transfers.upload_async(url, source, content_type=content_type)

    # -- external events -------------------------------------------------------------------------
    def _send_events_file_flow(self, path: str | os.PathLike[str]) -> Flow[None]:
        """Bulk events: a signed location (``links[rel=self]``), then the CSV file PUT to it as is."""
        file = Path(path)
        if not file.is_file():
            raise InvalidValue(f"{file} is not a file: pass the path of a CSV of events")
        answer = yield Call(
            self,
            "call",
            "POST",
            "/marketingGateway/bulkEventsFileLocation",
            body={"applicationId": "eventGenerator", "version": 1},
        )
        links = answer.get("links") if isinstance(answer, dict) else None
        href = next(
            (
                link.get("href")
                for link in links or ()
                if isinstance(link, dict) and link.get("rel") == "self"
            ),
            None,
        )
        if not href:
            raise InvalidResponse("bulkEventsFileLocation answered without a links[rel=self] upload URL")
        yield Call(self, "upload_signed", href, file, "text/csv")

    send_events_file, send_events_file_async = twins(_send_events_file_flow)

    def _send_events_flow(self, events: Iterable[Mapping[str, Any] | ExternalEvent]) -> Flow[None]:
        """Bulk events from an iterable: each checked, written as a CSV with a header row, then sent."""
        with events_csv(events) as path:
            yield from self._send_events_file_flow(path)

    send_events, send_events_async = twins(_send_events_flow)

    # -- identity records ------------------------------------------------------------------------
    def _identity_record_flow(self, identity_type: str, value: str) -> Flow[IdentityRecord]:
        """The identity record holding ``value`` as ``identity_type`` (``"customer_id"``, ``"login_id"``)."""
        name = IDENTITY_FILTERS.get(identity_type) or (
            identity_type if identity_type in IDENTITY_FILTERS.values() else None
        )
        if name is None:
            raise InvalidValue(
                f"identity_type must be one of {', '.join(IDENTITY_FILTERS)}, got {identity_type!r}"
            )
        if not isinstance(value, str) or not value:
            raise InvalidValue(f"the {identity_type} to look up must be a non-empty str, got {value!r}")
        doc = yield Call(self, "request", IdentityRecord, "GET", params={name: value})
        return self.wrap(IdentityRecord, doc)

    identity_record, identity_record_async = twins(_identity_record_flow)

    # -- lifecycle ---------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the API's and the token endpoint's connections and the transfer pool."""
        self.transport.close()
        close_auth = getattr(self.transport.auth, "close", None)
        if callable(close_auth):
            close_auth()
        self.transfers.close()

    async def aclose(self) -> None:
        """:meth:`close` from a coroutine: the running loop's connection pool is closed too."""
        await self.transport.aio.aclose()
        self.close()

    async def __aenter__(self) -> CI360:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __enter__(self) -> CI360:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
