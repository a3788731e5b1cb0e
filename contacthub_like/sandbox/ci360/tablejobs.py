"""marketingData table jobs: contact preference import and export, and table downloads.

A ``CONTACT_PREFERENCE_IMPORT`` reads the CSV at its signed ``fileLocation``; a
``CONTACT_PREFERENCE_EXPORT`` writes every imported preference row back out (with
``preference_valuesource_txt`` and ``processed_dttm`` added when
``includeSourceAndTimestamp`` is true); a ``TABLE_DOWNLOAD`` writes a table's data items as a
header row and the rows imported into it.  Results are files behind signed download URLs
(``downloadUrls``), fetched with a GET and no Authorization header, like S3's.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from .auth import STATIC
from .body import boolean, choice, read_object, text
from .endpoints import Call, Endpoint
from .errors import bad_request
from .jobs import JobFailed, Lifecycle, launch, register
from .objects import iso, now, public
from .state import CI360State
from .uploads import DOWNLOAD, file_id_of, signed_url, uploaded_rows

IMPORT, EXPORT, DOWNLOAD_TABLE = "CONTACT_PREFERENCE_IMPORT", "CONTACT_PREFERENCE_EXPORT", "TABLE_DOWNLOAD"
#: one document per tenant listing the preference files imported so far
PREFERENCES = "contactPreferences"


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _rows_of(state: CI360State, sources: list[list[Any]]) -> list[list[str]]:
    rows: list[list[str]] = []
    for file_id, header_row, limit in sources:
        rows += uploaded_rows(state, file_id, header_row=header_row, limit=limit)
    return rows


def _finish(state: CI360State, tenant: str, job: dict[str, Any]) -> dict[str, Any]:
    if job["jobType"] == IMPORT:
        rows = uploaded_rows(state, job["_fileId"], header_row=job["headerRowIncluded"])
        known = state.objects.get(tenant, PREFERENCES, tenant) or {"_files": []}
        known["_files"] = [*known["_files"], [job["_fileId"], job["headerRowIncluded"], 0]]
        state.objects.insert(tenant, PREFERENCES, tenant, known, replace=True)
        job["recordsProcessed"] = len(rows)
        return job
    if job["jobType"] == EXPORT:
        known = state.objects.get(tenant, PREFERENCES, tenant) or {"_files": []}
        rows = _rows_of(state, known["_files"])
        if job["includeSourceAndTimestamp"]:
            rows = [[*row, "API", iso(now())] for row in rows]
    else:
        table = state.objects.get(tenant, "table", job["dataDescriptorId"])
        if table is None:
            raise JobFailed("the table was deleted before it could be downloaded")
        rows = [[item["name"] for item in table["dataItems"]], *_rows_of(state, table.get("_files", []))]
    url = signed_url(state, job["_root"], tenant, DOWNLOAD, _csv(rows))
    job["downloadUrls"] = [url]
    job["recordsProcessed"] = len(rows)
    return job


TABLE_JOBS = register(Lifecycle("tableJob", "status", ("PENDING", "RUNNING"), "COMPLETED", "FAILED", _finish))


async def create(call: Call) -> dict[str, Any]:
    body = await read_object(call.request)
    job_type = choice(body, "jobType", (EXPORT, IMPORT, DOWNLOAD_TABLE), required=True)
    table_id = text(body, "dataDescriptorId")
    if job_type != EXPORT and table_id is None:
        raise bad_request(f"a {job_type} job needs dataDescriptorId", "send the id of the table")
    if table_id is not None and call.state.objects.get(call.tenant, "table", table_id) is None:
        raise bad_request(f"dataDescriptorId {table_id!r} names no table", "send the id of an existing table")
    location = text(body, "fileLocation")
    if job_type == IMPORT and location is None:
        raise bad_request(
            "an import job needs fileLocation", "PUT the CSV to a fileTransferLocation URL, send it"
        )
    if job_type != IMPORT and location is not None:
        raise bad_request(f"a {job_type} job reads no file", "leave fileLocation out")
    job_id = str(uuid.uuid4())
    job = {
        "id": job_id,
        "jobType": job_type,
        "dataDescriptorId": table_id,
        "fileLocation": location,
        "headerRowIncluded": boolean(body, "headerRowIncluded", False),
        "includeSourceAndTimestamp": boolean(body, "includeSourceAndTimestamp", False),
        "creationTimeStamp": iso(now()),
        "_fileId": None if location is None else file_id_of(call.state, call.tenant, location),
        "_root": call.root,
    }
    return public(launch(call.state, TABLE_JOBS, call.tenant, job_id, job, parent=table_id))


async def get(call: Call) -> dict[str, Any]:
    return public(
        call.state.objects.require(call.tenant, TABLE_JOBS.kind, call.path("tableJobId"), "table job")
    )


ENDPOINTS = (
    Endpoint(
        "POST",
        "/marketingData/tableJobs",
        create,
        STATIC,
        201,
        "A contact preference import or export, or a table download",
        body=True,
    ),
    Endpoint(
        "GET",
        "/marketingData/tableJobs/{tableJobId}",
        get,
        STATIC,
        200,
        "One table job: status PENDING, RUNNING, then COMPLETED (with downloadUrls) or FAILED",
    ),
)
