"""marketingData analytic transfers: locations to upload allow or deny lists of analytic data.

``POST /analytic/transfers`` with the file's ``columns`` and a ``listType`` answers a transfer
with a signed ``signedURL`` to PUT the file to (the answer's shape is inferred: no published
example); the transfer's ``status`` reads ``WAITING_FOR_FILE`` until a file arrives, then
``RECEIVED`` with the number of rows it holds.
"""

from __future__ import annotations

import uuid
from typing import Any

from .auth import STATIC
from .body import choice, integer, objects, read_object, text
from .endpoints import Call, Endpoint
from .errors import bad_request
from .objects import iso, now, public
from .paging import collection, start_limit
from .uploads import csv_rows, file_id_of, new_signed_url, stored_file

KIND = "analyticTransfer"
#: sortBy field -> fixed SQL expression over the stored document
SORT_FIELDS = {
    "creationTimeStamp": "created_at",
    "expiryTimeStamp": "json_extract(doc, '$._expiresTs')",
    "transferType": "json_extract(doc, '$.transferType')",
}
SORTS = tuple(f"{field}:{way}" for field in SORT_FIELDS for way in ("ascending", "descending"))


def _columns(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "name": text(column, "name", required=True),
            "type": text(column, "type", default="STRING"),
            "length": integer(column, "length", minimum=1),
        }
        for column in raw
    ]


def _out(call: Call, doc: dict[str, Any]) -> dict[str, Any]:
    """The transfer with the state of its file, read when asked."""
    out = public(doc)
    raw = stored_file(call.state, doc["_fileId"])
    if raw is None:
        out["status"] = "WAITING_FOR_FILE"
    else:
        try:
            out.update(status="RECEIVED", rowCount=len(csv_rows(raw)))
        except ValueError as exc:
            out.update(status="FAILED", message=str(exc))
    out["links"] = [call.link("self", f"/marketingData/analytic/transfers/{doc['id']}")]
    return out


async def services(call: Call) -> dict[str, Any]:
    return {"version": 1, "links": [call.link("transfers", "/marketingData/analytic/transfers")]}


async def create(call: Call) -> dict[str, Any]:
    body = await read_object(call.request)
    columns = _columns(objects(body, "columns", required=True) or [])
    names = [c["name"] for c in columns]
    if len(set(names)) != len(names):
        raise bad_request("two columns have the same name", "give every column its own name")
    list_type = choice(body, "listType", ("allowlist", "denylist"), required=True)
    url = new_signed_url(call.state, call.request, call.tenant, "analytic")
    transfer_id = str(uuid.uuid4())
    expires = now() + call.state.signed_url_ttl
    doc = {
        "id": transfer_id,
        "transferType": "upload",
        "listType": list_type,
        "columns": columns,
        "creationTimeStamp": iso(now()),
        "expiryTimeStamp": iso(expires),
        "signedURL": url,
        "_expiresTs": expires,
        "_fileId": file_id_of(call.state, call.tenant, url),
    }
    call.state.objects.insert(call.tenant, KIND, transfer_id, doc)
    return _out(call, doc)


async def list_(call: Call) -> dict[str, Any]:
    start, limit = start_limit(call.request)
    sort = choice(dict(call.request.query_params), "sortBy", SORTS, "creationTimeStamp:descending") or ""
    field, way = sort.split(":")
    docs, total = call.state.objects.page(
        call.tenant, KIND, order=SORT_FIELDS[field], descending=way == "descending", start=start, limit=limit
    )
    return collection(call.request, [_out(call, d) for d in docs], total, start, limit)


async def get(call: Call) -> dict[str, Any]:
    ident = call.path("transferId")
    return _out(call, call.state.objects.require(call.tenant, KIND, ident, "analytic transfer"))


_T = "/marketingData/analytic/transfers"
ENDPOINTS = (
    Endpoint("GET", "/marketingData/analytic", services, STATIC, 200, "Links to the analytic services"),
    Endpoint("GET", _T, list_, STATIC, 200, "Analytic transfers, paged", query=("sortBy", "start", "limit")),
    Endpoint("POST", _T, create, STATIC, 201, "A signed URL to upload an allow or deny list to", body=True),
    Endpoint("GET", _T + "/{transferId}", get, STATIC, 200, "One transfer and the state of its file"),
)
