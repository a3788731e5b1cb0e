"""marketingExecution: jobs that run for a while and end in Success or Failure."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dateutil.parser import isoparse

from contacthub_like.sandbox.ci360 import seeding

from .conftest import CI, sas_error, wait_for

EX = "/marketingExecution"
RUNNING = {"Submitted", "In progress"}


def _run(ci: CI, collection: str, id_key: str, **body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    r = ci.request(
        "POST", f"{EX}/{collection}", data=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["executionState"] in RUNNING
    job_id = created[id_key]
    done = wait_for(
        lambda: ci.request("GET", f"{EX}/{collection}/{job_id}").json(), "executionState", RUNNING
    )
    return created, done


def test_a_task_job_runs_to_success_with_an_occurrence_and_tracking_codes(ci: CI) -> None:
    created, done = _run(ci, "taskJobs", "taskJobId", taskId=seeding.TASK_ID)
    assert done["executionState"] == "Success"
    assert done["endTimeStamp"]
    occurrence_link = next(link["href"] for link in done["links"] if link["rel"] == "occurrence")
    occurrence = ci.request("GET", occurrence_link).json()
    assert (occurrence["status"], occurrence["taskId"]) == ("Success", seeding.TASK_ID)
    codes = ci.request("GET", f"{EX}/responseTrackingCodes", params={"occurrenceId": occurrence["id"]}).json()
    assert codes["count"] == 2
    one = ci.request("GET", f"{EX}/responseTrackingCodes/{codes['items'][0]['id']}").json()
    assert one["occurrenceId"] == occurrence["id"]


def test_a_job_takes_the_settable_time(ci: CI) -> None:
    saved = ci.state.job_seconds
    ci.state.job_seconds = 0.6
    try:
        created, done = _run(ci, "taskJobs", "taskJobId", taskId=seeding.TASK_ID)
    finally:
        ci.state.job_seconds = saved
    took = (isoparse(done["endTimeStamp"]) - isoparse(created["startedTimeStamp"])).total_seconds()
    assert took >= 0.55


def test_a_failing_task_ends_in_failure_with_error_code_and_message(ci: CI) -> None:
    _, done = _run(ci, "taskJobs", "taskJobId", taskName="Sandbox failing task", folderPath="/Sandbox")
    assert done["executionState"] == "Failure"
    assert isinstance(done["errorCode"], int)
    assert "channel connection" in done["message"]


def test_segment_map_jobs_by_id_and_by_name_in_a_form_body_labelled_json(ci: CI) -> None:
    _, done = _run(ci, "segmentMapJobs", "segmentMapJobId", segmentMapId=seeding.SEGMENT_MAP_ID)
    assert done["executionState"] == "Success"
    # VeloxPy hands aiohttp a dict: a form body under Content-Type application/json, None as "None"
    form = (
        "segmentMapId=None&segmentMapName=Sandbox+failing+segment+map&folderPath=None"
        "&version=1&overrideSchedule=False"
    )
    r = ci.request("POST", f"{EX}/segmentMapJobs", data=form, headers={"Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    job_id = r.json()["segmentMapJobId"]
    assert r.json()["overrideSchedule"] is False
    done = wait_for(
        lambda: ci.request("GET", f"{EX}/segmentMapJobs/{job_id}").json(), "executionState", RUNNING
    )
    assert done["executionState"] == "Failure"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "names no task"),
        ({"taskId": "no-such-task"}, "names no task"),
        ({"taskName": "Sandbox bulk task", "folderPath": "/Elsewhere"}, "no task is named"),
        ({"taskId": seeding.DRAFT_TASK_ID}, "Draft"),
        ({"taskId": seeding.TASK_ID, "version": 2}, "version"),
        ({"taskId": seeding.TASK_ID, "overrideSchedule": "maybe"}, "true or false"),
    ],
)
def test_a_job_for_a_bad_definition_is_a_400(ci: CI, body: dict[str, Any], words: str) -> None:
    sas_error(ci.request("POST", f"{EX}/taskJobs", json=body), 400, contains=words)


def test_an_unknown_job_is_a_404(ci: CI) -> None:
    sas_error(ci.request("GET", f"{EX}/taskJobs/nope"), 404)


def test_occurrences_filter_and_cap_the_limit_at_500(ci: CI) -> None:
    _run(ci, "taskJobs", "taskJobId", taskId=seeding.TASK_ID)
    page = ci.request(
        "GET", f"{EX}/occurrences", params={"taskId": seeding.TASK_ID, "status": "Success", "limit": 500}
    ).json()
    assert page["count"] >= 1 and page["limit"] == 500
    assert all(o["taskId"] == seeding.TASK_ID and o["status"] == "Success" for o in page["items"])
    sas_error(ci.request("GET", f"{EX}/occurrences", params={"limit": 501}), 400, contains="at most 500")
    sas_error(
        ci.request("GET", f"{EX}/responseTrackingCodes", params={"limit": 501}), 400, contains="at most 500"
    )
    sas_error(ci.request("GET", f"{EX}/occurrences", params={"status": "Done"}), 400, contains="status")
    sas_error(ci.request("GET", f"{EX}/occurrences", params={"from": "yesterday"}), 400, contains="date-time")


def test_occurrences_by_time_and_as_a_file(ci: CI) -> None:
    _run(ci, "taskJobs", "taskJobId", taskId=seeding.TASK_ID)
    recent = ci.request("GET", f"{EX}/occurrences", params={"startTimeFrom": "2000-01-01T00:00+00:00"}).json()
    future = ci.request("GET", f"{EX}/occurrences", params={"startTimeFrom": "2999-01-01T00:00+00:00"}).json()
    assert recent["count"] >= 1 and future["count"] == 0
    r = ci.request(
        "GET", f"{EX}/occurrences", params={"toFile": "true", "includeHeaderRow": "true", "limit": 3}
    )
    assert r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().split("\n")
    assert "status" in lines[0].split(",") and 2 <= len(lines) <= 4
