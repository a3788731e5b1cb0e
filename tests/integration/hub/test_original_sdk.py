"""The original ContactHub Python SDK works against the hub unchanged.

contacthub-sdk-python 0.2 is installed from the package registry into its own virtualenv and driven by
original_sdk_script.py; without the registry the test is skipped.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from seed_venv import seed_python as install_seed

pytestmark = pytest.mark.network

SCRIPT = Path(__file__).with_name("original_sdk_script.py")


@pytest.fixture(scope="session")
def sdk_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    return install_seed(tmp_path_factory, "original-sdk", ["contacthub-sdk-python==0.2"])


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
