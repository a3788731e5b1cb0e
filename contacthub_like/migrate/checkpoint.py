"""Checkpoints and rejects files: what makes an interrupted import resumable and every failure visible.

Both are append-only JSON Lines files written by one thread, one line per finished record,
flushed as they go: a crash loses at most the records in flight, which a resumed run sends
again (the upsert makes that harmless). A half-written last line, from a crash mid-write,
is ignored on reading.

A checkpoint survives a kill at any moment: its header is written to a temporary file,
synced and renamed into place, so the path holds either the old file or a complete new
header, never an empty or torn one; appended lines are flushed at once and synced to disk
at most every :data:`SYNC_INTERVAL` seconds (and on close), which bounds what a power loss
can take without an fsync per record.  An empty file, or a lone torn header from an older
writer, reads as "nothing recorded yet".
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from ..errors import InvalidValue
from .records import Outcome, RecordResult, Summary

__all__ = ["Checkpoint", "RejectsFile"]

_FORMAT = 1

#: seconds between two fsyncs of a checkpoint's appended lines
SYNC_INTERVAL = 1.0


class Checkpoint:
    """The keys of the records already done, with their outcomes.

    ``Checkpoint(path, source=..., resume=True)`` loads what an earlier run for the same
    source confirmed; ``resume=False`` starts the file afresh.  ``read_only=True`` (a dry run
    previewing a resume) loads it, if it exists, and never creates, replaces or appends to it.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, source: str, resume: bool = False, read_only: bool = False
    ) -> None:
        self.path: Path = Path(path)
        self.source = source
        self.read_only = read_only
        self.done: dict[str, Outcome] = {}
        self._synced = time.monotonic()
        self._torn = False
        self._fh: IO[str] | None = None
        if read_only:
            if self.path.exists():
                self._load()
        elif resume and self.path.exists() and self._load():
            self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()
            if self._torn:
                self._fh.write("\n")  # end the half-written line so the next entry starts clean
        else:
            self._start()

    def _start(self) -> None:
        """Put a file holding just the header in place atomically, then open it for appending."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        header = self._header()
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(header)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        _sync_directory(self.path.parent)
        self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()

    def _header(self) -> str:
        return json.dumps({"checkpoint": _FORMAT, "source": self.source}, ensure_ascii=False) + "\n"

    def _load(self) -> bool:
        """Read what earlier runs confirmed; False when nothing was recorded yet (empty or torn header)."""
        with open(self.path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        lines = text.splitlines()
        self._torn = bool(text) and not text.endswith("\n")
        if not lines or (len(lines) == 1 and self._torn and self._header().startswith(lines[0])):
            return False  # killed before the header was complete: nothing was recorded
        try:
            header = json.loads(lines[0])
        except ValueError:
            header = None
        if not isinstance(header, dict) or header.get("checkpoint") != _FORMAT:
            raise InvalidValue(f"{str(self.path)!r} is not a checkpoint file; remove it or pick another path")
        if header.get("source") != self.source:
            raise InvalidValue(
                f"the checkpoint {str(self.path)!r} belongs to {header.get('source')!r}, "
                f"not {self.source!r}; "
                "resume with the same source, or start afresh without --resume"
            )
        for line in lines[1:]:
            try:
                entry = json.loads(line)
                self.done[str(entry["key"])] = Outcome(entry["outcome"])
            except (ValueError, KeyError, TypeError):
                continue  # the torn last line of a crashed run
        return True

    def summary(self) -> Summary:
        """Counts of what earlier runs finished, to continue the totals from."""
        summary = Summary()
        for outcome in self.done.values():
            summary.add(outcome)
        return summary

    def record(self, result: RecordResult) -> None:
        if self._fh is None:
            raise InvalidValue(
                f"the checkpoint {str(self.path)!r} was opened read-only (a dry run reads it only)"
            )
        self.done[result.record.key] = result.outcome
        self._write({"key": result.record.key, "outcome": result.outcome.value})

    def _write(self, entry: dict[str, Any]) -> None:
        assert self._fh is not None  # record() checked it
        self._fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._fh.flush()
        now = time.monotonic()
        if now - self._synced >= SYNC_INTERVAL:
            os.fsync(self._fh.fileno())
            self._synced = now

    def close(self) -> None:
        if self._fh is not None and not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()

    def __enter__(self) -> Checkpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _sync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # Windows
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class RejectsFile:
    """One JSON line per rejected record: ``{"line", "key", "reason", "source"}``.

    The file is opened on the first reject, so a clean run leaves none behind; without
    ``append`` an existing file is replaced at that point.
    """

    def __init__(self, path: str | os.PathLike[str], *, append: bool = False) -> None:
        self.path: Path = Path(path)
        self.append = append
        self._fh: IO[str] | None = None
        self.count: int = 0

    def record(self, result: RecordResult) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "a" if self.append else "w", encoding="utf-8")  # noqa: SIM115
        rec = result.record
        entry = {"line": rec.line, "key": rec.key, "reason": result.reason, "source": rec.source}
        self._fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._fh.flush()
        self.count += 1

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()

    def __enter__(self) -> RejectsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
