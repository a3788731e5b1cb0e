"""The seam between entities and HTTP: a :class:`Service` says what an API is, a :class:`Session` talks to it.

A connector for a new API is declarations on these two classes: its paths (each entity
class's ``__collection__`` under the session's scope root), its paging strategy, its query
compiler, its error decoder and its write semantics.  Entities reach the API only through
:meth:`Session.request` and :meth:`Session.list`; the session reaches it only through its
:class:`~contacthub_like.http.transport.Transport`.  See ``docs/architecture.rst``.

The seam is split by job: :mod:`.api` (the :class:`Service` declaration), :mod:`.session`
(requests and reads), :mod:`.listing` (paging and lists), :mod:`.queries` (compiling and
explaining queries), :mod:`.paths` (id segments) and :mod:`.polling` (waiting in a flow).
"""

from __future__ import annotations

from .api import Service
from .paths import segment as segment
from .polling import CLOCK, Sleeper, poll_flow
from .queries import CompiledQuery, QueryCompiler, no_queries
from .session import Session

__all__ = [
    "Service",
    "Session",
    "QueryCompiler",
    "CompiledQuery",
    "no_queries",
    "poll_flow",
    "Sleeper",
    "CLOCK",
]
