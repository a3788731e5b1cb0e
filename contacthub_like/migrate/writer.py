"""Writing one record to a hub: validate, upsert, classify.

A customer is upserted by the hub's matching policy (externalId by default): a POST that
the hub answers 409 is compared with the existing customer, which is patched with just
the differences (``updated``) or left alone (``unchanged``); so re-running an import, or
resuming one, never duplicates customers and never rewrites what is already there.
A customer record may carry ``events``; events already stored for an existing customer
(same type, context, date and properties) are not posted again.  A customer counts as new
only when the hub answered 201 to this call: a 409, even one that follows an attempt whose
answer was lost, means its events are checked first.  Each event is posted with an
``Idempotency-Key`` derived from where it came from (the source's identity, the record key,
the customer, the event's position and its content), so a re-import or a resume repeats the same keys, and
it is not repeated by the transport after a lost answer: the whole record is written again
(see :mod:`.repeat`), which finds the event if the hub stored it, whether or not the hub
honours the key.

Everything wrong with the record itself raises :class:`RecordRejected`; failures of
the hub or the network propagate, because retrying them later can succeed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
from dateutil import parser as date_parser

from ..errors import APIError, Conflict, ContactHubError, InvalidType, InvalidValue
from ..orm.entity import Entity
from ..orm.flows import Call, Flow, run
from ..orm.tracking import apply_merge_patch, dict_diff
from ..services.contacthub.entities.customer import Customer, create_customer_flow
from ..services.contacthub.entities.event import Event
from .records import Outcome, WriteState

if TYPE_CHECKING:  # pragma: no cover
    from ..services.contacthub.workspace import Node

__all__ = [
    "RecordRejected",
    "PreparedCustomer",
    "prepare_record",
    "write_record",
    "is_record_error",
    "patch_for",
    "event_key",
]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_READ_ONLY = ("id", "nodeId", "registeredAt", "updatedAt")

#: statuses that say "this record is wrong" rather than "the hub, the settings or the network failed";
#: a 404 (unknown node or workspace) or 401/403 would fail every record alike, so they stop the run
_RECORD_STATUSES = frozenset({400, 409, 413, 422})


class RecordRejected(InvalidValue):
    """The record cannot be written as it is; the message is the reason written to the rejects file."""


def is_record_error(exc: BaseException) -> bool:
    """True when ``exc`` blames the record (bad value, refused by validation), not the hub or network."""
    if isinstance(exc, (InvalidValue, InvalidType)):
        return True
    return isinstance(exc, APIError) and exc.status_code in _RECORD_STATUSES


def reason_of(exc: BaseException) -> str:
    """A one-line reason for the rejects file: the hub's field errors when it sent them."""
    if isinstance(exc, APIError):
        details = "; ".join(
            f"{e.get('path') or e.get('field') or ''} {e.get('message') or ''}".strip()
            for e in exc.errors
            if isinstance(e, Mapping)
        )
        text = f"the hub answered {exc.status_code}: {exc.message}"
        return f"{text} ({details})" if details else text
    return str(exc)


@attrs.frozen
class PreparedCustomer:
    """A customer record checked on this side, ready to be upserted (or previewed).

    ``body`` is the canonical document the record asks the hub to hold (nulls and empty values
    left out, date-times as UTC), ``customer`` the validated entity, ``events`` its checked events.
    """

    customer: Customer
    body: dict[str, Any]
    events: list[Event]


def prepare_record(node: Node, data: Any) -> PreparedCustomer | Entity:
    """Check one record as a write would, before any request: a customer record becomes a
    :class:`PreparedCustomer`; another entity is returned as it is (it is posted as it is).

    Raises :class:`RecordRejected` with the reason a real import writes to its rejects file, so an
    import and its dry run reject a record with the same words.
    """
    if isinstance(data, Customer):
        doc = data.to_dict()
        doc.pop("events", None)
        return _prepare_customer(node, doc, [])
    if isinstance(data, Entity):
        return data
    if not isinstance(data, Mapping):
        raise RecordRejected(f"a record is a JSON object or an entity, got {type(data).__name__}")
    doc = dict(data)
    events = doc.pop("events", None) or []
    if not isinstance(events, list) or not all(isinstance(e, Mapping) for e in events):
        raise RecordRejected("events must be a list of event objects")
    return _prepare_customer(node, doc, events)


