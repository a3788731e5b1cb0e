"""Fault soak: an import through injected faults, re-imported, with kill -9 of the CLI and of the hub.

``python -m benchmarks.fault_soak [--records N]`` prints, for 10 % and 30 % of requests faulted
(equal parts 429, 500, 503, dropped connection, answer lost after the commit):

* ``A``: an in-process hub that honours ``Idempotency-Key`` and one that ignores it; an import
  and a re-import through the faults (at 30 % with raised attempt caps);
* ``B``: ``contacthub-like hub serve`` in its own process with the faults, the CLI with its
  default settings killed with SIGKILL mid-import, resumed, the hub killed with SIGKILL
  mid-resume and restarted, then ``--resume`` until exit 0 and a full re-import;

each with what the hub holds at the end against what the file holds.  The figures in
docs/reliability.rst come from this script.  It writes only to a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from contacthub_like import Workspace
from contacthub_like.http.retry import Retry
from contacthub_like.migrate import RecordRetry, bulk_import, export_customers, read_csv
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.faults import FaultConfig
from contacthub_like.sandbox.server import LocalHub

KINDS = ("429", "500", "503", "drop", "drop-after-commit")
CLI = [sys.executable, "-c", "import sys; from contacthub_like.cli import main; sys.exit(main())"]


def write_source(path: Path, count: int) -> Path:
    """A CSV of ``count`` customers with two events each."""
    lines = ["externalId,base.firstName,base.contacts.email,events\n"]
    for i in range(count):
        events = [
            {
                "type": "viewedPage",
                "context": "WEB",
                "date": f"2025-03-0{1 + j}T09:00:00Z",
                "properties": {"i": i},
            }
            for j in range(2)
        ]
        cell = json.dumps(events).replace('"', '""')
        lines.append(f'K{i:05d},N{i},k{i}@example.com,"{cell}"\n')
    path.write_text("".join(lines), encoding="utf-8")
    return path


def stored(ws: Workspace, node_id: str) -> tuple[int, int, int]:
    """(customers, distinct externalIds, events) on the node."""
    node = ws.get_node(node_id)
    docs = list(export_customers(node))
    return len(docs), len({d["externalId"] for d in docs}), sum(1 for _ in node.get_events().stream())


def in_process(source: Path, count: int, total: float, honour: bool, tmp: Path) -> str:
    db = tmp / f"a-{total}-{honour}.sqlite3"
    rates = {f"rate_{k.replace('-', '_')}": total / 5 for k in KINDS}
    caps: dict[str, Any] = {} if total <= 0.1 else {"max_attempts": 10}
    record_caps: dict[str, Any] = {} if total <= 0.1 else {"max_attempts": 20}
    with LocalHub(db).start() as hub:
        creds = admin.ensure_default_credentials(db)
        hub.app.state.hub.honour_idempotency_keys = honour
        hub.set_faults(FaultConfig(**rates, retry_after=0.01, seed=5))
        retry = Retry(backoff=0.01, max_backoff=0.1, **caps)
        with Workspace(creds.workspace_id, creds.token, hub.base_url, retry=retry) as ws:
            node = ws.get_node(creds.node_id)
            records = RecordRetry(backoff=0.01, max_backoff=0.1, **record_caps)
            first = bulk_import(node, read_csv(source), workers=8, source=str(source), retry=records)
            again = bulk_import(node, read_csv(source), workers=8, source=str(source), retry=records)
            hub.set_faults(FaultConfig())
            keys = "honoured" if honour else "ignored"
            return (
                f"A {total:.0%} keys {keys}: import {first}; re-import {again}; "
                f"stored {stored(ws, creds.node_id)} of ({count}, {count}, {2 * count})"
            )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(db: Path, port: int, total: float) -> subprocess.Popen[bytes]:
    args = [*CLI, "hub", "serve", "--db", str(db), "--port", str(port), "--fault-retry-after", "0.01"]
    for kind in KINDS:
        args += [f"--fault-rate-{kind}", str(total / 5)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the hub did not start")


def killed(source: Path, count: int, total: float, tmp: Path) -> str:
    db, port = tmp / f"b-{total}.sqlite3", _free_port()
    creds = admin.ensure_default_credentials(db)
    ini = tmp / f"b-{total}.ini"
    ini.write_text(
        f"workspace_id = {creds.workspace_id}\ntoken = {creds.token}\n"
        f"base_url = http://127.0.0.1:{port}\nnode_id = {creds.node_id}\n",
        encoding="utf-8",
    )

    def cli(*extra: str) -> subprocess.Popen[bytes]:
        args = [*CLI, "import", str(source), "--config", str(ini), "--quiet", *extra]
        return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    log = []
    hub = _serve(db, port, total)
    run = cli()
    time.sleep(2.0)
    run.send_signal(signal.SIGKILL)
    run.wait()
    log.append("CLI killed")
    run = cli("--resume")
    time.sleep(1.5)
    hub.send_signal(signal.SIGKILL)
    hub.wait()
    log.append(f"hub killed (CLI exit {run.wait()})")
    hub = _serve(db, port, total)
    runs, code = 0, None
    while code != 0 and runs < 10:
        runs += 1
        code = cli("--resume").wait()
    log.append(f"{runs} resume run(s) to exit {code}")
    log.append(f"re-import exit {cli().wait()}")
    hub.send_signal(signal.SIGTERM)
    hub.wait()
    with LocalHub(db).start() as plain, Workspace(creds.workspace_id, creds.token, plain.base_url) as ws:
        held = stored(ws, creds.node_id)
    return f"B {total:.0%}: {'; '.join(log)}; stored {held} of ({count}, {count}, {2 * count})"


def main(argv: list[str] | None = None) -> int:
    """Run both parts at 10 % and 30 % and print one line per run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=400, help="customers in the file (default 400)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="fault-soak-"))
    source = write_source(tmp / "in.csv", args.records)
    for total in (0.10, 0.30):
        for honour in (True, False):
            print(in_process(source, args.records, total, honour, tmp), flush=True)
    for total in (0.10, 0.30):
        print(killed(source, args.records, total, tmp), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
