"""The emulator's Starlette app: the routes of ``/ns-api/v2`` and the error shapes.

Every answer is JSON; errors are ``{"code", "message"}`` with the HTTP status as ``code``,
including unknown routes (404) and wrong methods (405).  Writes answer as the document says:
``POST .../messages`` 200 with the ``Message``, subscription create 200 with the object, and
202 ``{"code":202,"message":"Accepted"}`` for in-session sends, updates, leaves and deletes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import attrs
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..emulators import EmulatorContext
from ..store import Store
from . import clock, directory, messages, subscriptions
from .deliveries import Deliverer
from .document import served_document
from .errors import NsError, accepted, ns_json
from .tokens import API_VERSION, TokenService
from .validation import json_object, page, paging

log: logging.Logger = logging.getLogger("contacthub_like.sandbox.netsapiens")

API = "/ns-api/v2"
Handler = Callable[[Request], Awaitable[Response]]


@attrs.define
class Emulator:
    """What the routes share: the store, the token service and the delivery queue."""

    store: Store
    tokens: TokenService
    deliveries: Deliverer

    # -- auth, infrastructure ------------------------------------------------------------------
    async def token(self, request: Request) -> Response:
        return ns_json(await self.tokens.grant(await json_object(request)))

    async def version(self, request: Request) -> Response:
        host = request.url.hostname or "localhost"
        return ns_json(
            {"apiversion": API_VERSION, "hostname": host, "current-time": clock.wire_datetime(clock.now())}
        )

    async def openapi(self, request: Request) -> Response:
        root = f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}{API}"
        return ns_json(served_document(root))

    # -- domains and users -------------------------------------------------------------------
    async def domains(self, request: Request) -> Response:
        caller = self.tokens.authenticate(request)
        start, limit = paging(request)
        names = page(directory.visible_domains(self.store, caller), start, limit)
        return ns_json([directory.domain_object(self.store, name) for name in names])

    async def users(self, request: Request) -> Response:
        caller = self.tokens.authenticate(request)
        domain = directory.resolve_domain(self.store, caller, request.path_params["domain"])
        start, limit = paging(request)
        return ns_json(page(directory.user_objects(self.store, domain), start, limit))

    # -- messages and sessions ---------------------------------------------------------------
    def _user(self, request: Request) -> tuple[directory.Caller, str, str]:
        caller = self.tokens.authenticate(request)
        domain, user = directory.resolve_user(
            self.store, caller, request.path_params["domain"], request.path_params["user"]
        )
        return caller, domain, user

    async def _send(self, request: Request, session_id: str | None) -> messages.Sent:
        caller, domain, user = self._user(request)
        body = await json_object(request)
        owner = (
            caller
            if (domain, user) == (caller.domain, caller.user)
            else directory.caller_for(self.store, domain, user)
        )
        sent = messages.send(
            self.store,
            domain=domain,
            user=user,
            sms_numbers=owner.sms_numbers,
            body=body,
            session_id=session_id,
        )
        scope = {"reseller": directory.reseller_of(self.store, domain), "domain": domain, "user": user}
        self.deliveries.publish("message", [sent.message], **scope)
        self.deliveries.publish("messagesession", [sent.session], **scope)
        return sent

    async def start_session(self, request: Request) -> Response:
        return ns_json((await self._send(request, None)).message)

    async def send_in_session(self, request: Request) -> Response:
        await self._send(request, request.path_params["messagesession"])
        return accepted()

    async def domain_sessions(self, request: Request) -> Response:
        caller = self.tokens.authenticate(request)
        domain = directory.resolve_domain(self.store, caller, request.path_params["domain"])
        start, limit = paging(request)
        if caller.scope not in directory.DOMAIN_ADMIN_SCOPES and domain == caller.domain:
            return ns_json(messages.list_sessions(self.store, domain, caller.user, start, limit))
        return ns_json(messages.list_sessions(self.store, domain, None, start, limit))

    async def user_sessions(self, request: Request) -> Response:
        _, domain, user = self._user(request)
        start, limit = paging(request)
        return ns_json(messages.list_sessions(self.store, domain, user, start, limit))

    async def session(self, request: Request) -> Response:
        _, domain, user = self._user(request)
        session_id = request.path_params["messagesession"]
        if request.method == "GET":
            return ns_json([messages.get_session(self.store, domain, user, session_id)])
        if request.method == "PUT":
            messages.update_session(self.store, domain, user, session_id, await json_object(request))
        else:
            messages.remove_session(self.store, domain, user, session_id, keep_messages=False)
        return accepted()

    async def leave_session(self, request: Request) -> Response:
        _, domain, user = self._user(request)
        messages.remove_session(
            self.store, domain, user, request.path_params["messagesession"], keep_messages=True
        )
        return accepted()

    async def session_messages(self, request: Request) -> Response:
        _, domain, user = self._user(request)
        start, limit = paging(request)
        session_id = request.path_params["messagesession"]
        return ns_json(messages.list_messages(self.store, domain, user, session_id, start, limit))

    # -- subscriptions -----------------------------------------------------------------------
    async def subscriptions(self, request: Request) -> Response:
        caller = self.tokens.authenticate(request)
        if request.method == "POST":
            return ns_json(subscriptions.create(self.store, caller, await json_object(request)))
        start, limit = paging(request)
        return ns_json(subscriptions.read_all(self.store, caller, start, limit))

    async def subscription(self, request: Request) -> Response:
        caller = self.tokens.authenticate(request)
        sub_id = request.path_params["id"]
        if request.method == "GET":
            return ns_json(subscriptions.read(self.store, caller, sub_id))
        if request.method == "PUT":
            subscriptions.update(self.store, caller, sub_id, await json_object(request))
        else:
            subscriptions.delete(self.store, caller, sub_id, await json_object(request, optional=True))
        return accepted()

    def routes(self) -> list[Route]:
        session = f"{API}/domains/{{domain}}/users/{{user}}/messagesessions/{{messagesession}}"
        return [
            Route(f"{API}/tokens", self.token, methods=["POST"]),
            Route(f"{API}/version", self.version, methods=["GET"]),
            Route(f"{API}/openapi.json", self.openapi, methods=["GET"]),
            Route("/openapi.json", self.openapi, methods=["GET"]),
            Route(f"{API}/domains", self.domains, methods=["GET"]),
            Route(f"{API}/domains/{{domain}}/users", self.users, methods=["GET"]),
            Route(f"{API}/domains/{{domain}}/messagesessions", self.domain_sessions, methods=["GET"]),
            Route(f"{API}/domains/{{domain}}/users/{{user}}/messages", self.start_session, methods=["POST"]),
            Route(
                f"{API}/domains/{{domain}}/users/{{user}}/messagesessions",
                self.user_sessions,
                methods=["GET"],
            ),
            Route(session, self.session, methods=["GET", "PUT", "DELETE"]),
            Route(f"{session}/messages", self.session_messages, methods=["GET"]),
            Route(f"{session}/messages", self.send_in_session, methods=["POST"]),
            Route(f"{session}/leave", self.leave_session, methods=["PUT"]),
            Route(f"{API}/subscriptions", self.subscriptions, methods=["GET", "POST"]),
            Route(f"{API}/subscriptions/{{id}}", self.subscription, methods=["GET", "PUT", "DELETE"]),
        ]


async def _ns_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NsError)
    return ns_json(exc.body(), exc.status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"No Route Found for {request.method} {request.url.path}"
    elif exc.status_code == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail or "error")
    response = ns_json({"code": exc.status_code, "message": message}, exc.status_code)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error while handling %s %s", request.method, request.url.path)
    return ns_json({"code": 500, "message": "Internal Server Error"}, 500)


def build_app(context: EmulatorContext) -> Starlette:
    """The emulator over the shared store and the server-wide settings (token lifetime)."""
    emulator = Emulator(
        store=context.store,
        tokens=TokenService(context.store, context.settings),
        deliveries=Deliverer(context.store),
    )
    app = Starlette(
        routes=emulator.routes(),
        exception_handlers={NsError: _ns_error, HTTPException: _http_error, Exception: _server_error},
    )
    app.state.netsapiens = emulator
    return app
