"""marketingData: tables, signed file locations, import request jobs, GDPR customer jobs and
identity records (static JWT).

Tables are changed with ``PATCH`` or with ``POST ?_method=PATCH`` (the API requires
``_method`` to be exactly ``PATCH``).  An import reads the CSV uploaded to its signed
``fileLocation`` off the request path; rows of a customer table become identity records
keyed by the table's key column, which ``identityRecords`` finds and GDPR jobs delete or export.
"""

from __future__ import annotations

import uuid
from typing import Any

from . import identities
from .auth import STATIC
from .body import boolean, choice, integer, objects, read_object, strings, text
from .endpoints import Call, Endpoint
from .errors import SasError, bad_request
from .jobs import JobFailed, Lifecycle, launch, register
from .objects import iso, now, public
from .paging import collection, start_limit
from .state import CI360State
from .uploads import file_id_of, new_signed_url, uploaded_rows

TABLE = "table"
TABLE_TYPES = ("customer", "deleteList", "identity", "importedList", "transient", "transientDeviceIdList")
ITEM_TYPES = ("STRING", "INT", "DOUBLE", "TIMESTAMP")
JOB_TYPES = ("GDPR_DELETE", "GDPR_EXPORT")
RUNNING = ("PENDING", "RUNNING")
_ITEM_FLAGS = ("key", "identity", "excludeFromAnalytics", "segmentation", "availableForTargeting")


def _item(raw: dict[str, Any]) -> dict[str, Any]:
    name = text(raw, "name", required=True)
    item: dict[str, Any] = {
        "name": name,
        "label": text(raw, "label", default=name),
        "description": text(raw, "description", default=""),
        "type": choice(raw, "type", ITEM_TYPES, "STRING"),
        "identityType": text(raw, "identityType"),
        "tags": strings(raw, "tags") or [],
    }
    for flag in _ITEM_FLAGS:
        item[flag] = boolean(raw, flag, False)
    return item


def _table(body: dict[str, Any], table_id: str) -> dict[str, Any]:
    items = [_item(raw) for raw in objects(body, "dataItems", required=True) or []]
    names = [i["name"] for i in items]
    if len(set(names)) != len(names):
        raise bad_request("two dataItems have the same name", "give every data item its own name")
    kind = choice(body, "type", TABLE_TYPES, "customer")
    if kind == "customer" and sum(i["key"] for i in items) != 1:
        raise bad_request(
            "a customer table needs exactly one data item with key: true", "mark the key column"
        )
    custom = body.get("customProperties") or {}
    if not isinstance(custom, dict):
        raise bad_request("customProperties must be an object", 'send customProperties as {"name": "value"}')
    return {
        "version": 1,
        "id": table_id,
        "name": text(body, "name", required=True),
        "description": text(body, "description", default=""),
        "type": kind,
        "makeAvailableForTargeting": boolean(body, "makeAvailableForTargeting", False),
        "customProperties": custom,
        "dataItems": items,
    }


def _table_out(call: Call, doc: dict[str, Any]) -> dict[str, Any]:
    return {
        **public(doc),
        "links": [
            call.link("self", f"/marketingData/tables/{doc['id']}", "application/vnd.sas.marketing.table")
        ],
    }


