"""The package type-checks clean, and a user's script sees the types the documentation promises.

One mypy run (the settings of ``[tool.mypy]`` in pyproject.toml) checks the package, the
typed user script (``user_script.py``: every ``reveal_type`` must show the type its
``# revealed:`` comment names) and the misuse script (``misuse_script.py``: every line
marked ``# error: CODE`` must be reported with that code, and nothing else). The misuse
half keeps the test honest: were the package not found, or its fields typed ``Any``
again, those errors would vanish and the test would fail.

It is one test, so the run happens once whatever the number of xdist workers; mypy's
incremental cache lives in pytest's cache directory, so a run after a small change takes
a few seconds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mypy import api as mypy_api

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
USER_SCRIPT = HERE / "user_script.py"
MISUSE_SCRIPT = HERE / "misuse_script.py"

#: ``path:line: severity: message  [code]`` as mypy prints it (without columns or context)
_REPORT = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+): (?P<severity>error|note): (?P<message>.*?)(?:  \[(?P<code>[a-z-]+)\])?$"
)
_REVEALED = re.compile(r'^Revealed type is "(?P<type>.*)"$')
#: a statement (not prose in a docstring) with its expectation in a trailing comment
_EXPECTED_REVEAL = re.compile(r"^\s*(?=[^\s#`]).*reveal_type\(.*#\s*revealed:\s*(?P<type>.+?)\s*$")
_EXPECTED_ERROR = re.compile(r"^\s*(?=[^\s#`]).*#\s*error:\s*(?P<code>[a-z-]+)\s*$")


def _normalised(type_text: str) -> str:
    """mypy releases differ in spelling builtins (``builtins.str`` or ``str``): compare without it."""
    return type_text.replace("builtins.", "").strip()


def _marked_lines(path: Path, pattern: re.Pattern[str], group: str) -> dict[int, str]:
    marked = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = pattern.search(line)
        if match:
            marked[number] = match.group(group)
    return marked


def _reports(output: str) -> list[dict[str, str]]:
    reports = []
    for line in output.splitlines():
        match = _REPORT.match(line)
        if match:
            reports.append(match.groupdict())
    return reports


def _of(reports: list[dict[str, str]], path: Path, severity: str) -> list[dict[str, str]]:
    return [r for r in reports if Path(r["path"]).resolve() == path and r["severity"] == severity]


def test_package_clean_and_user_scripts_typed(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # the paths mypy prints, and its config, are the repository's
    cache_dir = (
        request.config.cache.mkdir("mypy") if request.config.cache is not None else ROOT / ".mypy_cache"
    )
    stdout, stderr, status = mypy_api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(cache_dir),
            "--no-pretty",
            "--hide-error-context",
            "--no-color-output",
            "--show-error-codes",
            "contacthub_like",  # the package's directory: mypy takes files or a package, not both
            str(USER_SCRIPT.relative_to(ROOT)),
            str(MISUSE_SCRIPT.relative_to(ROOT)),
        ]
    )
    assert status in (0, 1), f"mypy could not run (status {status}):\n{stderr}{stdout}"
    reports = _reports(stdout)
    assert reports, f"mypy printed nothing this test can read:\n{stdout}{stderr}"

    # (a) the package itself: no error at all
    package_errors = [
        r
        for r in reports
        if r["severity"] == "error" and Path(r["path"]).resolve().is_relative_to(ROOT / "contacthub_like")
    ]
    assert not package_errors, "mypy errors in the package:\n" + "\n".join(
        f"{r['path']}:{r['line']}: {r['message']} [{r['code']}]" for r in package_errors
    )

    # (b) the user script: no error, and each reveal_type shows what its comment says
    assert not _of(reports, USER_SCRIPT, "error"), stdout
    expected = _marked_lines(USER_SCRIPT, _EXPECTED_REVEAL, "type")
    assert len(expected) >= 30, "the user script lost its reveal_type expectations"
    revealed = {}
    for report in _of(reports, USER_SCRIPT, "note"):
        match = _REVEALED.match(report["message"])
        if match:
            revealed[int(report["line"])] = match.group("type")
    assert sorted(revealed) == sorted(expected), (
        f"reveal_type lines and '# revealed:' comments differ: revealed on {sorted(revealed)}, "
        f"expected on {sorted(expected)}"
    )
    wrong = {
        line: (expected[line], revealed[line])
        for line in expected
        if _normalised(revealed[line]) != _normalised(expected[line])
    }
    assert not wrong, "types differ from the expectations (line: (expected, revealed)):\n" + "\n".join(
        f"  {line}: {pair}" for line, pair in sorted(wrong.items())
    )

    # (c) the misuse script: exactly the marked mistakes are reported, each with its code
    wanted = _marked_lines(MISUSE_SCRIPT, _EXPECTED_ERROR, "code")
    assert len(wanted) >= 5, "the misuse script lost its marked mistakes"
    got = {int(r["line"]): r["code"] for r in _of(reports, MISUSE_SCRIPT, "error")}
    assert got == wanted, (
        f"mypy's errors in {MISUSE_SCRIPT.name} (line: code) {got} != the marked ones {wanted}"
    )
