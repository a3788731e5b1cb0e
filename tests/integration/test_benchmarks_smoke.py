"""The benchmark code runs end to end at minimal sizes (the figures are the benchmarks' business)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if not (REPO / "benchmarks" / "__init__.py").exists():  # pragma: no cover - installed without the sources
    pytest.skip("the benchmarks live in the source tree only", allow_module_level=True)
sys.path.insert(0, str(REPO))

from benchmarks import bench_hub, bench_model, bench_sdk, hydration_parts  # noqa: E402


def test_model_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    rows = bench_model.run(rounds=1)
    assert rows[0]["name"].startswith("hydrate 1,000") and "tags.manual" in rows[0]["name"]
    assert rows[0]["ours_ms"] > 0 and rows[0]["baseline_ms"] > 0 and rows[0]["goal"] == 1.15
    assert "PATCH body" in rows[-1]["name"] and rows[-1]["us_per_item"] > 0 and "ratio" not in rows[-1]
    out = capsys.readouterr().out
    assert "goal <= 1.15x" in out and "us per customer" in out


def test_hydration_breakdown_runs() -> None:
    parts = hydration_parts.run(rounds=1, customers=50)
    assert parts["+ tags.manual"] > 0 and parts["ratio_gc_on"] > 0 and parts["ratio_gc_off"] > 0
    assert parts["reference_structs"] > 0


def test_the_struct_reference_reads_what_the_model_reads() -> None:
    # its Structs refuse unknown keys, so a fixture that grows makes this fail rather than the
    # reference quietly skipping work the model does
    from benchmarks.sample_data import customers_page
    from benchmarks.struct_reference import convert_and_read
    from contacthub_like import Customer

    docs = customers_page(20)["elements"]
    model = [
        (c.base.firstName, c.base.contacts.email, c.tags.manual)
        for c in map(Customer.from_dict, [None] * 20, docs)
    ]
    assert convert_and_read(docs) == model


def test_hub_throughput_runs() -> None:
    rows = bench_hub.run(customers=300, rounds=1, requests_per_client=5, max_seconds=0.5, clients=(2,))
    assert [r["name"] for r in rows] == [
        "hello world",
        "GET /customers/{id}",
        "POST /customers",
        "GET /customers?query=<2 conditions>&size=10",
        "GET /customers?query=... (cold count caches)",
        "walk list, pages of 50",
    ]
    assert all(r["rps"] > 0 for r in rows[:-1]) and rows[1]["of_limit"] > 0
    assert rows[-1]["page"] == 5 and rows[-1]["page0_ms"] > 0 and rows[-1]["last_ms"] > 0


def test_side_by_side_runs_without_the_peer() -> None:
    sizes = bench_sdk.Sizes(
        creates=6,
        fetches=12,
        patches=5,
        rounds=1,
        latency_rounds=1,
        latency=0.002,
        workers=3,
        prefetch=2,
        page_size=5,
    )
    rows = bench_sdk.run(sizes, peer=False)
    assert [(r["workload"], r["latency"], r["ours_side"]) for r in rows] == [
        ("create", False, "ours"),
        ("fetch", False, "ours"),
        ("patch", False, "ours"),
        ("create", True, "ours"),
        ("fetch", True, "ours"),
        ("patch", True, "ours"),
        ("create", True, "ours-seq"),  # like for like: one request at a time on every side
        ("fetch", True, "ours-seq"),
        ("patch", True, "ours-seq"),
    ]
    assert all(r["peer_ms"] is None and r["ours_ms"] > 0 and r["raw_ms"] > 0 for r in rows)
