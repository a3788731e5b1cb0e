"""A virtualenv holding a seed SDK, for the tests that run it unchanged against an emulator.

The package comes from the package registry (or a source the test names); without a network
the test is skipped with the installer's own reason, never failed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence

import pytest


def seed_python(
    tmp_path_factory: pytest.TempPathFactory, name: str, requirements: Sequence[str], hint: str = ""
) -> str:
    """The interpreter of a new virtualenv with ``requirements`` installed, or a skip saying why not."""
    venv = tmp_path_factory.mktemp(name) / "venv"
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120
        )
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"cannot create a virtualenv for {name}: {exc}")
    python = venv / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    wanted = " ".join(requirements)
    try:
        result = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *requirements],
            capture_output=True,
            text=True,
            timeout=240,
        )
    except subprocess.TimeoutExpired:
        pytest.skip(f"installing {wanted} timed out (offline or slow registry){hint}")
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        reason = next((line for line in lines if line.startswith(("fatal:", "ERROR:", "×"))), None)
        reason = reason or (lines[-1] if lines else "no output")
        pytest.skip(f"cannot install {wanted} (offline?){hint}: {reason}")
    return str(python)
