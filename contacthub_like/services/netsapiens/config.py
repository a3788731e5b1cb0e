"""Connection settings of a NetSapiens client and the seed's JSON authentication file.

The seed (netsapiens-asyncio) keeps ``{"base_url", "client_id", "client_secret",
"username", "password"}`` with a bare host in ``base_url`` (``api.example.com``) and adds
``https://`` itself; ``hub init`` writes a full ``http://127.0.0.1:P/netsapiens``.  Both
are taken: a URL without a scheme means https.  A trailing ``/ns-api/v2`` is dropped (the
client adds it).  ``repr`` never shows the secret or the password.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ..._log import REDACTED
from ...errors import ConfigurationError, InvalidValue
from .service import API_ROOT

__all__ = ["NetSapiensSettings", "load_json", "normalize_base_url"]

_REQUIRED = ("base_url", "client_id", "client_secret", "username", "password")


def normalize_base_url(value: object) -> str:
    """``api.example.com`` → ``https://api.example.com``; no trailing ``/`` or ``/ns-api/v2``."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(
            f"base_url must be the PBX's host or URL, e.g. 'api.example.com' or 'https://pbx.example.com', "
            f"got {value!r}"
        )
    url = value.strip()
    if "://" not in url:
        url = "https://" + url
    elif not url.startswith(("http://", "https://")):
        raise InvalidValue(f"base_url must be http(s), got {value!r}")
    url = url.rstrip("/")
    return url.removesuffix(API_ROOT).rstrip("/")


@attrs.frozen(repr=False)
class NetSapiensSettings:
    """What a client needs: where the PBX is and whose credentials it uses."""

    base_url: str = attrs.field(converter=normalize_base_url)
    client_id: str
    client_secret: str
    username: str
    password: str

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "the settings") -> NetSapiensSettings:
        """From the seed's authentication dictionary; a missing key is named with its meaning."""
        if not isinstance(data, Mapping):
            raise ConfigurationError(f"{source} must be a JSON object with keys {', '.join(_REQUIRED)}")
        missing = [key for key in _REQUIRED if not isinstance(data.get(key), str) or not data.get(key)]
        if missing:
            raise ConfigurationError(
                f"{source} lacks {', '.join(missing)}: it needs base_url (e.g. 'api.example.com'), "
                "client_id, client_secret (the API client's), username ('user@domain') and password"
            )
        return cls(**{key: data[key] for key in _REQUIRED})

    def __repr__(self) -> str:
        return (
            f"NetSapiensSettings(base_url={self.base_url!r}, client_id={self.client_id!r}, "
            f"client_secret='{REDACTED}', username={self.username!r}, password='{REDACTED}')"
        )

    __str__ = __repr__


def load_json(path: str | Path) -> NetSapiensSettings:
    """Settings from a JSON file in the seed's format (``hub init --service-configs`` writes one)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read NetSapiens settings from {file}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"{file} is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    return NetSapiensSettings.from_mapping(data, source=str(file))
