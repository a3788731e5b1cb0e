"""marketingGateway: single external events and bulk event files.

An event names an external event defined in the tenant (``eventName``) and exactly one
identity key (``customer_id``, ``datahub_id``, ``login_id`` or ``subject_id``); every other
key is an attribute.  A bulk file is requested with ``bulkEventsFileLocation`` (answered as
``links`` with ``rel=self``), PUT to that signed URL, and processed off the request path.
Two CSV layouts are read: a header row naming ``eventName`` and an identity column, or the
header-less ``eventName,idType,idValue,attr,value,...`` lines of VeloxPy's example file.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from . import identities
from .auth import STATIC
from .body import integer, read_object, text
from .endpoints import Call, Endpoint
from .errors import SasError, bad_request
from .jobs import JobFailed, Lifecycle, launch, register
from .objects import iso, now
from .state import CI360State
from .uploads import csv_rows, new_signed_url, stored_file

IDENTITY_KEYS = ("customer_id", "datahub_id", "login_id", "subject_id")
EVENT_DEFINITION = "eventDefinition"
BULK_PURPOSE = "bulkEvents"
MAX_REJECTS_KEPT = 100


def check_event(
    state: CI360State, tenant: str, fields: dict[str, Any]
) -> tuple[str, str, str, dict[str, Any]]:
    """``(eventName, identity key, identity value, attributes)`` of a valid event, or a 400."""
    name = text(fields, "eventName", required=True)
    assert name is not None
    if state.objects.get(tenant, EVENT_DEFINITION, name) is None:
        raise bad_request(
            f"eventName {name!r} is not an external event defined in this tenant",
            "define the external event in CI360 first, or fix the name",
        )
    present = [key for key in IDENTITY_KEYS if fields.get(key) not in (None, "")]
    if len(present) != 1:
        found = ", ".join(present) if present else "none"
        raise bad_request(
            f"an event needs exactly one identity key of {', '.join(IDENTITY_KEYS)}; found {found}",
            "send exactly one of customer_id, datahub_id, login_id, subject_id",
        )
    key = present[0]
    value = text(fields, key, required=True)
    assert value is not None
    if key == "datahub_id":
        if identities.find(state, tenant, "id", value) is None:
            raise bad_request(
                f"datahub_id {value!r} names no identity", "a datahub_id is only looked up: send a known one"
            )
    else:
        identities.ensure(state, tenant, identities.TYPE_FIELDS[key], value)
    attributes = {k: v for k, v in fields.items() if k not in ("eventName", key, "applicationId")}
    return name, key, value, attributes


def _store_event(
    state: CI360State, tenant: str, event: tuple[str, str, str, dict[str, Any]], source: str
) -> dict[str, Any]:
    name, key, value, attributes = event
    received = now()
    doc = {"eventName": name, key: value, **attributes, "receivedTimeStamp": iso(received)}
    state.store.execute(
        "INSERT INTO ci360_events"
        "(tenant, event_name, identity_type, identity_value, source, doc, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (tenant, name, key, value, source, json.dumps(doc), received),
    )
    return doc


async def post_event(call: Call) -> dict[str, Any]:
    body = await read_object(call.request)
    event = check_event(call.state, call.tenant, body)
    return _store_event(call.state, call.tenant, event, "single")


async def bulk_location(call: Call) -> dict[str, Any]:
    body = await read_object(call.request, required=False)
    application = text(body, "applicationId", default="eventGenerator")
    version = integer(body, "version", 1)
    if version != 1:
        raise bad_request(f"version {version} is not supported", "send version 1")
    url = new_signed_url(call.state, call.request, call.tenant, BULK_PURPOSE)
    link = {
        "method": "PUT",
        "rel": "self",
        "href": url,
        "uri": urlsplit(url).path,
        "type": "application/octet-stream",
    }
    return {"applicationId": application, "version": 1, "links": [link]}


def _rows_as_events(rows: list[list[str]]) -> list[dict[str, Any] | str]:
    """Each row as event fields, or as the reason it cannot be one."""
    if rows and "eventName" in [cell.strip() for cell in rows[0]]:
        header = [cell.strip() for cell in rows[0]]
        return [
            {k: v for k, v in zip(header, row, strict=False) if v != ""}
            if len(row) == len(header)
            else f"the row has {len(row)} values for {len(header)} columns"
            for row in rows[1:]
        ]
    events: list[dict[str, Any] | str] = []
    for row in rows:
        if len(row) < 3 or len(row) % 2 == 0:
            events.append("a header-less row is eventName followed by name,value pairs")
            continue
        fields: dict[str, Any] = {"eventName": row[0]}
        fields.update(zip(row[1::2], row[2::2], strict=True))
        events.append(fields)
    return events


def _finish_bulk(state: CI360State, tenant: str, doc: dict[str, Any]) -> dict[str, Any]:
    raw = stored_file(state, doc["id"])
    if raw is None:
        raise JobFailed("nothing was uploaded")
    try:
        rows = csv_rows(raw)
    except ValueError as exc:
        raise JobFailed(str(exc)) from None
    accepted = 0
    rejects: list[dict[str, Any]] = []
    for number, fields in enumerate(_rows_as_events(rows), start=1):
        try:
            if isinstance(fields, str):
                raise bad_request(fields, "")
            _store_event(state, tenant, check_event(state, tenant, fields), f"bulk:{doc['id']}")
            accepted += 1
        except SasError as exc:
            if len(rejects) < MAX_REJECTS_KEPT:
                rejects.append({"row": number, "message": exc.message})
    if accepted == 0:
        raise JobFailed("the file holds no valid event" + (f": {rejects[0]['message']}" if rejects else ""))
    doc.update(accepted=accepted, rejected=len(rejects), rejects=rejects)
    return doc


BULK_FILE = register(
    Lifecycle("bulkEventsFile", "status", ("RECEIVED", "PROCESSING"), "COMPLETE", "FAILED", _finish_bulk)
)


def on_bulk_upload(state: CI360State) -> None:
    """Process every file PUT to a bulk-events URL, off the request path."""

    def handle(tenant: str, file_id: str) -> None:
        state.objects.delete(tenant, BULK_FILE.kind, file_id)  # a second PUT to the URL replaces the first
        launch(state, BULK_FILE, tenant, file_id, {"id": file_id, "receivedTimeStamp": iso(now())})

    state.on_upload[BULK_PURPOSE] = handle


ENDPOINTS = (
    Endpoint(
        "POST",
        "/marketingGateway/events",
        post_event,
        STATIC,
        201,
        "Send one external event: eventName and exactly one identity key",
        body=True,
    ),
    Endpoint(
        "POST",
        "/marketingGateway/bulkEventsFileLocation",
        bulk_location,
        STATIC,
        201,
        "A signed URL (links[rel=self]) to PUT a CSV file of events to",
        body=True,
    ),
)
