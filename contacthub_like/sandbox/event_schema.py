"""The hub's event schema (research §3): the event types, contexts and modes, and what a PostEvent may hold.

Validation collects every problem with a JSON pointer instead of stopping at the first.
Every name here is also importable from :mod:`.schema`, the hub's schemas in one place.
"""

from __future__ import annotations

from typing import Any

from .errors import field_error, pointer
from .validation import (
    DateTime,
    Enum,
    Errors,
    FreeObject,
    Obj,
    Str,
    _type_error,
    check_section_size,
)

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
    """The mode the hub records for a type: passive when the customer received rather than acted."""
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
    check_section_size("properties", properties, errors)
    check_section_size("contextInfo", context_info, errors)
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
