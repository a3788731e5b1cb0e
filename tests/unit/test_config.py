"""Settings value object and its INI / JSON / environment loaders."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import attrs
import pytest

from contacthub_like import errors
from contacthub_like.services.contacthub.settings import (
    DEFAULT_BASE_URL,
    HubSettings,
    load_env,
    load_ini,
    load_json,
    normalize_base_url,
)

TOKEN = "to%ken%(x)s"


def _write(tmp_path: Path, text: str, name: str = "hub.ini") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -------------------------------------------------------------------- value object


def test_defaults_and_conversions() -> None:
    settings = HubSettings(workspace_id=123, token="t")  # type: ignore[arg-type]
    assert settings.workspace_id == "123"
    assert settings.base_url == DEFAULT_BASE_URL == "https://api.contactlab.it/hub/v1"
    assert settings.node_id is None and settings.timeout is None
    assert HubSettings("w", "t", node_id=7, timeout="2.5").node_id == "7"  # type: ignore[arg-type]


def test_frozen_and_token_not_in_repr() -> None:
    settings = HubSettings("w", TOKEN)
    assert TOKEN not in repr(settings) and "token" not in repr(settings)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        settings.token = "x"  # type: ignore[misc]
    assert attrs.evolve(settings, node_id="n").node_id == "n"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"workspace_id": " ", "token": "t"}, "workspace_id is empty"),
        ({"workspace_id": "w", "token": ""}, "token is empty"),
        ({"workspace_id": "w", "token": 5}, "token must be a str"),
        ({"workspace_id": "w", "token": "t", "timeout": 0}, "timeout must be a positive"),
        ({"workspace_id": "w", "token": "t", "timeout": "soon"}, "timeout must be a positive"),
    ],
)
def test_validation(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(errors.ConfigurationError, match=match):
        HubSettings(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.contactlab.it/hub/v1/workspaces", "https://api.contactlab.it/hub/v1"),
        ("https://api.contactlab.it/hub/v1/workspaces/", "https://api.contactlab.it/hub/v1"),
        ("https://api.contactlab.it/hub/v1/", "https://api.contactlab.it/hub/v1"),
        (" http://127.0.0.1:8080 ", "http://127.0.0.1:8080"),
        ("http://h/my-workspaces", "http://h/my-workspaces"),
    ],
)
def test_normalize_base_url(url: str, expected: str) -> None:
    assert normalize_base_url(url) == expected


@pytest.mark.parametrize("url", ["http", "ftp://x", "", "https://", None])
def test_normalize_base_url_rejects(url: object) -> None:
    with pytest.raises(errors.InvalidValue, match="base_url"):
        normalize_base_url(url)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ INI


def test_ini_without_section_and_percent_in_token(tmp_path: Path) -> None:
    path = _write(tmp_path, f"workspace_id = 123\ntoken = {TOKEN}\n")
    settings = load_ini(path)
    assert (settings.workspace_id, settings.token) == ("123", TOKEN)
    assert settings.base_url == DEFAULT_BASE_URL


def test_ini_original_sdk_base_url_is_normalised(tmp_path: Path) -> None:
    path = _write(tmp_path, "workspace_id=1\ntoken=2\nbase_url=https://h/hub/v1/workspaces\n")
    assert load_ini(path).base_url == "https://h/hub/v1"


def test_ini_with_section_default_and_precedence(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "# comment\nnode_id = top\ntimeout = 9\n"
        "[DEFAULT]\ntimeout = 5\nbase_url = http://default\n"
        "[other]\ntoken = not-this\n"
        f"[ContactHub]\nworkspace_id = ws\ntoken = {TOKEN}\nnode_id = sect\n",
    )
    settings = load_ini(path)
    assert settings.workspace_id == "ws" and settings.token == TOKEN
    assert settings.node_id == "sect"  # section beats section-less keys
    assert settings.timeout == 9.0  # section-less keys beat [DEFAULT]
    assert settings.base_url == "http://default"


def test_ini_default_section_only(tmp_path: Path) -> None:
    path = _write(tmp_path, "[DEFAULT]\nworkspace_id = w\ntoken = t\n")
    assert load_ini(path).workspace_id == "w"


def test_ini_missing_key_message(tmp_path: Path) -> None:
    path = _write(tmp_path, "workspace_id = 123\n")
    with pytest.raises(errors.ConfigurationError) as info:
        load_ini(path)
    message = str(info.value)
    assert message.startswith(f"workspace_id or token parameter not found in INI file {path}")
    assert "missing token" in message and "token = <your API token>" in message
    assert isinstance(info.value, KeyError)


def test_ini_empty_value_counts_as_missing(tmp_path: Path) -> None:
    with pytest.raises(errors.ConfigurationError, match="missing workspace_id, token"):
        load_ini(_write(tmp_path, "workspace_id =\ntoken=\n"))


def test_ini_missing_file() -> None:
    with pytest.raises(FileNotFoundError):
        load_ini("/nonexistent/hub.ini")


def test_ini_file_is_closed(tmp_path: Path) -> None:
    path = _write(tmp_path, "workspace_id=1\ntoken=2\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        load_ini(path)
        import gc

        gc.collect()


def test_ini_parse_error_does_not_echo_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, "workspace_id = 1\ntoken = t\nsupersecretline\n")
    with pytest.raises(errors.ConfigurationError, match=r"line\(s\) 3 are not 'key = value'") as info:
        load_ini(path)
    assert "supersecretline" not in str(info.value)


def test_ini_duplicate_key(tmp_path: Path) -> None:
    path = _write(tmp_path, f"workspace_id = 1\ntoken = {TOKEN}\ntoken = other\n")
    with pytest.raises(errors.ConfigurationError, match=r"'token' is set twice \(line 3\)") as info:
        load_ini(path)
    assert TOKEN not in str(info.value)


def test_ini_bad_values_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(errors.ConfigurationError, match="hub.ini: timeout must be"):
        load_ini(_write(tmp_path, "workspace_id=1\ntoken=2\ntimeout=abc\n"))
    with pytest.raises(errors.ConfigurationError, match="hub.ini: base_url must be"):
        load_ini(_write(tmp_path, "workspace_id=1\ntoken=2\nbase_url=http\n"))


def test_ini_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.ini"
    path.write_bytes("\ufeffworkspace_id=1\ntoken=2\n".encode())
    assert load_ini(path).workspace_id == "1"


# ----------------------------------------------------------------------------- JSON


def test_json_flat_and_nested(tmp_path: Path) -> None:
    flat = _write(tmp_path, json.dumps({"workspace_id": 1, "token": TOKEN, "timeout": 3}), "a.json")
    nested = _write(tmp_path, json.dumps({"contacthub": {"workspace_id": "w", "token": "t"}}), "b.json")
    assert load_json(flat) == HubSettings("1", TOKEN, timeout=3.0)
    assert load_json(nested).workspace_id == "w"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ('{"workspace_id": "w"}', "missing token"),
    ],
)
def test_json_errors(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(errors.ConfigurationError, match=match):
        load_json(_write(tmp_path, text, "c.json"))


# ---------------------------------------------------------------------- environment


def test_env_all_keys() -> None:
    env = {
        "CONTACTHUB_WORKSPACE_ID": "w",
        "CONTACTHUB_TOKEN": TOKEN,
        "CONTACTHUB_BASE_URL": "http://127.0.0.1:1/workspaces",
        "CONTACTHUB_NODE_ID": "n",
        "CONTACTHUB_TIMEOUT": "2.5",
    }
    assert load_env(env) == HubSettings("w", TOKEN, "http://127.0.0.1:1", "n", 2.5)


def test_env_missing_names_variable() -> None:
    with pytest.raises(errors.ConfigurationError) as info:
        load_env({"CONTACTHUB_WORKSPACE_ID": "w", "CONTACTHUB_TOKEN": "  "})
    assert "CONTACTHUB_TOKEN not set" in str(info.value)
    assert "export CONTACTHUB_TOKEN=<your API token>" in str(info.value)


def test_env_defaults_to_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTACTHUB_WORKSPACE_ID", "from-env")
    monkeypatch.setenv("CONTACTHUB_TOKEN", "t")
    monkeypatch.delenv("CONTACTHUB_BASE_URL", raising=False)
    assert load_env().workspace_id == "from-env"


def test_retry_and_throttle_settings_are_read_from_every_source(tmp_path):
    ini = _write(
        tmp_path,
        "workspace_id=w\ntoken=t\nmax_attempts = 2\nmax_total_wait=0\nrequests_per_second=7.5\n"
        "retry_on = 500, 503\n",
    )
    env = {
        "CONTACTHUB_WORKSPACE_ID": "w",
        "CONTACTHUB_TOKEN": "t",
        "CONTACTHUB_MAX_ATTEMPTS": "2",
        "CONTACTHUB_MAX_TOTAL_WAIT": "0",
        "CONTACTHUB_REQUESTS_PER_SECOND": "7.5",
        "CONTACTHUB_RETRY_ON": "500,503",
    }
    json_file = _write(
        tmp_path,
        json.dumps(
            {
                "workspace_id": "w",
                "token": "t",
                "max_attempts": 2,
                "max_total_wait": 0,
                "requests_per_second": 7.5,
                "retry_on": [500, 503],
            }
        ),
        "s.json",
    )
    for settings in (load_ini(ini), load_env(env), load_json(json_file)):
        assert (settings.max_attempts, settings.max_total_wait, settings.requests_per_second) == (2, 0.0, 7.5)
        assert settings.retry_on == {500, 503}


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("max_attempts", "0", "max_attempts must be a whole number of attempts, at least 1"),
        ("max_attempts", "2.5", "max_attempts must be a whole number"),
        ("max_total_wait", "-1", "max_total_wait must be a number of seconds, 0 or more"),
        ("requests_per_second", "0", "requests_per_second must be a positive number"),
        ("requests_per_second", "fast", "requests_per_second must be a positive number"),
        ("retry_on", "200", "retry_on takes HTTP status codes from 400 to 599, got '200'"),
        ("retry_on", "5xx", "retry_on takes HTTP status codes"),
        ("retry_on", ",", "retry_on needs at least one status"),
    ],
)
def test_bad_retry_and_throttle_settings_say_what_to_write(tmp_path, key, value, message):
    with pytest.raises(errors.ConfigurationError, match=message):
        load_ini(_write(tmp_path, f"workspace_id=w\ntoken=t\n{key} = {value}\n"))


def test_a_workspace_from_settings_uses_their_retry_caps_and_throttle():
    from contacthub_like import Workspace
    from contacthub_like.http.throttle import TokenBucket
    from contacthub_like.services.contacthub.workspace import DEFAULT_RETRY

    settings = HubSettings(
        "w", "t", base_url="http://127.0.0.1:9", max_attempts=2, requests_per_second=5, retry_on="500,502"
    )
    with Workspace.from_settings(settings) as ws:
        assert ws.retry.max_attempts == 2 and ws.retry.statuses == {500, 502}
        assert ws.retry.max_total_wait == DEFAULT_RETRY.max_total_wait
        assert isinstance(ws.throttle, TokenBucket)
    with Workspace.from_settings(HubSettings("w", "t", base_url="http://127.0.0.1:9")) as ws:
        assert ws.retry == DEFAULT_RETRY and ws.throttle is None
    with Workspace.from_settings(settings, retry=None) as ws:  # keyword arguments win
        assert ws.retry is None
