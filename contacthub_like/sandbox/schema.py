"""The hub's schemas: what a customer, an event, an invoice and an audience may hold.

Every customer is stored in the "fully populated with nulls" shape the real API
returns (every ``base`` key present, nested objects either ``null`` or complete,
lists ``[]``), because clients diff against that shape to build PATCH bodies.
Validation collects every problem with a JSON pointer instead of stopping at the first.

This module holds the customer schema and its sub-resources; the event, invoice and
audience schemas live in :mod:`.event_schema`, :mod:`.invoice_schema` and
:mod:`.audience_schema`, and every name of theirs is re-exported here.
"""

from __future__ import annotations

import functools
from typing import Any

from ..jsonmerge import apply_merge_patch
from .audience_schema import (
    AUDIENCE,
    AUDIENCE_READ_ONLY,
    AUDIENCE_SOURCES,
    AUDIENCE_STATUSES,
    UPLOAD_KEYS,
    UPLOAD_MODES,
    UPLOAD_STATUSES,
)
from .errors import field_error, pointer
from .event_schema import (
    BRING_BACK_TYPES,
    EVENT_CONTEXTS,
    EVENT_KEYS,
    EVENT_MODES,
    EVENT_TYPES,
    PASSIVE_EVENT_TYPES,
    TRACKING,
    check_event_body,
    event_mode,
)
from .invoice_schema import (
    INVOICE,
    INVOICE_LINE,
    INVOICE_READ_ONLY,
    INVOICE_STATUSES,
    INVOICE_TRANSITIONS,
    MAX_INVOICE_LINES,
    Amount,
    check_invoice_body,
    price_lines,
)
from .validation import (
    Arr,
    Bool,
    Date,
    DateTime,
    Enum,
    Errors,
    FreeObject,
    Num,
    Obj,
    Spec,
    Str,
    WholeNumber,
    _type_error,
    check_section_size,
)

# ---------------------------------------------------------------------------------------------
# Customer schema (research §2.2, §2.3)


@functools.lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    # the API's own enumeration (342 names), not whatever tz database this machine has: the API
    # refuses aliases such as 'US/Eastern' or 'UTC', and the answer must not depend on the host
    from ..services.contacthub.entities.enums import Timezone

    return frozenset(zone.value for zone in Timezone)


def _is_timezone(value: str) -> bool:
    return value in _timezones()


SCHOOL_TYPES = ("PRIMARY_SCHOOL", "SECONDARY_SCHOOL", "HIGH_SCHOOL", "COLLEGE", "OTHER")
SUBSCRIPTION_KINDS = ("DIGITAL_MESSAGE", "SERVICE", "OTHER")

EDUCATION = Obj(
    {
        "id": Str(),
        "schoolType": Enum(*SCHOOL_TYPES),
        "schoolName": Str(),
        "schoolConcentration": Str(),
        "startYear": WholeNumber(),
        "endYear": WholeNumber(),
        "isCurrent": Bool(),
    },
    required=("id",),
)
LIKE = Obj({"id": Str(), "category": Str(), "name": Str(), "createdTime": DateTime()}, required=("id",))
JOB = Obj(
    {
        "id": Str(),
        "companyIndustry": Str(),
        "companyName": Str(),
        "jobTitle": Str(),
        "startDate": Date(),
        "endDate": Date(),
        "isCurrent": Bool(),
    },
    required=("id",),
)
SUBSCRIPTION = Obj(
    {
        "id": Str(),
        "name": Str(),
        "type": Str(),
        "kind": Enum(*SUBSCRIPTION_KINDS),
        "subscribed": Bool(),
        "startDate": DateTime(),
        "endDate": DateTime(),
        "subscriberId": Str(),
        "registeredAt": DateTime(),
        "updatedAt": DateTime(),
        "preferences": Arr(Obj({"key": Str(), "value": Str()})),
    },
    required=("id",),
)

SUBRESOURCES: dict[str, Obj] = {
    "educations": EDUCATION,
    "likes": LIKE,
    "jobs": JOB,
    "subscriptions": SUBSCRIPTION,
}
SUBRESOURCE_NAMES = {
    "educations": "education",
    "likes": "like",
    "jobs": "job",
    "subscriptions": "subscription",
}

CONTACTS = Obj(
    {
        # the API's schema says format "email"; checked loosely (one @, no blanks), as validators do
        "email": Str(pattern=r"^[^@\s]+@[^@\s]+$", what="email address"),
        "fax": Str(),
        "mobilePhone": Str(),
        "phone": Str(),
        "otherContacts": Arr(
            Obj({"name": Str(), "type": Enum("MOBILE", "PHONE", "EMAIL", "FAX", "OTHER"), "value": Str()})
        ),
        "mobileDevices": Arr(
            Obj(
                {
                    "identifier": Str(),
                    "appId": Str(),
                    "name": Str(),
                    "type": Enum("IOS", "ANDROID", "WINDOWS_PHONE", "FIREOS"),
                    "notificationService": Enum("APN", "GCM", "WNS", "ADM", "SNS"),
                }
            )
        ),
    }
)
ADDRESS = Obj(
    {
        "street": Str(),
        "city": Str(),
        "country": Str(),
        "province": Str(),
        "region": Str(),
        "zip": Str(),
        "geo": Obj({"lat": Num(), "lon": Num()}),
    }
)
BASE = Obj(
    {
        "pictureUrl": Str(),
        "title": Str(),
        "prefix": Str(),
        "firstName": Str(),
        "lastName": Str(),
        "middleName": Str(),
        "gender": Str(),
        "dob": Date(),
        "locale": Str(pattern=r"^[a-z]{2}(_([a-zA-Z]{2}){1,2})?_[A-Z]{2}$", what="locale"),
        "timezone": Str(check_fn=_is_timezone, what="timezone"),
        "contacts": CONTACTS,
        "address": ADDRESS,
        "credential": Obj({"username": Str(), "password": Str()}),
        "socialProfile": Obj(
            {k: Str() for k in ("facebook", "google", "instagram", "linkedin", "qzone", "twitter")}
        ),
        "educations": Arr(EDUCATION),
        "likes": Arr(LIKE),
        "jobs": Arr(JOB),
        "subscriptions": Arr(SUBSCRIPTION),
    },
    nullable=False,
)

