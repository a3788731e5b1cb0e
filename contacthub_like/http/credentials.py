"""Checks shared by every authentication strategy."""

from __future__ import annotations

from ..errors import InvalidType, InvalidValue

__all__ = ["check_secret"]


def check_secret(value: object, name: str) -> str:
    """A header-safe secret: a non-empty str with no whitespace or control characters.

    Checked here because requests' own header check quotes the bad value (the secret) in
    its error message.
    """
    if not isinstance(value, str):
        raise InvalidType(f"{name} must be a str, got {type(value).__name__}")
    value = value.strip()
    if not value:
        raise InvalidValue(f"{name} is empty: pass the API token shown in the hub's source settings")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InvalidValue(f"{name} contains whitespace or control characters; check for a pasting error")
    return value
