"""Event subscriptions: the API POSTs a JSON array of objects of ``model`` to ``post-url``.

``Subscription(pbx, model="message", post_url=..., expires=timedelta(days=30)).post()``.
Without an expiry a subscription dies with the token that created it (about an hour):
the seed client cannot set one, which is why its subscriptions stop silently.  Updates
send only what changed (``PUT``, answered 202); the counters only accept a reset to 0
(:meth:`Subscription.reset_counters`).  A delete sends the body the document requires.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from ...errors import InvalidResponse, InvalidType, InvalidValue
from ...orm.entity import Entity
from ...orm.fields import Choice, DateTime, Integer, String
from ...orm.flows import Call, Flow, twins
from ...orm.record import Record
from .service import is_acknowledgement, one_object

if TYPE_CHECKING:  # pragma: no cover
    from .client import NetSapiens

__all__ = ["Subscription", "SubscriptionModel", "SubscriptionStatus"]

#: what the API takes in ``subscription-expires-datetime`` (UTC)
WIRE_DATETIME = "%Y-%m-%d %H:%M:%S"


class SubscriptionModel(str, enum.Enum):
    """The document's ``Subscription.model`` enum: what kind of object is delivered."""

    AGENT = "agent"
    AUDITLOG = "auditlog"
    AUDITLOG_LITE = "auditlog_lite"
    CALL = "call"
    CALL_ORIGID = "call_origid"
    CDR = "cdr"
    MESSAGE = "message"
    MESSAGESESSION = "messagesession"
    SUBSCRIBER = "subscriber"
    PRESENCE = "presence"
    VOICEMAIL = "voicemail"


class SubscriptionStatus(str, enum.Enum):
    """``pending`` until the first delivery, ``error`` after repeated failed posts."""

    PENDING = "pending"
    ACTIVE = "active"
    ERROR = "error"


class Expiry(DateTime):
    """An absolute time, or a :class:`~datetime.timedelta` from now (taken when assigned)."""

    def check(self, value: Any, parent: Record) -> Any:
        if isinstance(value, dt.timedelta):
            if value <= dt.timedelta(0):
                raise InvalidValue(f"{type(parent).__name__}.expires must lie in the future, got {value!r}")
            return dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + value
        return super().check(value, parent)


class Counter(Integer):
    """``error-count``/``posts-count``: the API accepts only 0 (a reset)."""

    def check(self, value: Any, parent: Record) -> Any:
        checked = super().check(value, parent)
        if checked not in (None, 0):
            raise InvalidValue(
                f"{type(parent).__name__}.{self.attr} can only be reset to 0 (the API counts posts and "
                f"errors itself), got {value!r}"
            )
        return checked


