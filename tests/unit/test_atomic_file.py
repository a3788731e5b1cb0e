"""AtomicFile and DISK: a partial file never replaces a good one; an awaited write syncs off the loop."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx

from contacthub_like.http import files
from contacthub_like.http.files import DISK, AtomicFile
from contacthub_like.http.signed import SignedTransfers


def _leftovers(folder: Path) -> list[Path]:
    return list(folder.glob(".*.part"))


def test_a_committed_file_replaces_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "f.csv"
    target.write_bytes(b"old")
    with AtomicFile(target) as out:
        out.write(b"new")
        assert target.read_bytes() == b"old"  # nothing shows before the commit
    assert target.read_bytes() == b"new" and not _leftovers(tmp_path)


def test_an_error_in_the_block_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "f.csv"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), AtomicFile(target) as out:
        out.write(b"half")
        raise RuntimeError("dropped")
    assert target.read_bytes() == b"old" and not _leftovers(tmp_path)


def test_a_failed_commit_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.csv"
    target.write_bytes(b"old")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_disk)
    out = AtomicFile(target)
    out.write(b"new")
    with pytest.raises(OSError, match="No space"):
        out.commit()
    out.discard()  # harmless after the failed commit cleaned up
    assert target.read_bytes() == b"old" and not _leftovers(tmp_path)


def test_discard_after_commit_changes_nothing(tmp_path: Path) -> None:
    out = AtomicFile(tmp_path / "f.csv")
    out.write(b"x")
    assert out.commit() == tmp_path / "f.csv"
    out.discard()
    assert (tmp_path / "f.csv").read_bytes() == b"x"


def test_disk_write_async_writes_in_a_worker_thread(tmp_path: Path) -> None:
    seen: list[int] = []

    def chunks() -> Iterator[bytes]:
        seen.append(threading.get_ident())
        yield b"a,b\n"

    async def main() -> tuple[Path, int]:
        return await DISK.write_async(tmp_path / "r.csv", chunks()), threading.get_ident()

    path, loop_thread = asyncio.run(main())
    assert path.read_bytes() == b"a,b\n" and seen and seen[0] != loop_thread
    assert DISK.write(tmp_path / "s.csv", [b"x"]).read_bytes() == b"x"


def test_download_async_syncs_to_disk_off_the_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(threading.get_ident())
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", fsync)
    url = "https://files.test/f.csv?sig=S3CR3T"

    async def main() -> int:
        with SignedTransfers() as transfers:
            await transfers.download_async(url, tmp_path / "f.csv")
        return threading.get_ident()

    with respx.mock(assert_all_called=True, assert_all_mocked=True) as storage:
        storage.get("https://files.test/f.csv", params={"sig": "S3CR3T"}).mock(
            return_value=httpx.Response(200, content=b"data")
        )
        loop_thread = asyncio.run(main())
    assert (tmp_path / "f.csv").read_bytes() == b"data"
    assert synced and loop_thread not in synced
