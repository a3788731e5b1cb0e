"""marketingExecution: task and segment-map jobs, occurrences and response tracking codes.

A job is created (201) by id or by name (and folder) for an Active or Scheduled definition,
answers ``executionState`` ``Submitted`` then ``In progress``, and ends ``Success`` or
``Failure`` (with ``errorCode`` and ``message``) after ``state.job_seconds``.  Each job has an
occurrence that ends with it; a successful task occurrence gets response tracking codes.
Lists take ``start`` and ``limit`` (at most 500) and, with ``toFile=true``, answer a
delimited file instead of JSON.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from dateutil import parser as dateparser
from starlette.responses import Response

from .auth import STATIC
from .body import boolean, choice, integer, read_object, text
from .endpoints import Call, Endpoint
from .errors import bad_request
from .jobs import Finish, JobFailed, Lifecycle, launch, register
from .objects import iso, now, public
from .paging import collection, start_limit
from .state import CI360State

MAX_LIMIT = 500
RUNNABLE = ("Active", "Scheduled")
OCCURRENCE = "occurrence"
RTC = "responseTrackingCode"
FAILED_RUN_CODE = 2001


def _parse_time(value: str, key: str) -> float:
    try:
        return dateparser.isoparse(value).timestamp()
    except (ValueError, OverflowError):
        raise bad_request(
            f"{key} {value!r} is not a date-time", f"send {key} as yyyy-mm-ddTHH:MM+zz:zz (escape + as %2B)"
        ) from None


def _finish(kind: str) -> Finish:
    def finish(state: CI360State, tenant: str, job: dict[str, Any]) -> dict[str, Any]:
        occurrence = state.objects.get(tenant, OCCURRENCE, job["_occurrenceId"])
        definition = state.objects.get(tenant, kind, job["_definitionId"])
        failed = definition is None or bool(definition.get("_failsOnRun"))
        if occurrence is not None:
            occurrence.update(
                status="Failure" if failed else "Success", endTimeStamp=iso(now()), _endTs=now()
            )
            state.objects.update(OCCURRENCE, occurrence["id"], occurrence)
        if failed:
            job["errorCode"] = FAILED_RUN_CODE
            reason = "the definition was deleted" if definition is None else definition.get("_failsOnRun")
            raise JobFailed(f"the {kind} run failed: {reason}")
        if kind == "task" and occurrence is not None:
            for _ in range(2):
                code_id = str(uuid.uuid4())
                state.objects.insert(
                    tenant,
                    RTC,
                    code_id,
                    {
                        "id": code_id,
                        "responseTrackingCode": secrets.token_hex(4).upper(),
                        "taskId": job["taskId"],
                        "occurrenceId": occurrence["id"],
                        "taskVersionId": definition.get("taskVersionId") if definition else None,
                        "createdTimeStamp": iso(now()),
                        "_ts": now(),
                    },
                    parent=occurrence["id"],
                )
        return job

    return finish


def _lifecycle(kind: str, job_kind: str) -> Lifecycle:
    return register(
        Lifecycle(
            job_kind, "executionState", ("Submitted", "In progress"), "Success", "Failure", _finish(kind)
        )
    )


TASK_JOBS = _lifecycle("task", "taskJob")
SEGMENT_MAP_JOBS = _lifecycle("segmentMap", "segmentMapJob")


def _definition(call: Call, body: dict[str, Any], kind: str, id_key: str, name_key: str) -> dict[str, Any]:
    ident, name, folder = text(body, id_key), text(body, name_key), text(body, "folderPath")
    if ident is not None:
        found = call.state.objects.get(call.tenant, kind, ident)
        if found is None:
            raise bad_request(f"{id_key} {ident!r} names no {kind}", f"send the id of an existing {kind}")
    elif name is not None:
        matches = [
            d
            for d in call.state.objects.by_name(call.tenant, kind, name)
            if folder is None or d.get("folderPath") == folder
        ]
        if not matches:
            where = f" in folder {folder!r}" if folder else ""
            raise bad_request(f"no {kind} is named {name!r}{where}", f"check {name_key} and folderPath")
        if len(matches) > 1:
            folders = ", ".join(sorted(str(d.get("folderPath")) for d in matches))
            raise bad_request(
                f"{len(matches)} {kind}s are named {name!r} (folders {folders})", "send folderPath too"
            )
        found = matches[0]
    else:
        raise bad_request(f"the body names no {kind}", f"send {id_key}, or {name_key} (and folderPath)")
    if found.get("status") not in RUNNABLE:
        raise bad_request(
            f"{kind} {found['id']!r} is {found.get('status')}; only Active or Scheduled ones run",
            f"activate the {kind} first",
        )
    return found


def _job_out(call: Call, job: dict[str, Any], id_key: str, collection_uri: str) -> dict[str, Any]:
    return {
        **public(job),
        "links": [
            call.link("self", f"{collection_uri}/{job[id_key]}"),
            call.link("occurrence", f"/marketingExecution/occurrences/{job['_occurrenceId']}"),
        ],
    }


def _job_routes(
    kind: str, lifecycle: Lifecycle, prefix: str, id_key: str, def_key: str, name_key: str
) -> tuple[Endpoint, Endpoint]:
    uri = f"/marketingExecution/{prefix}"

    async def create(call: Call) -> dict[str, Any]:
        body = await read_object(call.request)
        if integer(body, "version", 1) != 1:
            raise bad_request("version must be 1", "send version 1 or leave it out")
        definition = _definition(call, body, kind, def_key, name_key)
        job_id, occurrence_id, started = str(uuid.uuid4()), str(uuid.uuid4()), now()
        call.state.objects.insert(
            call.tenant,
            OCCURRENCE,
            occurrence_id,
            {
                "id": occurrence_id,
                "type": "task" if kind == "task" else "segment",
                def_key: definition["id"],
                "jobId": job_id,
                "status": "In progress",
                "startTimeStamp": iso(started),
                "endTimeStamp": None,
                "properties": {},
                "_startTs": started,
            },
            parent=definition["id"],
        )
        job = {
            "version": 1,
            def_key: definition["id"],
            id_key: job_id,
            "overrideSchedule": boolean(body, "overrideSchedule", False),
            "startedTimeStamp": iso(started),
            "_occurrenceId": occurrence_id,
            "_definitionId": definition["id"],
        }
        launch(call.state, lifecycle, call.tenant, job_id, job, parent=definition["id"])
        return _job_out(call, job, id_key, uri)

    async def get(call: Call) -> dict[str, Any]:
        job = call.state.objects.require(call.tenant, lifecycle.kind, call.path(id_key), lifecycle.kind)
        return _job_out(call, job, id_key, uri)

    return (
        Endpoint(
            "POST",
            uri,
            create,
            STATIC,
            201,
            f"Run a {kind} now: by {def_key}, or {name_key} and folderPath",
            body=True,
        ),
        Endpoint(
            "GET",
            uri + "/{" + id_key + "}",
            get,
            STATIC,
            200,
            "A job; executionState Submitted, In progress, then Success or Failure",
        ),
    )


def _as_file(call: Call, items: list[dict[str, Any]]) -> Response:
    q = dict(call.request.query_params)
    delimiter = "\x01" if choice(q, "delimiter", ("comma", "ctrlA"), "comma") == "ctrlA" else ","
    columns = sorted({k for item in items for k, v in item.items() if not isinstance(v, (dict, list))})
    lines = [delimiter.join(columns)] if boolean(q, "includeHeaderRow", False) else []
    lines += [
        delimiter.join("" if item.get(c) is None else str(item.get(c)) for c in columns) for item in items
    ]
    return Response("\n".join(lines) + "\n", media_type="text/csv")


def _listing(kind: str, filters: dict[str, str], time_filters: dict[str, tuple[str, str]]) -> Any:
    async def handler(call: Call) -> Any:
        q = dict(call.request.query_params)
        start, limit = start_limit(call.request, max_limit=MAX_LIMIT)
        where: list[tuple[str, Any]] = []
        for key, field in filters.items():
            if q.get(key):
                where.append((f"json_extract(doc, '$.{field}') = ?", q[key]))
        for key, (field, op) in time_filters.items():
            if q.get(key):
                where.append((f"json_extract(doc, '$.{field}') {op} ?", _parse_time(q[key], key)))
        docs, total = call.state.objects.page(
            call.tenant, kind, where=where, descending=True, start=start, limit=limit
        )
        items = [public(d) for d in docs]
        if boolean(q, "toFile", False):
            return _as_file(call, items)
        return collection(call.request, items, total, start, limit)

    return handler


async def occurrence(call: Call) -> dict[str, Any]:
    return public(
        call.state.objects.require(call.tenant, OCCURRENCE, call.path("occurrenceId"), "occurrence")
    )


async def tracking_code(call: Call) -> dict[str, Any]:
    ident = call.path("responseTrackingCodeId")
    return public(call.state.objects.require(call.tenant, RTC, ident, "response tracking code"))


async def _validated_occurrences(call: Call) -> Any:
    q = dict(call.request.query_params)
    choice(q, "type", ("task", "segment"))
    choice(q, "status", ("Success", "Failure", "In progress"))
    return await _occurrences(call)


_occurrences = _listing(
    OCCURRENCE,
    {"taskId": "taskId", "segmentMapId": "segmentMapId", "type": "type", "status": "status"},
    {
        "from": ("_endTs", ">="),
        "to": ("_endTs", "<="),
        "startTimeFrom": ("_startTs", ">="),
        "startTimeTo": ("_startTs", "<="),
    },
)
_FILE_QUERY = ("start", "limit", "toFile", "delimiter", "includeHeaderRow")
_FILE_ANSWERS = ("application/json", "text/csv")

ENDPOINTS = (
    *_job_routes("task", TASK_JOBS, "taskJobs", "taskJobId", "taskId", "taskName"),
    *_job_routes(
        "segmentMap", SEGMENT_MAP_JOBS, "segmentMapJobs", "segmentMapJobId", "segmentMapId", "segmentMapName"
    ),
    Endpoint(
        "GET",
        "/marketingExecution/occurrences",
        _validated_occurrences,
        STATIC,
        200,
        "Execution occurrences",
        query=(
            "taskId",
            "segmentMapId",
            "type",
            "status",
            "from",
            "to",
            "startTimeFrom",
            "startTimeTo",
            *_FILE_QUERY,
        ),
        answers=_FILE_ANSWERS,
    ),
    Endpoint(
        "GET", "/marketingExecution/occurrences/{occurrenceId}", occurrence, STATIC, 200, "One occurrence"
    ),
    Endpoint(
        "GET",
        "/marketingExecution/responseTrackingCodes",
        _listing(
            RTC,
            {"taskId": "taskId", "occurrenceId": "occurrenceId", "taskVersionId": "taskVersionId"},
            {"from": ("_ts", ">="), "to": ("_ts", "<=")},
        ),
        STATIC,
        200,
        "Response tracking codes",
        query=("taskId", "occurrenceId", "taskVersionId", "from", "to", *_FILE_QUERY),
        answers=_FILE_ANSWERS,
    ),
    Endpoint(
        "GET",
        "/marketingExecution/responseTrackingCodes/{responseTrackingCodeId}",
        tracking_code,
        STATIC,
        200,
        "One response tracking code",
    ),
)
