"""StreamOne Ion's two APIs as services of the core, and a session for each.

v1 (``/api/v1``, HTTP Basic): limit/offset paging inside ``{"data": {...}}`` envelopes, the
``filter[...]`` compiler, invoices (the reseller's own at ``/invoices/myinvoices``, customers'
at ``/invoices?customerId=``), detailed-invoice files behind pre-signed URLs, invoice generation
(a form body).  v3 (``/api/v3/accounts/{a}``, OAuth2 bearer with rotating refresh tokens):
page tokens, equality filters, AIP resource names.  Errors are ``{code, message, details}``.

Every method that talks to Ion is written once, as a flow (:mod:`contacthub_like.orm.flows`), and
comes as ``name`` and ``name_async``; list methods come as ``name`` (a lazy
:class:`~contacthub_like.query.paginated.PaginatedList`) and ``name_async`` (an
:class:`~contacthub_like.query.apaginated.AsyncPaginatedList` for ``async for``).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from ...errors import InvalidType, InvalidValue, keyed_error_decoder
from ...http.files import DISK
from ...http.signed import SignedTransfers
from ...http.transport import Transport, quote_segment
from ...orm import Entity
from ...orm.flows import Call, Flow, twins
from ...query.apaginated import AsyncPaginatedList
from ...query.paginated import PaginatedList
from ...query.paging import OffsetLimit, PageTokens
from ...query.query import Query
from ...service import Service, Session, segment
from .compiler import compile_v1, compile_v3
from .entities import SUBSCRIPTION_OFFSETS, Customer, Invoice, Order, Product, Report, Subscription

__all__ = ["STREAMONE_V1", "STREAMONE_V3", "StreamOneV1", "StreamOneV3", "V1Query", "invoice_period"]

E = TypeVar("E", bound=Entity)

_ERRORS = keyed_error_decoder(message="message", code="code", details="details")

STREAMONE_V1 = Service(
    name="streamone v1",
    paging=OffsetLimit(offset_param="offset", limit_param="limit", default_limit=100, max_limit=1000),
    compile_query=compile_v1,
    decode_error=_ERRORS,
)

STREAMONE_V3 = Service(
    name="streamone v3",
    paging=PageTokens(token_param="pageToken", size_param="pageSize", next_key="nextPageToken"),
    compile_query=compile_v3,
    decode_error=_ERRORS,
)


class V1Query(Query[E]):
    """A v1 query: criteria, sort and paging of the core, plus v1's ``relations``."""

    __slots__ = ()

    def relations(self, *names: str) -> V1Query[E]:
        """Embed these related entities (``"lines"``; none at all when called with no names)."""
        for name in names:
            if not isinstance(name, str) or not name.strip() or "," in name:
                raise InvalidValue(f"a relation is a name such as 'lines' (no commas), got {name!r}")
        return self.with_options(relations=tuple(n.strip() for n in names))  # type: ignore[return-value]


def invoice_period(month: _dt.date | str | None = None, *, today: _dt.date | None = None) -> str:
    """``m-MM-YYYY`` for the month of ``month`` (a date, or already ``m-MM-YYYY``); default: last month."""
    if isinstance(month, str):
        text = month.strip()
        parts = text.split("-")
        if len(parts) == 3 and parts[0] == "m" and parts[1].isdigit() and parts[2].isdigit():
            if 1 <= int(parts[1]) <= 12 and len(parts[1]) == 2 and len(parts[2]) == 4:
                return text
        raise InvalidValue(f"period must be a date or 'm-MM-YYYY' (e.g. 'm-01-2025'), got {month!r}")
    if month is None:
        first = (today or _dt.date.today()).replace(day=1)
        month = first - _dt.timedelta(days=1)
    if not isinstance(month, _dt.date):
        raise InvalidType(f"period must be a date or 'm-MM-YYYY', got {type(month).__name__}")
    return f"m-{month.month:02d}-{month.year:04d}"


