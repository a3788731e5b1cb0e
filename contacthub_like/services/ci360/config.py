"""The seed client's configuration file (``sasci360veloxpy.ini``), read without changing it.

::

    [tenant]
    extapigateway_url = extapigw.example.com/ci360     # host and path, no scheme
    client_id = <tenant id>
    client_secret = <tenant secret>
    protocol = https://
    api_user_name = <api user>
    api_user_password = <api user password>
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path

import attrs

from ..._log import REDACTED
from ...errors import ConfigurationError

__all__ = ["TenantSettings", "read_ini"]

_REQUIRED = ("extapigateway_url", "client_id", "client_secret", "api_user_name", "api_user_password")


@attrs.frozen(repr=False)
class TenantSettings:
    """One tenant's gateway and credentials."""

    base_url: str
    client_id: str
    client_secret: str
    username: str
    password: str

    def __repr__(self) -> str:
        return (
            f"TenantSettings(base_url={self.base_url!r}, client_id={self.client_id!r}, "
            f"client_secret='{REDACTED}', username={self.username!r}, password='{REDACTED}')"
        )


def read_ini(path: str | os.PathLike[str]) -> TenantSettings:
    """The ``[tenant]`` section of ``path``; :class:`ConfigurationError` names what is missing."""
    file = Path(path)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(file, encoding="utf-8") as handle:
            parser.read_file(handle)
    except OSError as exc:
        raise ConfigurationError(f"cannot read the CI360 configuration {file}: {exc.strerror}") from None
    except configparser.Error as exc:
        raise ConfigurationError(f"{file} is not an INI file: {exc.message.splitlines()[0]}") from None
    if not parser.has_section("tenant"):
        raise ConfigurationError(f"{file} has no [tenant] section (the format of sasci360veloxpy.ini)")
    section = parser["tenant"]
    missing = [key for key in _REQUIRED if not section.get(key, "").strip()]
    if missing:
        raise ConfigurationError(f"{file} [tenant] lacks {', '.join(missing)}")
    protocol = section.get("protocol", "https://").strip() or "https://"
    if protocol not in ("https://", "http://"):
        raise ConfigurationError(f"{file} [tenant] protocol must be https:// or http://, got {protocol!r}")
    gateway = section["extapigateway_url"].strip().rstrip("/")
    if "://" in gateway:
        raise ConfigurationError(
            f"{file} [tenant] extapigateway_url is host and path without a scheme (the scheme is protocol)"
        )
    return TenantSettings(
        base_url=protocol + gateway,
        client_id=section["client_id"].strip(),
        client_secret=section["client_secret"].strip(),
        username=section["api_user_name"].strip(),
        password=section["api_user_password"].strip(),
    )
