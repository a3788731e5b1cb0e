"""Identity records: the people events, imports and GDPR jobs refer to.

One record per person with the identity values known for them (``customerId``, ``subjectId``
...); the gateway creates one for an unknown ``customer_id``, ``login_id`` or ``subject_id``
and only looks ``datahub_id`` up (it is the record's own id), as CI360 documents.
"""

from __future__ import annotations

import uuid
from typing import Any

from .objects import iso, now
from .state import CI360State

KIND = "identity"

#: identity type (events and customer jobs) -> field of the record ("id" is the record's own id)
TYPE_FIELDS: dict[str, str] = {
    "customer_id": "customerId",
    "subject_id": "subjectId",
    "login_id": "loginId",
    "datahub_id": "id",
    "visitor_id": "visitorId",
    "device_id": "deviceId",
    "email_id": "emailId",
    "identity_id": "id",
}
#: the query filters of GET /marketingData/identityRecords -> field of the record
FILTER_FIELDS: dict[str, str] = {
    "emailId": "emailId",
    "customerId": "customerId",
    "deviceId": "deviceId",
    "loginId": "loginId",
    "identityId": "id",
    "subjectId": "subjectId",
    "visitorId": "visitorId",
}


def find(state: CI360State, tenant: str, field: str, value: str) -> dict[str, Any] | None:
    if field == "id":
        return state.objects.get(tenant, KIND, value)
    docs, _ = state.objects.page(
        tenant, KIND, where=[(f"json_extract(doc, '$.{field}') = ?", value)], limit=1
    )
    return docs[0] if docs else None


def ensure(state: CI360State, tenant: str, field: str, value: str) -> dict[str, Any]:
    """The record with ``field == value``, created when there is none."""
    found = find(state, tenant, field, value)
    if found is not None:
        return found
    ident = str(uuid.uuid4())
    doc = {"id": ident, field: value, "createdTimeStamp": iso(now())}
    return state.objects.insert(tenant, KIND, ident, doc)
