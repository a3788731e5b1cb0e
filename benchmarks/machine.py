"""The facts about the machine a benchmark run needs to be read against."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess


def _lscpu_model() -> str:
    if shutil.which("lscpu") is None:
        return platform.processor() or platform.machine()
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
    except (subprocess.SubprocessError, OSError):
        return platform.processor() or platform.machine()
    for line in out.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Model name":
            return value.strip()
    return platform.machine()


def _library_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("contacthub-like")
    except PackageNotFoundError:
        return "dev (source tree)"


def facts() -> dict[str, str]:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    return {
        "cpu": f"{_lscpu_model()} ({platform.machine()})",
        "cores": f"{cores} logical, {usable} usable by this process (nproc)",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "library": _library_version(),
    }
