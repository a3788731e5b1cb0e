"""Writing downloads so that a partial file never replaces a good one."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

__all__ = ["atomic_write", "AtomicFile", "DISK", "Disk"]


class AtomicFile:
    """A file to fill that replaces ``path`` only once :meth:`commit` has run.

    The bytes go to a temporary file next to ``path``; ``commit()`` flushes it to disk and
    renames it over ``path``.  Until then (the connection drops mid-download, the disk fills)
    ``discard()`` removes it and whatever was at ``path`` is untouched: readers see the old
    file or the whole new one, never half of it.  ``with AtomicFile(p) as out:`` commits when
    the block ends without error.  Commit and write are separate so an async download can
    write each chunk as it comes and run the slow part, the fsync, in a worker thread.
    """

    __slots__ = ("target", "_tmp", "_file", "_state")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.target = Path(path)
        fd, self._tmp = tempfile.mkstemp(
            dir=self.target.parent, prefix=f".{self.target.name}.", suffix=".part"
        )
        self._file = os.fdopen(fd, "wb")
        #: "open", then "committing" (a worker thread may be at it) and "done"
        self._state = "open"

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)

    def commit(self) -> Path:
        """Flush to disk and rename over the target; on failure the target is left as it was."""
        self._state = "committing"
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            os.replace(self._tmp, self.target)
        except BaseException:
            self._state = "open"
            self.discard()
            raise
        self._state = "done"
        _sync_directory(self.target.parent)
        return self.target

    def discard(self) -> None:
        """Remove the temporary file (nothing once committed, or while a commit runs)."""
        if self._state != "open":
            return
        self._state = "done"
        self._file.close()
        with contextlib.suppress(OSError):
            os.unlink(self._tmp)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self.commit()
        finally:
            self.discard()


def atomic_write(path: str | os.PathLike[str], chunks: Iterable[bytes]) -> Path:
    """Write ``chunks`` to ``path`` through an :class:`AtomicFile`: all of them, or nothing changes."""
    with AtomicFile(path) as out:
        for chunk in chunks:
            out.write(chunk)
    return Path(path)


class Disk:
    """The file write a flow yields (``Call(DISK, "write", path, chunks)``): :func:`atomic_write`,
    made in a worker thread when awaited, so an event loop never waits on an fsync."""

    def write(self, path: str | os.PathLike[str], chunks: Iterable[bytes]) -> Path:
        return atomic_write(path, chunks)

    async def write_async(self, path: str | os.PathLike[str], chunks: Iterable[bytes]) -> Path:
        return await asyncio.to_thread(atomic_write, path, chunks)


#: the one disk target flows yield to
DISK = Disk()


def _sync_directory(directory: Path) -> None:
    """Flush the rename itself to disk (POSIX), so a crash cannot bring the old file back."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows, where directories cannot be opened
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
