"""``contacthub-like import``, ``export``, ``query`` and ``migrate``.

Exit codes scripts can rely on:

* 0: done, every record written (created, updated or unchanged);
* 1: done, some records rejected (see the rejects file);
* 2: nothing done: bad arguments, query expression, mapping, file or configuration;
* 3: stopped part way by the hub or the network; run again with ``--resume``;
* 130: interrupted (Ctrl-C); run again with ``--resume``.

This module registers the four sub-commands with the ``contacthub-like`` parser; their options are
declared in :mod:`~contacthub_like.migrate.cli_options`, their bodies live in
:mod:`~contacthub_like.migrate.cli_subcommands`, and what they share (exit codes, opening a hub,
progress bars, the bulk run) in :mod:`~contacthub_like.migrate.cli_running`.  The names scripts and
tests import from here stay importable from here.
"""

from __future__ import annotations

import argparse
from typing import Any

from .cli_options import (
    _CONFIG_HELP,
    _add_common,
    _add_preview_options,
    _add_progress,
    _add_query_options,
    _add_write_options,
)
from .cli_running import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REJECTS,
    EXIT_STOPPED,
    EXIT_USAGE,
    USAGE_ERRORS,
    _record_retry,
    open_workspace,
)
from .cli_subcommands import _export, _import, _migrate, _query, format_table, source_records

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_REJECTS",
    "EXIT_STOPPED",
    "EXIT_USAGE",
    "USAGE_ERRORS",
    "_record_retry",
    "format_table",
    "open_workspace",
    "register",
    "source_records",
]


def register(subparsers: Any) -> None:
    """Add ``import``, ``export``, ``query`` and ``migrate`` to the command's sub-parsers."""
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
