"""Resource modules of the embedded hub.

Each module exposes ``SCHEMA`` (a tuple of ``CREATE ... IF NOT EXISTS`` statements for its
own tables) and ``routes(hub) -> list[starlette.routing.Route]``.  ``DEFAULT_RESOURCES`` is
the list :func:`contacthub_like.sandbox.app.create_app` mounts when given none.
"""

from __future__ import annotations

from . import customers, events, oauth, sessions, subresources

DEFAULT_RESOURCES = (customers, subresources, sessions, events, oauth)

__all__ = ["DEFAULT_RESOURCES", "customers", "events", "oauth", "sessions", "subresources"]
