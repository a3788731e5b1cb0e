"""Marketing execution: run a task or a segment map, follow the run, read what it produced.

A job is created with ``POST`` (201) naming the definition by id, or by name and folder; its
``executionState`` goes ``Submitted`` → ``In progress`` → ``Success`` or ``Failure`` (compared
without regard to case).  Occurrences and response tracking codes page by ``start``/``limit``
with at most 500 per page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ...errors import InvalidValue
from ...orm import Boolean, Creatable, Entity, Integer, Listable, Refreshable, String
from .jobs import Job

if TYPE_CHECKING:  # pragma: no cover
    from ...orm.verbs import EntitySession
    from ...query.paginated import PaginatedList

#: the record class a list is of
_X = TypeVar("_X", bound="_ExecutionRecord")

__all__ = ["TaskJob", "SegmentMapJob", "Occurrence", "ResponseTrackingCode", "MAX_EXECUTION_PAGE"]

#: the largest ``limit`` the occurrence and tracking-code collections accept
MAX_EXECUTION_PAGE = 500


class _ExecutionJob(Creatable, Refreshable, Job):
    """A run of a definition named by id, or by name and folder."""

    __state_key__ = "executionState"
    __succeeded__: ClassVar[frozenset[str]] = frozenset({"success"})
    __failed__: ClassVar[frozenset[str]] = frozenset({"failure"})
    __reason_keys__: ClassVar[tuple[str, ...]] = ("message", "errorMessage")
    __open__ = True
    if TYPE_CHECKING:  # an open document: keys beyond the fields read as attributes

        def __getattr__(self, key: str) -> Any: ...

    __slots__ = ()
    #: (the id key, the name key) of the definition in the body
    _names: tuple[str, str] = ("", "")

    folderPath: String = String()
    version: Integer = Integer()
    overrideSchedule: Boolean = Boolean()

    @property
    def _body_for_create(self) -> dict[str, Any]:
        body = super()._body_for_create
        by_id, by_name = type(self)._names
        if not body.get(by_id) and not (body.get(by_name) and body.get("folderPath")):
            raise InvalidValue(
                f"{type(self).__name__} needs {by_id}, or {by_name} with folderPath, to say what to run"
            )
        return body


class TaskJob(_ExecutionJob):
    """``TaskJob(ci, taskId=...).post().wait()``, or ``TaskJob(ci, taskName=..., folderPath=...)``."""

    __collection__ = "marketingExecution/taskJobs"
    __id_key__ = "taskJobId"
    __slots__ = ()
    _names = ("taskId", "taskName")

    taskJobId: String = String(read_only=True)
    taskId: String = String()
    taskName: String = String()


class SegmentMapJob(_ExecutionJob):
    """``SegmentMapJob(ci, segmentMapId=...).post().wait()``, or by ``segmentMapName`` and ``folderPath``."""

    __collection__ = "marketingExecution/segmentMapJobs"
    __id_key__ = "segmentMapJobId"
    __slots__ = ()
    _names = ("segmentMapId", "segmentMapName")

    segmentMapJobId: String = String(read_only=True)
    segmentMapId: String = String()
    segmentMapName: String = String()


class _ExecutionRecord(Refreshable, Listable, Entity):
    """A collection paged at most 500 at a time."""

    __open__ = True
    if TYPE_CHECKING:  # an open document: keys beyond the fields read as attributes

        def __getattr__(self, key: str) -> Any: ...

    __slots__ = ()

    @classmethod
    def list(
        cls: type[_X],
        session: EntitySession,
        *,
        size: int | None = None,
        wrap: Callable[[Any], _X] | None = None,
        **params: Any,
    ) -> PaginatedList[_X]:
        """Every record matching ``params`` (``taskId``, ``status``, ``from``...), ``size`` ≤ 500 per page."""
        if (
            size is not None
            and not isinstance(size, bool)
            and isinstance(size, int)
            and size > MAX_EXECUTION_PAGE
        ):
            raise InvalidValue(
                f"size must be at most {MAX_EXECUTION_PAGE} for {cls.__name__} lists, got {size}"
            )
        return super().list(session, size=size, wrap=wrap, **params)


class Occurrence(_ExecutionRecord):
    """One run of a task or segment map, as recorded by the API."""

    __collection__ = "marketingExecution/occurrences"
    __slots__ = ()
    id: String = String(read_only=True)


class ResponseTrackingCode(_ExecutionRecord):
    """A response tracking code a run produced."""

    __collection__ = "marketingExecution/responseTrackingCodes"
    __slots__ = ()
    id: String = String(read_only=True)
