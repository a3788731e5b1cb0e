"""Writing downloads so that a partial file never replaces a good one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["atomic_write"]


def atomic_write(path: str | os.PathLike[str], chunks: Iterable[bytes]) -> Path:
    """Write ``chunks`` to a temporary file next to ``path``, flush it to disk, then rename it over ``path``.

    If anything fails on the way (the connection drops mid-download, the disk fills),
    the temporary file is removed and whatever was at ``path`` before is untouched:
    readers see the old file or the whole new one, never half of it.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
        _sync_directory(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


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
