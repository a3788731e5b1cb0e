"""The options of the data-moving commands: how each group is declared, and how a value is checked.

``import`` and ``migrate`` share the write and preview options, ``export`` and ``query`` the query
options; each group is declared once here so the commands spell and explain them alike, and each
check says what was wrong and how to fix it before the first request.
"""

from __future__ import annotations

import argparse

from ..errors import InvalidValue
from .records import MATCH_KEYS

_CONFIG_HELP = (
    "hub settings: an INI or JSON file (workspace_id, token, base_url, node_id), or local:PATH for an "
    "embedded hub on that database file; default: CONTACTHUB_* environment variables, else the embedded hub"
)


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


def _workers(value: int) -> int:
    from .bulk import MAX_WORKERS

    if not 1 <= value <= MAX_WORKERS:
        raise InvalidValue(f"--workers must be from 1 to {MAX_WORKERS}, got {value}")
    return value


def _retry_on(args: argparse.Namespace) -> frozenset[int] | None:
    from ..services.contacthub.settings import parse_statuses

    return parse_statuses(args.retry_on, "--retry-on") if args.retry_on else None


def _fields(text: str | None) -> list[str] | None:
    if not text:
        return None
    from .export import check_fields

    fields = check_fields(text.split(","))
    if not fields:
        raise InvalidValue("--fields needs at least one path, e.g. --fields externalId,base.contacts.email")
    return fields
