"""The NetSapiens PBX v2 client: one connection, its messages, sessions and subscriptions.

``NetSapiens`` is a :class:`~contacthub_like.service.Session` over the ``ns-api/v2`` root.
Authentication is the core's :class:`~contacthub_like.http.auth.OAuth2PasswordGrant` with a
JSON token body: password grant, refresh ahead of expiry, the password again when a
refresh is refused, one re-authentication and one repeat after a 401, one token request
however many threads or tasks wait.  One pooled connection per client (one httpx client per
event loop for the ``_async`` calls), and every request has a timeout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any, TypeVar

from ...errors import InvalidValue, NotFound
from ...http.auth import OAuth2PasswordGrant
from ...http.retry import Retry
from ...http.transport import DEFAULT_TIMEOUT, Timeout, Transport
from ...orm.entity import Entity
from ...orm.flows import Call, Flow, twins
from ...query.apaginated import AsyncPaginatedList
from ...query.paginated import PaginatedList
from ...service import Session, segment
from . import service as ids
from .config import NetSapiensSettings, load_json
from .messages import Message, MessageSession, message_body
from .service import API_ROOT, NETSAPIENS, check_session_id, is_acknowledgement, one_object
from .subscriptions import Subscription

__all__ = ["NetSapiens"]

E = TypeVar("E", bound=Entity)

#: the retry policy unless told otherwise: 429 (honouring Retry-After) and gateway errors, backing off
#: from 1 s (the operators' guides ask for 1, 2, 4, 8 s: quick repeats lengthen a rate-limit block)
DEFAULT_RETRY = Retry(backoff=1.0)


class NetSapiens(Session):
    """A NetSapiens PBX (API v2) as the caller's user sees it.

    :param base_url: the PBX host or URL (``api.example.com`` means https).
    :param client_id: the API client's id.
    :param client_secret: the API client's secret.
    :param username: ``user@domain`` (or the login name).
    :param password: the user's password.
    :param refresh_margin: renew the access token this many seconds before it expires.
    :param timeout: seconds or ``(connect, read)``, for every request including token requests.
    :param retry: the retry policy (429 with ``Retry-After``, gateway errors); ``None`` for none.
    """

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        username: str,
        password: str,
        *,
        refresh_margin: float = 60.0,
        timeout: Timeout = DEFAULT_TIMEOUT,
        retry: Retry | None = DEFAULT_RETRY,
        throttle: Any = None,
    ) -> None:
        self.settings: NetSapiensSettings = NetSapiensSettings(
            base_url, client_id, client_secret, username, password
        )
        self.auth: OAuth2PasswordGrant = OAuth2PasswordGrant(
            self.settings.base_url + API_ROOT + "/tokens",
            username,
            password,
            client_id=client_id,
            client_secret=client_secret,
            token_body="json",
            client_auth="body",
            refresh_margin=refresh_margin,
            timeout=timeout,
        )
        transport: Transport = NETSAPIENS.transport(
            self.settings.base_url, self.auth, timeout=timeout, retry=retry, throttle=throttle
        )
        super().__init__(NETSAPIENS, transport, root=API_ROOT)

    # -- constructors --------------------------------------------------------------------------
    @classmethod
    def from_settings(cls, settings: NetSapiensSettings, **options: Any) -> NetSapiens:
        return cls(
            settings.base_url,
            settings.client_id,
            settings.client_secret,
            settings.username,
            settings.password,
            **options,
        )

    @classmethod
    def from_json_file(cls, path: str | PathLike[str], **options: Any) -> NetSapiens:
        """A client from the seed's JSON authentication file (``hub init`` writes one)."""
        return cls.from_settings(load_json(Path(path)), **options)

    @classmethod
    def from_json_file_async(cls, path: str | PathLike[str], **options: Any) -> NetSapiens:
        """:meth:`from_json_file` for ``async with``: the same client, closed on the loop when the block ends.

        Reading a small local file does not block the loop long enough to need a thread.
        """
        return cls.from_json_file(path, **options)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], **options: Any) -> NetSapiens:
        """A client from the seed's authentication dictionary."""
        return cls.from_settings(NetSapiensSettings.from_mapping(data), **options)

    @classmethod
    def local(cls, path: str | PathLike[str] | None = None, **options: Any) -> NetSapiens:
        """A client of the embedded emulator (started, or reused, for the SQLite file ``path``), seeded."""
        from ...sandbox import netsapiens as emulator
        from ...sandbox.server import start_local_hub

        hub = start_local_hub(path)
        credentials = emulator.ensure_demo(hub.store)
        return cls.from_mapping(credentials.auth_config(hub.base_url + emulator.PREFIX), **options)

    # -- paths ---------------------------------------------------------------------------------
    def session_path(
        self, domain: str, user: str | None, ident: str | None = None, suffix: str | None = None
    ) -> str:
        """``/ns-api/v2/domains/{d}[/users/{u}]/messagesessions[/{id}][/{suffix}]`` with checked segments."""
        path = f"{self.root}/domains/{segment('domain', domain)}"
        if user is not None:
            path += f"/users/{segment('user', user)}"
        path += "/messagesessions"
        if ident is not None:
            path += "/" + segment("message-session id", ident)
        return path + (f"/{suffix}" if suffix else "")

    # -- lists: sequential only ----------------------------------------------------------------
    def list(
        self, entity_cls: type[E], params: Mapping[str, Any] | None = None, **options: Any
    ) -> PaginatedList[E]:
        """A lazy list paged sequentially: the API's rate limiting trips on parallel page fetches."""
        _no_prefetch(options)
        return super().list(entity_cls, params, **options)

    def list_async(
        self, entity_cls: type[E], params: Mapping[str, Any] | None = None, **options: Any
    ) -> AsyncPaginatedList[E]:
        """:meth:`list` for ``async for``, sequential too."""
        _no_prefetch(options)
        return super().list_async(entity_cls, params, **options)

    # -- messages ------------------------------------------------------------------------------
    def _send_message_flow(
        self,
        type: str,
        message: str,
        destination: Sequence[str] | str,
        from_number: str | None = None,
        *,
        session: str | None = None,
        new_session: bool = False,
        data: bytes | str | None = None,
        mime_type: str | None = None,
        size: int | None = None,
        domain: str = "~",
        user: str = "~",
    ) -> Flow[MessageSession]:
        """Send an sms, mms or chat message; the session it went into.

        Without ``session`` the API starts a new one and answers with the message
        (``session.message``); ``session="<id>"`` sends into that one (answered 202), and
        ``new_session=True`` starts one with a generated id of 32 characters.  ``data`` is
        the media, as bytes (encoded here, ``size`` taken from it) or base64 text.  ``type``
        is ``sms``, ``mms``, ``chat``, ``chat-media`` or ``chat-video`` (``MessageType``).
        """
        body = message_body(
            type, message, destination, from_number, data=data, mime_type=mime_type, size=size
        )
        if session is not None and new_session:
            raise InvalidValue("pass either session (an existing id) or new_session=True, not both")
        ident = (
            check_session_id(session)
            if session is not None
            else (ids.new_session_id() if new_session else None)
        )
        if ident is None:
            path = f"{self.root}/domains/{segment('domain', domain)}/users/{segment('user', user)}/messages"
        else:
            path = self.session_path(domain, user, ident, "messages")
        answer = yield Call(self, "call", "POST", path, body=body)
        sent = (
            self.wrap(Message, answer)
            if isinstance(answer, dict) and not is_acknowledgement(answer)
            else None
        )
        handle = MessageSession.from_dict(
            self,
            {
                "domain": (sent.domain if sent is not None and sent.domain else domain),
                "user": user,
                "messagesession-id": ident or (sent.session_id if sent is not None else None),
                "messagesession-type": body["type"],
                "messagesession-remote": ",".join(body["destination"]),
                "messagesession-participants": ",".join(body["destination"]),
                "messagesession-sms-number": body.get("from-number"),
            },
        )
        handle.message = sent
        return handle

    send_message, send_message_async = twins(_send_message_flow)

    def sessions(
        self, domain: str = "~", user: str | None = None, *, size: int | None = None
    ) -> PaginatedList[MessageSession]:
        """Message sessions of a domain, or of one user in it (``~``: the caller's)."""
        return self.list(MessageSession, path=self.session_path(domain, user), size=size)

    def sessions_async(
        self, domain: str = "~", user: str | None = None, *, size: int | None = None
    ) -> AsyncPaginatedList[MessageSession]:
        """:meth:`sessions` for ``async for``."""
        return self.list_async(MessageSession, path=self.session_path(domain, user), size=size)

    def _get_session_flow(self, ident: str, domain: str = "~", user: str = "~") -> Flow[MessageSession]:
        """One message session (the API answers an array of one; an empty one is a 404)."""
        path = self.session_path(domain, user, ident)
        found = yield Call(self, "call", "GET", path)
        if isinstance(found, list) and not found:
            raise NotFound(f"message session {ident} not found in {domain}/{user}", status_code=404)
        return self.wrap(MessageSession, one_object(found, "Messagesession", path))

    get_session, get_session_async = twins(_get_session_flow)

    def messages(
        self, session: str, domain: str = "~", user: str = "~", *, size: int | None = None
    ) -> PaginatedList[Message]:
        """The messages of a session, paged."""
        return self.list(Message, path=self.session_path(domain, user, session, "messages"), size=size)

    def messages_async(
        self, session: str, domain: str = "~", user: str = "~", *, size: int | None = None
    ) -> AsyncPaginatedList[Message]:
        """:meth:`messages` for ``async for``."""
        return self.list_async(Message, path=self.session_path(domain, user, session, "messages"), size=size)

    # -- subscriptions ---------------------------------------------------------------------------
    def subscriptions(self, *, size: int | None = None) -> PaginatedList[Subscription]:
        """Every subscription the caller may see, paged."""
        return self.list(Subscription, size=size)

    def subscriptions_async(self, *, size: int | None = None) -> AsyncPaginatedList[Subscription]:
        """:meth:`subscriptions` for ``async for``."""
        return self.list_async(Subscription, size=size)

    def _get_subscription_flow(self, ident: str) -> Flow[Subscription]:
        """One subscription by id."""
        found = yield Call(self, "request", Subscription, "GET", ident)
        return self.wrap(Subscription, one_object(found, "Subscription", self.path(Subscription, ident)))

    get_subscription, get_subscription_async = twins(_get_subscription_flow)

    # -- lifetime --------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection pools (the API's and the token endpoint's)."""
        self.transport.close()
        self.auth.close()

    async def aclose(self) -> None:
        """Close this loop's async connection pool, then the sync ones."""
        await self.transport.aio.aclose()
        self.close()

    def __enter__(self) -> NetSapiens:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> NetSapiens:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<NetSapiens {self.settings.username} at {self.settings.base_url}>"


def _no_prefetch(options: dict[str, Any]) -> None:
    if options.get("prefetch"):
        raise InvalidValue(
            "NetSapiens lists are fetched one page after another: the API's rate limiting trips on "
            "parallel page fetches; drop prefetch="
        )
