"""marketingAudience: audience definitions and the upload flow (temporary token only).

Upload flow: a signed URL from ``fileTransferLocation``, the CSV PUT to it, then
``PUT /audiences/{id}/data`` naming that URL, which answers a ``historyId`` at once; the
history entry moves FILE_SUBMITTED -> FILE_PROCESSING -> COMPLETE (or FAILED with a message)
off the request path, checking every row has one value per data item.
"""

from __future__ import annotations

import uuid
from typing import Any

from .auth import TEMPORARY
from .body import boolean, choice, integer, objects, read_object, text
from .endpoints import Call, Endpoint
from .errors import SasError, bad_request
from .jobs import JobFailed, Lifecycle, launch, register
from .objects import iso, now, public
from .paging import collection, start_limit
from .state import CI360State
from .uploads import file_id_of, new_signed_url, uploaded_rows

KIND = "audience"
HISTORY = "audienceHistory"
DEFINITION_MEDIA_TYPE = "application/vnd.sas.marketing.audience.definition.upload+json"
DATA_TYPES = ("character", "numerical", "date")
IDENTITY_TYPES = ("customer_id", "subject_id", "login_id", "datahub_id")
SORTS = {"modifiedTimestamp:ascending": False, "modifiedTimestamp:descending": True}
STATUS_FILTERS = ("all", "active", "inactive", "canceled_by_user", "paused_by_system", "failed")
SOURCE_FILTERS = ("all", "snowflake", "google_bigquery", "customer_defined")
TYPE_FILTERS = ("all", "upload", "clouddb")


def _data_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out, numbers = [], set()
    for position, item in enumerate(items, start=1):
        number = integer(item, "columnNumber", position, minimum=1)
        if number in numbers:
            raise bad_request(
                f"columnNumber {number} is used twice in dataItems", "number the columns 1, 2, 3 ..."
            )
        numbers.add(number)
        label = text(item, "label", required=True)
        out.append(
            {
                "columnNumber": number,
                "name": text(item, "name", default=label),
                "label": label,
                "dataType": choice(item, "dataType", DATA_TYPES, "character"),
                "usedForTracking": boolean(item, "usedForTracking", False),
            }
        )
    return sorted(out, key=lambda i: i["columnNumber"])


def _definition(body: dict[str, Any], audience_id: str) -> dict[str, Any]:
    """A validated audience document from a create/replace body (or a merged patch)."""
    given_id = text(body, "audienceId")
    if given_id is not None and given_id != audience_id:
        raise bad_request(
            f"audienceId {given_id!r} does not match the path", "send the same id or leave it out"
        )
    items = _data_items(objects(body, "dataItems", required=True) or [])
    labels = [item["label"] for item in items]
    identity_column = text(body, "identityColumnName", required=True)
    email_column = text(body, "emailColumnName")
    for field, column in (("identityColumnName", identity_column), ("emailColumnName", email_column)):
        if column is not None and column not in labels:
            raise bad_request(
                f"{field} {column!r} is not the label of a data item", f"use one of: {', '.join(labels)}"
            )
    return {
        "version": 1,
        "audienceId": audience_id,
        "name": text(body, "name", required=True),
        "description": text(body, "description", default=""),
        "source": text(body, "source", default="customer_defined"),
        "iconName": text(body, "iconName"),
        "expiration": integer(body, "expiration", minimum=0),
        "identityType": choice(body, "identityType", IDENTITY_TYPES, "customer_id"),
        "identityColumnName": identity_column,
        "emailColumnName": email_column,
        "dataItems": items,
        "status": text(body, "status", default="active"),
        "audienceType": "upload",
    }


def _check_name_free(call: Call, name: str, audience_id: str) -> None:
    if any(doc["audienceId"] != audience_id for doc in call.state.objects.by_name(call.tenant, KIND, name)):
        raise SasError(409, f"an audience named {name!r} already exists", remediation="pick another name")


