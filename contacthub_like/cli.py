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
import sys
from collections.abc import Sequence

COMMAND_MODULES: tuple[str, ...] = ("contacthub_like.sandbox.commands", "contacthub_like.migrate.commands")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contacthub-like", description="ContactHub-style client tools and the embedded local hub."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    return int(func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
