"""The sdist and wheel that ``python -m build`` makes are complete, and ``twine check`` accepts them.

The build runs without isolation (``setuptools`` comes with the ``test`` extra), so it needs no
network and takes a few seconds; it is skipped where ``build`` or ``twine`` is not installed.
``python -m build`` makes the wheel from the unpacked sdist, so a file the sdist forgets breaks
the wheel too.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest
from contacthub_like.transport import DEFAULT_USER_AGENT

import contacthub_like

pytest.importorskip("build", reason="`python -m build` needs the build package (the test extra has it)")
pytest.importorskip("twine", reason="`twine check` needs twine (the test extra has it)")

REPO = Path(__file__).resolve().parents[2]
if not (REPO / "pyproject.toml").exists():  # pragma: no cover - run from an installed copy
    pytest.skip("building needs the source tree", allow_module_level=True)

SUPPORTED_PYTHONS = ("3.10", "3.11", "3.12", "3.13")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the sdist and the wheel once for this module's tests."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"python -m build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


def _wheel_metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        return Parser().parsestr(zf.read(name).decode())


def test_twine_check_accepts_both(dist: dict[str, Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dist["sdist"]), str(dist["wheel"])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_sdist_carries_tests_docs_examples_and_licence(dist: dict[str, Path]) -> None:
    with tarfile.open(dist["sdist"]) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    for wanted in (
        "LICENSE",
        "README.rst",
        "pyproject.toml",
        "contacthub_like/py.typed",
        "contacthub_like/sandbox/openapi.json",
        "tests/conftest.py",
        "tests/packaging/test_distribution.py",
        "docs/conf.py",
        "docs/index.rst",
        "docs/_inventories/python.inv",
        "examples/customers.csv",
        "benchmarks/__init__.py",
    ):
        assert wanted in names, f"the sdist lacks {wanted}: add it to MANIFEST.in"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or "_build/" in n]


def test_wheel_holds_the_package_and_its_data_only(dist: dict[str, Path]) -> None:
    with zipfile.ZipFile(dist["wheel"]) as zf:
        names = set(zf.namelist())
    version = contacthub_like.__version__
    assert {
        "contacthub_like/__init__.py",
        "contacthub_like/py.typed",
        "contacthub_like/sandbox/openapi.json",
        f"contacthub_like-{version}.dist-info/licenses/LICENSE",
    } <= names
    assert {n.split("/", 1)[0] for n in names} == {"contacthub_like", f"contacthub_like-{version}.dist-info"}


def test_wheel_metadata_is_the_single_sourced_version_and_pep_621_fields(dist: dict[str, Path]) -> None:
    meta = _wheel_metadata(dist["wheel"])
    assert meta["Name"] == "contacthub-like"
    assert meta["Version"] == contacthub_like.__version__
    assert DEFAULT_USER_AGENT == f"contacthub-like/{contacthub_like.__version__}"
    assert meta["License-Expression"] == "MIT"
    assert meta["Requires-Python"] == ">=3.10"
    classifiers = set(meta.get_all("Classifier") or [])
    assert {f"Programming Language :: Python :: {v}" for v in SUPPORTED_PYTHONS} <= classifiers
    assert "Typing :: Typed" in classifiers
    assert set(meta.get_all("Provides-Extra") or []) >= {"hub", "test", "docs"}
    with zipfile.ZipFile(dist["wheel"]) as zf:
        (entry_points,) = [n for n in zf.namelist() if n.endswith(".dist-info/entry_points.txt")]
        assert "contacthub-like = contacthub_like.cli:main" in zf.read(entry_points).decode()