def write_record_flow(
    node: Node, data: Any, *, origin: str = "", state: WriteState | None = None
) -> Flow[tuple[Outcome, str | None]]:
    """Write one record (a dict for a customer, or any entity) and say what happened, with its id.

    ``origin`` names the record in its source (source identity and record key); the events'
    idempotency keys derive from it, so the same record always sends the same keys.  ``state``
    carries what earlier writes of the same record did (see :mod:`.repeat`).  A flow, so the
    threaded importer and the asyncio one run the same steps.
    """
    state = WriteState() if state is None else state
    prepared = prepare_record(node, data)
    if isinstance(prepared, Entity):
        prepared.node = node
        yield from prepared._post_flow()  # type: ignore[attr-defined]
        return Outcome.CREATED, prepared._source.get("id")
    return (yield from _upsert_customer(node, prepared, origin, state))


def write_record(
    node: Node, data: Any, *, origin: str = "", state: WriteState | None = None
) -> tuple[Outcome, str | None]:
    """:func:`write_record_flow`, run with sync calls."""
    return run(write_record_flow(node, data, origin=origin, state=state))


def _prepare_customer(node: Node, doc: dict[str, Any], events: list[Mapping[str, Any]]) -> PreparedCustomer:
    for key in _READ_ONLY:
        doc.pop(key, None)
    doc = _prune(doc)  # empty values mean "not given": they neither get sent nor clear the hub's data
    try:  # client-side validation: names, enums, dates
        customer = Customer(node, default_attributes={}, **doc)
    except AttributeError as exc:  # a key the customer schema does not have
        raise RecordRejected(str(exc)) from None
    email = ((doc.get("base") or {}).get("contacts") or {}).get("email")
    if email is not None and not (isinstance(email, str) and _EMAIL.match(email)):
        raise RecordRejected(f"base.contacts.email {email!r} is not an e-mail address (name@domain.tld)")
    prepared = [_event(node, e, i) for i, e in enumerate(events, start=1)]  # all checked before any write
    return PreparedCustomer(customer, _canonical(_prune(customer.to_dict())), prepared)


def _upsert_customer(
    node: Node, record: PreparedCustomer, origin: str, state: WriteState
) -> Flow[tuple[Outcome, str | None]]:
    customer, body, prepared = record.customer, record.body, record.events
    try:
        created = yield from create_customer_flow(
            node, customer._body_for_create, force_update=False, claim_repeat=False
        )
        ident, new, changes = str(created["id"]), True, {}
        state.note(Outcome.CREATED)
    except Conflict as conflict:
        existing = conflict.existing_id
        if not existing:
            raise
        ident, new = existing, False
        stored = (yield from node._get_customer_flow(id=ident)).to_dict()
        changes = patch_for(stored, body)
        # A 409 after an attempt whose answer was lost may be that attempt's customer: counted as created
        # when it holds exactly this record and was registered since this record's first write began
        # (a re-import finds older customers); its events are checked all the same.
        if conflict.maybe_applied_before and not changes and _registered_since(stored, state.started):
            state.note(Outcome.CREATED)
    if changes:
        yield from node._update_customer_flow(id=ident, **changes)
        state.note(Outcome.UPDATED)
    if prepared:
        keys = [_idempotency_key(origin, ident, number, e) for number, e in enumerate(prepared, start=1)]
        yield from _post_events(node, ident, prepared, keys, state, check_existing=not new)
    return state.outcome, ident


