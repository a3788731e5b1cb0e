"""v3 customers and orders: list (``filter.*``, page tokens), get, create, and ``:cancel`` on orders."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..context import json_response
from ..emulators import EmulatorContext
from .body import read_body
from .customers import COLUMNS, V3_FILTERS, default_user, insert_customer, v3_json
from .dateranges import now_rfc3339
from .errors import FAILED_PRECONDITION, IonError, invalid, not_found
from .v3common import account_of, customer_id_of, load_docs, page_answer, prefixed_filters, same

ORDER_STATUSES = (
    "ON_HOLD",
    "PENDING",
    "PROCESSING",
    "COMPLETED",
    "PARTIALLY_COMPLETED",
    "FAILED",
    "CANCELLED",
)
CANCELLABLE = ("ON_HOLD", "PENDING", "PROCESSING")
CREATE_FIELDS = (
    "customerOrganization",
    "customerName",
    "customerEmail",
    "customerTitle",
    "customerPhone",
    "customerAddress",
    "languageCode",
    "customerDomain",
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2}(-[A-Za-z]{2})?$")


def _create_values(body: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(body) - set(CREATE_FIELDS))
    if unknown:
        raise invalid(unknown[0], f"unknown field; a customer takes {', '.join(CREATE_FIELDS)}")
    for field in CREATE_FIELDS:
        if field != "customerAddress" and not isinstance(body.get(field, ""), str):
            raise invalid(field, "must be a string")
    name, email = body.get("customerName", "").strip(), body.get("customerEmail", "").strip()
    if not name:
        raise invalid("customerName", "required: the customer's contact name")
    if not _EMAIL.match(email):
        raise invalid("customerEmail", f"required: an email address such as ann@example.com, not {email!r}")
    language = body.get("languageCode", "EN") or "EN"
    if not _LANGUAGE.match(language):
        raise invalid("languageCode", f"{language!r} is not a language code such as EN")
    address = body.get("customerAddress", {})
    if not isinstance(address, dict) or not all(isinstance(v, str) for v in address.values()):
        raise invalid("customerAddress", "must be an object of strings (street, city, state, zip, country)")
    return {"name": name, "email": email, "language": language.upper(), "address": address}


def routes(context: EmulatorContext) -> list[Route]:
    store = context.store
    base = "/api/v3/accounts/{account_id}"

    def customer_row(account: str, customer_id: int) -> Any:
        row = store.one(
            f"SELECT {COLUMNS} FROM streamone_customers WHERE id = ? AND account_id = ?",
            (customer_id, account),
        )
        if row is None:
            raise not_found(f"customer accounts/{account}/customers/{customer_id}")
        return row

    async def list_customers(request: Request) -> Response:
        account = account_of(store, request)
        filters = prefixed_filters(request, "filter.", V3_FILTERS)
        where = "".join(f" AND {V3_FILTERS[name]} = ? COLLATE NOCASE" for name in filters)
        rows = store.all(
            f"SELECT {COLUMNS} FROM streamone_customers WHERE account_id = ?{where} ORDER BY id",
            [account, *filters.values()],
        )
        docs = [v3_json(row) for row in rows]
        return json_response(page_answer(request, docs, "customers"))

    async def get_customer(request: Request) -> Response:
        account = account_of(store, request)
        return json_response(v3_json(customer_row(account, customer_id_of(request))))

    async def create_customer(request: Request) -> Response:
        account = account_of(store, request)
        body = await read_body(request)
        values = _create_values(body)
        doc = {
            "customerTitle": body.get("customerTitle", ""),
            "customerPhone": body.get("customerPhone", ""),
            "customerAddress": values["address"],
            "uid": "",
        }
        with store.transaction() as conn:
            customer_id = insert_customer(
                conn,
                account,
                customer_id=None,
                name=values["name"],
                company=body.get("customerOrganization", "") or values["name"],
                email=values["email"],
                language_code=values["language"],
                doc=doc,
            )
            doc["uid"] = f"uid-{customer_id}"
            conn.execute(
                "UPDATE streamone_customers SET doc = ? WHERE id = ?", (json.dumps(doc), customer_id)
            )
        return json_response({**v3_json(customer_row(account, customer_id)), **default_user(values["email"])})

    def orders(request: Request, account: str, customer_id: int | None) -> list[dict[str, Any]]:
        status = request.query_params.get("status", "").strip().upper()
        if status and status not in ORDER_STATUSES:
            raise invalid(
                "status", f"{status!r} is not an order status; use one of {', '.join(ORDER_STATUSES)}"
            )
        where, params = ("customer_id = ?", [customer_id]) if customer_id is not None else ("", [])
        docs = load_docs(store, "streamone_orders", account, where, params)
        return [doc for doc in docs if not status or same(doc["status"], status)]

    async def list_account_orders(request: Request) -> Response:
        account = account_of(store, request)
        return json_response(page_answer(request, orders(request, account, None), "orders"))

    async def list_customer_orders(request: Request) -> Response:
        account = account_of(store, request)
        customer_id = customer_id_of(request)
        customer_row(account, customer_id)
        return json_response(page_answer(request, orders(request, account, customer_id), "orders"))

    def order_doc(request: Request, account: str) -> dict[str, Any]:
        customer_id, order_id = customer_id_of(request), request.path_params["order_id"]
        row = store.one(
            "SELECT doc FROM streamone_orders WHERE id = ? AND account_id = ? AND customer_id = ?",
            (order_id, account, customer_id),
        )
        if row is None:
            raise not_found(f"order accounts/{account}/customers/{customer_id}/orders/{order_id}")
        doc: dict[str, Any] = json.loads(row[0])
        return doc

    async def get_order(request: Request) -> Response:
        return json_response(order_doc(request, account_of(store, request)))

    async def cancel_order(request: Request) -> Response:
        account = account_of(store, request)
        doc = order_doc(request, account)
        if doc["status"] not in CANCELLABLE:
            raise IonError(
                400,
                f"an order in status {doc['status']} cannot be cancelled; only "
                f"{', '.join(CANCELLABLE)} orders can",
                code=FAILED_PRECONDITION,
            )
        doc.update(status="CANCELLED", statusDetail="Cancelled by the reseller", updateTime=now_rfc3339())
        store.execute(
            "UPDATE streamone_orders SET doc = ? WHERE id = ?", (json.dumps(doc), doc["name"].split("/")[-1])
        )
        return json_response(doc)

    return [
        Route(f"{base}/customers", list_customers, methods=["GET"]),
        Route(f"{base}/customers", create_customer, methods=["POST"]),
        Route(f"{base}/customers/{{customer_id}}", get_customer, methods=["GET"]),
        Route(f"{base}/orders", list_account_orders, methods=["GET"]),
        Route(f"{base}/customers/{{customer_id}}/orders", list_customer_orders, methods=["GET"]),
        Route(f"{base}/customers/{{customer_id}}/orders/{{order_id}}:cancel", cancel_order, methods=["POST"]),
        Route(f"{base}/customers/{{customer_id}}/orders/{{order_id}}", get_order, methods=["GET"]),
    ]
