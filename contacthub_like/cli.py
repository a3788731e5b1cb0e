"""The ``contacthub-like`` command.

Each command group lives in its own module exposing ``register(subparsers)``, which adds
its sub-parser and sets ``func`` (called with the parsed namespace, returning an exit
status).  To add a group (import, export, query, migrate ...), write such a module and
list it in ``COMMAND_MODULES``; modules are imported lazily so a missing optional
dependency only affects its own commands.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

import shtab

from ._log import LOGGER_NAME
from ._version import __version__

COMMAND_MODULES: tuple[str, ...] = ("contacthub_like.sandbox.commands", "contacthub_like.migrate.commands")


EXAMPLES = """examples:
  contacthub-like hub init --service-configs configs   # the embedded hub, and every service's config file
  contacthub-like import examples/customers.csv        # customers into the embedded hub
  contacthub-like query --where 'base.lastName == "Wayne"' --format json
  contacthub-like export -o wayne.csv --where 'base.lastName == "Wayne"'
  contacthub-like --print-completion bash > /etc/bash_completion.d/contacthub-like
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contacthub-like",
        description="ContactHub-style client tools and the embedded local hub.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log what the library does to standard error (-v: INFO, -vv: DEBUG, every request); "
        "tokens and passwords are never logged",
    )
    shtab.add_argument_to(parser, "--print-completion", help="print a bash or zsh completion script")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def configure_logging(verbosity: int) -> None:
    """``-v`` and ``-vv``: the library's logger to standard error, nothing when not asked."""
    if verbosity <= 0:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbosity == 1 else logging.DEBUG)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    return int(func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
