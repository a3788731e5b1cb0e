"""Imports through every kind of injected fault: one run, exit 0, each customer and event stored once.

2 % each of 429, 500, 503, a dropped connection and a connection dropped after the commit,
against a hub that honours ``Idempotency-Key`` and one that ignores it, first import and
re-import.  Backoffs are shortened so the test is quick; the attempt caps are the defaults.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from contacthub_like import Node, Workspace
from contacthub_like.cli import main
from contacthub_like.http.retry import Retry
from contacthub_like.migrate import RecordRetry, bulk_import, export_customers, read_csv
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.faults import FaultConfig
from contacthub_like.sandbox.server import LocalHub

HEADER = "externalId,base.firstName,base.contacts.email,events\n"
TEN_PERCENT = {f"rate_{kind}": 0.02 for kind in ("429", "500", "503", "drop", "drop_after_commit")}


def source_file(path: Path, count: int) -> Path:
    lines = [HEADER]
    for n in range(count):
        events = [
            {"type": "viewedPage", "context": "WEB", "date": f"2025-02-0{1 + i}T08:00:00Z", "properties": {}}
            for i in range(2)
        ]
        cell = json.dumps(events).replace('"', '""')
        lines.append(f'S{n:04d},Name{n},s{n}@example.com,"{cell}"\n')
    path.write_text("".join(lines), encoding="utf-8")
    return path


def stored(node: Node) -> tuple[int, int, int]:
    """(customers, distinct externalIds, events) on the node."""
    docs = list(export_customers(node))
    return len(docs), len({d["externalId"] for d in docs}), sum(1 for _ in node.get_events().stream())


@contextmanager
def faults(client_hub: LocalHub, *, honour_keys: bool, seed: int) -> Iterator[LocalHub]:
    hub = client_hub.app.state.hub
    hub.honour_idempotency_keys = honour_keys
    client_hub.set_faults(FaultConfig(**TEN_PERCENT, retry_after=0.01, seed=seed))
    try:
        yield client_hub
    finally:
        client_hub.set_faults(FaultConfig())
        hub.honour_idempotency_keys = True


@pytest.fixture(params=[True, False], ids=["keys-honoured", "keys-ignored"])
def faulty_hub(request: pytest.FixtureRequest, client_hub: LocalHub) -> Iterator[LocalHub]:
    with faults(client_hub, honour_keys=request.param, seed=11 if request.param else 12) as hub:
        yield hub


def test_import_and_reimport_through_ten_percent_faults_store_everything_once(
    tmp_path: Path, node: Node, faulty_hub: LocalHub
) -> None:
    source = source_file(tmp_path / "in.csv", 160)
    creds = admin.ensure_default_credentials(faulty_hub.db_path)
    retry = Retry(backoff=0.01, max_backoff=0.05)  # default max_attempts and max_total_wait
    records = RecordRetry(backoff=0.01, max_backoff=0.05)
    with Workspace(creds.workspace_id, creds.token, faulty_hub.base_url, retry=retry) as ws:
        target = ws.get_node(node.node_id)
        first = bulk_import(target, read_csv(source), workers=4, source=str(source), retry=records)
        again = bulk_import(target, read_csv(source), workers=4, source=str(source), retry=records)
    injected = faulty_hub.injected_faults
    assert all(injected.get(kind, 0) >= 3 for kind in ("429", "500", "503", "drop", "drop_after_commit")), (
        injected
    )
    assert first.total == 160 and first.rejected == 0 and first.created + first.updated == 160
    assert again.total == 160 and again.rejected == 0
    faulty_hub.set_faults(FaultConfig())
    assert stored(node) == (160, 160, 320)


def test_cli_import_through_ten_percent_faults_finishes_in_one_run(
    tmp_path: Path, node: Node, client_hub: LocalHub, workspace: Workspace
) -> None:
    # the default backoffs of the command line: fewer records, and the hub that ignores keys
    source = source_file(tmp_path / "in.csv", 60)
    token = admin.ensure_default_credentials(client_hub.db_path).token
    ini = tmp_path / "hub.ini"
    ini.write_text(
        f"workspace_id = {workspace.workspace_id}\ntoken = {token}\nbase_url = {workspace.base_url}\n"
        f"node_id = {node.node_id}\n",
        encoding="utf-8",
    )
    with faults(client_hub, honour_keys=False, seed=13):
        assert main(["import", str(source), "--config", str(ini), "--quiet", "--workers", "4"]) == 0
    assert stored(node) == (60, 60, 120)


def test_retry_on_is_checked_and_reaches_the_workspace_and_the_record_retry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from contacthub_like.migrate.commands import _record_retry, open_workspace

    source = source_file(tmp_path / "in.csv", 1)
    assert main(["import", str(source), "--retry-on", "500,299", "--quiet"]) == 2
    assert "--retry-on takes HTTP status codes from 400 to 599, got '299'" in capsys.readouterr().err
    ini = tmp_path / "hub.ini"
    ini.write_text("workspace_id = w\ntoken = t\nbase_url = http://127.0.0.1:9\nretry_on = 502\n", "utf-8")
    with open_workspace(str(ini)) as ws:  # the settings' statuses serve both
        assert ws.retry.statuses == {502} and _record_retry(ws, None).statuses == {502}
    with open_workspace(str(ini), retry_on=frozenset({500, 503})) as ws:  # the command line wins
        assert ws.retry.statuses == {500, 503} and _record_retry(ws, frozenset({500, 503})).statuses == {
            500,
            503,
        }
    ini.write_text("workspace_id = w\ntoken = t\nbase_url = http://127.0.0.1:9\n", "utf-8")
    with open_workspace(str(ini)) as ws:  # neither: the defaults, 500 included for whole records
        assert 500 not in ws.retry.statuses and 500 in _record_retry(ws, None).statuses
