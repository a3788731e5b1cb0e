"""The bodies of ``contacthub-like import``, ``export``, ``query`` and ``migrate``.

Each reads its parsed options, checks them before the first request, and runs on the shared
helpers of :mod:`contacthub_like.migrate.cli_running`; ``@_exit_codes`` maps what stops it to the
documented exit codes.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from typing import IO, Any

from ..errors import InvalidValue
from .cli_options import _check_preview_options, _fields, _retry_on, _workers
from .cli_running import (
    EXIT_OK,
    _count,
    _counting,
    _exit_codes,
    _open_checkpoint,
    _progress,
    _record_retry,
    _rejects_file,
    _run_bulk,
    open_workspace,
)
from .formulas import neutralise

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


# -- export and query ------------------------------------------------------------------------------


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
