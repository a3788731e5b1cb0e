"""Connection settings and their loaders (INI file, JSON file, environment).

:class:`HubSettings` is an immutable value object; the loaders only turn a source into
one.  Compared with the original SDK's INI reader:

* a ``%`` in a token no longer breaks parsing (no interpolation);
* the file is always closed;
* ``base_url`` is the API root (``https://api.contactlab.it/hub/v1``); a value ending in
  ``/workspaces``, as the original SDK required, is accepted and normalised;
* a missing key gives a message naming it, with an example line.
"""

from __future__ import annotations

import configparser
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ...errors import ConfigurationError, InvalidValue

__all__ = [
    "DEFAULT_BASE_URL",
    "ENV_PREFIX",
    "HubSettings",
    "load_env",
    "load_ini",
    "load_json",
    "normalize_base_url",
    "parse_statuses",
]

DEFAULT_BASE_URL = "https://api.contactlab.it/hub/v1"
ENV_PREFIX = "CONTACTHUB_"

#: Section read in INI files when present; keys before any section header are read too.
INI_SECTION = "contacthub"

_KEYS = (
    "workspace_id",
    "token",
    "base_url",
    "node_id",
    "timeout",
    "max_attempts",
    "max_total_wait",
    "requests_per_second",
    "retry_on",
)
_REQUIRED = ("workspace_id", "token")
_EXAMPLES = {
    "workspace_id": "workspace_id = 40b6195f-e4f7-4f32-8b4b-6f6a2e4f7a1b",
    "token": "token = <your API token>",
    "base_url": f"base_url = {DEFAULT_BASE_URL}",
    "node_id": "node_id = 854f0791-c120-4e4a-9264-6dd197cb922c",
    "timeout": "timeout = 30",
    "max_attempts": "max_attempts = 5",
    "max_total_wait": "max_total_wait = 60",
    "requests_per_second": "requests_per_second = 20",
    "retry_on": "retry_on = 429,500,502,503,504",
}
_WORKSPACES_SUFFIX = re.compile(r"/workspaces/*$")


def normalize_base_url(url: str) -> str:
    """The API root without a trailing ``/`` or ``/workspaces``.

    The original SDK wanted ``.../hub/v1/workspaces``; ours appends ``/workspaces/{id}``
    itself, so both spellings work.
    """
    if not isinstance(url, str):
        raise InvalidValue(f"base_url must be a str such as {DEFAULT_BASE_URL!r}, got {type(url).__name__}")
    cleaned = _WORKSPACES_SUFFIX.sub("", url.strip()).rstrip("/")
    if not cleaned.startswith(("http://", "https://")) or cleaned in ("http:", "https:"):
        raise InvalidValue(f"base_url must be an http(s) URL such as {DEFAULT_BASE_URL!r}, got {url!r}")
    return cleaned


def _required_text(name: str) -> Any:
    def check(_: Any, __: Any, value: str) -> None:
        if not value.strip():
            raise ConfigurationError(f"{name} is empty; example: {_EXAMPLES[name]}")

    return check


