"""Find the Python blocks of an rST file, and the ``docs-test`` markers that say how to run them.

Why a small reader of our own rather than Sphinx doctest or pytest-examples: the pages use plain
``.. code-block:: python`` (which Sphinx doctest does not run without rewriting every block as
``testcode``, and which it reads only inside a Sphinx build, so README.rst would be left out),
and pytest-examples reads Markdown fences and docstrings, not rST directives.  A block is
recognised by its directive line alone, so this needs no docutils parse of roles Sphinx defines.

A marker is an rST comment (not rendered) on the line(s) just above a block::

    .. docs-test: skip: needs a ContactHub account
    .. docs-test: needs streamone
    .. docs-test: isolated
    .. docs-test: raises InvalidType

``skip: REASON``   the block is not run; the reason is required and shown in the test report.
``needs SERVICE``  the block runs only where the docs tests start SERVICE (they start ``hub``,
                   the embedded hub); for any other service it is skipped, naming it.
``isolated``       names the block rebinds (say ``workspace`` and ``node``, for a remote
                   account it only constructs) get their earlier values back after it, so
                   the blocks below still use the embedded hub; what it imports stays.
``raises NAME``    the block must raise the exception class NAME (the page says it does).

A block whose first line starts with ``>>>`` is a doctest: its shown output is checked.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?:code-block|code|sourcecode)::\s*(?P<lang>\S+)\s*$")
_MARKER = re.compile(r"^\s*\.\.\s+docs-test:\s*(?P<body>.*?)\s*$")
_OPTION = re.compile(r"^\s*:[\w-]+:")
PYTHON_LANGUAGES = frozenset({"python", "python3", "py", "pycon"})
KNOWN_KINDS = ("skip", "needs", "isolated", "raises")


class MarkerError(ValueError):
    """A ``docs-test`` marker that cannot be understood; the message says which and how to write it."""


@dataclass(frozen=True)
class Marker:
    kind: str
    argument: str = ""


@dataclass(frozen=True)
class Block:
    """One Python block: where it is, its dedented source and the markers above it."""

    path: Path
    line: int  # 1-based line of the first source line, for tracebacks that point into the page
    source: str
    markers: tuple[Marker, ...] = field(default=())

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"

    @property
    def is_doctest(self) -> bool:
        return self.source.lstrip().startswith(">>>")

    def marker(self, kind: str) -> Marker | None:
        return next((m for m in self.markers if m.kind == kind), None)


def parse_marker(text: str, where: str) -> Marker:
    """``skip: REASON`` | ``needs SERVICE`` | ``isolated`` | ``raises NAME``, else :class:`MarkerError`."""
    kind, _, rest = text.partition(":") if text.startswith("skip") else text.partition(" ")
    kind, rest = kind.strip(), rest.strip()
    if kind not in KNOWN_KINDS:
        raise MarkerError(
            f"{where}: unknown docs-test marker {text!r}; write one of "
            "'skip: REASON', 'needs SERVICE', 'isolated', 'raises EXCEPTION'"
        )
    if kind == "isolated" and rest:
        raise MarkerError(f"{where}: 'isolated' takes nothing after it, got {rest!r}")
    if kind != "isolated" and not rest:
        hint = {"skip": "skip: why it cannot run", "needs": "needs streamone", "raises": "raises InvalidType"}
        raise MarkerError(f"{where}: docs-test marker {kind!r} needs an argument, e.g. '{hint[kind]}'")
    return Marker(kind, rest)


def python_blocks(path: Path) -> list[Block]:
    """Every Python code block of the page at ``path``, in page order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    pending: list[Marker] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = _MARKER.match(line)
        if marker:
            pending.append(parse_marker(marker["body"], f"{path.name}:{i + 1}"))
            i += 1
            continue
        directive = _DIRECTIVE.match(line)
        if directive is None:
            if line.strip():
                if pending:
                    raise MarkerError(
                        f"{path.name}:{i + 1}: a docs-test marker must stand right above a code block "
                        "(blank lines may separate them)"
                    )
            i += 1
            continue
        indent = len(directive["indent"])
        i += 1
        while i < len(lines) and _OPTION.match(lines[i]):
            i += 1
        first, text, i = _indented_body(lines, i, indent)
        if directive["lang"] in PYTHON_LANGUAGES and first:
            blocks.append(Block(path, first, text.rstrip() + "\n", tuple(pending)))
        elif pending:
            raise MarkerError(f"{path.name}:{i}: a docs-test marker stands above a non-Python block")
        pending = []
    return blocks


def _indented_body(lines: list[str], start: int, indent: int) -> tuple[int, str, int]:
    """Lines indented deeper than ``indent`` from ``start`` on: (first line, dedented text, index after)."""
    body: list[str] = []
    first = 0
    i = start
    while i < len(lines):
        text = lines[i]
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        if text.strip() and not first:
            first = i + 1
        if first:
            body.append(text)
        i += 1
    return first, textwrap.dedent("\n".join(body)), i


def python_in_literal_blocks(path: Path) -> list[int]:
    """Lines of ``::`` literal blocks that hold Python, which the tests would not run.

    A literal block counts as Python when it parses and does more than name a value
    (an import, an assignment, a call...), so shell lines and sample output do not.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for i, line in enumerate(lines):
        if not line.rstrip().endswith("::") or line.lstrip().startswith(".."):
            continue
        indent = len(line) - len(line.lstrip())
        first, text, _ = _indented_body(lines, i + 1, indent)
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        if any(not isinstance(stmt, ast.Expr) or isinstance(stmt.value, ast.Call) for stmt in tree.body):
            found.append(first)
    return found