class Subscription(Entity):
    """An event subscription (``/subscriptions``)."""

    __collection__ = "subscriptions"

    id: String = String(read_only=True)
    model: Choice = Choice(SubscriptionModel)
    post_url: String = String(wire_name="post-url")
    #: ``yes`` (default) or ``no``
    geo_support: Choice = Choice(["yes", "no"], wire_name="subscription-geo-support")
    reseller: String = String()
    domain: String = String()
    user: String = String()
    user_scope: String = String(read_only=True, wire_name="user-scope")
    created: DateTime = DateTime(read_only=True, wire_name="subscription-creation-datetime")
    expires: Expiry = Expiry(wire_name="subscription-expires-datetime", wire_format=WIRE_DATETIME)
    preferred_server: String = String(wire_name="preferred-server")
    current_active_server: String = String(read_only=True, wire_name="current-active-server")
    status: Choice = Choice(SubscriptionStatus, read_only=True)
    error_count: Counter = Counter(wire_name="error-count")
    posts_count: Counter = Counter(wire_name="posts-count")

    #: filters fixed at creation: an update cannot change them
    _FILTERS = ("reseller", "domain", "user")

    def _post_flow(self) -> Flow[Subscription]:
        """Create the subscription; its answer (200 with the object) becomes the baseline.

        An API that acknowledges with 202 instead is asked for the subscription it made
        (same model, post-url and filters), so the object always ends up with its id.
        """
        pbx: NetSapiens = self._require_node("post")  # type: ignore[assignment]
        body = self._body_for_create
        if not body.get("model") or not body.get("post-url"):
            raise InvalidValue("a Subscription needs model and post_url before post()")
        _check_url(body["post-url"])
        answer = yield Call(pbx, "request", Subscription, "POST", body=body)
        if is_acknowledgement(answer) or answer is None:
            listed = yield Call(pbx, "call", "GET", pbx.path(Subscription))
            answer = _matching(listed, body)
        if not isinstance(answer, dict):
            raise InvalidResponse(f"POST /subscriptions answered {type(answer).__name__}, not a Subscription")
        self._reset(answer)
        return self

    post, post_async = twins(_post_flow)

    def _refresh_flow(self) -> Flow[Subscription]:
        """Reload from the API, dropping local changes."""
        pbx: NetSapiens = self._require_node("refresh")  # type: ignore[assignment]
        ident = self._require_id("refresh")
        found = yield Call(pbx, "request", Subscription, "GET", ident)
        self._reset(one_object(found, "Subscription", pbx.path(Subscription, ident)))
        return self

    refresh, refresh_async = twins(_refresh_flow)

    def _save_flow(self) -> Flow[Subscription]:
        """Send what changed (``PUT``, answered 202); nothing when nothing changed.

        Unlike the seed's ``update_subscription``, no ``model`` is needed to change the
        post-url or the expiry, and counter resets (0) are sent.
        """
        pbx = self._require_node("save")
        diff = self._diff()
        fixed = [key for key in self._FILTERS if key in diff]
        if fixed:
            raise InvalidValue(
                f"a subscription's {', '.join(fixed)} filter cannot change: create a new Subscription "
                "and delete this one"
            )
        if diff:
            if "post-url" in diff:
                _check_url(diff["post-url"])
            answer = yield Call(pbx, "request", Subscription, "PUT", self._require_id("save"), body=diff)
            self._reset(answer if isinstance(answer, dict) and "id" in answer else self.to_dict())
        return self

    save, save_async = twins(_save_flow)

    def _reset_counters_flow(self) -> Flow[Subscription]:
        """Reset ``error-count`` and ``posts-count`` to 0 (the only value the API accepts)."""
        self.error_count = 0
        self.posts_count = 0
        pbx = self._require_node("reset the counters of")
        body = {"error-count": 0, "posts-count": 0}
        yield Call(pbx, "request", Subscription, "PUT", self._require_id("reset the counters of"), body=body)
        self._reset(self.to_dict())
        return self

    reset_counters, reset_counters_async = twins(_reset_counters_flow)

    def _delete_flow(self) -> Flow[None]:
        """Delete it, with the body the document requires (``subscription_id`` and ``domain``)."""
        pbx = self._require_node("delete")
        ident = self._require_id("delete")
        body: dict[str, Any] = {"subscription_id": ident}
        domain = self._source.get("domain")
        if isinstance(domain, str) and domain not in ("", "*", "~"):
            body["domain"] = domain
        yield Call(pbx, "request", Subscription, "DELETE", ident, body=body)

    delete, delete_async = twins(_delete_flow)


def _check_url(url: object) -> None:
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise InvalidValue(f"post_url must be an http(s) URL the API can POST to, got {url!r}")


def _matching(listed: Any, body: dict[str, Any]) -> Any:
    keys = ("model", "post-url", "reseller", "domain", "user")
    for item in listed if isinstance(listed, list) else ():
        if isinstance(item, dict) and all(item.get(k) == body[k] for k in keys if k in body):
            return item
    return None


def check_model(model: object) -> str:
    """A model name or :class:`SubscriptionModel`, checked against the document's enum."""
    if isinstance(model, SubscriptionModel):
        return model.value
    if not isinstance(model, str):
        raise InvalidType(f"model must be a str or SubscriptionModel, got {type(model).__name__}")
    try:
        return SubscriptionModel(model).value
    except ValueError:
        raise InvalidValue(
            f"model {model!r} is not one the API knows: {', '.join(m.value for m in SubscriptionModel)}"
        ) from None
