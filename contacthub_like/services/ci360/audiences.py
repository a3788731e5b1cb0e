"""Marketing audiences: definitions, and uploads of their members as CSV files.

An upload is three requests and a wait: a signed URL from ``fileTransferLocation``, the CSV
PUT to it (no Authorization header), ``PUT audiences/{id}/data`` naming that location, then
``history/{historyId}`` polled until ``COMPLETE`` or ``FAILED`` (:meth:`AudienceUpload.wait`).
These resources take the temporary token; the session signs them with it (see ``client.py``).
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Any, ClassVar

from ...orm import Listable, ListOf, Resource, String
from ...orm.fields import FreeForm
from ...orm.flows import Call, Flow, twins
from .jobs import Job

if TYPE_CHECKING:  # pragma: no cover
    from ...orm.record import Properties
    from ...query.apaginated import AsyncPaginatedList
    from ...query.paginated import PaginatedList

__all__ = ["Audience", "AudienceUpload"]


class AudienceUpload(Job):
    """One upload of an audience's members (an entry of its upload history)."""

    __id_key__ = "historyId"
    __state_key__ = "status"
    __succeeded__: ClassVar[frozenset[str]] = frozenset({"complete"})
    __failed__: ClassVar[frozenset[str]] = frozenset({"failed"})
    __reason_keys__: ClassVar[tuple[str, ...]] = ("errorMessage", "message")
    __kept_keys__: ClassVar[tuple[str, ...]] = ("audienceId",)
    __open__ = True
    if TYPE_CHECKING:  # an open document: keys beyond the fields read as attributes

        def __getattr__(self, key: str) -> Any: ...

    __slots__ = ()

    historyId: String = String(read_only=True)
    audienceId: String = String(read_only=True)

    def _member_path(self) -> str:
        session = self._require_node("wait for")
        audience = self._source.get("audienceId")
        return session.path(Audience, audience, f"history/{self._require_id('wait for')}")  # type: ignore[attr-defined]


class Audience(Resource, Listable):
    """An audience definition: ``Audience(ci, name=..., identityColumnName=..., dataItems=[...]).post()``.

    ``Audience.list(ci, sortBy=..., status=..., source=..., audienceType=..., name=...)`` lists
    them page by page.
    """

    __collection__ = "marketingAudience/audiences"
    __id_key__ = "audienceId"
    __open__ = True
    if TYPE_CHECKING:  # an open document: keys beyond the fields read as attributes

        def __getattr__(self, key: str) -> Any: ...

    __slots__ = ()

    audienceId: String = String(read_only=True)
    name: String = String()
    description: String = String()
    identityColumnName: String = String()
    dataItems: ListOf[Properties] = ListOf(FreeForm())
    links: ListOf[Properties] = ListOf(FreeForm(), read_only=True)

    def _upload_flow(
        self,
        source: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        header_row_included: bool = False,
        name: str | None = None,
    ) -> Flow[AudienceUpload]:
        """Upload ``source`` (a CSV path, bytes or binary file) as the members; the upload, not yet waited."""
        session = self._require_node("upload to")
        ident = self._require_id("upload to")
        location = yield Call(session, "request", Audience, "POST", suffix="fileTransferLocation")
        url = location["signedURL"]
        yield Call(session, "upload_signed", url, source, "text/csv")
        body: dict[str, Any] = {
            "audienceId": ident,
            "fileLocation": url,
            "headerRowIncluded": bool(header_row_included),
        }
        if name is not None:
            body["name"] = name
        answer = yield Call(session, "request", Audience, "PUT", ident, suffix="data", body=body)
        return AudienceUpload.from_dict(session, {"audienceId": ident, **answer})

    upload, upload_async = twins(_upload_flow)

    def _history_entry_flow(self, history_id: str) -> Flow[AudienceUpload]:
        """One upload of this audience by its history id."""
        upload = AudienceUpload.from_dict(
            self._require_node("read the history of"),
            {"audienceId": self._require_id("read the history of"), "historyId": history_id},
        )
        return (yield from upload._check_flow())  # type: ignore[return-value]

    history_entry, history_entry_async = twins(_history_entry_flow)

    def _history_args(self) -> dict[str, Any]:
        session = self._require_node("list the uploads of")
        ident = self._require_id("list the uploads of")
        return {
            "path": session.path(Audience, ident, "history"),  # type: ignore[attr-defined]
            "wrap": lambda doc: AudienceUpload.from_dict(session, {"audienceId": ident, **doc}),
        }

    def history(self, *, size: int | None = None) -> PaginatedList[AudienceUpload]:
        """This audience's uploads (newest first), lazily paged."""
        return self._require_node("list the uploads of").list(
            AudienceUpload, size=size, **self._history_args()
        )

    def history_async(self, *, size: int | None = None) -> AsyncPaginatedList[AudienceUpload]:
        """:meth:`history` for ``async for``."""
        return self._require_node("list the uploads of").list_async(  # type: ignore[attr-defined]
            AudienceUpload, size=size, **self._history_args()
        )
