"""Seeding is idempotent and writes the seed SDK's config; the OpenAPI document is current and
complete; the server-wide fault injection reaches the emulator; ``hub init`` seeds it."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import requests
from starlette.routing import Route

from contacthub_like.sandbox.emulators import EMULATOR_NAMES, EmulatorContext, SandboxSettings
from contacthub_like.sandbox.faults import FaultConfig
from contacthub_like.sandbox.streamone import SCHEMA, build_app, seed
from contacthub_like.sandbox.streamone.openapi_spec import PACKAGED, build_document, render

from .conftest import Ion

TABLES = (
    "customers",
    "invoices",
    "invoice_lines",
    "subscriptions",
    "orders",
    "products",
    "reports",
    "groups",
)


def counts(ion: Ion) -> dict[str, int]:
    return {t: ion.hub.store.scalar(f"SELECT COUNT(*) FROM streamone_{t}") for t in TABLES}


def test_seed_twice_adds_nothing_but_new_credentials(ion: Ion, tmp_path: Path) -> None:
    before = counts(ion)
    assert before["customers"] >= 5 and before["invoice_lines"] > before["invoices"] >= 9
    written = seed(ion.hub.store, base_url=ion.hub.base_url, config_dir=tmp_path)
    assert written == [tmp_path / "streamone.json"]
    assert counts(ion) == before
    assert seed(ion.hub.store, base_url=ion.hub.base_url, config_dir=None) == []
    assert counts(ion) == before
    second = json.loads(written[0].read_text())
    assert second["v3"]["refresh_token"] != ion.config["v3"]["refresh_token"]
    assert (
        requests.get(
            f"{second['base_url']}/api/v1/customers/12345",
            auth=(second["v1"]["api_key"], second["v1"]["api_secret"]),
            timeout=10,
        ).status_code
        == 200
    )


def test_config_file_has_the_seed_sdk_format_and_is_private(ion: Ion, config_dir: Path) -> None:
    path = config_dir / "streamone.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    config = json.loads(path.read_text())
    assert set(config) == {"v1", "v3", "accountid", "base_url"}
    assert set(config["v1"]) == {"api_key", "api_secret"} and set(config["v3"]) == {
        "access_token",
        "refresh_token",
    }
    assert config["accountid"] == "123" and config["base_url"] == ion.hub.base_url + "/streamone"
    stored = [row[0] for row in ion.hub.store.all("SELECT hash FROM streamone_tokens")]
    assert config["v3"]["refresh_token"] not in stored  # only hashes are kept


def test_packaged_openapi_is_current_and_served(ion: Ion) -> None:
    assert PACKAGED.read_text(encoding="utf-8") == render(), (
        "run python -m contacthub_like.sandbox.streamone.openapi_spec"
    )
    served = requests.get(f"{ion.base}/openapi.json", timeout=10)
    assert served.status_code == 200 and served.json() == build_document()


def test_every_route_is_described(ion: Ion) -> None:
    app = build_app(EmulatorContext(ion.hub.store, SandboxSettings()))
    described = build_document()["paths"]
    for route in app.routes:
        assert isinstance(route, Route)
        path = route.path.replace("{account_id}", "{accountId}").replace("{customer_id}", "{customerId}")
        for snake, camel in (
            ("invoice_id", "invoiceId"),
            ("file_name", "fileName"),
            ("order_id", "orderId"),
            ("subscription_id", "subscriptionId"),
            ("product_id", "productId"),
            ("report_id", "reportId"),
        ):
            path = path.replace(f"{{{snake}}}", f"{{{camel}}}")
        assert path in described, path
        for method in route.methods or ():
            if method != "HEAD":
                assert method.lower() in described[path], (method, path)


def test_schema_tables_are_prefixed_and_the_emulator_is_registered() -> None:
    assert "streamone" in EMULATOR_NAMES
    for ddl in SCHEMA:
        name = ddl.split("EXISTS", 1)[1].split()[0]
        assert name.startswith("streamone_"), name


def test_server_wide_faults_reach_the_emulator(ion: Ion) -> None:
    ion.hub.set_faults(FaultConfig(rate_429=1.0, retry_after=0.05))
    try:
        throttled = ion.v1_get("/customers")
    finally:
        ion.hub.set_faults(FaultConfig())
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "0.05"
    assert ion.v1_get("/customers").status_code == 200


def test_hub_init_writes_the_streamone_config(tmp_path: Path) -> None:
    from contacthub_like.cli import main

    assert (
        main(
            [
                "hub",
                "init",
                "--db",
                str(tmp_path / "h.sqlite3"),
                "--port",
                "8765",
                "--service-configs",
                str(tmp_path / "cfg"),
            ]
        )
        == 0
    )
    config = json.loads((tmp_path / "cfg" / "streamone.json").read_text())
    assert config["base_url"] == "http://127.0.0.1:8765/streamone" and config["accountid"] == "123"
