"""Bulk import, export, query and migrate against the embedded hub over loopback, API and command line."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from contacthub_like import Customer, Node, Workspace
from contacthub_like.cli import main
from contacthub_like.migrate import (
    BulkInterrupted,
    Checkpoint,
    RecordRetry,
    RejectsFile,
    bulk_import,
    export_customers,
    parse_where,
    read_csv,
)
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.server import LocalHub

HEADER = "externalId,base.firstName,base.lastName,base.contacts.email,base.dob,tags.manual,events\n"


def row(n: int, *, email: str | None = None, dob: str = "1980-01-02", events: int = 1) -> str:
    evs = [
        {
            "type": "viewedProduct",
            "context": "WEB",
            "date": f"2025-01-0{1 + i}T10:00:00Z",
            "properties": {"n": i},
        }
        for i in range(events)
    ]
    cell = json.dumps(evs).replace('"', '""')
    tags = "vip" if n % 3 == 0 else ""
    return f'E{n:04d},First{n},Last{n % 7},{email or f"c{n}@example.com"},{dob},{tags},"{cell}"\n'


def csv_file(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def all_customers(node: Node) -> list[dict]:
    return list(export_customers(node))


def event_count(node: Node) -> int:
    return sum(1 for _ in node.get_events().stream())


@pytest.fixture
def ini(tmp_path: Path, workspace: Workspace, node: Node, client_hub: LocalHub) -> Path:
    """Settings for the command line: this test's node on the session hub."""
    path = tmp_path / "hub.ini"
    token = admin.ensure_default_credentials(client_hub.db_path).token
    path.write_text(
        f"workspace_id = {workspace.workspace_id}\ntoken = {token}\n"
        f"base_url = {workspace.base_url}\nnode_id = {node.node_id}\n",
        encoding="utf-8",
    )
    return path


