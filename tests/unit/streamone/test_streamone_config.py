"""StreamOne.from_json_file reads the seed SDK's configuration file; bad files say what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contacthub_like.errors import ConfigurationError, InvalidType
from contacthub_like.streamone import DEFAULT_HOST, Invoice, StreamOne, invoice_period


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "streamone.json"
    path.write_text(json.dumps(document))
    return path


def test_the_seed_sdk_file_gives_both_apis_and_no_secret_shows(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {
            "v1": {"api_key": "k", "api_secret": "secret-1"},
            "v3": {"access_token": "at-secret", "refresh_token": "rt-secret"},
            "accountid": "10505",
        },
    )
    ion = StreamOne.from_json_file(path)
    assert ion.host == DEFAULT_HOST and ion.v3.root == "/api/v3/accounts/10505" and ion.v1.root == "/api/v1"
    shown = repr(ion) + repr(ion.v3.transport.auth) + repr(ion.v1.transport.auth)
    assert not any(secret in shown for secret in ("secret-1", "at-secret", "rt-secret"))
    ion.close()


def test_base_url_in_the_file_points_at_the_sandbox(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {
            "v1": {"api_key": "k", "api_secret": "s"},
            "accountid": "1",
            "base_url": "http://127.0.0.1:8000/streamone",
        },
    )
    ion = StreamOne.from_json_file(path)
    assert ion.host == "http://127.0.0.1:8000/streamone"
    with pytest.raises(ConfigurationError, match="no v3 credentials"):
        _ = ion.v3
    ion.close()


@pytest.mark.parametrize(
    "document, message",
    [
        ({"accountid": "1"}, "v1 and/or v3"),
        ({"v1": {"api_key": "k", "api_secret": "s"}}, "no accountid"),
        ({"v1": {"api_key": "k"}, "accountid": "1"}, "api_key and api_secret"),
        ({"v3": {"access_token": "a"}, "accountid": "1"}, "no refresh_token"),
    ],
)
def test_incomplete_files_say_what_is_missing(tmp_path: Path, document: object, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        StreamOne.from_json_file(_write(tmp_path, document))


def test_missing_or_broken_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        StreamOne.from_json_file(tmp_path / "nope.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(ConfigurationError, match="not valid JSON"):
        StreamOne.from_json_file(broken)


def test_entities_of_other_services_are_refused(tmp_path: Path) -> None:
    ion = StreamOne(api_key="k", api_secret="s")
    with pytest.raises(InvalidType, match="not a StreamOne entity"):
        ion.query(dict)  # type: ignore[arg-type]
    assert ion.session_for(Invoice) is ion.v1
    ion.close()


def test_invoice_periods() -> None:
    from datetime import date

    assert invoice_period(date(2025, 1, 31)) == "m-01-2025"
    assert invoice_period(today=date(2025, 1, 15)) == "m-12-2024"
    assert invoice_period("m-02-2025") == "m-02-2025"
    with pytest.raises(ValueError, match="m-MM-YYYY"):
        invoice_period("2025-02")
