"""Path segments from ids: the one check that keeps an id from changing a request URL's meaning."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidValue

__all__ = ["segment"]


def segment(what: str, value: Any) -> str:
    """A path segment from an id, refusing values that would change the URL's meaning."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if not text or "/" in text or text in (".", "..") or "?" in text or "#" in text:
        raise InvalidValue(f"{what} must be a non-empty string without '/', '?' or '#', got {value!r}")
    return text
