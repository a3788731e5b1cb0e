"""What every data-moving command shares: exit codes, the hub, the progress bar and the bulk run.

The exit codes are those documented in :mod:`contacthub_like.migrate.commands`; the wrapper here
turns what stops a command into them, so each command's body only says what it does.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError, ContactHubError, InvalidType, InvalidValue, MissingDependency

if TYPE_CHECKING:  # pragma: no cover
    from .checkpoint import Checkpoint, RejectsFile

EXIT_OK = 0
EXIT_REJECTS = 1
EXIT_USAGE = 2
EXIT_STOPPED = 3
EXIT_INTERRUPTED = 130

#: problems with what the user gave (arguments, files, settings): nothing was done, exit 2
USAGE_ERRORS = (InvalidValue, InvalidType, ConfigurationError, MissingDependency, OSError)


def _error(message: str) -> None:
    print(f"contacthub-like: error: {message}", file=sys.stderr)


def _exit_codes(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn what stops a command into the documented exit codes, with the reason on stderr."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except BrokenPipeError:  # `... | head` closed our output: nothing more to say, to anyone
            _silence_stdout()
            return EXIT_OK
        except USAGE_ERRORS as exc:
            _error(str(exc))
            return EXIT_USAGE
        except ContactHubError as exc:
            _error(str(exc))
            return EXIT_STOPPED
        except KeyboardInterrupt:
            _error("interrupted")
            return EXIT_INTERRUPTED

    return run


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (captured output)
        pass


def open_workspace(
    config: str | None, *, pool_maxsize: int = 10, retry_on: frozenset[int] | None = None
) -> Any:
    """A Workspace from a settings file, ``local:PATH``, or the environment (embedded hub without it).

    ``retry_on`` (from ``--retry-on``) replaces the statuses the settings retry.
    """
    import attrs

    from ..services.contacthub.settings import load_env, load_ini, load_json
    from ..services.contacthub.workspace import DEFAULT_RETRY, Workspace

    local = config[len("local:") :] if config and config.startswith("local:") else None
    if (
        not config
        and not os.environ.get("CONTACTHUB_WORKSPACE_ID")
        and not os.environ.get("CONTACTHUB_TOKEN")
    ):
        local = os.environ.get("CONTACTHUB_LIKE_DB") or ""
    if local is not None:
        from ..sandbox.commands import existing_db

        path = existing_db(local or None, "local:" if config else "$CONTACTHUB_LIKE_DB")
        retry = attrs.evolve(DEFAULT_RETRY, statuses=retry_on) if retry_on else DEFAULT_RETRY
        workspace = Workspace.local(path, pool_maxsize=pool_maxsize, retry=retry)
        why = "" if config else " (no --config and no CONTACTHUB_WORKSPACE_ID/CONTACTHUB_TOKEN set)"
        print(f"contacthub-like: using the embedded local hub, database {path}{why}", file=sys.stderr)
        return workspace
    if not config:
        settings = load_env()
    elif not os.path.exists(config):
        raise InvalidValue(f"the configuration file {config!r} does not exist")
    else:
        settings = load_json(config) if config.lower().endswith(".json") else load_ini(config)
    if retry_on:
        settings = attrs.evolve(settings, retry_on=retry_on)
    return Workspace.from_settings(settings, pool_maxsize=pool_maxsize)


def _record_retry(workspace: Any, retry_on: frozenset[int] | None) -> Any:
    """How the import writes a customer record again: ``--retry-on``, else the settings' ``retry_on``,
    else the default (500, 502, 503, 504)."""
    from ..http.retry import RETRYABLE_STATUSES
    from .repeat import RecordRetry

    configured = workspace.retry.statuses if workspace.retry is not None else RETRYABLE_STATUSES
    if retry_on is None and configured != RETRYABLE_STATUSES:
        retry_on = configured
    return RecordRetry(statuses=retry_on) if retry_on else RecordRetry()


def _progress(args: argparse.Namespace, total: int | None, initial: int, desc: str) -> Any:
    """The progress bar on standard error: only on a terminal, unless ``--progress`` asks for it."""
    from tqdm import tqdm

    shown = not args.quiet and (args.progress or sys.stderr.isatty())
    return tqdm(
        total=total,
        initial=initial,
        unit="rec",
        desc=desc,
        disable=not shown,
        file=sys.stderr,
        dynamic_ncols=True,
    )


def _open_checkpoint(
    args: argparse.Namespace, stack: ExitStack, path: str | None, source: str
) -> Checkpoint | None:
    """The run's checkpoint: written by a real run; read (with --resume), never written, by a dry run.

    Also where a dry run says so, once, whether or not it has a checkpoint to read.
    """
    from .checkpoint import Checkpoint

    if args.dry_run and not args.quiet:
        print(
            "contacthub-like: dry run: only reads are sent; nothing is written to the hub or the checkpoint",
            file=sys.stderr,
        )
    if path is None:
        return None
    if args.dry_run:
        return Checkpoint(path, source=source, read_only=True) if args.resume else None
    if not args.resume and not args.quiet and os.path.exists(path):
        print(f"starting afresh: {path} is replaced (--resume continues)", file=sys.stderr)
    return stack.enter_context(Checkpoint(path, source=source, resume=args.resume))


def _rejects_file(args: argparse.Namespace, stem: str) -> RejectsFile:
    """The run's rejects file: replaced unless ``--resume`` appends to it.  A dry run's has a path
    of its own by default and is always replaced, so a preview never mixes its predictions into
    the rejects of the run it previews."""
    from .checkpoint import RejectsFile

    default = f"{stem}.dry-run.rejects.jsonl" if args.dry_run else f"{stem}.rejects.jsonl"
    path = args.rejects or default
    if (args.dry_run or not args.resume) and os.path.exists(path):
        os.unlink(path)
    return RejectsFile(path, append=True)


def _run_bulk(
    node: Any,
    records: Any,
    args: argparse.Namespace,
    checkpoint: Any,
    rejects: Any,
    bar: Any,
    retry: Any,
) -> int:
    from .bulk import BulkInterrupted, bulk_import
    from .records import Outcome

    def on_result(result: Any) -> None:
        bar.update(1)
        if result.outcome is Outcome.REJECTED:
            bar.set_postfix(rejected=rejects.count if rejects is not None else "?", refresh=False)

    dry_run = getattr(args, "dry_run", False)
    try:
        summary = bulk_import(
            node,
            records,
            workers=args.workers,
            checkpoint=checkpoint,
            rejects=rejects,
            on_result=on_result,
            retry=retry,
            dry_run=dry_run,
            match_on=getattr(args, "match_on", None) or "externalId",
        )
    except BulkInterrupted as stop:
        bar.close()
        interrupted = isinstance(stop.cause, KeyboardInterrupt)
        if not args.quiet:
            print(f"{'interrupted' if interrupted else 'stopped'}: {stop.summary}", file=sys.stderr)
        if not interrupted:
            _error(f"{stop.cause}")
        if checkpoint is not None and not dry_run:
            print(f"run again with --resume to continue from {checkpoint.path}", file=sys.stderr)
        return EXIT_INTERRUPTED if interrupted else EXIT_STOPPED
    bar.close()
    if not args.quiet:
        print(summary, file=sys.stderr)
        # (a resumed dry run counts earlier rejects from the checkpoint: its own file may hold none)
        if summary.rejected and rejects is not None and rejects.path.exists():
            would = "records a real run would reject" if dry_run else "rejected records"
            print(f"{would} and reasons: {rejects.path}", file=sys.stderr)
    return EXIT_REJECTS if summary.rejected else EXIT_OK


def _count(node: Any, entity: Any, where: Any) -> int:
    from ..query.criteria import EMPTY

    query = node.query(entity)
    return int(query.count() if where is EMPTY else query.filter(where).count())


def _counting(docs: Iterator[dict[str, Any]], bar: Any) -> Iterator[dict[str, Any]]:
    for doc in docs:
        yield doc
        bar.update(1)
