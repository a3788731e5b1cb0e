"""Work that runs for a while: jobs, audience uploads, bulk event files and imports.

A :class:`Lifecycle` names the field that carries a resource's state, the running states it
moves through, and a ``finish`` function that computes its final document off the request
path.  The whole run takes ``state.job_seconds``, split evenly between the running states and
the finish; whatever ``finish`` raises ends the resource in its failure state with a message,
so nothing stays running forever.  Unfinished work found at start-up is picked up again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from .objects import iso, now
from .state import CI360State

log: logging.Logger = logging.getLogger("contacthub_like.sandbox.ci360")

Finish = Callable[[CI360State, str, dict[str, Any]], dict[str, Any]]


class JobFailed(Exception):
    """Raised by a ``finish`` function: the work ends in failure with this message."""


@attrs.frozen
class Lifecycle:
    kind: str
    #: the document field that carries the state (``executionState``, ``status``)
    field: str
    #: running states in order; a resource is created in the first one
    running: tuple[str, ...]
    success: str
    failure: str
    #: computes the final document (``field`` set to ``success``); raise JobFailed to fail
    finish: Finish
    #: where a failure's message goes
    message_field: str = "message"


_LIFECYCLES: dict[str, Lifecycle] = {}


def register(lifecycle: Lifecycle) -> Lifecycle:
    _LIFECYCLES[lifecycle.kind] = lifecycle
    return lifecycle


def launch(
    state: CI360State,
    lifecycle: Lifecycle,
    tenant: str,
    ident: str,
    doc: dict[str, Any],
    *,
    name: str | None = None,
    parent: str | None = None,
) -> dict[str, Any]:
    """Store ``doc`` in its first running state and start moving it along."""
    doc[lifecycle.field] = lifecycle.running[0]
    state.objects.insert(tenant, lifecycle.kind, ident, doc, name=name, parent=parent)
    _schedule(state, lifecycle, ident)
    return doc


def _schedule(state: CI360State, lifecycle: Lifecycle, ident: str) -> None:
    delay = max(0.0, float(state.job_seconds)) / len(lifecycle.running)

    def step() -> float | None:
        loaded = state.objects.load(lifecycle.kind, ident)
        if loaded is None:  # deleted meanwhile
            return None
        tenant, doc = loaded
        current = doc.get(lifecycle.field)
        if current not in lifecycle.running:
            return None
        position = lifecycle.running.index(current)
        if position + 1 < len(lifecycle.running):
            doc[lifecycle.field] = lifecycle.running[position + 1]
            state.objects.update(lifecycle.kind, ident, doc)
            return delay
        work = dict(doc)
        try:
            doc = lifecycle.finish(state, tenant, work)
            doc[lifecycle.field] = lifecycle.success
        except JobFailed as exc:
            doc = work
            doc[lifecycle.field] = lifecycle.failure
            doc[lifecycle.message_field] = str(exc)
        except Exception:
            if state.store.closed:
                raise
            log.exception("CI360 emulator: %s %s could not finish", lifecycle.kind, ident)
            doc[lifecycle.field] = lifecycle.failure
            doc[lifecycle.message_field] = "the work could not be completed; submit it again"
        doc["endTimeStamp"] = iso(now())
        doc["_endTs"] = now()
        state.objects.update(lifecycle.kind, ident, doc)
        return None

    state.scheduler.call_later(delay, step)


def resume(state: CI360State, kinds: Iterable[str] | None = None) -> None:
    """Restart the unfinished work of every registered lifecycle (at start-up)."""
    for kind, lifecycle in _LIFECYCLES.items():
        if kinds is not None and kind not in kinds:
            continue
        for ident in state.objects.unfinished(kind, lifecycle.field, lifecycle.running):
            _schedule(state, lifecycle, ident)
