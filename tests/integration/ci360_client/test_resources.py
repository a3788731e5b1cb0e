"""Audiences with the upload flow, execution jobs, tables, imports and GDPR jobs, against the emulator."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from contacthub_like.ci360 import (
    CI360,
    Audience,
    AudienceUpload,
    CustomerJob,
    JobFailed,
    Occurrence,
    ResponseTrackingCode,
    SegmentMapJob,
    Table,
    TaskJob,
)
from contacthub_like.errors import InvalidValue, NotFound
from contacthub_like.sandbox.ci360 import seeding


def audience(ci: CI360, name: str | None = None) -> Audience:
    return Audience(
        ci,
        name=name or f"aud-{uuid.uuid4().hex[:8]}",
        identityType="customer_id",
        identityColumnName="Customer ID",
        dataItems=[
            {"columnNumber": 1, "label": "Customer ID", "dataType": "character"},
            {"columnNumber": 2, "label": "Zip Code", "dataType": "character"},
        ],
    ).post()


def test_audience_definitions_create_get_replace_patch_delete(ci: CI360) -> None:
    made = audience(ci)
    assert made.audienceId and made.dataItems[0]["label"] == "Customer ID"
    got = ci.get(Audience, made.audienceId)
    got.description = "replaced"
    assert got.put().description == "replaced"
    got.description = "patched"
    assert got.patch().description == "patched" and got.refresh().description == "patched"
    got.delete()
    with pytest.raises(NotFound):
        got.refresh()


def test_audience_lists_filter_and_page_by_links(ci: CI360) -> None:
    prefix = f"pg-{uuid.uuid4().hex[:6]}"
    made = [audience(ci, f"{prefix}-{i}").audienceId for i in range(5)]
    listed = Audience.list(ci, size=2, sortBy="modifiedTimestamp:ascending", audienceType="upload")
    seen = [a.audienceId for a in listed]
    assert [i for i in seen if i in made] == made and len(seen) == len(set(seen)) == len(listed)
    assert [a.audienceId for a in Audience.list(ci, name=f"{prefix}-3")] == [made[3]]


def test_the_upload_flow_completes_and_is_in_the_history(ci: CI360, tmp_path: Path) -> None:
    made = audience(ci)
    members = tmp_path / "members.csv"
    members.write_text("Customer ID,Zip Code\nc-1,27513\nc-2,27514\n")
    upload = made.upload(members, header_row_included=True)
    assert isinstance(upload, AudienceUpload) and upload.state == "FILE_SUBMITTED"
    done = upload.wait(timeout=20)
    assert done.state == "COMPLETE" and done.recordsProcessed == 2
    assert [h.historyId for h in made.history()] == [done.historyId]
    assert made.history_entry(done.historyId).state == "COMPLETE"


def test_a_failed_upload_raises_with_its_final_state(ci: CI360) -> None:
    made = audience(ci)
    with pytest.raises(JobFailed, match="ended FAILED: .*row 1 has 1 values") as failed:
        made.upload(b"only-one-column\n").wait(timeout=20)
    assert failed.value.state == "FAILED" and failed.value.job.historyId


def test_task_jobs_by_id_and_by_name_succeed_or_fail(ci: CI360) -> None:
    job = TaskJob(ci, taskId=seeding.TASK_ID).post()
    assert job.taskJobId and job.state in ("Submitted", "In progress")
    assert job.wait(timeout=20).state == "Success"
    failing = TaskJob(ci, taskName="Sandbox failing task", folderPath="/Sandbox").post()
    with pytest.raises(JobFailed, match="ended Failure: .*channel connection") as failed:
        failing.wait(timeout=20)
    assert failed.value.state == "Failure"
    with pytest.raises(InvalidValue, match="taskId, or taskName with folderPath"):
        TaskJob(ci, taskName="x").post()


def test_segment_map_jobs_occurrences_and_tracking_codes(ci: CI360) -> None:
    assert SegmentMapJob(ci, segmentMapId=seeding.SEGMENT_MAP_ID).post().wait(timeout=20).state == "Success"
    TaskJob(ci, taskId=seeding.TASK_ID).post().wait(timeout=20)
    runs = list(Occurrence.list(ci, size=500, taskId=seeding.TASK_ID, status="Success"))
    assert runs and all(o.taskId == seeding.TASK_ID for o in runs)
    codes = list(ResponseTrackingCode.list(ci, occurrenceId=runs[-1].id, size=1))
    assert len(codes) == 2 and ci.get(ResponseTrackingCode, codes[0].id).occurrenceId == runs[-1].id
    with pytest.raises(InvalidValue, match="at most 500"):
        Occurrence.list(ci, size=501)


def _table(ci: CI360) -> Table:
    return Table(
        ci,
        name=f"t-{uuid.uuid4().hex[:8]}",
        description="made by a test",
        type="customer",
        makeAvailableForTargeting=True,
        dataItems=[
            {"name": "customer_id", "type": "STRING", "key": True},
            {"name": "email", "type": "STRING"},
        ],
    ).post()


def test_tables_patch_both_ways_and_delete(ci: CI360) -> None:
    table = _table(ci)
    table.description = "patched"
    assert table.patch().description == "patched"
    table.description = "via post"
    assert table.patch_via_post().description == "via post"
    assert ci.get(Table, table.id).description == "via post"
    assert table.name in [t.name for t in Table.list(ci, name=table.name)]
    table.delete()
    with pytest.raises(NotFound):
        table.refresh()


def test_an_import_then_gdpr_export_and_delete(ci: CI360) -> None:
    table = _table(ci)
    key = f"cust-{uuid.uuid4().hex[:6]}"
    job = table.import_file(f"customer_id,email\n{key},a@example.com\n".encode()).wait(timeout=20)
    assert (job.state, job.recordsProcessed) == ("COMPLETED", 1)
    assert ci.identity_record("customer_id", key).customerId == key
    exported = (
        CustomerJob(
            ci,
            jobType="GDPR_EXPORT",
            identityType="customer_id",
            identityList=[key],
            outputIdentityTypes=["customer_id"],
        )
        .post()
        .wait(timeout=20)
    )
    assert exported.records == [{"customerId": key}]
    deleted: Any = CustomerJob(
        ci, jobType="GDPR_DELETE", identityType="customer_id", identityList=[key]
    ).post()
    assert deleted.wait(timeout=20).deletedCount == 1
    with pytest.raises(NotFound):
        ci.identity_record("customer_id", key)
    with pytest.raises(InvalidValue, match="identity_type must be one of"):
        ci.identity_record("shoe_size", "42")


def test_local_starts_and_seeds_the_embedded_emulator(tmp_path: Path) -> None:
    from contacthub_like.sandbox.server import start_local_hub

    db = tmp_path / "local.sqlite3"
    try:
        with CI360.local(db, timeout=10) as local:
            assert local.get(Table, seeding.TABLE_ID).name == "Sandbox customers"
        with CI360.local(db, timeout=10) as again:  # the same hub, seeded once
            assert [a.audienceId for a in Audience.list(again, name="Test Audience Definition PG1113")] == [
                seeding.AUDIENCE_ID
            ]
    finally:
        start_local_hub(db).stop()
