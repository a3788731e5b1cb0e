"""Every Python block of README.rst and docs/*.rst runs, in page order, against the embedded hub.

One test per page: its blocks share one namespace (a page reads as one session), seeded by
:mod:`docs_namespace`. How a block that cannot run says so: see :mod:`rst_blocks`. A failure
names the page and line of the block, and the traceback points into the page.
"""

from __future__ import annotations

import builtins
import doctest
import warnings
from pathlib import Path
from typing import Any

import pytest
from docs_namespace import REPO, close_open, docs_namespace
from rst_blocks import Block, MarkerError, parse_marker, python_blocks, python_in_literal_blocks

import contacthub_like

PAGES = [REPO / "README.rst", *sorted((REPO / "docs").glob("*.rst"))]
#: services the docs tests start; a block marked ``needs`` anything else is skipped
SERVICES = frozenset({"hub"})


def _exception_class(name: str, namespace: dict[str, Any]) -> type[BaseException]:
    for scope in (namespace, vars(contacthub_like), vars(builtins)):
        found = scope.get(name)
        if isinstance(found, type) and issubclass(found, BaseException):
            return found
    raise MarkerError(
        f"'raises {name}': no exception class of that name in the page, the package or builtins"
    )


def _run_doctest(block: Block, namespace: dict[str, Any]) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block.source, namespace, block.where, str(block.path), block.line - 1)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    runner.run(test, out=report.append, clear_globs=False)
    assert not runner.failures, f"{block.where}: the page shows other output\n" + "".join(report)


def _run(block: Block, namespace: dict[str, Any]) -> None:
    if block.is_doctest:
        _run_doctest(block, namespace)
        return
    code = compile("\n" * (block.line - 1) + block.source, str(block.path), "exec")
    expected = block.marker("raises")
    if expected is None:
        exec(code, namespace)
        return
    with pytest.raises(_exception_class(expected.argument, namespace)):
        exec(code, namespace)


def _skip_reason(block: Block) -> str | None:
    skip = block.marker("skip")
    if skip is not None:
        return skip.argument
    needs = block.marker("needs")
    if needs is not None and needs.argument not in SERVICES:
        return f"needs {needs.argument}, which the docs tests do not start"
    return None


def _put_back(namespace: dict[str, Any], before: dict[str, Any]) -> None:
    """After an ``isolated`` block: names it rebound get their values back; what they held is closed."""
    for name, value in before.items():
        if namespace.get(name) is not value:
            close_open(namespace.get(name))
            namespace[name] = value


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks(page)
    skipped: list[str] = []
    with docs_namespace(tmp_path, monkeypatch) as namespace:
        for block in blocks:
            reason = _skip_reason(block)
            if reason is not None:
                skipped.append(f"{block.where}: {reason}")
                continue
            before = dict(namespace) if block.marker("isolated") else None
            try:
                _run(block, namespace)
            finally:
                if before is not None:
                    _put_back(namespace, before)
    if skipped and len(skipped) == len(blocks):
        pytest.skip("; ".join(skipped))
    for reason in skipped:
        # a plain UserWarning: parallel workers send warnings to the controller by class name, and a
        # class defined in a test module cannot be imported there
        warnings.warn(f"docs block skipped: {reason}", UserWarning, stacklevel=1)


def test_the_collector_finds_the_blocks_of_every_page() -> None:
    """Guards the collector itself: a reader that found nothing would make every page "pass"."""
    blocks = {page.name: python_blocks(page) for page in PAGES}
    runnable = [b for found in blocks.values() for b in found if _skip_reason(b) is None]
    assert len(runnable) >= 40
    for name in ("README.rst", "index.rst", "usage.rst", "querying.rst", "tracking.rst", "hub.rst"):
        assert blocks[name], f"no Python block found in {name}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_python_is_in_code_blocks_that_run(page: Path) -> None:
    """Python in a ``::`` literal block would be shown but never run: it must be a code-block."""
    lines = python_in_literal_blocks(page)
    assert not lines, f"{page.name}, lines {lines}: write '.. code-block:: python' instead of '::'"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("skip", "needs an argument"),
        ("needs", "needs an argument"),
        ("raises", "needs an argument"),
        ("isolated now", "takes nothing"),
        ("later", "unknown docs-test marker"),
    ],
)
def test_bad_markers_are_refused_with_the_form_to_write(text: str, message: str) -> None:
    with pytest.raises(MarkerError, match=message):
        parse_marker(text, "page.rst:1")


def _page(tmp_path: Path, text: str) -> list[Block]:
    page = tmp_path / "page.rst"
    page.write_text(text, encoding="utf-8")
    return python_blocks(page)


def test_markers_attach_to_the_block_below_and_options_are_skipped(tmp_path: Path) -> None:
    first, second = _page(
        tmp_path,
        "Title\n=====\n\n.. docs-test: skip: needs a remote host\n\n.. code-block:: python\n"
        "   :caption: x\n\n   a = 1\n   if a:\n       b = 2\n\nText.\n\n.. code-block:: console\n\n"
        "   pip install x\n\n.. code-block:: python\n\n   >>> 1 + 1\n   2\n",
    )
    assert (first.line, first.source) == (9, "a = 1\nif a:\n    b = 2\n")
    assert first.markers[0].argument == "needs a remote host"
    assert second.is_doctest and not second.markers
    with pytest.raises(MarkerError, match="right above a code block"):
        _page(tmp_path, ".. docs-test: isolated\n\nText.\n")


def test_skip_and_unknown_services_are_reported_known_ones_run(tmp_path: Path) -> None:
    blocks = _page(
        tmp_path,
        ".. docs-test: skip: needs a remote host\n\n.. code-block:: python\n\n   x = 1\n\n"
        ".. docs-test: needs streamone\n\n.. code-block:: python\n\n   x = 2\n\n"
        ".. docs-test: needs hub\n\n.. code-block:: python\n\n   x = 3\n",
    )
    assert [_skip_reason(b) for b in blocks] == [
        "needs a remote host",
        "needs streamone, which the docs tests do not start",
        None,
    ]