def _save_table(call: Call, doc: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    if any(d["id"] != doc["id"] for d in call.state.objects.by_name(call.tenant, TABLE, doc["name"])):
        raise SasError(409, f"a table named {doc['name']!r} already exists", remediation="pick another name")
    stamp = iso(now())
    doc.update(
        createdTimeStamp=previous["createdTimeStamp"] if previous else stamp,
        modifiedTimeStamp=stamp,
        createdBy="api",
        modifiedBy="api",
        rowCount=previous.get("rowCount", 0) if previous else 0,
    )
    if previous and "_files" in previous:  # a change of definition keeps the imported rows
        doc["_files"] = previous["_files"]
    if previous is None:
        call.state.objects.insert(call.tenant, TABLE, doc["id"], doc, name=doc["name"])
    else:
        call.state.objects.update(TABLE, doc["id"], doc, name=doc["name"])
    return _table_out(call, doc)


async def create_table(call: Call) -> dict[str, Any]:
    return _save_table(call, _table(await read_object(call.request), str(uuid.uuid4())), None)


async def list_tables(call: Call) -> dict[str, Any]:
    q = dict(call.request.query_params)
    start, limit = start_limit(call.request)
    where: list[tuple[str, Any]] = []
    if q.get("name"):
        where.append(("name = ?", q["name"]))
    wanted = choice(q, "type", TABLE_TYPES) or choice(q, "dataType", TABLE_TYPES)
    if wanted:
        where.append(("json_extract(doc, '$.type') = ?", wanted))
    docs, total = call.state.objects.page(call.tenant, TABLE, where=where, start=start, limit=limit)
    return collection(call.request, [_table_out(call, d) for d in docs], total, start, limit)


async def get_table(call: Call) -> dict[str, Any]:
    return _table_out(call, call.state.objects.require(call.tenant, TABLE, call.path("tableId"), "table"))


async def patch_table(call: Call) -> dict[str, Any]:
    previous = call.state.objects.require(call.tenant, TABLE, call.path("tableId"), "table")
    body = await read_object(call.request)
    # VeloxPy sends every field, empty ones as "" / None / []: only the given ones change
    given = {k: v for k, v in body.items() if v not in (None, "", [])}
    return _save_table(call, _table({**public(previous), **given}, previous["id"]), previous)


async def post_table(call: Call) -> dict[str, Any]:
    method = call.request.query_params.get("_method")
    if method != "PATCH":
        raise bad_request(
            f"POST on a table needs the query parameter _method=PATCH, got {method!r}",
            "send POST /marketingData/tables/{tableId}?_method=PATCH, or use PATCH",
        )
    return await patch_table(call)


async def delete_table(call: Call) -> None:
    if not call.state.objects.delete(call.tenant, TABLE, call.path("tableId")):
        raise SasError(404, f"table {call.path('tableId')!r} was not found", remediation="check the id")


async def file_location(call: Call) -> dict[str, Any]:
    await read_object(call.request, required=False)
    return {"signedURL": new_signed_url(call.state, call.request, call.tenant, "data")}


def _finish_import(state: CI360State, tenant: str, job: dict[str, Any]) -> dict[str, Any]:
    table = state.objects.get(tenant, TABLE, job["dataDescriptorId"])
    if table is None:
        raise JobFailed("the table was deleted before the import ran")
    rows = uploaded_rows(state, job["_fileId"], header_row=job["headerRowIncluded"], limit=job["recordLimit"])
    width = len(table["dataItems"])
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise JobFailed(f"row {number} has {len(row)} values; the table has {width} data items")
    keys = [i for i, item in enumerate(table["dataItems"]) if item["key"]]
    if table["type"] == "customer" and keys:
        for row in rows:
            if row[keys[0]]:
                identities.ensure(state, tenant, "customerId", row[keys[0]])
    # the table's rows are the files imported into it (read again by a TABLE_DOWNLOAD job)
    source = [job["_fileId"], job["headerRowIncluded"], job["recordLimit"]]
    replace = job["updateMode"] == "replace"
    table["_files"] = [source] if replace else [*table.get("_files", []), source]
    table["rowCount"] = len(rows) if replace else table.get("rowCount", 0) + len(rows)
    state.objects.update(TABLE, table["id"], table)
    job["recordsProcessed"] = len(rows)
    return job


def _finish_customer_job(state: CI360State, tenant: str, job: dict[str, Any]) -> dict[str, Any]:
    field = identities.TYPE_FIELDS[job["identityType"]]
    found = [r for r in (identities.find(state, tenant, field, v) for v in job["identityList"]) if r]
    if job["jobType"] == "GDPR_DELETE":
        for record in found:
            state.objects.delete(tenant, identities.KIND, record["id"])
        job["deletedCount"] = len(found)
    else:
        wanted = [identities.TYPE_FIELDS[t] for t in job.get("outputIdentityTypes") or []] or None
        job["records"] = [{k: v for k, v in r.items() if wanted is None or k in wanted} for r in found]
    return job


IMPORTS = register(Lifecycle("importRequestJob", "status", RUNNING, "COMPLETED", "FAILED", _finish_import))
CUSTOMER_JOBS = register(
    Lifecycle("customerJob", "status", RUNNING, "COMPLETED", "FAILED", _finish_customer_job)
)


async def create_import(call: Call) -> dict[str, Any]:
    body = await read_object(call.request)
    table_id = text(body, "dataDescriptorId", required=True)
    assert table_id is not None
    if call.state.objects.get(call.tenant, TABLE, table_id) is None:
        raise bad_request(f"dataDescriptorId {table_id!r} names no table", "send the id of an existing table")
    if text(body, "fieldDelimiter", default=",") != ",":
        raise bad_request("only a comma is supported as fieldDelimiter", 'send fieldDelimiter ","')
    if (text(body, "fileType", default="CSV") or "").upper() != "CSV":
        raise bad_request("only CSV files can be imported", 'send fileType "CSV"')
    location = text(body, "fileLocation", required=True)
    assert location is not None
    job_id = str(uuid.uuid4())
    job = {
        "id": job_id,
        "name": text(body, "name", required=True),
        "dataDescriptorId": table_id,
        "fieldDelimiter": ",",
        "fileLocation": location,
        "fileType": "CSV",
        "headerRowIncluded": boolean(body, "headerRowIncluded", False),
        "recordLimit": integer(body, "recordLimit", 0, minimum=0),
        "updateMode": choice(body, "updateMode", ("upsert", "replace"), "upsert"),
        "creationTimeStamp": iso(now()),
        "_fileId": file_id_of(call.state, call.tenant, location),
    }
    return public(launch(call.state, IMPORTS, call.tenant, job_id, job, parent=table_id))


async def list_imports(call: Call) -> dict[str, Any]:
    start, limit = start_limit(call.request)
    table_id = call.request.query_params.get("dataDescriptorId")
    where = [("parent = ?", table_id)] if table_id else []
    docs, total = call.state.objects.page(
        call.tenant, IMPORTS.kind, where=where, descending=True, start=start, limit=limit
    )
    return collection(call.request, [public(d) for d in docs], total, start, limit)


async def get_import(call: Call) -> dict[str, Any]:
    ident = call.path("importRequestJobId")
    return public(call.state.objects.require(call.tenant, IMPORTS.kind, ident, "import request job"))


async def create_customer_job(call: Call) -> dict[str, Any]:
    body = await read_object(call.request)
    job_type = choice(body, "jobType", JOB_TYPES, required=True)
    identity_types = tuple(t for t in identities.TYPE_FIELDS if t != "datahub_id")
    identity_type = choice(body, "identityType", identity_types, required=True)
    if identity_type == "visitor_id" and job_type == "GDPR_EXPORT":
        raise bad_request("visitor_id cannot be exported", "export by another identity type")
    output = strings(body, "outputIdentityTypes") or []
    for kind in output:
        choice({"outputIdentityTypes": kind}, "outputIdentityTypes", identity_types)
    job_id = "e-" + str(uuid.uuid4())
    job = {
        "id": job_id,
        "jobType": job_type,
        "identityType": identity_type,
        "identityList": strings(body, "identityList", required=True),
        "outputIdentityTypes": output,
        "creationTimeStamp": iso(now()),
    }
    return public(launch(call.state, CUSTOMER_JOBS, call.tenant, job_id, job))


async def get_customer_job(call: Call) -> dict[str, Any]:
    ident = call.path("customerJobId")
    return public(call.state.objects.require(call.tenant, CUSTOMER_JOBS.kind, ident, "customer job"))


async def find_identity(call: Call) -> dict[str, Any]:
    q = dict(call.request.query_params)
    given = [k for k in identities.FILTER_FIELDS if q.get(k)]
    if len(given) != 1:
        raise bad_request(
            f"send exactly one identity filter; got {', '.join(given) or 'none'}",
            f"send one of {', '.join(identities.FILTER_FIELDS)} as a query parameter",
        )
    record = identities.find(call.state, call.tenant, identities.FILTER_FIELDS[given[0]], q[given[0]])
    if record is None:
        raise SasError(
            404, f"no identity record has {given[0]} {q[given[0]]!r}", remediation="check the value"
        )
    return record


async def get_identity(call: Call) -> dict[str, Any]:
    ident = call.path("identityRecordId")
    return call.state.objects.require(call.tenant, identities.KIND, ident, "identity record")


_D = "/marketingData"
ENDPOINTS = (
    Endpoint(
        "GET",
        _D + "/tables",
        list_tables,
        STATIC,
        200,
        "Tables, paged",
        query=("start", "limit", "name", "type", "dataType"),
    ),
    Endpoint("POST", _D + "/tables", create_table, STATIC, 201, "Create a table with dataItems", body=True),
    Endpoint("GET", _D + "/tables/{tableId}", get_table, STATIC, 200, "One table"),
    Endpoint("PATCH", _D + "/tables/{tableId}", patch_table, STATIC, 200, "Change a table", body=True),
    Endpoint(
        "POST",
        _D + "/tables/{tableId}",
        post_table,
        STATIC,
        200,
        "Change a table: needs ?_method=PATCH",
        query=("_method",),
        body=True,
    ),
    Endpoint("DELETE", _D + "/tables/{tableId}", delete_table, STATIC, 204, "Delete a table"),
    Endpoint(
        "POST", _D + "/fileTransferLocation", file_location, STATIC, 201, "A signed URL to PUT a file to"
    ),
    Endpoint(
        "GET",
        _D + "/importRequestJobs",
        list_imports,
        STATIC,
        200,
        "Import request jobs, paged",
        query=("dataDescriptorId", "start", "limit"),
    ),
    Endpoint(
        "POST",
        _D + "/importRequestJobs",
        create_import,
        STATIC,
        201,
        "Import the CSV at fileLocation into a table",
        body=True,
    ),
    Endpoint(
        "GET",
        _D + "/importRequestJobs/{importRequestJobId}",
        get_import,
        STATIC,
        200,
        "One import: status PENDING, RUNNING, then COMPLETED or FAILED",
    ),
    Endpoint(
        "POST",
        _D + "/customerJobs",
        create_customer_job,
        STATIC,
        201,
        "A GDPR delete or export job",
        body=True,
    ),
    Endpoint("GET", _D + "/customerJobs/{customerJobId}", get_customer_job, STATIC, 200, "One customer job"),
    Endpoint(
        "GET",
        _D + "/identityRecords",
        find_identity,
        STATIC,
        200,
        "The identity record with one identity value",
        query=tuple(identities.FILTER_FIELDS),
    ),
    Endpoint(
        "GET", _D + "/identityRecords/{identityRecordId}", get_identity, STATIC, 200, "One identity record"
    ),
)
