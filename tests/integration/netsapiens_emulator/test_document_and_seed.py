"""The served OpenAPI document, the seed data and the configuration file ``hub init`` writes."""

from __future__ import annotations

import copy
import json
import stat
from pathlib import Path

import requests

from contacthub_like.sandbox import netsapiens
from contacthub_like.sandbox.emulators import EMULATOR_NAMES, load_emulators
from contacthub_like.sandbox.netsapiens.document import official_subset


def test_the_emulator_is_registered_under_its_prefix() -> None:
    assert "netsapiens" in EMULATOR_NAMES
    assert netsapiens in load_emulators() and netsapiens.PREFIX == "/netsapiens"
    assert all(ddl.split("EXISTS ")[1].startswith("netsapiens_") for ddl in netsapiens.SCHEMA)


def test_the_document_is_served_as_the_official_subset(hub, config) -> None:
    for path in ("/netsapiens/ns-api/v2/openapi.json", "/netsapiens/openapi.json"):
        r = requests.get(hub.base_url + path, timeout=10)
        assert r.status_code == 200
        served = r.json()
        assert served["servers"] == [
            {"url": config["base_url"] + "/ns-api/v2", "description": "contacthub_like sandbox emulator"}
        ]
        official = copy.deepcopy(official_subset())
        assert official["components"]["schemas"]["Timestamp"]["enum"] == ["YYYY-MM-DDTHH:MM:SS.ssZ"]
        for document in (served, official):
            document.pop("servers")
            document["components"]["schemas"].pop("Timestamp")
        assert served == official


def test_seed_is_idempotent_and_writes_the_seed_clients_auth_file(hub, config, tmp_path: Path) -> None:
    [again] = netsapiens.seed(hub.store, base_url=hub.base_url + "/", config_dir=tmp_path)
    assert json.loads(again.read_text()) == config
    assert set(config) == {"base_url", "client_id", "client_secret", "username", "password"}
    assert config["base_url"] == hub.base_url + "/netsapiens" and config["username"] == "123@testdomain.com"
    assert stat.S_IMODE(again.stat().st_mode) == 0o600
    assert netsapiens.seed(hub.store, base_url=hub.base_url, config_dir=None) == []
    assert hub.store.scalar("SELECT count(*) FROM netsapiens_users WHERE domain = 'testdomain.com'") == 1
    assert json.loads(hub.store.scalar("SELECT sms_numbers FROM netsapiens_users WHERE user = '123'")) == [
        "1987654321",
        "1234567899",
    ]
    readme_session = (
        "SELECT count(*) FROM netsapiens_messages WHERE session_id = '2d51df1810812ace8d138a2558d0bd79'"
    )
    assert hub.store.scalar(readme_session) == 1
    creds = netsapiens.ensure_demo(hub.store)
    assert creds.password not in repr(creds) and creds.client_secret not in repr(creds)


def test_hub_init_writes_netsapiens_json_for_the_port(tmp_path: Path, capsys) -> None:
    from contacthub_like import cli

    db, configs = tmp_path / "cli.sqlite3", tmp_path / "configs"
    argv = ["hub", "init", "--db", str(db), "--port", "8765", "--service-configs", str(configs)]
    assert cli.main(argv) == 0
    first = json.loads((configs / "netsapiens.json").read_text())
    assert (
        first["base_url"] == "http://127.0.0.1:8765/netsapiens" and first["username"] == "123@testdomain.com"
    )
    assert f"wrote {configs / 'netsapiens.json'}" in capsys.readouterr().out
    assert cli.main(argv) == 0  # again: the same credentials
    assert json.loads((configs / "netsapiens.json").read_text()) == first
