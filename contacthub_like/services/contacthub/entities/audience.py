"""Audiences: named sets of customers, defined by a live query or filled by uploads.

A QUERY audience keeps the compiled customer query and the hub evaluates it whenever
its members are read.  An UPLOAD audience is filled by :meth:`Audience.upload`, which
the hub processes in the background: the returned :class:`AudienceUpload` is polled
with :meth:`AudienceUpload.wait`, and accounts for every row sent as matched or
rejected (with the reason).
"""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ....errors import InvalidType, InvalidValue, OperationNotPermitted, UploadFailed
from ....http.polling import poll_until
from ....orm import Choice, DateTime, FreeForm, Integer, ListOf, Nested, Record, Resource, String
from .customer import Customer
from .enums import AudienceSource, AudienceStatus, UploadKey, UploadMode, UploadStatus

if TYPE_CHECKING:  # pragma: no cover
    from ....query.paginated import PaginatedList
    from ....query.query import Query
    from ..workspace import Node

__all__ = ["Audience", "AudienceUpload", "UploadReject", "MAX_UPLOAD_ROWS"]

#: rows in one upload (the hub refuses more); split larger files into several uploads
MAX_UPLOAD_ROWS = 100_000
_FINAL = frozenset({UploadStatus.COMPLETED.value, UploadStatus.FAILED.value})


class UploadReject(Record):
    """A row the hub could not match: its 1-based ``row`` number, the key ``value`` and the ``reason``."""

    __open__ = False

    row: Integer = Integer()
    value: String = String()
    reason: String = String()

    def __repr__(self) -> str:
        return f"<UploadReject row={self.row} value={self.value!r} reason={self.reason!r}>"


