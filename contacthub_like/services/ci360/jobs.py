"""Work CI360 does in the background (uploads, task runs, imports, GDPR jobs), awaited one way.

A job entity declares the key of its state and which states end it; :meth:`Job.wait` polls
its member document with growing intervals (:func:`~contacthub_like.service.poll_flow`)
until one of them, then returns the job or raises :class:`JobFailed` with the final state —
instead of the fixed sleeps a script would otherwise guess.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ...errors import ContactHubError
from ...orm import Entity
from ...orm.flows import Call, Flow, twins
from ...service import poll_flow

__all__ = ["Job", "JobFailed"]


class JobFailed(ContactHubError):
    """A CI360 job or upload ended in failure; ``job`` is its final record, ``state`` its final state."""

    def __init__(self, message: str, job: Any = None, state: str | None = None) -> None:
        super().__init__(message)
        self.job = job
        self.state = state


class Job(Entity):
    """An entity whose document moves through states until the API is done with it."""

    __slots__ = ()
    #: the document key holding the state (``executionState``, ``status``)
    __state_key__: ClassVar[str] = "status"
    #: final states, lower case (the API's case varies: ``Success``, ``COMPLETED``)
    __succeeded__: ClassVar[frozenset[str]] = frozenset()
    __failed__: ClassVar[frozenset[str]] = frozenset()
    #: the document keys that say why it failed, first present wins
    __reason_keys__: ClassVar[tuple[str, ...]] = ("message", "errorMessage")
    #: keys kept from the current document when a polled answer lacks them (a parent's id in the path)
    __kept_keys__: ClassVar[tuple[str, ...]] = ()

    @property
    def state(self) -> str | None:
        """The state the API last reported."""
        value = self._source.get(type(self).__state_key__)
        return None if value is None else str(value)

    @property
    def finished(self) -> bool:
        """Whether the job reached a final state (success or failure)."""
        state = (self.state or "").lower()
        return state in type(self).__succeeded__ or state in type(self).__failed__

    @property
    def failed(self) -> bool:
        return (self.state or "").lower() in type(self).__failed__

    def _member_path(self) -> str:
        """Where the job's current document is read (its member path, unless the API nests it)."""
        session = self._require_node("wait for")
        return session.path(type(self), self._require_id("wait for"))  # type: ignore[attr-defined]

    def _check_flow(self) -> Flow[Job]:
        session = self._require_node("wait for")
        answer = yield Call(session, "call", "GET", self._member_path())
        kept = {key: self._source[key] for key in type(self).__kept_keys__ if key in self._source}
        self._reset({**kept, **(answer or {})})
        return self

    def _wait_flow(
        self, timeout: float = 600.0, *, interval: float = 0.05, max_interval: float = 2.0
    ) -> Flow[Any]:
        """Poll until a final state; the job, or :class:`JobFailed` carrying the final state."""
        yield from poll_flow(
            self._check_flow,
            lambda job: job.finished,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
            describe=lambda job: (
                f"{type(job).__name__} {job._source.get(type(job).__id_key__)} is still {job.state}"
            ),
            first=self,
        )
        if self.failed:
            reason = next(
                (str(self._source[k]) for k in type(self).__reason_keys__ if self._source.get(k)), ""
            )
            raise JobFailed(
                f"{type(self).__name__} {self._source.get(type(self).__id_key__)} ended {self.state}"
                + (f": {reason}" if reason else ""),
                job=self,
                state=self.state,
            )
        return self

    wait, wait_async = twins(_wait_flow)
