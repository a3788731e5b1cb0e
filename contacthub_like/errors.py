"""One exception hierarchy for the whole library.

Everything the library raises on purpose derives from :class:`ContactHubError`, so
``except ContactHubError`` catches it all.  The branches are:

* :class:`APIError` and its subclasses: the hub answered with a non-2xx status.  The
  status-to-class mapping lives in one table (``_STATUS_TABLE``) used by
  :func:`error_from_response`.  ``APIError`` is also a :class:`requests.HTTPError`, as
  in the original SDK, so existing ``except requests.HTTPError`` code keeps working.
* :class:`TransportError`: no usable answer (connection refused, timeout, broken
  response).  Its subclasses are also the matching ``requests`` exceptions.
* Client-side misuse: :class:`InvalidValue` / :class:`InvalidType` (also ``ValueError`` /
  ``TypeError``), :class:`OperationNotPermitted`, :class:`ConfigurationError`.

Secrets (tokens, ``Authorization`` values, passwords) never appear in the ``str`` or
``repr`` of any exception defined here.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any, ClassVar

import requests
from dateutil import parser as _date_parser

from ._log import redact

__all__ = [
    "ContactHubError",
    "APIError",
    "BadRequest",
    "ValidationError",
    "Unauthorized",
    "Forbidden",
    "NotFound",
    "MethodNotAllowed",
    "Conflict",
    "Locked",
    "PreconditionFailed",
    "RateLimited",
    "RequestTooLarge",
    "ServerError",
    "InvalidResponse",
    "TransportError",
    "ConnectionFailed",
    "RetriesExhausted",
    "RequestTimeout",
    "OperationNotPermitted",
    "LengthUnknown",
    "UnsupportedQuery",
    "InvalidValue",
    "InvalidType",
    "TagNotFound",
    "ConfigurationError",
    "MissingDependency",
    "RefreshTokenRejected",
    "error_from_response",
    "keyed_error_decoder",
    "error_class_for_status",
    "parse_retry_after",
]

_MAX_TEXT = 200  # characters of a non-JSON error body kept in the message


class ContactHubError(Exception):
    """Base class of every exception this library raises on purpose."""


# --------------------------------------------------------------------------- API errors


class APIError(ContactHubError, requests.HTTPError):
    """The hub answered with a non-2xx status.

    Attributes mirror the hub's error envelope ``{message, logref, data, errors}``:
    ``status_code``, ``message``, ``logref``, ``data``, ``errors``; plus ``body`` (the parsed
    JSON body, or ``None`` when it was not JSON), ``headers`` and ``response`` (the
    :class:`requests.Response`, ``None`` when the error was built by hand).

    ``str(error)`` keeps the original SDK's documented format::

        Status code: 409. Message: Conflict with exiting customer 8b32. Errors: []. Data: {...}. Logref: 5c38
    """

    #: Default status of the class, used when an instance is built without one.
    status: ClassVar[int | None] = None

    def __init__(
        self,
        message: str = "",
        *,
        status_code: int | None = None,
        logref: str | None = None,
        data: Any = None,
        errors: list[Any] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        response: requests.Response | None = None,
    ) -> None:
        self.status_code: int | None = status_code if status_code is not None else self.status
        self.message: str = message
        self.logref: str | None = logref
        self.data: Any = data
        self.errors: list[Any] = list(errors) if errors is not None else []
        self.body: Any = body
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        #: attempts made for this request (more than 1 when a retry policy repeated it)
        self.attempts: int = 1
        #: True when an earlier attempt ended without a definite answer (dropped connection,
        #: timeout, 500/502/504; never 429/503, which refuse before any work), so the hub may
        #: already have applied this request: a 409 on a retried POST is then most likely our own
        #: first attempt.
        self.maybe_applied_before: bool = False
        # RequestException.__init__ stores response (and response.request) for us.
        super().__init__(self._format(), response=response)

    def _format(self) -> str:
        return (
            f"Status code: {self.status_code}. Message: {self.message}. Errors: {self.errors}. "
            f"Data: {self.data}. Logref: {self.logref}"
        )

    def __str__(self) -> str:
        return self._format()

    def __repr__(self) -> str:
        # Never the response or request: the request carries the Authorization header.
        return (
            f"{type(self).__name__}(status_code={self.status_code!r}, message={self.message!r}, "
            f"logref={self.logref!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle without the response (it holds the request and its headers).
        state = {k: v for k, v in self.__dict__.items() if k not in ("response", "request")}
        return (_rebuild_error, (type(self),), state)


def _rebuild_error(cls: type[APIError]) -> APIError:
    error = cls.__new__(cls)
    error.response = None
    error.request = None
    return error


class BadRequest(APIError):
    """400: the body or the query failed validation; see ``errors`` for the JSON pointers."""

    status: ClassVar[int | None] = 400


#: The usual name for a rejected request body; same class as BadRequest.
ValidationError = BadRequest


class Unauthorized(APIError):
    """401: the token is missing, wrong or revoked."""

    status: ClassVar[int | None] = 401


class Forbidden(APIError):
    """403: the token may not touch this workspace (the hub also says so for unknown workspaces)."""

    status: ClassVar[int | None] = 403


class NotFound(APIError):
    """404: unknown node, customer, event or route."""

    status: ClassVar[int | None] = 404


class MethodNotAllowed(APIError):
    """405: the path exists but not with this HTTP method."""

    status: ClassVar[int | None] = 405


class Conflict(APIError):
    """409: a customer matching the workspace's uniqueness policy already exists.

    ``existing_id`` and ``existing_href`` name that customer (from ``data.customer``), which
    is what ``force_update`` needs to patch it instead.
    """

    status: ClassVar[int | None] = 409

    @property
    def existing_id(self) -> str | None:
        value = _existing_customer(self.data).get("id")
        return str(value) if value is not None else None

    @property
    def existing_href(self) -> str | None:
        value = _existing_customer(self.data).get("href")
        return str(value) if value is not None else None


def _existing_customer(data: Any) -> Mapping[str, Any]:
    customer = data.get("customer") if isinstance(data, Mapping) else None
    return customer if isinstance(customer, Mapping) else {}


class Locked(APIError):
    """423: the workspace refuses writes for now (e.g. while reindexing); try again later."""

    status: ClassVar[int | None] = 423


class RateLimited(APIError):
    """429: too many requests.  ``retry_after`` is the server's hint in seconds, or ``None``."""

    status: ClassVar[int | None] = 429

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("Retry-After"))