def _save(call: Call, doc: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    _check_name_free(call, doc["name"], doc["audienceId"])
    stamp = iso(now())
    doc["createdTimeStamp"] = previous["createdTimeStamp"] if previous else stamp
    doc["modifiedTimeStamp"] = stamp
    if previous is None:
        call.state.objects.insert(call.tenant, KIND, doc["audienceId"], doc, name=doc["name"])
    else:
        call.state.objects.update(KIND, doc["audienceId"], doc, name=doc["name"])
    return _out(call, doc)


def _out(call: Call, doc: dict[str, Any]) -> dict[str, Any]:
    uri = f"/marketingAudience/audiences/{doc['audienceId']}"
    return {**public(doc), "links": [call.link("self", uri), call.link("history", uri + "/history")]}


async def create(call: Call) -> dict[str, Any]:
    body = await read_object(call.request)
    audience_id = text(body, "audienceId") or str(uuid.uuid4())
    if call.state.objects.get(call.tenant, KIND, audience_id) is not None:
        raise SasError(409, f"audience {audience_id!r} already exists", remediation="leave audienceId out")
    return _save(call, _definition(body, audience_id), None)


async def list_(call: Call) -> dict[str, Any]:
    q = call.request.query_params
    start, limit = start_limit(call.request)
    sort = choice(dict(q), "sortBy", tuple(SORTS), "modifiedTimestamp:descending")
    where: list[tuple[str, Any]] = []
    for key, field, allowed in (
        ("status", "status", STATUS_FILTERS),
        ("source", "source", SOURCE_FILTERS),
        ("audienceType", "audienceType", TYPE_FILTERS),
    ):
        wanted = choice(dict(q), key, allowed, "all")
        if wanted != "all":
            where.append((f"json_extract(doc, '$.{field}') = ?", wanted))
    if q.get("name"):
        where.append(("name = ?", q["name"]))
    docs, total = call.state.objects.page(
        call.tenant,
        KIND,
        where=where,
        order="modified_at",
        descending=SORTS[sort or ""],
        start=start,
        limit=limit,
    )
    return collection(call.request, [_out(call, d) for d in docs], total, start, limit)


async def get(call: Call) -> dict[str, Any]:
    return _out(call, call.state.objects.require(call.tenant, KIND, call.path("audienceId"), "audience"))


async def replace(call: Call) -> dict[str, Any]:
    previous = call.state.objects.require(call.tenant, KIND, call.path("audienceId"), "audience")
    body = await read_object(call.request)
    return _save(call, _definition(body, previous["audienceId"]), previous)


async def patch(call: Call) -> dict[str, Any]:
    previous = call.state.objects.require(call.tenant, KIND, call.path("audienceId"), "audience")
    body = await read_object(call.request)
    merged = {**public(previous), **{k: v for k, v in body.items() if v is not None}}
    return _save(call, _definition(merged, previous["audienceId"]), previous)


async def delete(call: Call) -> None:
    if not call.state.objects.delete(call.tenant, KIND, call.path("audienceId")):
        raise SasError(404, f"audience {call.path('audienceId')!r} was not found", remediation="check the id")


async def file_location(call: Call) -> dict[str, Any]:
    await read_object(call.request, required=False)
    return {"signedURL": new_signed_url(call.state, call.request, call.tenant, "audience")}


def _finish_upload(state: CI360State, tenant: str, doc: dict[str, Any]) -> dict[str, Any]:
    audience = state.objects.get(tenant, KIND, doc["audienceId"])
    if audience is None:
        raise JobFailed("the audience was deleted before its data was processed")
    rows = uploaded_rows(state, doc["_fileId"], header_row=bool(doc.get("headerRowIncluded")))
    if not rows:
        raise JobFailed("the file has no data rows")
    width = len(audience["dataItems"])
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise JobFailed(f"row {number} has {len(row)} values; the audience has {width} data items")
    doc["recordsProcessed"] = len(rows)
    audience["rowCount"] = len(rows)
    audience["lastUploadTimeStamp"] = iso(now())
    state.objects.update(KIND, audience["audienceId"], audience)
    return doc


UPLOAD = register(
    Lifecycle(
        HISTORY,
        "status",
        ("FILE_SUBMITTED", "FILE_PROCESSING"),
        "COMPLETE",
        "FAILED",
        _finish_upload,
        message_field="errorMessage",
    )
)


async def upload_data(call: Call) -> Any:
    audience = call.state.objects.require(call.tenant, KIND, call.path("audienceId"), "audience")
    body = await read_object(call.request)
    given_id = text(body, "audienceId")
    if given_id is not None and given_id != audience["audienceId"]:
        raise bad_request(
            f"audienceId {given_id!r} does not match the path", "send the same id or leave it out"
        )
    location = text(body, "fileLocation", required=True)
    assert location is not None
    history_id = str(uuid.uuid4())
    doc = {
        "historyId": history_id,
        "audienceId": audience["audienceId"],
        "name": text(body, "name", default=audience["name"]),
        "fileLocation": location,
        "headerRowIncluded": boolean(body, "headerRowIncluded", False),
        "ignoreDotConversion": boolean(body, "ignoreDotConversion", False),
        "createdTimeStamp": iso(now()),
        "_fileId": file_id_of(call.state, call.tenant, location),
    }
    launch(call.state, UPLOAD, call.tenant, history_id, doc, parent=audience["audienceId"])
    return {"historyId": history_id, "audienceId": audience["audienceId"], "status": doc["status"]}


async def history(call: Call) -> dict[str, Any]:
    audience_id = call.state.objects.require(call.tenant, KIND, call.path("audienceId"), "audience")[
        "audienceId"
    ]
    start, limit = start_limit(call.request)
    docs, total = call.state.objects.page(
        call.tenant, HISTORY, where=[("parent = ?", audience_id)], descending=True, start=start, limit=limit
    )
    return collection(call.request, [public(d) for d in docs], total, start, limit)


async def history_entry(call: Call) -> dict[str, Any]:
    doc = call.state.objects.require(call.tenant, HISTORY, call.path("historyId"), "upload history entry")
    if doc["audienceId"] != call.path("audienceId"):
        raise SasError(404, "the history entry belongs to another audience", remediation="check both ids")
    return public(doc)


_A = "/marketingAudience/audiences"
ENDPOINTS = (
    Endpoint(
        "GET",
        _A,
        list_,
        TEMPORARY,
        200,
        "Audiences, paged",
        query=("sortBy", "start", "limit", "status", "source", "audienceType", "name"),
    ),
    Endpoint("POST", _A, create, TEMPORARY, 201, "Create an audience definition with dataItems", body=True),
    Endpoint(
        "POST", _A + "/fileTransferLocation", file_location, TEMPORARY, 201, "A signed URL to PUT a CSV to"
    ),
    Endpoint("GET", _A + "/{audienceId}", get, TEMPORARY, 200, "One audience"),
    Endpoint(
        "PUT", _A + "/{audienceId}", replace, TEMPORARY, 200, "Replace an audience definition", body=True
    ),
    Endpoint(
        "PATCH", _A + "/{audienceId}", patch, TEMPORARY, 200, "Change some fields of an audience", body=True
    ),
    Endpoint("DELETE", _A + "/{audienceId}", delete, TEMPORARY, 204, "Delete an audience"),
    Endpoint(
        "PUT",
        _A + "/{audienceId}/data",
        upload_data,
        TEMPORARY,
        202,
        "Load the CSV at fileLocation into the audience; answers a historyId",
        body=True,
    ),
    Endpoint(
        "GET",
        _A + "/{audienceId}/history",
        history,
        TEMPORARY,
        200,
        "Upload history, paged",
        query=("start", "limit"),
    ),
    Endpoint(
        "GET",
        _A + "/{audienceId}/history/{historyId}",
        history_entry,
        TEMPORARY,
        200,
        "One upload's state: FILE_SUBMITTED, FILE_PROCESSING, COMPLETE or FAILED",
    ),
)
