"""``import --dry-run`` against the embedded hub: only reads go out, the hub is left as it was, and the
real run that follows counts what the preview predicted -- through the API (threads and asyncio)
and the command line."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacthub_like import Node, Workspace
from contacthub_like.cli import main
from contacthub_like.migrate import MATCH_KEYS, MatchKey, bulk_import, bulk_import_async, read_csv
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.server import LocalHub

from .test_migrate_live import all_customers, csv_file, ini, row  # noqa: F401 - ini is a fixture

COUNTS = ("created", "updated", "unchanged", "rejected")


def hub_contents(node: Node) -> tuple[list[dict], list[dict]]:
    """Every customer and event of the node, as the hub serves them (``updatedAt`` included)."""
    customers = sorted(all_customers(node), key=lambda d: d["id"])
    events = sorted((e.to_dict() for e in node.get_events().stream()), key=lambda d: d["id"])
    return customers, events


def sent_methods(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The method of every request the transports logged (both log ``METHOD path -> status``)."""
    return [
        str(r.args[0])
        for r in caplog.records
        if r.name.endswith("transport") and "->" in r.msg and isinstance(r.args, tuple)
    ]


def counts(summary: object) -> tuple[int, ...]:
    return tuple(getattr(summary, name) for name in COUNTS)


def seeded_input(tmp_path: Path, node: Node) -> Path:
    """A file with something of every outcome against a node that already holds some of it."""
    bulk_import(node, read_csv(csv_file(tmp_path / "before.csv", [row(n) for n in range(1, 9)])), workers=2)
    rows = [row(n) for n in range(1, 5)]  # unchanged: as stored, events included
    rows += [row(5).replace("First5", "Fifth"), row(6, events=2)]  # updated: a new name, a new event
    rows += [row(n) for n in range(20, 26)]  # created
    rows += [row(26, email="not-an-email"), row(27, dob="1980-02-30"), "E0028,too,few\n"]  # rejected
    rows += [row(20).replace("First20", "Twentieth")]  # a key met again: the first one's customer, renamed
    return csv_file(tmp_path / "in.csv", rows)


def test_a_dry_run_reads_only_and_predicts_the_real_runs_summary(
    tmp_path: Path, node: Node, caplog: pytest.LogCaptureFixture
) -> None:
    source = seeded_input(tmp_path, node)
    before = hub_contents(node)
    with caplog.at_level(logging.DEBUG, logger="contacthub_like"):
        dry = bulk_import(node, read_csv(source), workers=4, dry_run=True)
        dry_async = asyncio.run(bulk_import_async(node, read_csv(source), concurrency=8, dry_run=True))
    methods = sent_methods(caplog)
    assert methods and set(methods) == {"GET"}
    assert hub_contents(node) == before
    assert dry.dry_run and counts(dry) == counts(dry_async) == (6, 3, 4, 3)

    real = bulk_import(node, read_csv(source), workers=4)
    assert not real.dry_run and counts(real) == counts(dry)
    assert len(all_customers(node)) == 8 + 6


@pytest.fixture(scope="module")
def by_policy(client_hub: LocalHub) -> Iterator[dict[str, Workspace]]:
    """A workspace of each matching policy on the session's hub."""
    workspaces: dict[str, Workspace] = {}
    for policy in MATCH_KEYS:
        with client_hub.store.transaction():
            ws = admin.create_workspace(client_hub.store, f"by-{policy}", match_policy=policy)
            token = admin.issue_token(client_hub.store, ws)
        workspaces[policy] = Workspace(ws, token, client_hub.base_url)
    yield workspaces
    for workspace in workspaces.values():
        workspace.close()


def fresh_node(workspace: Workspace, client_hub: LocalHub) -> Node:
    return workspace.get_node(admin.create_node(client_hub.store, workspace.workspace_id, "n"))


def test_a_workspace_matched_by_email_is_previewed_with_match_on_email(
    tmp_path: Path, client_hub: LocalHub, by_policy: dict[str, Workspace]
) -> None:
    node = fresh_node(by_policy["email"], client_hub)
    node.add_customer(externalId="other-key", base={"contacts": {"email": "c1@example.com"}})
    source = csv_file(tmp_path / "in.csv", [row(1, events=0), row(2, events=0)])
    dry = bulk_import(node, read_csv(source), dry_run=True, match_on="email")
    by_external_id = bulk_import(node, read_csv(source), dry_run=True)
    real = bulk_import(node, read_csv(source))
    # the e-mail finds the customer with another externalId, which the record then overwrites
    assert counts(dry) == counts(real) == (1, 1, 0, 0)
    assert counts(by_external_id) == (2, 0, 0, 0)  # a preview told the wrong policy cannot know