class AudienceUpload(Record):
    """The hub's record of one upload: PENDING -> PROCESSING -> COMPLETED (or FAILED).

    Once COMPLETED, ``matched + rejected == received`` and ``rejects`` says why each
    rejected row failed (no customer with that key, an empty key, a duplicate row...).
    """

    __slots__ = ("node", "audience_id")
    __open__ = True
    if TYPE_CHECKING:  # an open document: keys beyond the fields read as attributes

        def __getattr__(self, key: str) -> Any: ...

    id: String = String(read_only=True)
    audienceId: String = String(read_only=True)
    status: Choice = Choice(UploadStatus, read_only=True)
    key: Choice = Choice(UploadKey, read_only=True)
    mode: Choice = Choice(UploadMode, read_only=True)
    received: Integer = Integer(read_only=True)
    matched: Integer = Integer(read_only=True)
    rejected: Integer = Integer(read_only=True)
    rejects: ListOf[UploadReject] = ListOf(Nested(UploadReject), read_only=True)
    createdAt: DateTime = DateTime(read_only=True)
    completedAt: DateTime = DateTime(read_only=True)
    error: String = String(read_only=True)

    node: Node | None
    audience_id: str

    @classmethod
    def _wrap(cls, node: Node | None, audience_id: str, doc: dict[str, Any]) -> AudienceUpload:
        obj = cls._from_source(doc if isinstance(doc, dict) else {})
        obj.node = node
        obj.audience_id = audience_id
        return obj

    @property
    def done(self) -> bool:
        """True once the hub finished with this upload (COMPLETED or FAILED)."""
        return self._source.get("status") in _FINAL

    def refresh(self) -> AudienceUpload:
        """Fetch the current state of the upload from the hub (one request)."""
        node = self.node
        ident = self._source.get("id")
        if node is None or not ident:
            raise OperationNotPermitted(
                "this upload record is not bound to a hub: get it from audience.upload()"
            )
        self._reset(node.entity_request("GET", Audience, self.audience_id, suffix=f"uploads/{ident}"))
        return self

    def wait(
        self,
        timeout: float = 60.0,
        *,
        interval: float = 0.05,
        max_interval: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> AudienceUpload:
        """Poll until the hub has processed the upload; returns this record, COMPLETED.

        Polls start ``interval`` seconds apart and double up to ``max_interval``, so a
        small upload is seen done almost at once and a large one costs few requests.
        Raises :class:`~contacthub_like.errors.UploadFailed` when the upload ends FAILED
        and :class:`~contacthub_like.errors.WaitTimeout` after ``timeout`` seconds (the
        upload goes on; call ``wait()`` again).
        """
        poll_until(
            self.refresh,
            lambda upload: upload.done,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
            describe=lambda upload: (
                f"upload {upload.id} of audience {upload.audience_id} is still {upload.status}"
            ),
            first=self,
            sleep=sleep,
            clock=clock,
        )
        if self.status == UploadStatus.FAILED.value:
            raise UploadFailed(
                f"upload {self.id} of audience {self.audience_id} failed on the hub: "
                f"{self.error or 'no reason given'}",
                upload=self,
            )
        return self

    def __repr__(self) -> str:
        return (
            f"<AudienceUpload id={self._source.get('id')!r} status={self.status!r} "
            f"received={self.received!r} matched={self.matched!r} rejected={self.rejected!r}>"
        )


class Audience(Resource):
    """A named set of customers of one node.

    * ``Audience.from_query(node, "vips", node.query(Customer).filter(...))`` creates a
      QUERY audience, evaluated live by the hub;
    * ``Audience.for_uploads(node, "newsletter")`` creates an empty UPLOAD audience to
      fill with :meth:`upload`.
    """

    __collection__ = "audiences"

    if TYPE_CHECKING:  # a ContactHub entity's session is a Node, with the hub's own calls

        node: Node | None

        def _require_node(self, verb: str) -> Node: ...

    SOURCES = AudienceSource
    STATUSES = AudienceStatus

    id: String = String(read_only=True)
    nodeId: String = String(read_only=True)
    name: String = String()
    description: String = String()
    source: Choice = Choice(AudienceSource)
    query: FreeForm = FreeForm()
    status: Choice = Choice(AudienceStatus)
    size: Integer = Integer(read_only=True)
    createdAt: DateTime = DateTime(read_only=True)
    updatedAt: DateTime = DateTime(read_only=True)

    # -- creating ------------------------------------------------------------------------------------
    @classmethod
    def from_query(
        cls, node: Node, name: str, query: Query[Customer], *, description: str | None = None
    ) -> Audience:
        """Create (POST) a QUERY audience whose members are the customers ``query`` selects."""
        from ....query.query import Query

        if not isinstance(query, Query):
            raise InvalidType(
                f"from_query() takes node.query(Customer).filter(...), got {type(query).__name__} {query!r}"
            )
        if query.entity is not Customer:
            raise InvalidValue(f"an audience selects customers; this query is on {query.entity.__name__}")
        if query.node is not node:
            raise InvalidValue("the query belongs to another node: build it with node.query(Customer)")
        document = query.to_dict() or {"name": "query", "query": {"type": "simple", "name": "query"}}
        audience = cls(node, name=name, description=description, source=AudienceSource.QUERY, query=document)
        return audience.post()

    @classmethod
    def for_uploads(cls, node: Node, name: str, *, description: str | None = None) -> Audience:
        """Create (POST) an empty UPLOAD audience."""
        return cls(node, name=name, description=description, source=AudienceSource.UPLOAD).post()

    # -- members ---------------------------------------------------------------------------------------
    def customers(self, *, page: int | None = None, size: int | None = None) -> PaginatedList[Customer]:
        """The members as a lazy list of :class:`Customer` (a QUERY audience is evaluated now)."""
        node = self._require_node("list the members of")
        ident = self._require_id("list the members of")
        return node.entity_list(
            Audience, ident, "customers", lambda d: Customer.from_dict(node, d), page=page, size=size
        )

    def uploads(self, *, page: int | None = None, size: int | None = None) -> PaginatedList[AudienceUpload]:
        """Upload records, newest first."""
        node = self._require_node("list the uploads of")
        ident = self._require_id("list the uploads of")
        return node.entity_list(
            Audience, ident, "uploads", lambda d: AudienceUpload._wrap(node, ident, d), page=page, size=size
        )

    def upload(
        self,
        rows: str | os.PathLike[str] | Iterable[str | Mapping[str, Any]],
        key: str | UploadKey = UploadKey.EXTERNAL_ID,
        mode: str | UploadMode = UploadMode.APPEND,
    ) -> AudienceUpload:
        """Send members to the hub; returns the PENDING upload record (call ``.wait()`` on it).

        ``rows`` is a CSV file path (a header row must name the ``key`` column; other
        columns are ignored) or an iterable of key values or of mappings holding
        ``key``.  Rows with an empty key are sent too, so the hub reports them as
        rejects instead of them silently vanishing.
        """
        node = self._require_node("upload to")
        ident = self._require_id("upload to")
        key_value = _choice(key, UploadKey, "key")
        mode_value = _choice(mode, UploadMode, "mode")
        if self._source.get("source") == AudienceSource.QUERY.value:
            raise OperationNotPermitted(
                f"audience {ident} is a QUERY audience (its members come from its query); "
                "upload to an audience made with Audience.for_uploads()"
            )
        if isinstance(rows, (str, os.PathLike)):
            members = _read_csv(Path(rows), key_value)
        else:
            members = _rows(rows, key_value)
        body = {"key": key_value, "mode": mode_value, "members": members}
        return AudienceUpload._wrap(
            node, ident, node.entity_request("POST", Audience, ident, suffix="uploads", body=body)
        )

    def __repr__(self) -> str:
        return (
            f"<Audience id={self._source.get('id')!r} name={self.name!r} source={self.source!r} "
            f"size={self.size!r}>"
        )


def _choice(value: Any, enum_cls: type[UploadKey] | type[UploadMode], what: str) -> str:
    raw = value.value if isinstance(value, enum_cls) else value
    allowed = [m.value for m in enum_cls]
    if raw not in allowed:
        raise InvalidValue(f"{what} must be one of {', '.join(allowed)}, got {value!r}")
    return str(raw)


def _check_count(count: int) -> None:
    if count > MAX_UPLOAD_ROWS:
        raise InvalidValue(
            f"an upload holds at most {MAX_UPLOAD_ROWS} rows; split the rows into several uploads"
        )


def _read_csv(path: Path, key: str) -> list[dict[str, Any]]:
    """The key column of a CSV file, one member per data row (blank rows included, as rejects-to-be)."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidValue(f"no such file: {path}") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if not header:
                raise InvalidValue(f"{path} is empty: the first row must name the columns, including {key!r}")
            names = [h.strip() for h in header]
            if key not in names:
                raise InvalidValue(
                    f"{path} has no {key!r} column (its columns: {', '.join(names)}); add it, or pass "
                    f"key= with one of the columns it has (id, externalId or email)"
                )
            index = names.index(key)
            members: list[dict[str, Any]] = []
            for row in reader:
                members.append({key: row[index]} if index < len(row) else {})
                _check_count(len(members))
        except csv.Error as exc:
            raise InvalidValue(f"{path} is not a valid CSV file: line {reader.line_num}: {exc}") from None
        except UnicodeDecodeError:
            raise InvalidValue(f"{path} is not UTF-8 text") from None
    return members


def _rows(rows: Iterable[Any], key: str) -> list[Any]:
    if isinstance(rows, (bytes, Mapping)):
        raise InvalidType(
            "upload() takes a CSV file path or an iterable of rows (key values or mappings), "
            f"got {type(rows).__name__}"
        )
    members: list[Any] = []
    for number, row in enumerate(rows, start=1):
        if isinstance(row, str):
            members.append({key: row})
        elif isinstance(row, Mapping):
            value = row.get(key)
            if value is not None and not isinstance(value, str):
                raise InvalidType(
                    f"row {number}: {key} must be a string, got {type(value).__name__} {value!r}"
                )
            members.append({key: value} if value is not None else {})
        else:
            raise InvalidType(
                f"row {number}: a row is a {key} string or a mapping with {key!r}, "
                f"got {type(row).__name__} {row!r}"
            )
        _check_count(len(members))
    return members
