"""v3 products: the catalog list (``filter.*``, ``language``, page tokens) and one product, whose
pricing, marketing, definition, version history and deployment blocks each drop out under its
``excludeFilter.*`` flag (the seed SDK sends them as ``True``/``False``, accepted in any case).
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..context import json_response
from ..emulators import EmulatorContext
from .body import parse_bool, parse_int
from .errors import invalid, not_found
from .v3common import Doc, account_of, load_docs, page_answer, prefixed_filters

LIST_FILTERS = (
    "name",
    "skuExternalId",
    "addonExternalId",
    "skuId",
    "addonId",
    "skuDisplayName",
    "addonDisplayName",
)
#: excludeFilter flag -> the block it removes
EXCLUDABLE = {
    "excludePricing": "pricing",
    "excludeMarketing": "marketing",
    "excludeDefinition": "definition",
    "excludeVersionHistory": "versionHistory",
    "excludeDeployment": "deployment",
}
CLIENT_ROLES = ("CLIENT_ROLE_UNSPECIFIED", "CUSTOMER", "RESELLER", "OWNER")
SUMMARY_KEYS = ("name", "id", "legacyProductId", "type", "categories", "hasPublishedVersions", "updateTime")
_LANGUAGE = re.compile(r"^[A-Za-z]{2}([-_][A-Za-z]{2})?$")


def _language(request: Request) -> None:
    language = request.query_params.get("language", "")
    if language and not _LANGUAGE.match(language):
        raise invalid("language", f"{language!r} is not a language code such as en or en-US")


def _contains(haystack: object, needle: str) -> bool:
    return needle.casefold() in str(haystack or "").casefold()


def _matches(doc: Doc, filters: dict[str, str]) -> bool:
    skus = doc.get("definition", {}).get("skus", [])
    addons = [addon for sku in skus for addon in sku.get("addons", [])]
    checks = {
        "name": lambda v: _contains(doc.get("marketing", {}).get("displayName"), v),
        "skuExternalId": lambda v: any(s.get("externalId") == v for s in skus),
        "addonExternalId": lambda v: any(a.get("externalId") == v for a in addons),
        "skuId": lambda v: any(s.get("id") == v for s in skus),
        "addonId": lambda v: any(a.get("id") == v for a in addons),
        "skuDisplayName": lambda v: any(_contains(s.get("displayName"), v) for s in skus),
        "addonDisplayName": lambda v: any(_contains(a.get("displayName"), v) for a in addons),
    }
    return all(checks[name](value) for name, value in filters.items())


def _summary(doc: Doc) -> Doc:
    out = {key: doc[key] for key in SUMMARY_KEYS if key in doc}
    out["marketing"] = {"displayName": doc.get("marketing", {}).get("displayName", "")}
    return out


def _for_role(pricing: Any, role: str) -> Any:
    """A customer sees list prices only; the product's owner also sees costs."""
    if role == "OWNER" or not isinstance(pricing, dict):
        return pricing
    return {
        **pricing,
        "prices": [{k: v for k, v in p.items() if k != "cost"} for p in pricing.get("prices", [])],
    }


def routes(context: EmulatorContext) -> list[Route]:
    store = context.store
    base = "/api/v3/accounts/{account_id}"

    async def list_products(request: Request) -> Response:
        account = account_of(store, request)
        _language(request)
        filters = prefixed_filters(request, "filter.", LIST_FILTERS)
        docs = [doc for doc in load_docs(store, "streamone_products", account) if _matches(doc, filters)]
        return json_response(page_answer(request, docs, "products", default_size=25, render=_summary))

    async def get_product(request: Request) -> Response:
        account = account_of(store, request)
        params = request.query_params
        _language(request)
        role = params.get("clientRole", "CUSTOMER").strip().upper() or "CUSTOMER"
        if role not in CLIENT_ROLES:
            raise invalid(
                "clientRole", f"{role!r} is not a client role; use one of {', '.join(CLIENT_ROLES)}"
            )
        if params.get("priceBookCustomerId"):
            parse_int("priceBookCustomerId", params["priceBookCustomerId"])
        excluded = {
            block
            for flag, block in EXCLUDABLE.items()
            if parse_bool(f"excludeFilter.{flag}", params.get(f"excludeFilter.{flag}", "false"))
        }
        row = store.one(
            "SELECT doc FROM streamone_products WHERE id = ? AND account_id = ?",
            (request.path_params["product_id"], account),
        )
        if row is None:
            raise not_found(f"product accounts/{account}/products/{request.path_params['product_id']}")
        doc: Doc = json.loads(row[0])
        version = params.get("productVersion", "")
        if version and version not in [v.get("version") for v in doc.get("versionHistory", [])]:
            raise not_found(f"version {version!r} of product {doc['id']}")
        doc["pricing"] = _for_role(doc.get("pricing"), role)
        return json_response({k: v for k, v in doc.items() if k not in excluded})

    return [
        Route(f"{base}/products", list_products, methods=["GET"]),
        Route(f"{base}/products/{{product_id}}", get_product, methods=["GET"]),
    ]