class PreconditionFailed(APIError):
    """412: the write said ``If-Match`` and someone else changed the record since it was read.

    ``current`` is the record as the hub holds it now (a dict, or None when the hub did not send
    it): merge your change into it and write again, or overwrite on purpose (``patch(force=True)``).
    """

    status: ClassVar[int | None] = 412

    @property
    def current(self) -> dict[str, Any] | None:
        data = self.data.get("customer") if isinstance(self.data, Mapping) else None
        return dict(data) if isinstance(data, Mapping) else None


class RequestTooLarge(APIError):
    """414/431, or a connection the server cut while an oversized request was sent: the URL (query
    string) or the headers are larger than the server takes.  The message says which and how large;
    send fewer or shorter parameters (e.g. page through ids) or smaller header values."""

    status: ClassVar[int | None] = 414


class ServerError(APIError):
    """5xx: the hub failed; the request may be retried if it is idempotent."""

    status: ClassVar[int | None] = 500


# The one table mapping statuses to classes; statuses not listed fall back to
# ServerError for 5xx and APIError otherwise (see error_class_for_status).
_STATUS_TABLE: dict[int, type[APIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    412: PreconditionFailed,
    423: Locked,
    414: RequestTooLarge,
    429: RateLimited,
    431: RequestTooLarge,
}


def error_class_for_status(status_code: int) -> type[APIError]:
    """The :class:`APIError` subclass raised for ``status_code``."""
    cls = _STATUS_TABLE.get(status_code)
    if cls is not None:
        return cls
    return ServerError if status_code >= 500 else APIError


def parse_retry_after(value: str | None, *, now: _dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date); ``None`` if unusable."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        return _seconds_until(value, now)
    return max(0.0, seconds) if seconds == seconds else None  # reject NaN


def _seconds_until(http_date: str, now: _dt.datetime | None) -> float | None:
    try:
        when = _date_parser.parse(http_date)
    except (ValueError, OverflowError):
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT
        when = when.replace(tzinfo=_dt.timezone.utc)
    now = now or _dt.datetime.now(_dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


def keyed_error_decoder(
    message: str = "message",
    code: str | None = "code",
    details: str | None = None,
    *,
    classes: Mapping[int, type[APIError]] | None = None,
) -> Callable[..., APIError]:
    """An error decoder for an API whose error bodies are flat JSON objects.

    ``keyed_error_decoder("message", "code")`` reads ``{"code": ..., "message": ...}``: the
    message becomes the error's ``message``, the whole body its ``data``, ``code`` its
    ``logref`` and ``details`` (a key holding a list or a value) its ``errors``.  Other
    bodies fall back to :func:`error_from_response`'s reading.  ``classes`` maps statuses to
    the API's own :class:`APIError` subclasses (NetSapiens' 409 is a duplicate subscription).
    """

    def fields(body: dict[str, Any]) -> dict[str, Any]:
        found = body.get(details) if details else None
        return {
            "message": "" if body.get(message) is None else str(body[message]),
            "logref": None if not code or body.get(code) is None else str(body[code]),
            "data": body,
            "errors": found if isinstance(found, list) else ([] if found is None else [found]),
        }

    def decode(response: requests.Response, *, secrets: Iterable[str] = ()) -> APIError:
        return error_from_response(response, secrets=secrets, fields=fields, classes=classes)

    return decode


def error_from_response(
    response: requests.Response,
    *,
    secrets: Iterable[str] = (),
    fields: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    classes: Mapping[int, type[APIError]] | None = None,
) -> APIError:
    """Build the :class:`APIError` subclass for a non-2xx ``response`` (``classes`` may override it).

    Understands the hub envelope ``{message, logref, data, errors}``, Spring's default
    ``{timestamp, status, error, message, path}`` and non-JSON bodies (e.g. a proxy's
    HTML page), so every failure maps cleanly.  Any of ``secrets`` found in the message
    is replaced by ``***``.
    """
    status = response.status_code
    secrets = tuple(secrets)
    body = _redact_json(_json_body(response), secrets)  # an API may echo a token anywhere in its body
    read = fields or _fields_from_body
    found = read(body) if isinstance(body, dict) else _fields_from_other(response, body)
    message = redact(found.pop("message") or _reason(response), secrets)
    cls = (classes or {}).get(status) or error_class_for_status(status)
    return cls(
        message,
        status_code=status,
        body=body,
        headers=response.headers,
        response=response,
        **found,
    )


def _redact_json(value: Any, secrets: tuple[str, ...]) -> Any:
    """A parsed JSON value with every secret masked in its strings (a copy; the value when none)."""
    if not secrets:
        return value
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {key: _redact_json(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact_json(item, secrets) for item in value]
    return value


def _json_body(response: requests.Response) -> Any:
    content = response.content
    if not content or content.isspace():
        return None
    try:
        return json.loads(content)
    except ValueError:  # includes UnicodeDecodeError
        return None


def _fields_from_body(body: dict[str, Any]) -> dict[str, Any]:
    message = body.get("message")
    if "status" in body and "error" in body and "logref" not in body:  # Spring default error page
        if not message or message == "No message available":
            message = body.get("error")
    errors = body.get("errors")
    return {
        "message": "" if message is None else str(message),
        "logref": None if body.get("logref") is None else str(body["logref"]),
        "data": body.get("data"),
        "errors": errors if isinstance(errors, list) else ([] if errors is None else [errors]),
    }


def _fields_from_other(response: requests.Response, body: Any) -> dict[str, Any]:
    if body is not None:  # JSON, but not an object
        text = json.dumps(body)
    else:
        text = response.content.decode("utf-8", "replace") if response.content else ""
    text = " ".join(text.split())
    if len(text) > _MAX_TEXT:
        text = text[:_MAX_TEXT] + "..."
    reason = _reason(response)
    return {"message": f"{reason}: {text}" if text else reason}


def _reason(response: requests.Response) -> str:
    if response.reason:
        return str(response.reason)
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return "HTTP error"


class InvalidResponse(ContactHubError):
    """A 2xx answer whose body is not the JSON the call expects."""

    def __init__(self, message: str, *, status_code: int | None = None, response: Any = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.response = response

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.args[0]!r}, status_code={self.status_code!r})"


# --------------------------------------------------------------------- transport errors


class TransportError(ContactHubError):
    """No usable HTTP answer; the cause (a ``requests`` exception) is kept as ``__cause__``."""


class ConnectionFailed(TransportError, requests.ConnectionError):
    """The hub could not be reached (DNS, refused connection, TLS, dropped connection)."""


class RequestTimeout(TransportError, requests.Timeout):
    """Connecting or reading took longer than the configured timeout."""


class RetriesExhausted(ContactHubError):
    """The retry policy gave up: the attempt cap or the total-wait cap was reached.

    ``last_error`` is what the last attempt raised or would have raised (an
    :class:`APIError` for an answer, a :class:`TransportError` for no answer);
    ``response`` is the last answer (``None`` when there was none); ``attempts`` and
    ``waited`` (seconds slept between attempts) say how hard it tried.
    """

    def __init__(
        self,
        message: str,
        *,
        attempts: int,
        waited: float,
        response: requests.Response | None = None,
        last_error: Exception | None = None,
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.waited = waited
        self.response = response
        self.last_error = last_error

    @property
    def status_code(self) -> int | None:
        return self.response.status_code if self.response is not None else None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.args[0]!r}, attempts={self.attempts}, "
            f"status_code={self.status_code!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: v for k, v in self.__dict__.items() if k != "response"}
        return (_rebuild_exhausted, (self.args[0],), state)


def _rebuild_exhausted(message: str) -> RetriesExhausted:
    error = RetriesExhausted.__new__(RetriesExhausted)
    error.args = (message,)
    error.response = None
    return error


# ------------------------------------------------------------------ client-side misuse


class OperationNotPermitted(ContactHubError, ValueError):
    """The call is not allowed in this state (end of pagination, read-only list, ...).

    Also a ``ValueError``, as the original SDK raised for writes to read-only lists.
    """


class LengthUnknown(OperationNotPermitted, TypeError):
    """``len()`` (or a total) of a list whose API reports no totals, before its last page is read.

    Also a ``TypeError``, as ``len()`` of an object without a length raises, so ``list(...)``
    and other consumers that only ask for a length hint fall back to iterating.
    """


class UnsupportedQuery(ContactHubError, ValueError):
    """The service's filter language cannot express part of a query; the message names the part.

    Opt in to filtering that part in Python with ``query.client_side()``, or rewrite the query.
    """


class InvalidValue(ContactHubError, ValueError):
    """An argument has the right type but a wrong value; the message says how to fix it."""


class InvalidType(ContactHubError, TypeError):
    """An argument has the wrong type; the message says which types are accepted."""


class TagNotFound(InvalidValue):
    """The manual tag to remove is not on the customer."""


# ------------------------------------------------------------------ background work on the hub


class UploadFailed(ContactHubError):
    """An audience upload ended FAILED on the hub; ``upload`` is its final record (``upload.error`` says why).

    Rows the hub could not match are not failures: they are counted in ``rejected``
    with a reason each, and the upload still COMPLETES.
    """

    def __init__(self, message: str, upload: Any = None) -> None:
        super().__init__(message)
        self.upload = upload


class WaitTimeout(ContactHubError, TimeoutError):
    """Waiting for background work on the hub took longer than allowed; the work itself goes on.

    ``last`` is the last record seen; call ``wait()`` again to keep waiting.
    """

    def __init__(self, message: str, last: Any = None) -> None:
        super().__init__(message)
        self.last = last


class ConfigurationError(ContactHubError, KeyError, ValueError):
    """Settings are missing or malformed (INI/JSON file, environment, arguments).

    It is a ``KeyError`` for compatibility with the original SDK (which raised KeyError
    for a missing INI key) and a ``ValueError`` for malformed values; unlike KeyError its
    ``str`` is the plain message, not its repr.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class MissingDependency(ContactHubError, ImportError):
    """A feature needs a package of an optional extra that is not installed; the message says what to install.

    Also an ``ImportError``, so code that already guards an optional import with
    ``except ImportError`` keeps working. ``extra`` is the extra's name (``pandas``, ``parquet``),
    ``package`` the package that could not be imported.
    """

    def __init__(self, message: str, *, extra: str, package: str) -> None:
        super().__init__(message, name=package)
        self.extra = extra
        self.package = package


class RefreshTokenRejected(ContactHubError):
    """The token endpoint refused the refresh token: already used (rotated away) or expired.

    With single-use, rotating refresh tokens this means another client spent it without
    saving the new one, or the stored one is older than its lifetime; only new credentials
    (made where the API's first token comes from, e.g. a portal) help.  ``status_code`` is the
    token endpoint's answer; the token itself is never part of the message.
    """

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