def _optional_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any, name: str, what: str, *, integer: bool = False, zero_ok: bool = False) -> float:
    """``value`` as a number in range, else an error naming the setting with an example line.

    ``2.5`` attempts is an error rather than 2: a setting is never silently rounded.
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    in_range = number >= 0 if zero_ok else number > 0
    if isinstance(value, bool) or not in_range or (integer and not number.is_integer()):
        raise ConfigurationError(f"{name} must be {what}, got {value!r}; example: {_EXAMPLES[name]}")
    return number


def _timeout(value: Any) -> float:
    return _number(value, "timeout", "a positive number of seconds")


def _max_attempts(value: Any) -> int:
    return int(_number(value, "max_attempts", "a whole number of attempts, at least 1", integer=True))


def _max_total_wait(value: Any) -> float:
    return _number(value, "max_total_wait", "a number of seconds, 0 or more", zero_ok=True)


def _requests_per_second(value: Any) -> float:
    return _number(value, "requests_per_second", "a positive number of requests")


def parse_statuses(value: Any, name: str = "retry_on") -> frozenset[int]:
    """HTTP statuses from ``"500, 502"`` (INI, environment, command line) or ``[500, 502]`` (JSON).

    Each must be a 4xx or 5xx code: a 2xx/3xx "retry" would repeat a success.
    """
    items = value.replace(";", ",").split(",") if isinstance(value, str) else value
    if isinstance(items, (int, bool)) or not hasattr(items, "__iter__"):
        items = [items]
    statuses: set[int] = set()
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if isinstance(item, bool) or not text.isdigit() or not 400 <= int(text) <= 599:
            raise ConfigurationError(
                f"{name} takes HTTP status codes from 400 to 599, got {text!r}; "
                f"example: {_EXAMPLES['retry_on']}"
            )
        statuses.add(int(text))
    if not statuses:
        raise ConfigurationError(f"{name} needs at least one status; example: {_EXAMPLES['retry_on']}")
    return frozenset(statuses)


def _workspace_id(value: Any) -> str:
    return str(value).strip()


def _token(value: Any) -> str:
    if not isinstance(value, str):
        # Say what is wrong without showing the value.
        raise ConfigurationError(f"token must be a str, got {type(value).__name__}")
    return value.strip()


@attrs.frozen
class HubSettings:
    """Everything needed to connect: workspace, token, API root, default node and timeout.

    Ids are converted to ``str`` (ints work, as in the original SDK).  The token is kept
    out of ``repr``.
    """

    workspace_id: str = attrs.field(
        converter=lambda v: str(v).strip(), validator=_required_text("workspace_id")
    )
    token: str = attrs.field(repr=False, converter=_token, validator=_required_text("token"))
    base_url: str = attrs.field(default=DEFAULT_BASE_URL, converter=normalize_base_url)
    node_id: str | None = attrs.field(default=None, converter=_optional_str)
    #: None keeps the Workspace's default (5 s to connect, 30 s to read)
    timeout: float | None = attrs.field(default=None, converter=attrs.converters.optional(_timeout))
    #: retry caps (None keeps the default :class:`~contacthub_like.http.retry.Retry`); ``max_attempts = 1``
    #: turns retries off
    max_attempts: int | None = attrs.field(default=None, converter=attrs.converters.optional(_max_attempts))
    max_total_wait: float | None = attrs.field(
        default=None, converter=attrs.converters.optional(_max_total_wait)
    )
    #: client-side throttle shared by every thread of the Workspace (None: no throttle)
    requests_per_second: float | None = attrs.field(
        default=None, converter=attrs.converters.optional(_requests_per_second)
    )

    #: statuses worth another attempt (None keeps the default: 423, 429, 502, 503, 504 for the
    #: Workspace; an import also repeats a customer record after a 500)
    retry_on: frozenset[int] | None = attrs.field(
        default=None, converter=attrs.converters.optional(parse_statuses)
    )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], *, source: str = "settings") -> HubSettings:
        """Build from a mapping with the keys ``workspace_id``, ``token`` and optional ones.

        Empty values count as missing; unknown keys are ignored.
        """
        present = {k: values[k] for k in _KEYS if values.get(k) not in (None, "")}
        missing = [k for k in _REQUIRED if k not in present]
        if missing:
            raise ConfigurationError(_missing_message(missing, source))
        try:
            return cls(**present)
        except (InvalidValue, ConfigurationError) as exc:
            raise ConfigurationError(f"{source}: {exc}") from None


def _missing_message(missing: list[str], source: str) -> str:
    examples = "\n".join(f"    {_EXAMPLES[k]}" for k in missing)
    return (
        f"workspace_id or token parameter not found in {source}: missing {', '.join(missing)}. "
        f"Add a line such as:\n{examples}"
    )


# ------------------------------------------------------------------------------ INI


_TOP = "__top__"  # section that collects keys written before any header
_NO_DEFAULT = "__no_default_section__"


def load_ini(path: str | os.PathLike[str]) -> HubSettings:
    """Read ``key = value`` settings from an INI file.

    Accepts a file with no section header (the original SDK's format), a
    ``[contacthub]`` section, and values in ``[DEFAULT]``; ``[contacthub]`` wins over
    section-less keys, which win over ``[DEFAULT]``.  ``%`` is an ordinary character.
    Raises :class:`FileNotFoundError` for a missing file and
    :class:`~contacthub_like.errors.ConfigurationError` for a bad one.
    """
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    source = f"INI file {os.fspath(path)}"
    # [DEFAULT] is read as an ordinary section so that nothing is inherited implicitly and
    # the precedence below is the only rule.
    parser = configparser.RawConfigParser(interpolation=None, default_section=_NO_DEFAULT)
    try:
        parser.read_string(f"[{_TOP}]\n{text}", source=os.fspath(path))
    except configparser.ParsingError as exc:
        raise ConfigurationError(_parsing_message(exc, source)) from None
    except configparser.DuplicateOptionError as exc:
        line = (exc.lineno or 1) - 1  # the section header added above shifts every line by one
        raise ConfigurationError(f"{source}: {exc.option!r} is set twice (line {line})") from None
    except configparser.DuplicateSectionError as exc:
        raise ConfigurationError(f"{source}: section [{exc.section}] appears twice") from None
    values: dict[str, str] = {}
    for section in _sections_by_precedence(parser):
        values.update(parser.items(section))
    return HubSettings.from_mapping(values, source=source)


def _sections_by_precedence(parser: configparser.RawConfigParser) -> list[str]:
    """Lowest first: ``[DEFAULT]``, then keys before any header, then ``[contacthub]``."""
    names = parser.sections()
    return (
        [n for n in names if n.upper() == configparser.DEFAULTSECT]
        + [_TOP]
        + [n for n in names if n.lower() == INI_SECTION]
    )


def _parsing_message(exc: configparser.ParsingError, source: str) -> str:
    # The parser's own message quotes the bad lines, which may hold the token: give numbers only.
    lines = ", ".join(str(lineno - 1) for lineno, _ in exc.errors)
    return f"{source}: line(s) {lines} are not 'key = value' lines; example: {_EXAMPLES['token']}"


# ----------------------------------------------------------------------------- JSON


def load_json(path: str | os.PathLike[str]) -> HubSettings:
    """Read settings from a JSON object (optionally nested under a ``"contacthub"`` key)."""
    source = f"JSON file {os.fspath(path)}"
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(data, dict) and isinstance(data.get(INI_SECTION), dict):
        data = data[INI_SECTION]
    if not isinstance(data, dict):
        raise ConfigurationError(
            f'{source} must hold a JSON object such as {{"workspace_id": "...", "token": "..."}}'
        )
    return HubSettings.from_mapping(data, source=source)


# ---------------------------------------------------------------------- environment


def load_env(environ: Mapping[str, str] | None = None) -> HubSettings:
    """Read ``CONTACTHUB_WORKSPACE_ID``, ``CONTACTHUB_TOKEN`` and the optional
    ``CONTACTHUB_BASE_URL``, ``CONTACTHUB_NODE_ID``, ``CONTACTHUB_TIMEOUT``,
    ``CONTACTHUB_MAX_ATTEMPTS``, ``CONTACTHUB_MAX_TOTAL_WAIT``, ``CONTACTHUB_REQUESTS_PER_SECOND``,
    ``CONTACTHUB_RETRY_ON``."""
    env = os.environ if environ is None else environ
    values = {key: env.get(ENV_PREFIX + key.upper()) for key in _KEYS}
    missing = [k for k in _REQUIRED if not (values[k] or "").strip()]
    if missing:
        names = ", ".join(ENV_PREFIX + k.upper() for k in missing)
        example = ENV_PREFIX + missing[0].upper() + "=" + _EXAMPLES[missing[0]].split(" = ", 1)[1]
        raise ConfigurationError(
            f"workspace_id or token parameter not found in the environment: {names} not set; "
            f"example: export {example}"
        )
    return HubSettings.from_mapping(values, source="the environment")
