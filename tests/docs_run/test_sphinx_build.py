"""The documentation builds with ``sphinx-build -n -W``: no warning, and every cross-reference resolves.

It runs in a separate process (Sphinx imports the package and the pages fresh) into a
temporary directory, in about ten seconds; it is skipped where Sphinx is not installed
(the ``test`` and ``docs`` extras have it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx", reason="building the docs needs Sphinx (the test and docs extras have it)")

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_docs_build_nitpicky_without_warnings(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", "-q", "-b", "html"]
        + ["-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "html")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"sphinx-build -n -W failed:\n{done.stderr[-6000:]}"
    assert (tmp_path / "html" / "changelog.html").exists()