_LEAF = Obj({"status": Bool(), "limitation": Bool(), "objection": Bool()})
CONSENTS = Obj(
    {
        "disclaimer": Obj({"date": DateTime(), "version": Str()}),
        "marketing": Obj(
            {
                "traditional": Obj({"telephonic": _LEAF, "papery": _LEAF}),
                "automatic": Obj({k: _LEAF for k in ("sms", "email", "push", "im", "telephonic")}),
            }
        ),
        "profiling": Obj({"classic": _LEAF, "online": _LEAF}),
        "softSpam": Obj({"email": _LEAF, "papery": _LEAF}),
        "thirdPartyTransfer": Obj({"profiling": _LEAF, "marketing": _LEAF}),
    }
)
TAGS = Obj({"auto": Arr(Str()), "manual": Arr(Str())}, nullable=False)

# Keys a client may send that the server owns: accepted and ignored.
READ_ONLY_KEYS = frozenset({"id", "registeredAt", "updatedAt", "sourceInfo"})
CUSTOMER_KEYS = frozenset(
    {"nodeId", "externalId", "base", "consents", "extended", "extra", "tags", "enabled"}
)


_CUSTOMER_SECTIONS: dict[str, Spec] = {
    "base": BASE,
    "consents": CONSENTS,
    "tags": TAGS,
    "extended": FreeObject(),
}


def is_customer_path(segments: list[str]) -> bool:
    """Whether a dotted path names something a customer document holds (``extended.*`` is free-form)."""
    head, rest = segments[0], segments[1:]
    if not rest:
        return head in CUSTOMER_KEYS or head in READ_ONLY_KEYS
    spec = _CUSTOMER_SECTIONS.get(head)
    for name in rest:
        if isinstance(spec, FreeObject):
            return True
        if not isinstance(spec, Obj) or name not in spec.fields:
            return False
        spec = spec.fields[name]
    return spec is not None


def check_customer_body(body: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """Validate a POST/PUT body (or a merged PATCH result) and return the normalised editable fields."""
    for key in body:
        if key not in CUSTOMER_KEYS and key not in READ_ONLY_KEYS:
            errors.append(field_error(pointer(key), f"unknown property {key!r}", "UNKNOWN_PROPERTY"))
    for name in ("base", "extended", "extra"):
        check_section_size(name, body.get(name), errors)
    node_id = body.get("nodeId")
    if node_id is not None and not isinstance(node_id, str):
        _type_error(("nodeId",), errors, "string", node_id)
    enabled = body.get("enabled", True)
    if enabled is None:
        enabled = True
    return {
        "nodeId": node_id,
        "externalId": Str().check(body.get("externalId"), ("externalId",), errors),
        "extra": Str().check(body.get("extra"), ("extra",), errors),
        "enabled": Bool().check(enabled, ("enabled",), errors),
        "base": BASE.check(body.get("base"), ("base",), errors),
        "extended": FreeObject().check(body.get("extended"), ("extended",), errors),
        "consents": CONSENTS.check(body.get("consents"), ("consents",), errors),
        "tags": TAGS.check(body.get("tags"), ("tags",), errors),
    }


def build_customer(fields: dict[str, Any], *, id: str, registered_at: str, updated_at: str) -> dict[str, Any]:
    """Lay out a stored customer in the key order the API uses."""
    return {
        "id": id,
        "nodeId": fields["nodeId"],
        "externalId": fields["externalId"],
        "extra": fields["extra"],
        "registeredAt": registered_at,
        "updatedAt": updated_at,
        "enabled": fields["enabled"],
        "base": fields["base"],
        "extended": fields["extended"],
        "consents": fields["consents"],
        "tags": fields["tags"],
    }


#: JSON merge-patch: objects merge recursively, ``null`` removes, anything else (lists too) replaces
merge_patch = apply_merge_patch

__all__ = [
    "ADDRESS",
    "AUDIENCE",
    "AUDIENCE_READ_ONLY",
    "AUDIENCE_SOURCES",
    "AUDIENCE_STATUSES",
    "Amount",
    "BASE",
    "BRING_BACK_TYPES",
    "CONSENTS",
    "CONTACTS",
    "CUSTOMER_KEYS",
    "EDUCATION",
    "EVENT_CONTEXTS",
    "EVENT_KEYS",
    "EVENT_MODES",
    "EVENT_TYPES",
    "INVOICE",
    "INVOICE_LINE",
    "INVOICE_READ_ONLY",
    "INVOICE_STATUSES",
    "INVOICE_TRANSITIONS",
    "JOB",
    "LIKE",
    "MAX_INVOICE_LINES",
    "PASSIVE_EVENT_TYPES",
    "READ_ONLY_KEYS",
    "SCHOOL_TYPES",
    "SUBRESOURCES",
    "SUBRESOURCE_NAMES",
    "SUBSCRIPTION",
    "SUBSCRIPTION_KINDS",
    "TAGS",
    "TRACKING",
    "UPLOAD_KEYS",
    "UPLOAD_MODES",
    "UPLOAD_STATUSES",
    "build_customer",
    "check_customer_body",
    "check_event_body",
    "check_invoice_body",
    "event_mode",
    "is_customer_path",
    "merge_patch",
    "price_lines",
]