def test_import_counts_add_up_and_every_bad_row_is_in_the_rejects(tmp_path: Path, node: Node) -> None:
    rows = [row(n) for n in range(1, 21)]
    rows[4] = row(5, email="not-an-email")
    rows[9] = row(10, dob="1980-02-30")
    rows[14] = "E0015,too,few\n"
    source = csv_file(tmp_path / "in.csv", rows)
    with RejectsFile(tmp_path / "rejects.jsonl") as rejects:
        summary = bulk_import(node, read_csv(source), workers=4, rejects=rejects)
    assert (summary.created, summary.rejected, summary.total) == (17, 3, 20)
    rejected = [json.loads(x) for x in (tmp_path / "rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["line"] for r in rejected) == [6, 11, 16]
    reasons = {r["line"]: r["reason"] for r in rejected}
    assert "e-mail" in reasons[6] and "dob" in reasons[11] and "expected 7 fields" in reasons[16]
    assert next(r for r in rejected if r["line"] == 16)["source"] == "E0015,too,few"
    stored = all_customers(node)
    assert len(stored) == 17 and event_count(node) == 17
    vip = node.query(Customer).filter(parse_where('"vip" in tags.manual')).count()
    assert vip == len([n for n in range(1, 21) if n % 3 == 0 and n not in (15,)])

    # the same file again: nothing new, nothing rewritten, no event twice
    again = bulk_import(node, read_csv(source), workers=4)
    assert (again.unchanged, again.rejected, again.total) == (17, 3, 20)
    assert len(all_customers(node)) == 17 and event_count(node) == 17


def _stop_after(records: Iterator, count: int) -> Iterator:
    for n, record in enumerate(records):
        if n == count:
            raise KeyboardInterrupt
        yield record


def test_interrupted_import_resumes_without_resending_or_duplicating(tmp_path: Path, node: Node) -> None:
    source = csv_file(tmp_path / "in.csv", [row(n, events=2) for n in range(1, 41)])
    cp_path = tmp_path / "in.checkpoint"
    with Checkpoint(cp_path, source=str(source)) as cp, pytest.raises(BulkInterrupted) as info:
        bulk_import(node, _stop_after(read_csv(source), 15), workers=3, checkpoint=cp)
    first = info.value.summary
    assert first.created == first.total and 0 < first.total <= 15

    sent: list[str] = []
    with Checkpoint(cp_path, source=str(source), resume=True) as cp:
        assert len(cp.done) == first.total
        summary = bulk_import(
            node, read_csv(source), workers=3, checkpoint=cp, on_result=lambda r: sent.append(r.record.key)
        )
    assert summary.total == 40 and summary.rejected == 0
    assert len(sent) == 40 - first.total  # confirmed records were not sent again
    docs = all_customers(node)
    assert len(docs) == 40 and len({d["externalId"] for d in docs}) == 40
    assert event_count(node) == 80


def test_killed_import_process_resumes_from_its_checkpoint(tmp_path: Path, node: Node, ini: Path) -> None:
    source = csv_file(tmp_path / "big.csv", [row(n) for n in range(1, 301)])
    checkpoint = tmp_path / "big.checkpoint"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "contacthub_like.cli", "import", str(source), "--config", str(ini),
         "--workers", "2", "--checkpoint", str(checkpoint), "--quiet"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if checkpoint.exists() and checkpoint.read_text(encoding="utf-8").count("\n") > 40:
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.stderr is not None
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    done_before = checkpoint.read_text(encoding="utf-8").count("\n") - 1
    assert 40 <= done_before < 300

    assert (
        main(
            [
                "import",
                str(source),
                "--config",
                str(ini),
                "--checkpoint",
                str(checkpoint),
                "--resume",
                "--quiet",
            ]
        )
        == 0
    )
    docs = all_customers(node)
    assert len(docs) == 300 and len({d["externalId"] for d in docs}) == 300
    assert event_count(node) == 300
    entries = [
        json.loads(x) for x in checkpoint.read_text(encoding="utf-8").splitlines()[1:] if x.endswith("}")
    ]
    assert len({e["key"] for e in entries}) == 300


def test_cli_export_reimport_query_and_exit_codes(
    tmp_path: Path,
    node: Node,
    ini: Path,
    capsys: pytest.CaptureFixture[str],
    client_hub: LocalHub,
    workspace: Workspace,
) -> None:
    source = csv_file(tmp_path / "in.csv", [row(n) for n in range(1, 11)] + [row(11, email="nope")])
    assert main(["import", str(source), "--config", str(ini), "--quiet"]) == 1  # done, with rejects
    assert json.loads((tmp_path / "in.csv.rejects.jsonl").read_text(encoding="utf-8"))["line"] == 12

    out = tmp_path / "out.csv"
    where = 'base.lastName == "Last3" or "vip" in tags.manual'
    fields = "externalId,base.contacts.email,tags.manual"
    assert (
        main(
            ["export", "--config", str(ini), "--where", where, "--fields", fields, "-o", str(out), "--quiet"]
        )
        == 0
    )
    with open(out, encoding="utf-8", newline="") as fh:
        exported = list(csv.DictReader(fh))
    assert sorted(r["externalId"] for r in exported) == ["E0003", "E0006", "E0009", "E0010"]
    assert json.loads(next(r for r in exported if r["externalId"] == "E0006")["tags.manual"]) == ["vip"]

    # the export imports back unmapped into another node
    other = admin.create_node(client_hub.store, workspace.workspace_id, "copy")
    other_ini = tmp_path / "other.ini"
    other_ini.write_text(ini.read_text(encoding="utf-8").replace(node.node_id, other), encoding="utf-8")
    assert main(["import", str(out), "--config", str(other_ini), "--quiet"]) == 0
    assert main(["import", str(out), "--config", str(other_ini)]) == 0
    assert "4 records: 0 created, 0 updated, 4 unchanged, 0 rejected" in capsys.readouterr().err

    assert main(["query", "--config", str(ini), "--where", '"vip" in tags.manual', "--limit", "2"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split() == [
        "id",
        "externalId",
        "base.firstName",
        "base.lastName",
        "base.contacts.email",
    ]
    assert len(printed) == 5 and printed[-1] == "2 of 3 customers"

    assert main(["query", "--config", str(ini), "--where", "base.lastName = 'x'"]) == 2
    assert "cannot parse the query expression" in capsys.readouterr().err
    assert main(["export", "--config", str(ini), "--fields", "base.nickName"]) == 2
    assert main(["import", str(tmp_path / "missing.csv"), "--config", str(ini)]) == 2
    assert main(["import", str(source), "--config", str(ini), "--workers", "0"]) == 2
    no_token = tmp_path / "no-token.ini"
    no_token.write_text(f"workspace_id = {workspace.workspace_id}\n", encoding="utf-8")
    assert main(["query", "--config", str(no_token)]) == 2
    assert "token" in capsys.readouterr().err


def test_cli_migrate_copies_customers_and_events_between_hubs(
    tmp_path: Path, node: Node, ini: Path, client_hub: LocalHub, workspace: Workspace
) -> None:
    bulk_import(node, read_csv(csv_file(tmp_path / "in.csv", [row(n, events=2) for n in range(1, 9)])))
    target_id = admin.create_node(client_hub.store, workspace.workspace_id, "target")
    target_ini = tmp_path / "target.ini"
    target_ini.write_text(ini.read_text(encoding="utf-8").replace(node.node_id, target_id), encoding="utf-8")
    args = [
        "migrate",
        "--from",
        str(ini),
        "--to",
        str(target_ini),
        "--quiet",
        "--rejects",
        str(tmp_path / "r.jsonl"),
    ]
    assert main([*args, "--where", 'base.lastName != "Last1"']) == 0
    target = workspace.get_node(target_id)
    assert sorted(d["externalId"] for d in all_customers(target)) == [
        f"E{n:04d}" for n in range(1, 9) if n % 7 != 1
    ]
    assert event_count(target) == 12
    assert main(args) == 0  # the rest; what is there already is left as it is, events included
    assert len(all_customers(target)) == 8 and event_count(target) == 16


def test_import_through_dropped_answers_and_503s_writes_each_record_once(
    tmp_path: Path, workspace: Workspace, node: Node, client_hub: LocalHub
) -> None:
    from contacthub_like.http.retry import Retry
    from contacthub_like.sandbox.faults import FaultConfig

    rows = [row(n, events=2) for n in range(1, 41)]
    source = csv_file(tmp_path / "in.csv", rows)
    creds = admin.ensure_default_credentials(client_hub.db_path)
    # 35 % of requests fail: enough attempts that giving up is not a plausible outcome of the test
    retry = Retry(max_attempts=30, backoff=0.01, max_backoff=0.05, max_total_wait=20)
    faults = FaultConfig(rate_503=0.1, rate_drop=0.1, rate_drop_after_commit=0.15, retry_after=0.01, seed=7)
    with Workspace(creds.workspace_id, creds.token, client_hub.base_url, retry=retry) as ws:
        client_hub.set_faults(faults)
        try:
            records = RecordRetry(max_attempts=30, backoff=0.01, max_backoff=0.05)
            summary = bulk_import(ws.get_node(node.node_id), read_csv(source), workers=4, retry=records)
            injected = dict(client_hub.injected_faults)
        finally:
            client_hub.set_faults(FaultConfig())
    assert injected.get("drop_after_commit", 0) >= 3 and injected.get("503", 0) >= 3, injected
    # an answer lost after the hub created the customer is resolved by the retry, never duplicated
    assert summary.total == 40 and summary.rejected == 0
    assert summary.created + summary.updated + summary.unchanged == 40
    docs = all_customers(node)
    assert len(docs) == 40 and len({d["externalId"] for d in docs}) == 40
    assert event_count(node) == 80
    again = bulk_import(node, read_csv(source), workers=4)
    assert again.unchanged == 40 and event_count(node) == 80


def test_reimport_of_date_times_is_unchanged_whatever_their_spelling(tmp_path: Path, node: Node) -> None:
    record = {
        "externalId": "D1",
        "consents": {"disclaimer": {"date": "2025-01-02T03:04:05Z", "version": "v1"}},
        "base": {
            "likes": [
                {"id": "l1", "category": "music", "name": "jazz", "createdTime": "2025-03-04T05:06:07+01:00"}
            ]
        },
    }
    assert bulk_import(node, [record]).created == 1
    assert bulk_import(node, [record]).unchanged == 1
    moved = {**record, "consents": {"disclaimer": {"date": "2025-01-02T04:04:05+01:00"}}}  # the same instant
    assert bulk_import(node, [moved]).unchanged == 1
    later = {**record, "consents": {"disclaimer": {"date": "2025-01-02T03:04:06Z"}}}
    assert bulk_import(node, [later]).updated == 1


def test_cli_migrate_dry_run_previews_with_reads_only(
    tmp_path: Path,
    node: Node,
    ini: Path,
    client_hub: LocalHub,
    workspace: Workspace,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the rejects files' default paths are relative
    bulk_import(node, read_csv(csv_file(tmp_path / "in.csv", [row(n, events=1) for n in range(1, 7)])))
    target_id = admin.create_node(client_hub.store, workspace.workspace_id, "preview-target")
    target_ini = tmp_path / "target.ini"
    target_ini.write_text(ini.read_text(encoding="utf-8").replace(node.node_id, target_id), encoding="utf-8")
    target = workspace.get_node(target_id)
    args = ["migrate", "--from", str(ini), "--to", str(target_ini), "--checkpoint", str(tmp_path / "m.ckpt")]
    assert main([*args, "--where", 'base.lastName != "Last1"']) == 0  # a first real run: 5 of the 6
    capsys.readouterr()
    before = sorted((d["externalId"], d["base"]["firstName"]) for d in all_customers(target))
    events_before = event_count(target)
    checkpoint_before = (tmp_path / "m.ckpt").read_bytes()

    assert main([*args, "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert "dry run: only reads are sent" in err
    assert "dry run, nothing written" in err and "1 created" in err and "5 unchanged" in err
    assert sorted((d["externalId"], d["base"]["firstName"]) for d in all_customers(target)) == before
    assert event_count(target) == events_before
    assert (tmp_path / "m.ckpt").read_bytes() == checkpoint_before  # read with --resume only, never written
    assert not (tmp_path / "migrate.dry-run.rejects.jsonl").exists()  # nothing a real run would reject

    assert main(args[:5] + ["--dry-run"]) == 0  # without a checkpoint, the preview still says what it is
    assert "dry run: only reads are sent" in capsys.readouterr().err

    assert main([*args, "--match-on", "email"]) == 2  # --match-on only describes a preview
    assert "--match-on" in capsys.readouterr().err
    assert main(args) == 0  # the real run does what the preview said
    assert len(all_customers(target)) == 6
