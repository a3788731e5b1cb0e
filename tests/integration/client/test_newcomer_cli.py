"""The command line as a newcomer meets it: clear errors before any request, no surprises."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from contacthub_like.cli import main

ROOT = Path(__file__).resolve().parents[3]
BLOCK_HUB_EXTRA = textwrap.dedent(
    """
    import sys

    class Block:  # as if the 'hub' extra were not installed
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("starlette", "uvicorn"):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Block())
    """
)


def run_python(code: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACTHUB")}
    env["CONTACTHUB_LIKE_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=60, cwd=ROOT
    )


@pytest.fixture
def unreachable(tmp_path: Path) -> str:
    """Settings for a hub nobody answers: a command that sent a request would stop with exit 3, not 2."""
    ini = tmp_path / "nowhere.ini"
    ini.write_text("workspace_id = w\ntoken = t\nbase_url = http://127.0.0.1:9\nmax_attempts = 1\n", "utf-8")
    return str(ini)


# -- item 8: the hub extra -------------------------------------------------------------------------


def test_without_the_hub_extra_every_entry_point_says_what_to_install(tmp_path: Path) -> None:
    script = BLOCK_HUB_EXTRA + textwrap.dedent(
        """
        from contacthub_like import Workspace, ConfigurationError
        for make in (Workspace, Workspace.local):
            try:
                make()
            except ConfigurationError as exc:
                print("refused:", exc)
        from contacthub_like.cli import main
        print("init", main(["hub", "init", "--db", sys.argv[1]]))
        print("query", main(["query"]))
        print("serve", main(["hub", "serve"]))
        """
    )
    done = run_python(script, tmp_path, str(tmp_path / "hub.sqlite3"))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stdout.count("refused: the embedded local hub needs the 'hub' extra") == 2, done.stdout
    assert "init 0" in done.stdout and (tmp_path / "hub.sqlite3").exists()  # SQLite is all hub init needs
    assert "query 2" in done.stdout and "serve 2" in done.stdout
    assert done.stderr.count("pip install 'contacthub-like[hub]'") == 2


# -- item 9: which hub, and no hub made by a typo ---------------------------------------------------


def test_the_local_hub_in_use_is_named_and_a_typo_makes_none(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "hub.sqlite3"
    assert main(["query", "--config", f"local:{db}"]) == 0
    assert f"using the embedded local hub, database {db}" in capsys.readouterr().err
    missing = tmp_path / "no" / "such" / "hub.sqlite3"
    assert main(["query", "--config", f"local:{missing}"]) == 2
    assert "does not exist" in capsys.readouterr().err and not (tmp_path / "no").exists()
    assert main(["hub", "serve", "--db", str(missing)]) == 2
    assert "hub init --db PATH" in capsys.readouterr().err and not (tmp_path / "no").exists()
    assert main(["hub", "api-user", "someone", "--db", str(missing)]) == 2
    assert not (tmp_path / "no").exists()


# -- item 10: the input file checked before the first request ---------------------------------------


def test_a_latin1_file_needs_its_encoding(tmp_path: Path, unreachable: str, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "latin.csv"
    source.write_bytes("externalId,base.firstName\nE1,Jérôme\n".encode("latin-1"))
    assert main(["import", str(source), "--config", unreachable, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "is not valid utf-8" in err and "line 2" in err and "--encoding latin-1" in err


def test_a_wrong_column_stops_before_the_first_request(tmp_path: Path, unreachable: str, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.csv"
    source.write_text("externalId,base.fistName\n" + "".join(f"E{n},A\n" for n in range(50)), "utf-8")
    assert main(["import", str(source), "--config", unreachable, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "'base.fistName'" in err and "--mapping" in err
    assert not (tmp_path / "in.csv.rejects.jsonl").exists()


def test_a_semicolon_header_is_hinted_or_sniffed(tmp_path: Path, unreachable: str, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "semi.csv"
    source.write_text("externalId;base.firstName\nE1;Ann\n", "utf-8")
    assert main(["import", str(source), "--config", unreachable, "--delimiter", ",", "--quiet"]) == 2
    assert "pass --delimiter ';'" in capsys.readouterr().err


def test_import_with_the_local_hub_sniffs_encodes_warns_and_rejects_open_quotes(
    tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    config = f"local:{tmp_path / 'hub.sqlite3'}"
    semi = tmp_path / "semi.csv"
    semi.write_bytes("externalId;base.firstName\nS1;Jérôme\n".encode("latin-1"))
    assert main(["import", str(semi), "--config", config, "--encoding", "latin-1"]) == 0
    err = capsys.readouterr().err
    assert "separated by semicolons" in err
    assert main(["query", "--config", config, "--where", 'externalId == "S1"']) == 0
    assert "Jérôme" in capsys.readouterr().out

    empty = tmp_path / "empty.csv"
    empty.write_text("", "utf-8")
    assert main(["import", str(empty), "--config", config]) == 0
    assert "holds no records" in capsys.readouterr().err

    torn = tmp_path / "torn.csv"
    torn.write_text('externalId,base.firstName\nT1,Ann\nT2,"Bob\nT3,Cy\n', "utf-8")
    assert main(["import", str(torn), "--config", config, "--quiet"]) == 1
    rejects = (tmp_path / "torn.csv.rejects.jsonl").read_text("utf-8")
    assert '"line": 3' in rejects and "never closed" in rejects
    assert main(["query", "--config", config, "--where", 'externalId == "T2"']) == 0
    assert "0 of 0 customers" in capsys.readouterr().out


def test_no_progress_frames_in_a_redirected_stderr_unless_asked(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    config = f"local:{tmp_path / 'hub.sqlite3'}"
    source = tmp_path / "in.csv"
    source.write_text("externalId\nP1\nP2\n", "utf-8")
    assert main(["import", str(source), "--config", config]) == 0
    err = capsys.readouterr().err
    assert "rec/s" not in err and "\r" not in err and "2 records: 2 created" in err
    assert main(["import", str(source), "--config", config, "--progress"]) == 0
    assert "rec" in capsys.readouterr().err


def test_query_syntax_errors_point_at_the_right_place(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["query", "--where", "base.lastName =="]) == 2
    err = capsys.readouterr().err
    assert "at the end of the expression" in err and "column 0" not in err


def test_export_to_a_missing_directory_fails_first(tmp_path: Path, unreachable: str, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "missing" / "x.csv"
    assert main(["export", "--config", unreachable, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("contacthub-like: error: cannot write") and err.count("\n") == 1


def test_export_into_head_exits_quietly(tmp_path: Path) -> None:
    db = tmp_path / "hub.sqlite3"
    source = tmp_path / "in.csv"
    source.write_text("externalId\n" + "".join(f"H{n}\n" for n in range(300)), "utf-8")
    code = textwrap.dedent(
        f"""
        import sys
        from contacthub_like.cli import main
        main(["import", {str(source)!r}, "--config", "local:{db}", "--quiet"])
        sys.exit(main(["export", "--config", "local:{db}", "--format", "csv", "--quiet"]))
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACTHUB")}
    done = subprocess.run(
        f"{sys.executable} -c {code!r} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
        executable="/bin/bash",
    )
    assert done.stdout.strip() in (
        "id,externalId,base.firstName,base.lastName,base.contacts.email,"
        "base.contacts.mobilePhone,base.dob,base.gender,base.address.city,"
        "base.address.country,tags.manual,registeredAt"
    )
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr
