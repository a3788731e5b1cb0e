"""Previewing an import: the record flow of a real run with each write replaced by a read and a comparison.

A dry run checks every record exactly as :func:`~.writer.prepare_record` does for a write (so a
record is rejected with the same reason), then, instead of posting the customer and letting
the hub's ``409`` name a match, it *reads* the customer the hub would match: ``GET /customers``
with ``externalId`` (or, for a workspace matched by e-mail, a query on ``base.contacts.email``).
The would-be merge patch is computed with the same change tracking a real run uses
(:func:`~.writer.patch_for`), and the stored events are compared as a real run compares them.
Only ``GET`` requests are sent.

The matching policy is a setting of the workspace that the API does not reveal, so the
preview is told which key to match on (``match_on``, ``externalId`` by default as on a new
workspace).  What the hub alone decides -- a field it refuses, a size limit, an event it
rejects -- cannot be read beforehand: such a record is predicted as written and a real run
rejects it.

A key that appears more than once in the input is predicted as a real run meets it: the first
record creates (or updates) the customer, the later ones find what it wrote.  For that the
preview keeps, for each key it has seen, the would-be document compressed and the digests of
its events: about 400 bytes per customer, so memory grows with the input (some 40 MB for
100,000 customers), where a real run's stays flat.
"""

from __future__ import annotations

import hashlib
import json
import threading
import zlib
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import InvalidValue
from ..orm.entity import Entity
from ..orm.flows import Call, Flow
from ..orm.tracking import apply_merge_patch
from ..services.contacthub.entities.customer import Customer
from .records import MATCH_KEYS, MatchKey, Outcome, WriteState
from .writer import PreparedCustomer, event_key, patch_for, prepare_record

if TYPE_CHECKING:  # pragma: no cover
    from ..services.contacthub.workspace import Node

__all__ = ["MATCH_KEYS", "Preview"]


#: bytes of an event's digest: enough to tell apart the events of one customer
_DIGEST_SIZE = 8


@attrs.frozen
class _Seen:
    """What the run so far would have left on the hub for one matching key (compact: see the module)."""

    packed_doc: bytes  # the would-be customer, as compressed JSON
    packed_events: bytes | None  # the digests of the events it holds, end to end; None: not read
    ident: str | None  # None: a customer this run would create

    @classmethod
    def of(cls, doc: dict[str, Any], events: set[bytes] | None, ident: str | None) -> _Seen:
        packed = zlib.compress(json.dumps(doc, default=str).encode("utf-8"))
        return cls(packed, None if events is None else b"".join(sorted(events)), ident)

    @property
    def doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(zlib.decompress(self.packed_doc))
        return doc

    @property
    def events(self) -> set[bytes] | None:
        packed = self.packed_events
        if packed is None:
            return None
        return {packed[i : i + _DIGEST_SIZE] for i in range(0, len(packed), _DIGEST_SIZE)}


def _digest(doc: dict[str, Any]) -> bytes:
    return hashlib.blake2b(event_key(doc).encode("utf-8"), digest_size=_DIGEST_SIZE).digest()


class Preview:
    """The dry run of one import: its matching key and what its records so far would have written.

    One instance serves every record of a run (threads or tasks); :meth:`record_flow` has the
    signature of :func:`~.writer.write_record_flow`, so it takes the write's place in the
    importer's record flow.
    """

    def __init__(self, match_on: MatchKey = "externalId") -> None:
        if match_on not in MATCH_KEYS:
            raise InvalidValue(
                f"match_on must be one of {', '.join(MATCH_KEYS)} (the workspace's matching policy), "
                f"got {match_on!r}"
            )
        self.match_on = match_on
        self._lock = threading.Lock()
        self._seen: dict[str, _Seen] = {}

    def _key(self, body: dict[str, Any]) -> str | None:
        """The value the hub would match this customer on; None when it would match nothing."""
        if self.match_on == "externalId":
            value = body.get("externalId")
        elif self.match_on == "email":
            value = ((body.get("base") or {}).get("contacts") or {}).get("email")
        else:
            return None
        return None if value is None or value == "" else str(value)

    def _find(self, node: Node, value: str) -> Flow[dict[str, Any] | None]:
        """The customer the hub would answer ``409`` with, read with one ``GET``; None when there is none."""
        if self.match_on == "externalId":
            params: dict[str, Any] = {"externalId": value, "size": 1}
        else:
            params = node.query(Customer).filter(Customer.base.contacts.email == value).params(size=1)
        page = yield Call(node, "request", Customer, "GET", params={"nodeId": node.node_id, **params})
        elements = (page.get("elements") or []) if isinstance(page, dict) else []
        return elements[0] if elements else None

    def record_flow(
        self, node: Node, data: Any, *, origin: str = "", state: WriteState | None = None
    ) -> Flow[tuple[Outcome, str | None]]:
        """Predict what writing ``data`` would do, with reads only; the id is the matched customer's.

        ``origin`` is accepted for the writer's signature (it only keys the events a write posts).
        """
        state = WriteState() if state is None else state
        prepared = prepare_record(node, data)
        if isinstance(prepared, Entity):  # another entity is posted as it is: a real run creates it
            state.note(Outcome.CREATED)
            return state.outcome, None
        key = self._key(prepared.body)
        if key is None:  # nothing for the hub to match: a real run's POST creates a customer
            state.note(Outcome.CREATED)
            return state.outcome, None
        with self._lock:
            known = self._seen.get(key)
        found: dict[str, Any] | None = None
        if known is None:
            found = yield from self._find(node, key)
        ident = known.ident if known is not None else (str(found["id"]) if found is not None else None)
        hub_events: set[bytes] | None = None
        if prepared.events and ident is not None and (known is None or known.packed_events is None):
            hub_events = {_digest(doc) for doc in (yield Call(node, "event_documents", ident))}
        with self._lock:  # no request in here: records of the same key are settled one at a time
            state.note(self._settle(key, prepared, found, hub_events))
            return state.outcome, self._seen[key].ident

    def _settle(
        self,
        key: str,
        record: PreparedCustomer,
        found: dict[str, Any] | None,
        hub_events: set[bytes] | None,
    ) -> Outcome:
        """The outcome of ``record`` against what the hub holds, or what this run put there first."""
        mine = {_digest(event.to_dict()) for event in record.events}
        known = self._seen.get(key)  # read again: another record of this key may have got here first
        if known is not None:
            stored: dict[str, Any] | None = known.doc
            ident = known.ident
            events = known.events if known.packed_events is not None else hub_events
        else:
            stored = found
            ident = str(found["id"]) if found is not None else None
            events = hub_events
        if stored is None:
            self._seen[key] = _Seen.of(record.body, mine, None)
            return Outcome.CREATED
        changes = patch_for(stored, record.body)
        new_events = mine - (events or set())
        merged_events = None if events is None and not mine else (events or set()) | mine
        self._seen[key] = _Seen.of(apply_merge_patch(stored, record.body), merged_events, ident)
        return Outcome.UPDATED if changes or new_events else Outcome.UNCHANGED
