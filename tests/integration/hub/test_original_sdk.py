"""The original ContactHub Python SDK works against the hub unchanged.

contacthub-sdk-python 0.2 is installed from the package registry into its own virtualenv and driven by
original_sdk_script.py; without the registry the test is skipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.network

SCRIPT = Path(__file__).with_name("original_sdk_script.py")


@pytest.fixture(scope="session")
def sdk_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    venv = tmp_path_factory.mktemp("original-sdk") / "venv"
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120
        )
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"cannot create a virtualenv for the original SDK: {exc}")
    python = venv / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    try:
        result = subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "contacthub-sdk-python==0.2",
            ],
            capture_output=True,
            text=True,
            timeout=240,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("installing contacthub-sdk-python 0.2 timed out (offline or slow registry)")
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"cannot install contacthub-sdk-python 0.2 from the package registry (offline?): {last}")
    return str(python)


def test_original_sdk_runs_unchanged(sdk_python, hub, creds, api):
    result = subprocess.run(
        [
            sdk_python,
            str(SCRIPT),
            hub.base_url + "/workspaces",
            creds.workspace_id,
            creds.token,
            creds.node_id,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    cid = seen["created_id"]
    assert seen["query_equals"] == [cid] and seen["query_between"] == [cid]
    assert seen["query_in"] == [seen["second_id"]]
    assert sorted(seen["query_union"]) == sorted([cid, seen["second_id"]])
    assert seen["patched_first_name"] == "Marius" and seen["put_last_name"] == "Bianchi"
    assert seen["tags"] == ["sdk-tag"] and seen["forced_id"] == cid and seen["job_company"] == "ACME"
    assert seen["event_types"] == ["searched", "viewedPage"]
    # the script deleted both customers and, with them, their events
    assert api.get(f"/customers/{cid}").status_code == 404
    assert api.get("/events", params={"customerId": cid}).json()["elements"] == []
