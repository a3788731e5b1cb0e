"""The command follows the conventions of command-line tools: version, module entry, verbosity,
machine-readable output, shell completion, and a clear word on a wrong Retry."""

from __future__ import annotations

import csv
import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from contacthub_like import Workspace, __version__
from contacthub_like.cli import main
from contacthub_like.errors import InvalidType
from contacthub_like.sandbox import admin


@pytest.fixture
def hub_ini(client_hub, workspace, tmp_path):
    node_id = admin.create_node(client_hub.store, workspace.workspace_id, "cli")
    node = workspace.get_node(node_id)
    node.add_customer(externalId="w-1", base={"firstName": "Bruce", "lastName": "Wayne"})
    node.add_customer(externalId="w-2", base={"firstName": "=HYPERLINK(1)", "lastName": "Wayne"})
    node.add_customer(externalId="k-1", base={"firstName": "Clark", "lastName": "Kent"})
    creds = admin.ensure_default_credentials(client_hub.db_path)
    ini = tmp_path / "hub.ini"
    ini.write_text(
        f"workspace_id = {creds.workspace_id}\ntoken = {creds.token}\nbase_url = {client_hub.base_url}\n"
        f"node_id = {node_id}\n",
        "utf-8",
    )
    return str(ini)


def test_version_and_the_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "contacthub_like", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.strip() == f"contacthub-like {__version__}"


def test_query_formats(hub_ini, capsys) -> None:
    where = [
        "--config",
        hub_ini,
        "--where",
        'base.lastName == "Wayne"',
        "--fields",
        "externalId,base.firstName",
    ]
    assert main(["query", *where, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted(r["externalId"] for r in rows) == ["w-1", "w-2"]
    assert main(["query", *where, "--format", "csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0] == ["externalId", "base.firstName"]
    assert sorted(table[1:]) == [["w-1", "Bruce"], ["w-2", "'=HYPERLINK(1)"]]  # a formula is shown, not run
    assert main(["query", *where]) == 0
    assert capsys.readouterr().out.rstrip().endswith("2 of 2 customers")


def test_verbose_logs_requests_without_the_token(hub_ini, capsys) -> None:
    library = logging.getLogger("contacthub_like")
    before = (library.level, list(library.handlers))
    try:
        assert main(["-vv", "query", "--config", hub_ini, "--format", "json"]) == 0
        err = capsys.readouterr().err
    finally:
        library.setLevel(before[0])
        library.handlers[:] = before[1]
    lines = Path(hub_ini).read_text("utf-8").splitlines()
    token = next(line.split("=", 1)[1].strip() for line in lines if line.startswith("token"))
    assert "GET /workspaces/" in err and "-> 200" in err and token not in err


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_scripts(shell: str, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--print-completion", shell])
    script = capsys.readouterr().out
    assert done.value.code == 0 and "contacthub-like" in script and "export" in script


def test_a_urllib3_retry_is_named_in_the_error() -> None:
    from urllib3.util.retry import Retry as Urllib3Retry

    with pytest.raises(InvalidType, match=r"got urllib3\.util\.retry\.Retry \(urllib3's Retry drives"):
        Workspace("ws", "token", "http://127.0.0.1:9", retry=Urllib3Retry(3))
