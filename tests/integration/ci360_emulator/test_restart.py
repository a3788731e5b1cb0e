"""A server restarted on the same database finishes the work left running and honours the
signed URLs it handed out before."""

from __future__ import annotations

from pathlib import Path

import requests

from contacthub_like.sandbox.ci360 import emulator_state, seeding
from contacthub_like.sandbox.server import LocalHub

from .conftest import static_jwt, wait_for


def test_unfinished_jobs_resume_and_signed_urls_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "hub.sqlite3"
    first = LocalHub(db).start()
    try:
        seeding.seed(first.store, base_url=first.base_url, config_dir=None)
        secret, _ = seeding.ensure_tenant(first.store)
        auth = {"Authorization": f"Bearer {static_jwt(seeding.TENANT, secret)}"}
        emulator_state(first.app).job_seconds = 600  # would never finish while this server runs
        job = requests.post(
            first.base_url + "/ci360/marketingExecution/taskJobs",
            json={"taskId": seeding.TASK_ID},
            headers=auth,
            timeout=10,
        ).json()
        signed = requests.post(
            first.base_url + "/ci360/marketingData/fileTransferLocation", headers=auth, timeout=10
        ).json()["signedURL"]
    finally:
        first.stop()
    second = LocalHub(db).start()
    try:
        emulator_state(second.app).job_seconds = 0.2
        base = second.base_url + "/ci360"
        done = wait_for(
            lambda: requests.get(
                f"{base}/marketingExecution/taskJobs/{job['taskJobId']}", headers=auth, timeout=10
            ).json(),
            "executionState",
            {"Submitted", "In progress"},
        )
        assert done["executionState"] == "Success"
        moved = signed.replace(first.base_url, second.base_url)
        assert requests.put(moved, data=b"a,b\n", timeout=10).status_code == 200
    finally:
        second.stop()
