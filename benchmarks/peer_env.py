"""A virtualenv with the original ContactHub SDK (contacthub-sdk-python 0.2) from the package registry.

The SDK pins old dependencies and must not share an environment with this library, so
it gets its own virtualenv, kept in the temp directory between runs (reused when it
still imports the SDK). When it cannot be built (offline, no registry), the caller
skips the peer's columns and says why.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

PEER_REQUIREMENT = "contacthub-sdk-python==0.2"
DEFAULT_DIR = Path(tempfile.gettempdir()) / "contacthub-like-bench-peer-sdk-0.2"


def _python_of(venv: Path) -> Path:
    return venv / ("Scripts" if sys.platform == "win32" else "bin") / "python"


def _works(python: Path) -> bool:
    if not python.exists():
        return False
    try:
        done = subprocess.run(
            [str(python), "-c", "import contacthub, contacthub.models"], capture_output=True, timeout=60
        )
    except (subprocess.SubprocessError, OSError):
        return False
    return done.returncode == 0


def peer_python(venv: Path | None = None) -> tuple[str | None, str]:
    """The virtualenv's interpreter, or ``None`` and the reason it could not be made."""
    venv = Path(os.environ.get("CONTACTHUB_LIKE_BENCH_PEER_VENV", "")) if venv is None else venv
    if not str(venv) or str(venv) == ".":
        venv = DEFAULT_DIR
    python = _python_of(venv)
    if _works(python):
        return str(python), f"reusing {venv}"
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True, timeout=180
        )
    except (subprocess.SubprocessError, OSError) as exc:
        return None, f"cannot create a virtualenv for the original SDK: {exc}"
    try:
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", PEER_REQUIREMENT],
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        return None, f"installing {PEER_REQUIREMENT} timed out (offline or slow registry)"
    if done.returncode != 0 or not _works(python):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"cannot install {PEER_REQUIREMENT} from the package registry: {last}"
    return str(python), f"installed {PEER_REQUIREMENT} into {venv}"