class StreamOneV1(Session):
    """The v1 API (HTTP Basic): invoices and (deprecated) customers."""

    query_class: type[Query[Any]] = V1Query

    def __init__(self, transport: Transport, transfers: SignedTransfers | None = None) -> None:
        super().__init__(STREAMONE_V1, transport, root="/api/v1")
        self.transfers: SignedTransfers = transfers or SignedTransfers()

    def list_path(self, entity_cls: type[Entity], params: Mapping[str, Any]) -> str:
        """The reseller's own invoices live at ``/invoices/myinvoices``; customers' at ``/invoices``."""
        if issubclass(entity_cls, Invoice) and "customerId" not in params:
            return self.path(entity_cls, suffix="myinvoices")
        return self.path(entity_cls)

    def customer_invoices(self, customer_id: str | int) -> V1Query[Invoice]:
        """One customer's invoices: ``GET /invoices?customerId=`` (criteria, sort and relations as usual)."""
        segment("customer id", customer_id)
        return self.query(Invoice).with_options(customer_id=customer_id)  # type: ignore[return-value]

    def _invoice_file_urls_flow(self, invoice_id: str | int) -> Flow[list[str]]:
        """The pre-signed links of a detailed invoice's files (``GET /invoices/{id}/detailed``)."""
        answer = yield from self._request_flow(Invoice, "GET", invoice_id, suffix="detailed")
        urls = self.unwrap(Invoice, answer).get("detailedInvoiceFilesUrls") or []
        if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            raise InvalidType("detailedInvoiceFilesUrls must be a list of URLs")
        return urls

    invoice_file_urls, invoice_file_urls_async = twins(_invoice_file_urls_flow)

    def _download_invoice_files_flow(
        self, invoice_id: str | int, folder: str | os.PathLike[str]
    ) -> Flow[list[Path]]:
        """Each file of the detailed invoice into ``folder``, named after its URL's last segment,
        streamed and written atomically, with no Authorization header (the URLs are pre-signed)."""
        target = Path(folder)
        if not target.is_dir():
            raise InvalidValue(f"{target} is not a folder; create it first")
        urls = yield from self._invoice_file_urls_flow(invoice_id)
        destinations = [target / _file_name(url) for url in urls]  # every name checked before any transfer
        written = []
        for url, destination in zip(urls, destinations, strict=True):
            written.append((yield Call(self.transfers, "download", url, destination)))
        return written

    download_invoice_files, download_invoice_files_async = twins(_download_invoice_files_flow)

    def _generate_invoices_flow(
        self,
        source: str,
        period: _dt.date | str | None = None,
        *,
        status: str = "open",
        customers: Iterable[str | int] = (),
        resellers: Iterable[str | int] = (),
        send_emails: bool = False,
    ) -> Flow[Any]:
        """``POST /invoices/generate``, form-encoded; ``period`` is any date of the month (default
        last month) or ``m-MM-YYYY``.  The API's answer, parsed."""
        if not isinstance(source, str) or not source.strip():
            raise InvalidValue("source must name the billing source, e.g. 'aws' or 'microsoft'")
        if not isinstance(send_emails, bool):
            raise InvalidType(f"send_emails must be a bool, got {type(send_emails).__name__}")
        form: dict[str, Any] = {"source": source.strip(), "period": invoice_period(period), "status": status}
        form["sendEmails"] = send_emails
        if customers:
            form["customers"] = ",".join(str(c) for c in customers)
        if resellers:
            form["resellers"] = ",".join(str(r) for r in resellers)
        return (
            yield from self._call_flow(
                "POST", self.path(Invoice, suffix="generate"), form=form, idempotent=False
            )
        )

    generate_invoices, generate_invoices_async = twins(_generate_invoices_flow)

    def close(self) -> None:
        self.transport.close()
        self.transfers.close()