#: seconds of clock difference allowed between this machine and the hub when dating a customer
CLOCK_TOLERANCE = 5.0


def _registered_since(doc: Mapping[str, Any], started: float) -> bool:
    """Whether the hub registered ``doc`` after ``started`` (a ``time.time()``), within the tolerance."""
    when = doc.get("registeredAt")
    try:
        registered = date_parser.isoparse(when).timestamp() if isinstance(when, str) else None
    except ValueError:
        registered = None
    return registered is not None and registered >= started - CLOCK_TOLERANCE


def _event(node: Node, data: Mapping[str, Any], number: int) -> Event:
    fields = {k: v for k, v in data.items() if k not in ("id", "customerId", "registeredAt", "updatedAt")}
    try:
        event = Event(node, **fields)
    except (ContactHubError, AttributeError) as exc:
        raise RecordRejected(f"event {number}: {exc}") from None
    if not event.type or not event.context:
        raise RecordRejected(f"event {number} needs a type and a context")
    return event


def _idempotency_key(origin: str, customer_id: str, number: int, event: Event) -> str:
    """The same key for the same event of the same source record, run after run (``mig-`` + 40 hex).

    The customer and the event's content are part of it, so the same file imported into another
    node, or an edited source, sends new keys rather than reusing one the hub would refuse (422)
    for a different body.
    """
    digest = hashlib.sha256()
    content = json.dumps(event.to_dict(), sort_keys=True, default=str)
    for part in (origin, customer_id, str(number), content):
        digest.update(part.encode("utf-8") + b"\x00")
    return "mig-" + digest.hexdigest()[:40]


def _post_events(
    node: Node,
    customer_id: str,
    events: list[Event],
    keys: list[str],
    state: WriteState,
    *,
    check_existing: bool,
) -> Flow[None]:
    seen: set[str] = set()
    if check_existing:
        seen = {event_key(doc) for doc in (yield Call(node, "event_documents", customer_id))}
    for number, (event, idempotency_key) in enumerate(zip(events, keys, strict=True), start=1):
        event.customerId = customer_id
        key = event_key(event.to_dict())
        if key in seen:
            continue
        try:
            # Not repeated by the transport after a lost answer: a hub that ignores the key would store
            # it twice.  The record is written again instead (see .repeat), which checks what is stored.
            yield Call(
                node,
                "call",
                "POST",
                node.root + "/events",
                body=event._body_for_create,
                headers={"Idempotency-Key": idempotency_key},
                idempotent=False,
            )
        except ContactHubError as exc:
            if is_record_error(exc):
                raise RecordRejected(
                    f"customer {customer_id} was written but event {number} was refused: {reason_of(exc)}"
                ) from None
            raise
        seen.add(key)
        state.note(Outcome.UPDATED)


def event_key(doc: Mapping[str, Any]) -> str:
    """Identity of an event for de-duplication: what happened, where, when, with which properties."""
    when = doc.get("date")
    if isinstance(when, str):
        try:
            when = date_parser.isoparse(when).timestamp()
        except ValueError:
            pass
    return json.dumps(
        [doc.get("type"), doc.get("context"), when, doc.get("properties") or {}], sort_keys=True, default=str
    )


def patch_for(current: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The merge patch that brings the hub's ``current`` document up to this record's ``body``."""
    current = _canonical(current)
    return dict_diff(current, apply_merge_patch(current, body))


_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _canonical(value: Any) -> Any:
    """Date-times as UTC ``...Z`` with milliseconds, so the hub's ``+0000`` spelling of an instant
    compares equal to the record's ``Z`` spelling and re-imports stay ``unchanged``."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, str) and _DATETIME.match(value):
        try:
            when = date_parser.isoparse(value)
        except ValueError:
            return value
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        return when.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return value


def _prune(value: Any) -> Any:
    """Drop nulls and empty objects/lists: in an import they mean "not given", never "clear it"."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in pruned.items() if v != {} and v != []}
    return value
