"""Resource modules of the embedded hub.

Each mounted module exposes ``SCHEMA`` (a tuple of ``CREATE ... IF NOT EXISTS`` statements for
its own tables) and ``routes(hub) -> list[starlette.routing.Route]``; helper modules
(``audience_records``, ``audience_openapi``) serve one of them and are not mounted.  ``DEFAULT_RESOURCES`` is
the list :func:`contacthub_like.sandbox.app.create_app` mounts when given none.
"""

from __future__ import annotations

from . import audiences, customers, events, invoices, oauth, sessions, subresources

DEFAULT_RESOURCES = (customers, subresources, sessions, events, audiences, invoices, oauth)

__all__ = [
    "DEFAULT_RESOURCES",
    "audiences",
    "customers",
    "events",
    "invoices",
    "oauth",
    "sessions",
    "subresources",
]
