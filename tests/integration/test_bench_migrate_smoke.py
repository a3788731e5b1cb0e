"""The migration benchmark runs end to end at minimal sizes (the figures are the benchmark's business)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if not (REPO / "benchmarks" / "__init__.py").exists():  # pragma: no cover - installed without the sources
    pytest.skip("the benchmarks live in the source tree only", allow_module_level=True)
sys.path.insert(0, str(REPO))

from benchmarks import bench_migrate  # noqa: E402


def test_migration_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    results = bench_migrate.run(customers_count=16, export_count=120, rounds=1)
    assert results["import"]["sequential_s"] > 0 and results["import"]["workers8_s"] > 0
    assert results["export"]["seconds"] > 0 and results["export"]["peak_growth_mb"] >= 0
    assert results["export"]["parquet"]["seconds"] > 0 and results["export"]["parquet"]["peak_growth_mb"] >= 0
    out = capsys.readouterr().out
    assert "speed-up" in out and "export 120 customers as JSON Lines" in out
    assert "export 120 customers as Parquet" in out
