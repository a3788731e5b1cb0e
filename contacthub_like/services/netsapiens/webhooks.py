"""Receiving event-subscription deliveries: bodies to entities, and an ASGI route to mount.

The API POSTs a JSON array of objects of the subscription's model to its post-url.  It
signs nothing and sends no shared secret of its own, so the only protection is the URL:
:class:`WebhookReceiver` can require a secret query parameter (``?token=...``) that you
put in the post-url (:meth:`WebhookReceiver.post_url`).  Anyone who can read the
subscription sees that URL, so treat it as a bearer secret and rotate it by updating the
subscription.  Needs Starlette (the ``hub`` extra) only for :meth:`route` and :meth:`app`.
"""

from __future__ import annotations

import hmac
import inspect
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ...errors import InvalidValue
from ...orm.entity import Entity
from .messages import Message, MessageSession
from .subscriptions import SubscriptionModel

__all__ = ["Event", "WebhookReceiver", "entity_class_for"]


class Event(Entity):
    """A delivered object of a model this library has no schema for (``call``, ``cdr``...).

    Open: every key is readable, ``event["call-id"]`` for hyphenated ones.
    """

    __open__ = True
    if TYPE_CHECKING:  # an open document: keys beyond the fields read as attributes

        def __getattr__(self, key: str) -> Any: ...


_CLASSES: dict[str, type[Entity]] = {"message": Message, "messagesession": MessageSession}


def entity_class_for(model: SubscriptionModel | str) -> type[Entity]:
    """The entity class a delivery of ``model`` is made of."""
    value = SubscriptionModel(model).value if isinstance(model, str) else model.value
    return _CLASSES.get(value, Event)


class WebhookReceiver:
    """Deliveries of one subscription model, turned into entities and handed to ``handler``.

    :param model: the subscription's model (``"message"``, :class:`SubscriptionModel`...).
    :param handler: called with the list of entities of each delivery; a coroutine
        function is awaited, a plain function runs in Starlette's thread pool.
    :param secret: when set, a delivery must carry ``?{param}=<secret>`` or is refused (403).
    :param param: the query parameter holding the secret.
    :param node: the client the entities are bound to (so ``message`` objects can act), or None.
    """

    def __init__(
        self,
        model: SubscriptionModel | str,
        handler: Callable[[list[Any]], Any] | None = None,
        *,
        secret: str | None = None,
        param: str = "token",
        node: Any = None,
    ) -> None:
        try:
            self.model: SubscriptionModel = SubscriptionModel(model)
        except ValueError:
            known = ", ".join(m.value for m in SubscriptionModel)
            raise InvalidValue(f"model {model!r} is not a subscription model: {known}") from None
        if handler is not None and not callable(handler):
            raise InvalidValue("handler must be callable with the list of delivered entities")
        if secret is not None and (not isinstance(secret, str) or len(secret) < 16):
            raise InvalidValue(
                "secret must be a str of at least 16 characters (e.g. secrets.token_urlsafe())"
            )
        self.entity_cls: type[Entity] = entity_class_for(self.model)
        self.handler = handler
        self._secret = secret
        self.param = param
        self.node = node

    def post_url(self, url: str) -> str:
        """``url`` with the secret query parameter added: the post-url to subscribe with."""
        if self._secret is None:
            return url
        parts = urlsplit(url)
        query = [*parse_qsl(parts.query), (self.param, self._secret)]
        return urlunsplit(parts._replace(query=urlencode(query)))

    def accepts(self, query: dict[str, str] | Any) -> bool:
        """Whether a request's query parameters carry the secret (always, without one)."""
        if self._secret is None:
            return True
        given = query.get(self.param) if hasattr(query, "get") else None
        return isinstance(given, str) and hmac.compare_digest(given.encode(), self._secret.encode())

    def parse(self, body: bytes | str | list[Any]) -> list[Entity]:
        """A delivery body (a JSON array of objects) → entities of the model's class."""
        if isinstance(body, (bytes, str)):
            try:
                body = json.loads(body)
            except ValueError as exc:
                raise InvalidValue(f"a delivery body must be JSON, got invalid JSON ({exc})") from None
        if isinstance(body, dict):
            body = [body]  # tolerate a single object; the API sends an array
        if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
            raise InvalidValue(
                f"a delivery body must be a JSON array of {self.model.value} objects, "
                f"got {type(body).__name__}"
            )
        return [self.entity_cls.from_dict(self.node, item) for item in body]

    async def _dispatch(self, entities: list[Entity]) -> None:
        if self.handler is None:
            return
        if inspect.iscoroutinefunction(self.handler):
            await self.handler(entities)
            return
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(self.handler, entities)

    async def endpoint(self, request: Any) -> Any:
        """The Starlette endpoint: 204 when handled, 400 for a bad body, 403 without the secret."""
        from starlette.responses import JSONResponse, Response

        if not self.accepts(request.query_params):
            return JSONResponse({"code": 403, "message": "missing or wrong secret"}, status_code=403)
        try:
            entities = self.parse(await request.body())
        except InvalidValue as exc:
            return JSONResponse({"code": 400, "message": str(exc)}, status_code=400)
        await self._dispatch(entities)
        return Response(status_code=204)

    def route(self, path: str = "/netsapiens/hook") -> Any:
        """A Starlette ``Route`` (POST) to add to an application's routes."""
        from starlette.routing import Route

        return Route(path, self.endpoint, methods=["POST"])

    def app(self, path: str = "/") -> Any:
        """A small ASGI application serving only this receiver at ``path``."""
        from starlette.applications import Starlette

        return Starlette(routes=[self.route(path)])

    def __repr__(self) -> str:
        secret = ", secret='***'" if self._secret else ""
        return f"WebhookReceiver(model={self.model.value!r}{secret})"
