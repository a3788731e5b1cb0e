"""The import loop: a bounded thread pool writing records, with checkpoint, rejects and progress.

Records are read lazily and at most ``workers * 4`` are in flight, so memory stays flat
whatever the input size. Results are handled on the calling thread only (checkpoint,
rejects, progress callback), which keeps those files single-writer. A failure that is not
the record's fault (network down, hub erroring, Ctrl-C) stops the run: records in flight
are finished or left for the resume, and :class:`BulkInterrupted` carries the summary so far.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from ..errors import ContactHubError, InvalidValue
from ..orm.flows import Flow, run, run_async
from .checkpoint import Checkpoint, RejectsFile
from .preview import Preview
from .records import MatchKey, Outcome, RecordResult, SourceRecord, Summary
from .repeat import RecordRetry, RecordWrite, write_with_retries_flow
from .writer import is_record_error, reason_of, write_record_flow

if TYPE_CHECKING:  # pragma: no cover
    from ..services.contacthub.workspace import Node

__all__ = [
    "bulk_import",
    "bulk_import_async",
    "BulkInterrupted",
    "MAX_WORKERS",
    "MAX_CONCURRENCY",
    "DEFAULT_RECORD_RETRY",
]

MAX_WORKERS = 64

#: how a bulk import repeats a customer record after a failure of the hub or the network
DEFAULT_RECORD_RETRY = RecordRetry()


class BulkInterrupted(ContactHubError):
    """The import stopped before the end; what was confirmed is in ``summary`` (and the checkpoint)."""

    def __init__(self, message: str, summary: Summary, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.summary = summary
        self.cause = cause


def _as_records(records: Iterable[Any]) -> Iterable[SourceRecord]:
    for number, item in enumerate(records, start=1):
        if isinstance(item, SourceRecord):
            yield item
        else:
            yield SourceRecord(str(number), data=item, source=_source_text(item), line=number)


def _source_text(item: Any) -> str:
    import json

    to_dict = getattr(item, "to_dict", None)
    doc = to_dict() if callable(to_dict) else item
    try:
        return json.dumps(doc, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(doc)


class _Tally:
    """Where a record's result goes, on the caller's thread or loop only: summary, rejects,
    checkpoint, callback (so those files keep a single writer)."""

    def __init__(
        self,
        summary: Summary,
        checkpoint: Checkpoint | None,
        rejects: RejectsFile | None,
        on_result: Callable[[RecordResult], None] | None,
    ) -> None:
        self.summary, self.checkpoint, self.rejects, self.on_result = summary, checkpoint, rejects, on_result

    def __call__(self, result: RecordResult) -> None:
        self.summary.add(result.outcome)
        if result.outcome is Outcome.REJECTED and self.rejects is not None:
            self.rejects.record(result)
        if self.checkpoint is not None:
            self.checkpoint.record(result)
        if self.on_result is not None:
            self.on_result(result)


def _interrupted(failure: BaseException, summary: Summary) -> BulkInterrupted:
    if isinstance(failure, (KeyboardInterrupt, asyncio.CancelledError)):
        return BulkInterrupted("interrupted; run again with resume to continue", summary, failure)
    return BulkInterrupted(f"stopped: {failure}", summary, failure)


def _record_flow(
    node: Node, record: SourceRecord, source: str, retry: RecordRetry | None, write: RecordWrite
) -> Flow[RecordResult]:
    """One record's result, for either importer and for a dry run (``write`` is then its read-and-compare):
    a record the hub refused is a REJECTED result; any other failure (the hub or the network) is
    raised, and stops the run."""
    try:
        outcome, ident = yield from write_with_retries_flow(
            node, record.data, origin=f"{source}\n{record.key}", retry=retry, write=write
        )
    except ContactHubError as exc:
        if is_record_error(exc):
            return RecordResult(record, Outcome.REJECTED, reason_of(exc))
        raise
    return RecordResult(record, outcome, id=ident)


class _Run:
    """What the two importers set up alike: the source, the first totals, the keys already done,
    the step that writes a record (or previews it), and where results go."""

    def __init__(
        self,
        checkpoint: Checkpoint | None,
        rejects: RejectsFile | None,
        on_result: Callable[[RecordResult], None] | None,
        source: str | None,
        dry_run: bool,
        match_on: MatchKey,
    ) -> None:
        self.source = source if source is not None else (checkpoint.source if checkpoint is not None else "")
        self.summary = checkpoint.summary() if checkpoint is not None else Summary()
        self.summary.dry_run = dry_run
        #: a resumed dry run previews what the resume would send; its checkpoint is read, never written
        self.done = checkpoint.done if checkpoint is not None else {}
        preview = Preview(match_on)  # built either way, so a wrong match_on is refused either way
        self.write: RecordWrite = preview.record_flow if dry_run else write_record_flow
        self.finish = _Tally(self.summary, None if dry_run else checkpoint, rejects, on_result)


def _write(
    node: Node,
    record: SourceRecord,
    stop: threading.Event,
    source: str,
    retry: RecordRetry | None,
    write: RecordWrite,
) -> RecordResult | None:
    """One record's result on a worker thread; None when the run is stopping and the record was not
    started."""
    if stop.is_set():
        return None
    try:
        return run(_record_flow(node, record, source, retry, write))
    except BaseException:
        stop.set()
        raise


def bulk_import(
    node: Node,
    records: Iterable[Any],
    *,
    workers: int = 8,
    checkpoint: Checkpoint | None = None,
    rejects: RejectsFile | None = None,
    on_result: Callable[[RecordResult], None] | None = None,
    source: str | None = None,
    retry: RecordRetry | None = DEFAULT_RECORD_RETRY,
    dry_run: bool = False,
    match_on: MatchKey = "externalId",
) -> Summary:
    """Write ``records`` (dicts, entities or :class:`SourceRecord`) to ``node``; returns the summary.

    ``workers`` threads share the workspace's connection pool (give the Workspace a
    ``pool_maxsize`` at least as large). Records whose key ``checkpoint`` already holds are
    skipped and counted from it, so the totals of a resumed run cover the whole input.
    Rejected records are counted, passed to ``on_result`` and written to ``rejects``; they
    are never dropped silently.

    ``source`` identifies the input (a file's absolute path, a source hub's node; default: the
    checkpoint's source): with the record key it derives the events' idempotency keys, so running
    the same input again sends the same keys.  ``retry`` writes a customer record again after a
    failure of the hub or the network (see ``contacthub_like.migrate.repeat``); ``None`` writes each
    record once.

    ``dry_run=True`` previews the import with reads only (see ``contacthub_like.migrate.preview``):
    every record is checked and classified as a real run would, but only ``GET`` requests are
    sent; the summary (its ``dry_run`` set) counts what a real run would do.  ``match_on`` names
    the workspace's matching policy, which the API does not reveal: ``externalId`` (the default),
    ``email`` or ``none``.  A dry run reads ``checkpoint`` to skip what it holds and never writes it.
    """
    setup = _Run(checkpoint, rejects, on_result, source, dry_run, match_on)
    if not isinstance(workers, int) or isinstance(workers, bool) or not 1 <= workers <= MAX_WORKERS:
        raise InvalidValue(f"workers must be an integer from 1 to {MAX_WORKERS}, got {workers!r}")
    started = time.monotonic()
    summary, done, finish = setup.summary, setup.done, setup.finish
    limit = workers * 4
    pending: dict[Future[RecordResult | None], SourceRecord] = {}
    stop = threading.Event()
    failure: BaseException | None = None

    def drain(block_until: int) -> None:
        nonlocal failure
        while len(pending) > block_until:
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in finished:
                pending.pop(future)
                try:
                    result = future.result()
                    if result is not None:
                        finish(result)
                except BaseException as exc:  # noqa: BLE001 - kept and raised once the pool is quiet
                    if failure is None:
                        failure = exc

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="contacthub-bulk")
    try:
        for record in _as_records(records):
            if record.key in done:
                continue
            if record.error is not None:
                finish(RecordResult(record, Outcome.REJECTED, record.error))
                continue
            pending[pool.submit(_write, node, record, stop, setup.source, retry, setup.write)] = record
            drain(limit - 1)
            if failure is not None:
                break
        drain(0)
    except BaseException as exc:  # Ctrl-C while waiting: finish the requests in flight, keep their results
        stop.set()
        for future in list(pending):
            if future.cancel():
                del pending[future]
        try:
            drain(0)
        except BaseException:  # noqa: BLE001 - a second Ctrl-C: stop waiting
            pass
        failure = failure or exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        summary.elapsed += time.monotonic() - started
    if failure is not None:
        raise _interrupted(failure, summary) from failure
    return summary


#: records in flight at once on the asyncio path, at most
MAX_CONCURRENCY = 256


async def bulk_import_async(
    node: Node,
    records: Iterable[Any],
    *,
    concurrency: int = 32,
    checkpoint: Checkpoint | None = None,
    rejects: RejectsFile | None = None,
    on_result: Callable[[RecordResult], None] | None = None,
    source: str | None = None,
    retry: RecordRetry | None = DEFAULT_RECORD_RETRY,
    dry_run: bool = False,
    match_on: MatchKey = "externalId",
) -> Summary:
    """:func:`bulk_import` on the running event loop: up to ``concurrency`` records written at once.

    The same writer (the same requests, idempotency keys, upserts and record retries), the same
    checkpoint, rejects and summary; records are read lazily, one task per record in flight.  Give
    the Workspace a ``pool_maxsize`` of at least ``concurrency``.  A failure that is not a record's
    fault, or the task being cancelled, lets the records in flight finish (their results are kept)
    and raises :class:`BulkInterrupted` with the summary so far.  ``dry_run`` and ``match_on``
    preview the import with reads only, as they do for :func:`bulk_import`.
    """
    setup = _Run(checkpoint, rejects, on_result, source, dry_run, match_on)
    if (
        not isinstance(concurrency, int)
        or isinstance(concurrency, bool)
        or not 1 <= concurrency <= MAX_CONCURRENCY
    ):
        raise InvalidValue(f"concurrency must be an integer from 1 to {MAX_CONCURRENCY}, got {concurrency!r}")
    started = time.monotonic()
    summary, done, finish = setup.summary, setup.done, setup.finish
    stopping = False
    failure: BaseException | None = None
    pending: set[asyncio.Task[RecordResult | None]] = set()

    async def one(record: SourceRecord) -> RecordResult | None:
        nonlocal stopping
        if stopping:
            return None
        try:
            return await run_async(_record_flow(node, record, setup.source, retry, setup.write))
        except BaseException:
            stopping = True
            raise

    async def settle(keep_at_most: int) -> None:
        nonlocal failure
        while len(pending) > keep_at_most:
            finished, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                pending.discard(task)
                try:
                    result = task.result()
                except BaseException as exc:  # noqa: BLE001 - kept and raised once the rest settled
                    failure = failure or exc
                else:
                    if result is not None:
                        finish(result)

    try:
        for record in _as_records(records):
            if record.key in done:
                continue
            if record.error is not None:
                finish(RecordResult(record, Outcome.REJECTED, record.error))
                continue
            pending.add(asyncio.ensure_future(one(record)))
            await settle(concurrency - 1)
            if failure is not None:
                break
        await settle(0)
    except BaseException as exc:  # cancelled while waiting: let the records in flight finish, keep them
        stopping = True
        failure = failure or exc
        if pending:
            await asyncio.shield(asyncio.gather(*pending, return_exceptions=True))
            for task in pending:
                if task.cancelled() or task.exception() is not None:
                    continue
                done_result = task.result()
                if done_result is not None:
                    finish(done_result)
    finally:
        summary.elapsed += time.monotonic() - started
    if failure is not None:
        raise _interrupted(failure, summary) from failure
    return summary
