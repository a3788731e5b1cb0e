"""The values a migration passes around: source records, per-record results and the running summary."""

from __future__ import annotations

import enum
import time
from typing import Any, Literal, get_args

import attrs

__all__ = ["Outcome", "SourceRecord", "RecordResult", "Summary", "WriteState", "MatchKey", "MATCH_KEYS"]

#: what a workspace's matching policy can match customers on (``none``: never, every customer is new);
#: a dry run is told which one, since the API does not reveal it
MatchKey = Literal["externalId", "email", "none"]
MATCH_KEYS: tuple[MatchKey, ...] = get_args(MatchKey)


class Outcome(str, enum.Enum):
    """What happened to one input record; every record ends in exactly one of these."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@attrs.frozen
class SourceRecord:
    """One input record and where it came from.

    ``key`` identifies the record across runs (the line number in a file, the source id in a
    hub-to-hub migration), so a checkpoint can say which records are done. ``source`` is the
    text written to the rejects file. A record the reader could not parse carries ``error``
    instead of ``data``: it is rejected without being sent.
    """

    key: str
    data: Any = None
    source: str = ""
    line: int | None = None
    error: str | None = None


_STRENGTH = {"unchanged": 0, "updated": 1, "created": 2}


@attrs.define
class WriteState:
    """What the writes of one record have done so far, kept across the writes of a repeat.

    A customer one write created and the next found (409) still counts as created; events one
    write posted make the record updated even when the next write finds nothing left to do.
    """

    outcome: Outcome = Outcome.UNCHANGED
    #: when the first write of the record began (``time.time()``), to tell our customer from an older one
    started: float = attrs.field(factory=time.time)

    def note(self, outcome: Outcome) -> None:
        """Keep the strongest outcome seen: created, then updated, then unchanged."""
        if _STRENGTH[outcome.value] > _STRENGTH[self.outcome.value]:
            self.outcome = outcome


@attrs.frozen
class RecordResult:
    """The outcome of one record; ``reason`` says why a record was rejected."""

    record: SourceRecord
    outcome: Outcome
    reason: str | None = None
    id: str | None = None


@attrs.define
class Summary:
    """Counts by outcome plus the elapsed time; the counts add up to the records read.

    ``dry_run`` marks the counts of a preview (nothing was written), and its text says so, so a
    preview's summary pasted into a ticket cannot be taken for a migration's.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    elapsed: float = 0.0
    dry_run: bool = False

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def as_dict(self) -> dict[str, Any]:
        return {**attrs.asdict(self), "total": self.total}

    def __str__(self) -> str:
        return ("dry run, nothing written: " if self.dry_run else "") + (
            f"{self.total} records: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected} rejected in {self.elapsed:.1f} s"
        )
