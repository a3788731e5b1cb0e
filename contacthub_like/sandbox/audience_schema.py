"""The hub's audience schema (DESIGN §4): what an audience may hold and the shape of member uploads.

Every name here is also importable from :mod:`.schema`, the hub's schemas in one place.
"""

from __future__ import annotations

from .validation import Enum, FreeObject, Obj, Str

AUDIENCE_SOURCES = ("QUERY", "UPLOAD")
AUDIENCE_STATUSES = ("ACTIVE", "INACTIVE")
AUDIENCE = Obj(
    {
        "name": Str(pattern=r"^\S(.{0,198}\S)?$", what="name (1-200 characters, no edge spaces)"),
        "description": Str(),
        "source": Enum(*AUDIENCE_SOURCES),
        "query": FreeObject(),
        "status": Enum(*AUDIENCE_STATUSES),
    },
    required=("name", "source"),
)
AUDIENCE_READ_ONLY = frozenset({"id", "nodeId", "size", "createdAt", "updatedAt"})
UPLOAD_KEYS = ("id", "externalId", "email")
UPLOAD_MODES = ("APPEND", "REPLACE")
UPLOAD_STATUSES = ("PENDING", "PROCESSING", "COMPLETED", "FAILED")
