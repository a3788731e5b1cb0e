"""Marketing data: tables, imports into them, GDPR customer jobs and identity records.

A table change is a ``PATCH``; where a proxy refuses that method the API takes the same
change as ``POST tables/{id}?_method=PATCH`` (:meth:`Table.patch_via_post`).  An import is a
signed upload plus an import request job naming it (:meth:`Table.import_file`).
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Any, ClassVar

from ...errors import InvalidValue
from ...orm import Creatable, Deletable, Entity, Listable, Refreshable, String, Updatable
from ...orm.flows import Call, Flow, twins
from .jobs import Job

__all__ = ["Table", "ImportRequestJob", "CustomerJob", "IdentityRecord", "IDENTITY_FILTERS", "UPDATE_MODES"]

#: identity type (as events name it) -> the query filter of ``identityRecords``
IDENTITY_FILTERS: dict[str, str] = {
    "customer_id": "customerId",
    "subject_id": "subjectId",
    "login_id": "loginId",
    "datahub_id": "identityId",
    "identity_id": "identityId",
    "visitor_id": "visitorId",
    "device_id": "deviceId",
    "email_id": "emailId",
}
UPDATE_MODES = ("upsert", "replace", "delete")


class _DataJob(Creatable, Refreshable, Job):
    __state_key__ = "status"
    __succeeded__: ClassVar[frozenset[str]] = frozenset({"completed"})
    __failed__: ClassVar[frozenset[str]] = frozenset({"failed"})
    __open__ = True
    if TYPE_CHECKING:  # an open document: keys beyond the fields read as attributes

        def __getattr__(self, key: str) -> Any: ...

    __slots__ = ()
    id: String = String(read_only=True)


class ImportRequestJob(_DataJob, Listable):
    """An import of a signed-location CSV into a table (``status`` PENDING → RUNNING → COMPLETED/FAILED)."""

    __collection__ = "marketingData/importRequestJobs"
    __slots__ = ()


class CustomerJob(_DataJob):
    """A GDPR job: ``CustomerJob(ci, jobType="GDPR_DELETE", identityType="login_id", identityList=[...])``."""

    __collection__ = "marketingData/customerJobs"
    __slots__ = ()


class IdentityRecord(Refreshable, Entity):
    """The identity values known for one person (``ci.identity_record("customer_id", "c-42")``)."""

    __collection__ = "marketingData/identityRecords"
    __open__ = True
    if TYPE_CHECKING:  # an open document: keys beyond the fields read as attributes

        def __getattr__(self, key: str) -> Any: ...

    __slots__ = ()
    id: String = String(read_only=True)


class Table(Creatable, Updatable, Deletable, Refreshable, Listable, Entity):
    """A data table: ``Table(ci, name=..., type="customer", dataItems=[...]).post()``."""

    __collection__ = "marketingData/tables"
    __open__ = True
    if TYPE_CHECKING:  # an open document: keys beyond the fields read as attributes

        def __getattr__(self, key: str) -> Any: ...

    __slots__ = ()
    id: String = String(read_only=True)
    name: String = String()
    description: String = String()

    def _patch_via_post_flow(self) -> Flow[Table]:
        """:meth:`patch` sent as ``POST tables/{id}?_method=PATCH`` (for networks that refuse PATCH)."""
        session = self._require_node("patch")
        ident = self._require_id("patch")
        diff = self._diff()
        if diff:
            answer = yield Call(
                session,
                "request",
                Table,
                "POST",
                ident,
                params={"_method": "PATCH"},
                body=diff,
                idempotent=True,
            )
            self._reset(answer)
        return self

    patch_via_post, patch_via_post_async = twins(_patch_via_post_flow)

    def _import_file_flow(
        self,
        source: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        header_row_included: bool = True,
        update_mode: str = "upsert",
        record_limit: int = 0,
        name: str | None = None,
    ) -> Flow[ImportRequestJob]:
        """Upload a comma-separated file and start its import into this table; the job, not yet waited."""
        session = self._require_node("import into")
        ident = self._require_id("import into")
        if update_mode not in UPDATE_MODES:
            raise InvalidValue(f"update_mode must be one of {', '.join(UPDATE_MODES)}, got {update_mode!r}")
        if isinstance(record_limit, bool) or not isinstance(record_limit, int) or record_limit < 0:
            raise InvalidValue(f"record_limit must be an int >= 0 (0: no limit), got {record_limit!r}")
        location = yield Call(session, "call", "POST", "/marketingData/fileTransferLocation")
        url = location["signedURL"]
        yield Call(session, "upload_signed", url, source, "text/csv")
        job = ImportRequestJob(
            session,
            name=name or f"import into {self._source.get('name') or ident}",
            dataDescriptorId=ident,
            fieldDelimiter=",",
            fileLocation=url,
            fileType="CSV",
            headerRowIncluded=bool(header_row_included),
            recordLimit=record_limit,
            updateMode=update_mode,
        )
        return (yield from job._post_flow())

    import_file, import_file_async = twins(_import_file_flow)
