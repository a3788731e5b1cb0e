"""The library's logger.

All records go to the ``contacthub_like`` logger (children use ``contacthub_like.<part>``).
A :class:`logging.NullHandler` is attached so an application that configures no logging
sees nothing, as the logging HOWTO recommends for libraries.  Nothing logged here may
contain a token or an ``Authorization`` value.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

__all__ = ["LOGGER_NAME", "REDACTED", "logger", "get_logger", "redact"]

LOGGER_NAME = "contacthub_like"

#: What a secret is replaced with in text shown to people.
REDACTED = "***"

logger = logging.getLogger(LOGGER_NAME)
logger.addHandler(logging.NullHandler())


def get_logger(part: str | None = None) -> logging.Logger:
    """The library logger, or its child ``contacthub_like.<part>``."""
    return logger if not part else logger.getChild(part)


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each non-empty secret in ``text`` with ``***``.

    Longer secrets are replaced first, so a secret that contains another is not left
    half-visible.
    """
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text
