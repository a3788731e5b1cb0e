"""Run every benchmark: ``python -m benchmarks``."""

from __future__ import annotations

import platform
import sys

from . import bench_migrate, bench_model


def main() -> int:
    print(f"python {platform.python_version()} on {platform.machine()} ({platform.system()}), medians of interleaved runs")
    bench_model.run()
    bench_migrate.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