def test_cli_dry_run_prints_a_real_runs_summary_and_leaves_hub_checkpoint_and_rejects_alone(
    tmp_path: Path,
    node: Node,
    ini: Path,  # noqa: F811 - the fixture imported above
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = seeded_input(tmp_path, node)
    before = hub_contents(node)
    capsys.readouterr()
    assert main(["import", str(source), "--config", str(ini), "--dry-run"]) == 1  # as a run with rejects
    err = capsys.readouterr().err
    assert "dry run: only reads are sent" in err
    assert "dry run, nothing written: 16 records: 6 created, 3 updated, 4 unchanged, 3 rejected" in err
    dry_rejects = Path(f"{source}.dry-run.rejects.jsonl")
    assert f"records a real run would reject and reasons: {dry_rejects}" in err
    predicted = {r["line"]: r["reason"] for r in map(json.loads, dry_rejects.read_text("utf-8").splitlines())}
    assert sorted(predicted) == [14, 15, 16]
    assert hub_contents(node) == before
    assert not Path(f"{source}.checkpoint").exists() and not Path(f"{source}.rejects.jsonl").exists()

    assert main(["import", str(source), "--config", str(ini)]) == 1
    err = capsys.readouterr().err
    assert "\n16 records: 6 created, 3 updated, 4 unchanged, 3 rejected" in "\n" + err
    real_rejects = Path(f"{source}.rejects.jsonl").read_text("utf-8").splitlines()
    assert {r["line"]: r["reason"] for r in map(json.loads, real_rejects)} == predicted

    # previewing a resume of the finished run: the checkpoint says everything is done, and stays as it is
    checkpoint = Path(f"{source}.checkpoint").read_bytes()
    args = ["import", str(source), "--config", str(ini), "--dry-run", "--resume", "--quiet"]
    assert main(args) == 1
    assert Path(f"{source}.checkpoint").read_bytes() == checkpoint
    assert not dry_rejects.exists()  # the rejects were counted from the checkpoint: none is new
    assert main(args[:-1]) == 1
    err = capsys.readouterr().err
    assert "dry run, nothing written: 16 records: 6 created, 3 updated, 4 unchanged, 3 rejected" in err
    assert "reasons" not in err  # the preview's rejects file holds none of them, so it is not named

    clean = csv_file(tmp_path / "clean.csv", [row(n) for n in range(1, 5)])
    assert main(["import", str(clean), "--config", str(ini), "--dry-run"]) == 0  # nothing would be rejected
    assert "dry run, nothing written: 4 records: 0 created, 0 updated, 4 unchanged, 0 rejected" in (
        capsys.readouterr().err
    )

    assert main(["import", str(source), "--config", str(ini), "--match-on", "email"]) == 2
    assert "add --dry-run" in capsys.readouterr().err


# -- any input, any hub: the preview counts what the import then does -------------------------------

_EVENTS = [
    {
        "type": "viewedPage",
        "context": "WEB",
        "date": "2025-03-01T10:00:00Z",
        "properties": {"url": "https://a.example"},
    },
    {"type": "loggedIn", "context": "MOBILE", "date": "2025-03-02T10:00:00Z", "properties": {}},
]


@st.composite
def customer_records(draw: st.DrawFn, *, valid: bool = False) -> dict:
    """A customer record from a small pool of keys and values, so keys repeat and values collide."""
    record: dict = {}
    key = draw(st.sampled_from(["k1", "k2", "k3", None]))
    if key is not None:
        record["externalId"] = key
    base: dict = {}
    first = draw(st.sampled_from(["Ann", "Bob", None]))
    if first is not None:
        base["firstName"] = first
    email = draw(st.sampled_from(["a@x.example", "b@x.example", None] + ([] if valid else ["not-an-email"])))
    if email is not None:
        base["contacts"] = {"email": email}
    dob = draw(st.sampled_from(["1980-01-02", None] + ([] if valid else ["1980-02-30"])))
    if dob is not None:
        base["dob"] = dob
    if base:
        record["base"] = base
    tags = draw(st.sampled_from([None, ["vip"], ["vip", "b2b"]]))
    if tags is not None:
        record["tags"] = {"manual": tags}
    events = draw(st.lists(st.sampled_from(_EVENTS), max_size=2, unique_by=lambda e: e["type"]))
    if events:
        record["events"] = events
    return record


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    policy=st.sampled_from(MATCH_KEYS),
    stored=st.lists(customer_records(valid=True), max_size=4),
    incoming=st.lists(customer_records(), min_size=1, max_size=6),
)
def test_for_any_input_and_policy_the_dry_run_counts_what_the_import_does(
    by_policy: dict[str, Workspace],
    client_hub: LocalHub,
    policy: MatchKey,
    stored: list[dict],
    incoming: list[dict],
) -> None:
    node = fresh_node(by_policy[policy], client_hub)
    bulk_import(node, stored, workers=1)
    before = hub_contents(node)
    dry = bulk_import(node, incoming, workers=1, dry_run=True, match_on=policy)
    assert hub_contents(node) == before
    real = bulk_import(node, incoming, workers=1)  # one worker: records of a key meet in input order
    assert counts(dry) == counts(real), (policy, stored, incoming)
