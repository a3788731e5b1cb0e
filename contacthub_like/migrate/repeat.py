"""Writing a record again after the hub or the network failed part way.

The transport repeats a request only when repeating that one request is harmless.  A
customer record is more than one request (POST, maybe GET and PATCH, event POSTs), and the
writer makes the *whole record* safe to write again: the customer is upserted through the
hub's matching policy (externalId or e-mail), its events are compared with those stored and
carry idempotency keys derived from the source.  So after an error that may or may not have
been applied (a lost answer, a 500, a 502/504) or that says "try later" (503), the record is
simply written again, a bounded number of times with exponential backoff, and the import
finishes in one run.

A record the hub cannot recognise on a repeat (a customer without externalId or e-mail, or
an entity other than a customer) is written once: a failure then stops the run, as it did
before, and ``--resume`` continues after a look at the hub.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import APIError, InvalidValue, RetriesExhausted, TransportError
from ..orm.flows import PAUSE, Call, Flow, run
from ..services.contacthub.entities.customer import Customer
from .records import Outcome, WriteState
from .writer import write_record_flow

if TYPE_CHECKING:  # pragma: no cover
    from ..services.contacthub.workspace import Node

__all__ = [
    "RecordRetry",
    "DEFAULT_RECORD_STATUSES",
    "is_repeatable",
    "write_with_retries",
]

#: statuses after which a repeatable record is written again: the hub failed (500), a gateway
#: lost the answer (502, 504), or the hub is overloaded (503)
DEFAULT_RECORD_STATUSES: frozenset[int] = frozenset({500, 502, 503, 504})


def _statuses(value: Iterable[int]) -> frozenset[int]:
    statuses = frozenset(value)
    bad = sorted(
        repr(s) for s in statuses if isinstance(s, bool) or not isinstance(s, int) or not 400 <= s <= 599
    )
    if bad:
        raise InvalidValue(f"RecordRetry.statuses must be 4xx/5xx codes such as 500, got {', '.join(bad)}")
    return statuses


def _positive_int(instance: RecordRetry, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValue(
            f"RecordRetry.{attribute.name} must be an int >= 1 (1 = write once), got {value!r}"
        )


@attrs.frozen
class RecordRetry:
    """How often and how patiently a repeatable record is written again.

    :param statuses: answers after which the record is written again (lost answers always are).
    :param max_attempts: writes per record, the first included.
    :param backoff: seconds before the second write, doubled for each later one up to ``max_backoff``.
    :param sleep: the sleeping function (tests pass a fake).
    """

    statuses: frozenset[int] = attrs.field(default=DEFAULT_RECORD_STATUSES, converter=_statuses)
    max_attempts: int = attrs.field(default=10, validator=_positive_int)
    backoff: float = 0.5
    max_backoff: float = 10.0
    sleep: Callable[[float], None] = attrs.field(default=time.sleep, eq=False, repr=False)

    def worth_repeating(self, exc: BaseException) -> bool:
        """True for failures of the hub or the network that another write may get past."""
        if isinstance(exc, RetriesExhausted):
            # the transport's caps ran out on answers it deemed worth retrying (a long run of 429s
            # included): the record is still safe to write again, after a longer pause
            return True
        if isinstance(exc, APIError):
            return exc.status_code in self.statuses
        return isinstance(exc, TransportError)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed write number ``attempt`` (1-based)."""
        return float(min(self.max_backoff, self.backoff * 2 ** (attempt - 1)))


def is_repeatable(data: Any) -> bool:
    """Whether writing ``data`` twice has the effect of writing it once: a customer the hub matches."""
    if isinstance(data, Customer):
        data = data.to_dict()
    if not isinstance(data, Mapping):
        return False
    base = data.get("base")
    contacts = base.get("contacts") if isinstance(base, Mapping) else None
    email = contacts.get("email") if isinstance(contacts, Mapping) else None
    return bool(data.get("externalId")) or bool(email)


#: one write of a record: :func:`~.writer.write_record_flow`, or a dry run's read-and-compare in its place
RecordWrite = Callable[..., Flow[tuple[Outcome, str | None]]]


def write_with_retries_flow(
    node: Node,
    data: Any,
    *,
    origin: str = "",
    retry: RecordRetry | None = None,
    write: RecordWrite = write_record_flow,
) -> Flow[tuple[Outcome, str | None]]:
    """:func:`~.writer.write_record_flow`, written again after a repeatable failure when ``data`` allows it.

    A record whose customer one write created and the next found still counts as created.
    ``write`` is the step repeated: a dry run passes its :meth:`~.preview.Preview.record_flow`,
    whose reads are repeated after the same failures.
    """
    attempts = retry.max_attempts if retry is not None and is_repeatable(data) else 1
    state = WriteState()
    for attempt in range(1, attempts + 1):
        try:
            return (yield from write(node, data, origin=origin, state=state))
        except Exception as exc:
            if attempt >= attempts or retry is None or not retry.worth_repeating(exc):
                raise
            yield Call(PAUSE, "sleep", retry.delay(attempt), retry.sleep)
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover


def write_with_retries(
    node: Node, data: Any, *, origin: str = "", retry: RecordRetry | None = None
) -> tuple[Outcome, str | None]:
    """:func:`write_with_retries_flow` with sync calls (threads sleep between writes)."""
    return run(write_with_retries_flow(node, data, origin=origin, retry=retry))
