"""``contacthub-like import``, ``export``, ``query`` and ``migrate``.

Exit codes scripts can rely on:

* 0: done, every record written (created, updated or unchanged);
* 1: done, some records rejected (see the rejects file);
* 2: nothing done: bad arguments, query expression, mapping, file or configuration;
* 3: stopped part way by the hub or the network; run again with ``--resume``;
* 130: interrupted (Ctrl-C); run again with ``--resume``.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import IO, TYPE_CHECKING, Any

from ..errors import ConfigurationError, ContactHubError, InvalidType, InvalidValue, MissingDependency
from .formulas import neutralise
from .records import MATCH_KEYS

if TYPE_CHECKING:  # pragma: no cover
    from .checkpoint import Checkpoint, RejectsFile

EXIT_OK = 0
EXIT_REJECTS = 1
EXIT_USAGE = 2
EXIT_STOPPED = 3
EXIT_INTERRUPTED = 130

#: problems with what the user gave (arguments, files, settings): nothing was done, exit 2
USAGE_ERRORS = (InvalidValue, InvalidType, ConfigurationError, MissingDependency, OSError)

_CONFIG_HELP = (
    "hub settings: an INI or JSON file (workspace_id, token, base_url, node_id), or local:PATH for an "
    "embedded hub on that database file; default: CONTACTHUB_* environment variables, else the embedded hub"
)


def register(subparsers: Any) -> None:
    imp = subparsers.add_parser(
        "import",
        help="import customers (and their events) from a CSV or JSON Lines file",
        description="Import customers (and their events) from a CSV or JSON Lines file, with upserts; "
        "--dry-run previews the summary with reads only.",
        epilog="examples:\n"
        "  contacthub-like import customers.csv --dry-run   # what would change; nothing is written\n"
        "  contacthub-like import customers.csv --rejects bad.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", help="CSV file with a header row, or JSON Lines (one customer object per line)")
    imp.add_argument("--format", choices=("csv", "jsonl"), help="default: from the file name")
    imp.add_argument(
        "--encoding", default="utf-8", help="the file's text encoding (default utf-8), e.g. latin-1"
    )
    imp.add_argument(
        "--delimiter",
        help="CSV field separator, e.g. ';' or '\t' (default: guessed from the header, else ',')",
    )
    imp.add_argument(
        "--mapping", help='JSON file mapping CSV headers to paths, e.g. {"E-mail": "base.contacts.email"}'
    )
    _add_write_options(imp)
    imp.add_argument("--checkpoint", help="checkpoint file (default: FILE.checkpoint)")
    imp.add_argument(
        "--rejects",
        help="rejects file, JSON Lines (default: FILE.rejects.jsonl; with --dry-run: "
        "FILE.dry-run.rejects.jsonl)",
    )
    _add_preview_options(imp)
    _add_common(imp)
    imp.set_defaults(func=_import)

    exp = subparsers.add_parser(
        "export", help="export the customers matching a query to CSV, JSON Lines or Parquet"
    )
    _add_query_options(exp)
    exp.add_argument("-o", "--output", help="output file (default: standard output)")
    exp.add_argument(
        "--format",
        choices=("csv", "jsonl", "parquet"),
        help="default: from the output name (.csv, .jsonl, .parquet), else jsonl; parquet needs the "
        "'parquet' extra and -o",
    )
    exp.add_argument(
        "--service",
        default="contacthub",
        help="contacthub (default) or streamone; --config is then its JSON file",
    )
    exp.add_argument("--entity", help="with --service streamone: Invoice, Customer, Subscription, Order...")
    exp.add_argument(
        "--keep-formulas",
        action="store_true",
        help="CSV: write cells starting with = + - @ as they are (by default they get a ' in front, "
        "so a spreadsheet shows them instead of running them; import removes it)",
    )
    _add_common(exp)
    exp.set_defaults(func=_export)

    qry = subparsers.add_parser(
        "query",
        help="print the customers matching a query as a table, JSON or CSV",
        description="Print the first customers matching a query.",
        epilog="example:\n  contacthub-like query --where 'base.lastName == \"Wayne\"' --format csv --limit 100",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_query_options(qry)
    qry.add_argument("--limit", type=int, default=20, help="rows to print (default 20)")
    qry.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table (default, with a count line), json (one array of objects) or csv (a header row)",
    )
    _add_common(qry, quiet=False)
    qry.set_defaults(func=_query)

    mig = subparsers.add_parser(
        "migrate",
        help="copy customers and their events from one hub to another",
        description="Copy customers and their events from one hub to another, with upserts; "
        "--dry-run previews the summary with reads only.",
        epilog="examples:\n"
        "  contacthub-like migrate --from old.ini --to new.ini --dry-run   # what would change\n"
        "  contacthub-like migrate --from old.ini --to new.ini --checkpoint run.ckpt",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mig.add_argument("--from", dest="source", help="source hub; " + _CONFIG_HELP)
    mig.add_argument("--to", dest="target", help="target hub; same forms as --from")
    mig.add_argument("--where", help="only the customers matching this query expression")
    mig.add_argument("--no-events", action="store_true", help="copy customers only")
    _add_write_options(mig)
    mig.add_argument("--checkpoint", help="checkpoint file; with --resume, skip customers it holds")
    mig.add_argument(
        "--rejects",
        help="rejects file (default: migrate.rejects.jsonl; with --dry-run: migrate.dry-run.rejects.jsonl)",
    )
    _add_preview_options(mig)
    mig.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    _add_progress(mig)
    mig.set_defaults(func=_migrate)


def _add_preview_options(parser: argparse.ArgumentParser) -> None:
    """``--dry-run`` and ``--match-on``: the same preview for an import and a migration."""
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="send only reads: print the summary a real run would print (created, updated, unchanged, "
        "rejected with reasons in the rejects file); the checkpoint is read with --resume, never written",
    )
    parser.add_argument(
        "--match-on",
        choices=MATCH_KEYS,
        help="with --dry-run: the workspace's matching policy, which the API does not reveal "
        "(default externalId, as on a new workspace)",
    )


def _check_preview_options(args: argparse.Namespace) -> None:
    if args.match_on and not args.dry_run:
        raise InvalidValue(
            "--match-on describes the workspace's matching policy to a --dry-run; a real run is "
            "matched by the hub itself: add --dry-run, or leave --match-on out"
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


def _add_common(parser: argparse.ArgumentParser, *, quiet: bool = True) -> None:
    parser.add_argument("--config", help=_CONFIG_HELP)
    parser.add_argument("--node", help="node id (default: the configuration's node_id)")
    if quiet:
        parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
        _add_progress(parser)


def _add_progress(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show the progress bar even when standard error is not a terminal (a log file, a pipe)",
    )


def _add_write_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=8, help="parallel requests (default 8)")
    parser.add_argument(
        "--retry-on",
        metavar="STATUSES",
        help="answers worth another attempt, e.g. 500,502,503,504 (default: the configuration's retry_on, "
        "else 423,429,502,503,504 per request, and 500,502,503,504 for writing a customer record again)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run: skip what its checkpoint confirmed",
    )


def _add_query_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--where", help='query expression, e.g. \'base.lastName == "Wayne" and "vip" in tags.manual\''
    )
    parser.add_argument(
        "--fields", help="comma-separated paths to output, e.g. externalId,base.contacts.email"
    )


# -- plumbing --------------------------------------------------------------------------------------


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


def _retry_on(args: argparse.Namespace) -> frozenset[int] | None:
    from ..services.contacthub.settings import parse_statuses

    return parse_statuses(args.retry_on, "--retry-on") if args.retry_on else None


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


def _workers(value: int) -> int:
    from .bulk import MAX_WORKERS

    if not 1 <= value <= MAX_WORKERS:
        raise InvalidValue(f"--workers must be from 1 to {MAX_WORKERS}, got {value}")
    return value


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


# -- import ----------------------------------------------------------------------------------------


@_exit_codes
def _import(args: argparse.Namespace) -> int:
    from .preflight import inspect_file
    from .sources import ColumnMapping, detect_format, read_file

    _workers(args.workers)
    _check_preview_options(args)
    retry_on = _retry_on(args)
    fmt = detect_format(args.file, args.format)
    if not os.path.isfile(args.file):
        raise InvalidValue(f"the input file {args.file!r} does not exist")
    mapping = ColumnMapping.load(args.mapping) if args.mapping else None
    # everything about the file is checked before the first request
    info = inspect_file(args.file, fmt, mapping=mapping, encoding=args.encoding, delimiter=args.delimiter)
    if info.note and not args.quiet:
        print(f"contacthub-like: {info.note}", file=sys.stderr)
    if info.records == 0:
        print(f"contacthub-like: warning: {args.file} holds no records; nothing to import", file=sys.stderr)
        return EXIT_OK
    records = read_file(args.file, fmt, mapping, encoding=args.encoding, delimiter=info.delimiter)
    total = info.records
    with ExitStack() as stack:
        source = os.path.abspath(args.file)
        checkpoint = _open_checkpoint(args, stack, args.checkpoint or f"{args.file}.checkpoint", source)
        rejects = stack.enter_context(_rejects_file(args, args.file))
        workspace = stack.enter_context(
            open_workspace(args.config, pool_maxsize=max(10, args.workers), retry_on=retry_on)
        )
        node = workspace.get_node(args.node)
        done = len(checkpoint.done) if checkpoint is not None else 0
        bar = _progress(args, total, done, "dry run" if args.dry_run else "import")
        return _run_bulk(node, records, args, checkpoint, rejects, bar, _record_retry(workspace, retry_on))


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


# -- export and query ------------------------------------------------------------------------------


def _fields(text: str | None) -> list[str] | None:
    if not text:
        return None
    from .export import check_fields

    fields = check_fields(text.split(","))
    if not fields:
        raise InvalidValue("--fields needs at least one path, e.g. --fields externalId,base.contacts.email")
    return fields


@_exit_codes
def _export(args: argparse.Namespace) -> int:
    from ..services.contacthub.entities.customer import Customer
    from .export import (
        DEFAULT_CSV_FIELDS,
        export_customers,
        export_format,
        write_csv,
        write_jsonl,
        write_parquet,
    )
    from .where import parse_where

    if args.service != "contacthub":
        from .service_export import export_service

        fields_given = [f.strip() for f in args.fields.split(",") if f.strip()] if args.fields else None
        written = export_service(
            args.service,
            args.entity,
            config=args.config,
            where=args.where,
            fields=fields_given,
            output=args.output,
            fmt=args.format,
        )
        if not args.quiet:
            print(f"exported {written} {args.entity} entities", file=sys.stderr)
        return EXIT_OK
    where = parse_where(args.where)
    fields = _fields(args.fields)
    fmt = export_format(args.output, args.format)
    if args.output:  # a wrong path fails before any request or progress bar
        folder = os.path.dirname(os.path.abspath(args.output))
        if not os.path.isdir(folder):
            raise InvalidValue(f"cannot write {args.output!r}: the directory {folder!r} does not exist")
    with ExitStack() as stack:
        workspace = stack.enter_context(open_workspace(args.config))
        node = workspace.get_node(args.node)
        out: IO[str] = (
            stack.enter_context(open(args.output, "w", encoding="utf-8", newline=""))
            if args.output and fmt != "parquet"
            else sys.stdout
        )
        total = None if args.quiet else _count(node, Customer, where)
        bar = stack.enter_context(_progress(args, total, 0, "export"))
        docs = _counting(export_customers(node, where, fields=fields), bar)
        if fmt == "parquet":
            written = write_parquet(docs, args.output, fields or list(DEFAULT_CSV_FIELDS))
        elif fmt == "csv":
            written = write_csv(
                docs, out, fields or list(DEFAULT_CSV_FIELDS), neutralise_formulas=not args.keep_formulas
            )
        else:
            written = write_jsonl(docs, out)
    if not args.quiet:
        print(f"exported {written} customers", file=sys.stderr)
    return EXIT_OK


def _count(node: Any, entity: Any, where: Any) -> int:
    from ..query.criteria import EMPTY

    query = node.query(entity)
    return int(query.count() if where is EMPTY else query.filter(where).count())


def _counting(docs: Iterator[dict[str, Any]], bar: Any) -> Iterator[dict[str, Any]]:
    for doc in docs:
        yield doc
        bar.update(1)


_TABLE_FIELDS = ("id", "externalId", "base.firstName", "base.lastName", "base.contacts.email")


@_exit_codes
def _query(args: argparse.Namespace) -> int:
    from itertools import islice

    from ..services.contacthub.entities.customer import Customer
    from .export import cell, export_customers
    from .where import parse_where

    where = parse_where(args.where)
    fields = _fields(args.fields) or list(_TABLE_FIELDS)
    if args.limit < 1:
        raise InvalidValue(f"--limit must be at least 1, got {args.limit}")
    with open_workspace(args.config) as workspace:
        node = workspace.get_node(args.node)
        rows = [
            [cell(doc.get(f)) for f in fields]
            for doc in islice(export_customers(node, where, fields=fields), args.limit)
        ]
        total = _count(node, Customer, where) if len(rows) == args.limit else len(rows)
    if args.format == "json":
        print(json.dumps([dict(zip(fields, row, strict=True)) for row in rows], ensure_ascii=False, indent=2))
    elif args.format == "csv":
        out = csv.writer(sys.stdout, lineterminator="\r\n")
        out.writerow(fields)
        out.writerows([neutralise(value) for value in row] for row in rows)
    else:
        print(format_table(fields, rows))
        print(f"{len(rows)} of {total} customers")
    return EXIT_OK


def format_table(headers: list[str], rows: list[list[str]], max_width: int = 36) -> str:
    """A plain text table; long cells are cut with an ellipsis so rows stay on one line."""

    def fit(text: str) -> str:
        text = text.replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[fit(h) for h in headers]] + [[fit(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# -- migrate ---------------------------------------------------------------------------------------


@_exit_codes
def _migrate(args: argparse.Namespace) -> int:
    from .where import parse_where

    _workers(args.workers)
    _check_preview_options(args)
    retry_on = _retry_on(args)
    where = parse_where(args.where)
    if args.resume and not args.checkpoint:
        raise InvalidValue("--resume needs the --checkpoint file of the interrupted run")
    with ExitStack() as stack:
        source_ws = stack.enter_context(open_workspace(args.source))
        target_ws = stack.enter_context(
            open_workspace(args.target, pool_maxsize=max(10, args.workers), retry_on=retry_on)
        )
        source, target = source_ws.get_node(), target_ws.get_node()
        label = f"{source_ws.base_url}/workspaces/{source_ws.workspace_id}/nodes/{source.node_id}"
        checkpoint = _open_checkpoint(args, stack, args.checkpoint, label)
        rejects = stack.enter_context(_rejects_file(args, "migrate"))
        from ..services.contacthub.entities.customer import Customer

        total = None if args.quiet else _count(source, Customer, where)
        done = len(checkpoint.done) if checkpoint else 0
        bar = _progress(args, total, done, "dry run" if args.dry_run else "migrate")
        records = source_records(source, where, events=not args.no_events)
        return _run_bulk(target, records, args, checkpoint, rejects, bar, _record_retry(target_ws, retry_on))


def source_records(node: Any, where: Any, *, events: bool = True) -> Iterator[Any]:
    """The customers of a source node as records keyed by their source id, with their events."""
    import json

    from .export import export_customers
    from .records import SourceRecord

    for doc in export_customers(node, where):
        ident = str(doc.get("id"))
        if events:
            doc["events"] = [e.to_dict() for e in node.get_events(customer_id=ident).stream()]
        yield SourceRecord(ident, data=doc, source=json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