class StreamOneV3(Session):
    """The v3 API of one account (OAuth2 bearer): customers, subscriptions, orders, products, reports."""

    def __init__(self, transport: Transport, account_id: str) -> None:
        self.account_id: str = segment("account id", account_id)
        super().__init__(STREAMONE_V3, transport, root=f"/api/v3/accounts/{quote_segment(self.account_id)}")

    def wrap(self, entity_cls: type[E], document: Any) -> E:
        """Resource names give ids: ``accounts/123/customers/4567`` is customer ``4567`` (or the
        entity's ``__id_key__`` does, a report's ``reportId``)."""
        return super().wrap(entity_cls, _with_id(entity_cls, document))

    def _request_flow(
        self, entity_cls: type[Entity], method: str, ident: Any = None, **options: Any
    ) -> Flow[Any]:
        """As the core's, with the answer's ``id`` taken from its resource name (creates, cancels)."""
        return _with_id(entity_cls, (yield from super()._request_flow(entity_cls, method, ident, **options)))

    # the entity verbs (post, post_async...) call these: both must see the override above
    request, request_async = twins(_request_flow)

    def subscriptions(
        self, *, offset_paging: bool = False, size: int | None = None, **filters: Any
    ) -> PaginatedList[Subscription]:
        """Every subscription matching the API's own ``filters`` (``customerId=``, ``startDateRange.
        relativeDateRange=``...), by page tokens, or by ``pagination.offset`` as the seed SDK pages."""
        return self.list(Subscription, **self._subscriptions_list(offset_paging, size, filters))

    def subscriptions_async(
        self, *, offset_paging: bool = False, size: int | None = None, **filters: Any
    ) -> AsyncPaginatedList[Subscription]:
        """:meth:`subscriptions` for ``async for``: the same requests, awaited."""
        return self.list_async(Subscription, **self._subscriptions_list(offset_paging, size, filters))

    @staticmethod
    def _subscriptions_list(offset_paging: bool, size: int | None, filters: dict[str, Any]) -> dict[str, Any]:
        """The list arguments both forms of :meth:`subscriptions` pass."""
        return {"params": filters, "size": size, "paging": SUBSCRIPTION_OFFSETS if offset_paging else None}

    def _customer_subscription_flow(
        self, customer_id: str | int, subscription_id: str, *, refresh: bool | None = None
    ) -> Flow[Subscription]:
        """``GET .../customers/{c}/subscriptions/{s}``; ``refresh=True`` asks Ion to update it first."""
        path = (
            f"{self.path(Customer, customer_id)}/subscriptions/{segment('subscription id', subscription_id)}"
        )
        params = None if refresh is None else {"refresh": bool(refresh)}
        return self.wrap(Subscription, (yield from self._call_flow("GET", path, params=params)))

    customer_subscription, customer_subscription_async = twins(_customer_subscription_flow)

    def customer_orders(
        self, customer_id: str | int, *, status: str | None = None, size: int | None = None
    ) -> PaginatedList[Order]:
        """One customer's orders (``GET .../customers/{c}/orders``), read lazily page by page."""
        return self.list(Order, **self._customer_orders_list(customer_id, status, size))

    def customer_orders_async(
        self, customer_id: str | int, *, status: str | None = None, size: int | None = None
    ) -> AsyncPaginatedList[Order]:
        """:meth:`customer_orders` for ``async for``: the same requests, awaited."""
        return self.list_async(Order, **self._customer_orders_list(customer_id, status, size))

    def _customer_orders_list(
        self, customer_id: str | int, status: str | None, size: int | None
    ) -> dict[str, Any]:
        """The list arguments both forms of :meth:`customer_orders` pass."""
        return {
            "params": {"status": status},
            "size": size,
            "path": f"{self.path(Customer, customer_id)}/orders",
        }

    def _cancel_order_flow(self, order: Order) -> Flow[Any]:
        """``POST .../customers/{c}/orders/{o}:cancel`` for an order read from the API; Ion's answer."""
        customer = order.customer_id
        if customer is None or not order.id:
            raise InvalidValue("cancel() needs an order read from the API (its name names the customer)")
        path = f"{self.path(Customer, customer)}/orders/{segment('order id', order.id)}:cancel"
        return (yield from self._call_flow("POST", path, body={}, idempotent=False))

    cancel_order, cancel_order_async = twins(_cancel_order_flow)

    def _product_flow(
        self,
        product_id: str,
        *,
        language: str | None = None,
        client_role: str | None = None,
        price_book_customer_id: str | None = None,
        exclude_pricing: bool = True,
        exclude_marketing: bool = True,
        exclude_definition: bool = True,
        exclude_version_history: bool = True,
        exclude_deployment: bool = True,
    ) -> Flow[Product]:
        """One product, with the blocks Ion leaves out by default asked for by ``exclude_*=False``."""
        params = {
            "language": language,
            "clientRole": client_role,
            "priceBookCustomerId": price_book_customer_id,
            "excludeFilter.excludePricing": exclude_pricing,
            "excludeFilter.excludeMarketing": exclude_marketing,
            "excludeFilter.excludeDefinition": exclude_definition,
            "excludeFilter.excludeVersionHistory": exclude_version_history,
            "excludeFilter.excludeDeployment": exclude_deployment,
        }
        return (yield from self._get_flow(Product, product_id, params=params))

    product, product_async = twins(_product_flow)

    def reports(self, module: str | None = None) -> PaginatedList[Report]:
        """The reports of ``module`` (``REPORTS_REPORTS_MODULE``...; all when None)."""
        return self.list(Report, {"module": module})

    def reports_async(self, module: str | None = None) -> AsyncPaginatedList[Report]:
        """:meth:`reports` for ``async for``."""
        return self.list_async(Report, {"module": module})

    # -- report data ---------------------------------------------------------------------------------
    # ``reportDataCsv`` answers the whole CSV in one response (``{"results": "..."}``): there is
    # no job to poll, so each form below is one request.
    def _report_data_flow(
        self,
        report: Report,
        *,
        relative: str | None = None,
        start: _dt.datetime | _dt.date | None = None,
        end: _dt.datetime | _dt.date | None = None,
        columns: Iterable[str] | None = None,
    ) -> Flow[str]:
        """The report's data as CSV text (``POST .../reports/{r}/reportDataCsv``) for a relative
        range (``MONTH_TO_DATE`` by default) or ``start``/``end``; ``columns`` picks columns."""
        if relative is not None and (start is not None or end is not None):
            raise InvalidValue("give a relative date range or start/end dates, not both")
        if (start is None) != (end is None):
            raise InvalidValue("a fixed date range needs both start and end")
        if start is not None:
            selected: dict[str, Any] = {
                "fixedDateRange": {"startDate": _instant(start), "endDate": _instant(end)}
            }
        else:
            selected = {"relativeDateRange": relative or "MONTH_TO_DATE"}
        ident = report._source.get("reportId") or report._source.get("id")
        body: dict[str, Any] = {
            "reportId": ident,
            "reportModule": report._source.get("reportModule"),
            "category": report._source.get("category"),
            "specs": {"dateRangeOption": {"selectedRange": selected}},
        }
        if columns is not None:
            body["selectedColumns"] = list(columns)
        answer = yield from self._call_flow(
            "POST", self.path(Report, ident, suffix="reportDataCsv"), body=body, idempotent=True
        )
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, str):
            raise InvalidType("reportDataCsv answered without its CSV text in 'results'")
        return results

    report_data, report_data_async = twins(_report_data_flow)

    def _report_csv_flow(self, report: Report, path: str | os.PathLike[str], **period: Any) -> Flow[Path]:
        """The report's data saved at ``path`` as CSV, atomically (``period``: as :meth:`report_data`)."""
        text = yield from self._report_data_flow(report, **period)
        return (yield Call(DISK, "write", path, [text.encode("utf-8")]))

    report_csv, report_csv_async = twins(_report_csv_flow)

    def _report_rows_flow(self, report: Report, **period: Any) -> Flow[Iterator[dict[str, str]]]:
        """The report's data as dicts, one per CSV row, keyed by its header (``period``: see
        :meth:`report_data`)."""
        text = yield from self._report_data_flow(report, **period)
        return iter(csv.DictReader(io.StringIO(text, newline="")))

    report_rows, report_rows_async = twins(_report_rows_flow)

    def close(self) -> None:
        self.transport.close()
        close_auth = getattr(self.transport.auth, "close", None)
        if callable(close_auth):
            close_auth()


def _file_name(url: str) -> str:
    """The last segment of a file URL's path, decoded: the name it is saved under in the folder."""
    name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        raise InvalidValue(
            f"a detailed-invoice file URL must end in a file name, got the path {urlsplit(url).path!r}"
        )
    return name


def _with_id(entity_cls: type[Entity], document: Any) -> Any:
    if isinstance(document, dict) and not document.get("id"):
        key = getattr(entity_cls, "__id_key__", None)
        if key and document.get(key):
            document["id"] = str(document[key])
        elif isinstance(document.get("name"), str) and "/" in document["name"]:
            document["id"] = document["name"].rsplit("/", 1)[-1]
    return document


def _instant(value: _dt.datetime | _dt.date | None) -> str:
    if isinstance(value, _dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)
        return moment.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, _dt.date):
        return f"{value.isoformat()}T00:00:00Z"
    raise InvalidType(f"a report date must be a date or datetime, got {type(value).__name__}")
