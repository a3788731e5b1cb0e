"""Writing downloads so that a partial file never replaces a good one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write", "atomic_file"]


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to fill that replaces ``path`` only when the ``with`` block ends without error.

    The bytes go to a temporary file next to ``path``, flushed to disk, then renamed over it.
    If anything fails on the way (the connection drops mid-download, the disk fills), the
    temporary file is removed and whatever was at ``path`` before is untouched: readers see the
    old file or the whole new one, never half of it.  The block may be sync or hold ``await``
    (an async download writes through it too), so both sockets share one way to write.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
        _sync_directory(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: str | os.PathLike[str], chunks: Iterable[bytes]) -> Path:
    """Write ``chunks`` to ``path`` through :func:`atomic_file`: all of them, or nothing changes."""
    with atomic_file(path) as out:
        for chunk in chunks:
            out.write(chunk)
    return Path(path)


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
