"""The hub's schemas: what a customer, an event, an invoice and an audience may hold.

Every customer is stored in the "fully populated with nulls" shape the real API
returns (every ``base`` key present, nested objects either ``null`` or complete,
lists ``[]``), because clients diff against that shape to build PATCH bodies.
Validation collects every problem with a JSON pointer instead of stopping at the first.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from .. import money
from ..jsonmerge import apply_merge_patch
from .errors import field_error, pointer
from .validation import (
    MAX_SECTION_BYTES,
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
    _json_type,
    _type_error,
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


def _size_check(name: str, value: Any, errors: Errors) -> None:
    if value is None:
        return
    size = (
        len(value.encode("utf-8"))
        if isinstance(value, str)
        else len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    )
    if size > MAX_SECTION_BYTES:
        errors.append(field_error(pointer(name), f"{name} is larger than 64 KB ({size} bytes)", "TOO_LARGE"))


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
        _size_check(name, body.get(name), errors)
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


# ---------------------------------------------------------------------------------------------
# Events (research §3)

EVENT_TYPES = (
    "abandonedCart",
    "abandonedSession",
    "addedCompare",
    "addedProduct",
    "addedReward",
    "addedWishlist",
    "campaignBlacklisted",
    "campaignBounced",
    "campaignLinkClicked",
    "campaignMarkedSpam",
    "campaignOpened",
    "campaignOptinRequested",
    "campaignSent",
    "campaignSubscribed",
    "campaignUnsubscribed",
    "changedSetting",
    "clickedLink",
    "closedTicket",
    "completedOrder",
    "eventConfirmed",
    "eventDeclined",
    "eventEligible",
    "eventInvited",
    "eventNoShow",
    "eventNotInvited",
    "eventParticipated",
    "eventRegistered",
    "formCompiled",
    "genericActiveEvent",
    "genericPassiveEvent",
    "grantedCoupon",
    "loggedIn",
    "loggedOut",
    "openedTicket",
    "orderShipped",
    "removedCompare",
    "removedProduct",
    "removedReward",
    "removedWishlist",
    "repliedTicket",
    "reviewedProduct",
    "searched",
    "serviceSubscribed",
    "serviceUnsubscribed",
    "viewedPage",
    "viewedProduct",
    "viewedProductCategory",
)
# The customer received something rather than acted: campaign deliveries, shipments, invitations, grants.
PASSIVE_EVENT_TYPES = frozenset(
    [t for t in EVENT_TYPES if t.startswith("campaign")]
    + [
        "orderShipped",
        "genericPassiveEvent",
        "grantedCoupon",
        "eventInvited",
        "eventNotInvited",
        "eventEligible",
        "addedReward",
        "removedReward",
    ]
)
EVENT_CONTEXTS = (
    "CONTACT_CENTER",
    "WEB",
    "MOBILE",
    "ECOMMERCE",
    "RETAIL",
    "IOT",
    "SOCIAL",
    "DIGITAL_CAMPAIGN",
    "OTHER",
)
EVENT_MODES = ("ACTIVE", "PASSIVE")
BRING_BACK_TYPES = ("SESSION_ID", "EXTERNAL_ID")
EVENT_KEYS = frozenset(
    {
        "customerId",
        "bringBackProperties",
        "type",
        "context",
        "properties",
        "date",
        "contextInfo",
        "tracking",
        "id",
        "registeredAt",
        "updatedAt",
        "mode",
    }
)

TRACKING = Obj(
    {"ga": Obj({k: Str() for k in ("utm_source", "utm_medium", "utm_term", "utm_content", "utm_campaign")})}
)


def event_mode(event_type: str) -> str:
    return "PASSIVE" if event_type in PASSIVE_EVENT_TYPES else "ACTIVE"


def check_event_body(body: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """Validate a PostEvent; returns the normalised pieces (without id/customer resolution)."""
    for key in body:
        if key not in EVENT_KEYS:
            errors.append(field_error(pointer(key), f"unknown property {key!r}", "UNKNOWN_PROPERTY"))
    etype = body.get("type")
    if etype is None:
        errors.append(field_error("/type", "'type' is required", "REQUIRED"))
    else:
        Enum(*EVENT_TYPES).check(etype, ("type",), errors)
    context = body.get("context")
    if context is None:
        errors.append(field_error("/context", "'context' is required", "REQUIRED"))
    else:
        Enum(*EVENT_CONTEXTS).check(context, ("context",), errors)
    properties = body.get("properties")
    if properties is None:
        # the API requires it even for types without properties ({} then), as the SDK documentation says
        message = "'properties' is required (send {} when there are none)"
        errors.append(field_error("/properties", message, "REQUIRED"))
        properties = {}
    else:
        properties = FreeObject().check(properties, ("properties",), errors)
    context_info = body.get("contextInfo")
    context_info = {} if context_info is None else FreeObject().check(context_info, ("contextInfo",), errors)
    _size_check("properties", properties, errors)
    _size_check("contextInfo", context_info, errors)
    date = DateTime().check(body.get("date"), ("date",), errors)
    if body.get("mode") is not None:
        # accepted as the SDK documentation sends it; the type's configured mode is what filters use
        Enum(*EVENT_MODES).check(body["mode"], ("mode",), errors)
    tracking = TRACKING.check(body.get("tracking"), ("tracking",), errors)
    customer_id = body.get("customerId")
    if customer_id is not None and not isinstance(customer_id, str):
        _type_error(("customerId",), errors, "string", customer_id)
        customer_id = None
    bbp = body.get("bringBackProperties")
    if bbp is not None:
        bbp = Obj(
            {"type": Enum(*BRING_BACK_TYPES), "value": Str(), "nodeId": Str()},
            required=("type", "value", "nodeId"),
        ).check(bbp, ("bringBackProperties",), errors)
        if bbp is not None and bbp.get("value") == "":
            errors.append(field_error("/bringBackProperties/value", "must not be empty", "REQUIRED"))
    if customer_id is None and bbp is None:
        errors.append(
            field_error("/customerId", "either customerId or bringBackProperties is required", "REQUIRED")
        )
    return {
        "customerId": customer_id,
        "bringBackProperties": bbp,
        "type": etype,
        "context": context,
        "date": date,
        "properties": properties,
        "contextInfo": context_info,
        "tracking": tracking,
    }


# ---------------------------------------------------------------------------------------------
# Invoices and audiences (DESIGN §4)


class Amount(Spec):
    """A decimal amount written as a string (``"12.50"``).

    JSON numbers are refused for money: most parsers read them as binary floats, so
    ``0.1 + 0.2`` cents would already be wrong before the hub sees them.  Quantities
    (``allow_int``) may also be plain integers, which are exact.
    """

    def __init__(self, *, non_negative: bool = False, allow_int: bool = False) -> None:
        self.non_negative = non_negative
        self.allow_int = allow_int

    def check(self, value: Any, path: tuple[Any, ...], errors: Errors) -> Any:
        if value is None:
            return None
        if self.allow_int and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            expected = "a decimal string such as '3' or '2.5'" if self.allow_int else "a decimal string"
            errors.append(
                field_error(
                    pointer(*path),
                    f"expected {expected} such as '12.50', got {_json_type(value)}"
                    + (" (numbers lose cents as floats)" if isinstance(value, float) else ""),
                    "INVALID_TYPE",
                )
            )
            return None
        try:
            amount = money.parse_amount(value)
        except ValueError as exc:
            errors.append(field_error(pointer(*path), str(exc), "INVALID_FORMAT"))
            return None
        if self.non_negative and amount < 0:
            errors.append(
                field_error(pointer(*path), f"{path[-1]} must not be negative, got {value!r}", "INVALID")
            )
            return None
        return value


def _is_currency(value: str) -> bool:
    return value in money.CURRENCY_EXPONENTS


INVOICE_STATUSES = ("DRAFT", "ISSUED", "PAID", "VOID")
#: status -> statuses it may move to (VOID and PAID are final)
INVOICE_TRANSITIONS = {
    "DRAFT": frozenset({"DRAFT", "ISSUED", "VOID"}),
    "ISSUED": frozenset({"ISSUED", "PAID", "VOID"}),
    "PAID": frozenset({"PAID"}),
    "VOID": frozenset({"VOID"}),
}
INVOICE_LINE = Obj(
    {
        "id": Str(),
        "sku": Str(),
        "description": Str(),
        "quantity": Amount(non_negative=True, allow_int=True),
        "unitPrice": Amount(),
        "amount": Amount(),  # computed: whatever is sent is replaced
    },
    required=("quantity", "unitPrice"),
    nullable=False,
)
INVOICE = Obj(
    {
        "customerId": Str(),
        "number": Str(pattern=r"^\S(.{0,62}\S)?$", what="invoice number (1-64 characters, no edge spaces)"),
        "status": Enum(*INVOICE_STATUSES),
        "currency": Str(check_fn=_is_currency, what="ISO 4217 currency code (such as 'EUR')"),
        "issuedAt": DateTime(),
        "dueAt": DateTime(),
        "billingStartDate": Date(),
        "billingEndDate": Date(),
        "lines": Arr(INVOICE_LINE),
    },
    required=("customerId", "number", "currency"),
)
INVOICE_READ_ONLY = frozenset({"id", "nodeId", "total"})
MAX_INVOICE_LINES = 1000


def check_invoice_body(body: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """Validate an invoice body (POST/PUT, or a merged PATCH); computed keys are accepted and ignored."""
    fields = INVOICE.check({k: v for k, v in body.items() if k not in INVOICE_READ_ONLY}, (), errors)
    if fields["status"] is None:
        fields["status"] = "DRAFT"
    start, end = fields["billingStartDate"], fields["billingEndDate"]
    if start and end and end < start:
        errors.append(
            field_error(
                "/billingEndDate", f"billingEndDate {end} is before billingStartDate {start}", "INVALID"
            )
        )
    if len(fields["lines"]) > MAX_INVOICE_LINES:
        errors.append(
            field_error("/lines", f"an invoice holds at most {MAX_INVOICE_LINES} lines", "TOO_LARGE")
        )
    return fields


def price_lines(fields: dict[str, Any], new_id: Any) -> tuple[list[dict[str, Any]], str]:
    """Compute each line's ``amount`` (quantity x unitPrice, rounded half up to the currency's minor unit)
    and the invoice ``total`` (the sum of the rounded line amounts, as printed on paper)."""
    currency = fields["currency"]
    total = money.Decimal(0)
    lines = []
    for line in fields["lines"]:
        amount = money.quantize(money.Decimal(line["quantity"]) * money.Decimal(line["unitPrice"]), currency)
        total += amount
        lines.append({**line, "id": line["id"] or new_id(), "amount": format(amount, "f")})
    return lines, money.format_amount(total, currency)


AUDIENCE_SOURCES = ("QUERY", "UPLOAD")
AUDIENCE_STATUSES = ("ACTIVE", "INACTIVE")
AUDIENCE = Obj(
    {
        "name": Str(pattern=r"^\S(.{0,198}\S)?$", what="name (1-200 characters, no edge spaces)"),
        "description": Str(),
        "source": Enum(*AUDIENCE_SOURCES),
        "query": FreeObject(),
        "status": Enum(*AUDIENCE_STATUSES),
    },
    required=("name", "source"),
)
AUDIENCE_READ_ONLY = frozenset({"id", "nodeId", "size", "createdAt", "updatedAt"})
UPLOAD_KEYS = ("id", "externalId", "email")
UPLOAD_MODES = ("APPEND", "REPLACE")
UPLOAD_STATUSES = ("PENDING", "PROCESSING", "COMPLETED", "FAILED")
