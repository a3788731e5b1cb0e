"""Timing helpers shared by every benchmark: interleaved A/B runs and medians.

The machines are small and noisy, so each comparison alternates the baseline and
the candidate in the same loop and reports medians, never means or single runs.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def interleaved(
    baseline: Callable[[], object], candidate: Callable[[], object], rounds: int
) -> tuple[float, float]:
    """Median seconds per call of ``baseline`` and ``candidate``, measured alternately."""
    base_times: list[float] = []
    cand_times: list[float] = []
    baseline()
    candidate()  # warm caches and imports before measuring
    for _ in range(rounds):
        start = time.perf_counter()
        baseline()
        base_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        candidate()
        cand_times.append(time.perf_counter() - start)
    return statistics.median(base_times), statistics.median(cand_times)


def report(
    name: str,
    baseline_label: str,
    base: float,
    cand: float,
    unit_count: int,
    target: str = "",
    goal: float | None = None,
) -> dict:
    """Print one comparison line; with ``goal`` (a ratio), say beside it whether it was met."""
    ratio = cand / base if base else float("inf")
    per_unit_us = cand / unit_count * 1e6
    line = (
        f"{name:<46} {baseline_label}: {base * 1e3:8.2f} ms   ours: {cand * 1e3:8.2f} ms   "
        f"ratio {ratio:5.2f}x   ({per_unit_us:6.2f} us/item)"
    )
    if target:
        line += f"   target {target}"
    if goal is not None:
        line += f"   goal <= {goal:.2f}x {'ok' if ratio <= goal else 'MISSED'}"
    print(line, flush=True)
    return {
        "name": name,
        "baseline_ms": base * 1e3,
        "ours_ms": cand * 1e3,
        "ratio": ratio,
        "us_per_item": per_unit_us,
        "goal": goal,
    }
