"""Which version of a customer an entity was read at, so a write can say "only if still that one".

A hub that sends ``ETag`` (the embedded hub does; ContactHub itself does not) lets a client
make its writes conditional: ``PUT``/``PATCH``/``DELETE`` with ``If-Match`` are refused with
``412`` when someone else wrote in between.  The document an entity was loaded from is kept
as a :class:`Versioned` dict carrying that tag; ``Customer.patch()``/``put()`` send it back, and
a hub without ETags leaves it ``None``, so nothing is sent and the last write wins, as before.
"""

from __future__ import annotations

from typing import Any

from ...errors import PreconditionFailed
from ...orm.tracking import apply_merge_patch

__all__ = ["Versioned", "etag_of", "our_own_write"]


class Versioned(dict[str, Any]):
    """A hub document with the ``ETag`` it was answered with (``None`` when the hub sent none)."""

    def __init__(self, data: Any, etag: str | None) -> None:
        super().__init__(data)
        self.etag = etag


def etag_of(source: Any) -> str | None:
    """The ETag a document was loaded with, if the hub sent one."""
    return source.etag if isinstance(source, Versioned) else None


def our_own_write(exc: PreconditionFailed, change: dict[str, Any]) -> Versioned | None:
    """The hub's current version when a 412 answered the repeat of our own applied write, else None.

    The transport repeats a write whose answer was lost; if the first attempt was applied, the
    repeat's ``If-Match`` no longer matches.  When the current customer already holds ``change``,
    that version is the answer.
    """
    current = exc.current
    if not (exc.maybe_applied_before and current is not None):
        return None
    if apply_merge_patch(current, change) != current:
        return None
    return Versioned(current, exc.headers.get("ETag"))
