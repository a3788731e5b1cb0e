"""The seed client, netsapiens-asyncio (commit cd71e7a, its HEAD), runs its README examples against
the emulator.

It is installed with aiohttp into its own virtualenv from GitHub, or from ``NETSAPIENS_ASYNCIO_SRC``
(a local checkout or any pip requirement); without either the test is skipped.  One README example
fails by the seed's own bug, not the emulator's: sending into an existing session answers 202, as
the official document says, and the seed accepts only 200.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from seed_venv import seed_python as install_seed

pytestmark = pytest.mark.network

SCRIPT = Path(__file__).with_name("seed_client_script.py")
SEED = "git+https://github.com/DallanL/netsapiens-asyncio.git@cd71e7a3639ae7d9185463dd0b4867f4fb0c92d7"


@pytest.fixture(scope="module")
def seed_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    return install_seed(
        tmp_path_factory,
        "netsapiens-asyncio",
        [os.environ.get("NETSAPIENS_ASYNCIO_SRC", SEED), "aiohttp"],
        hint="; set NETSAPIENS_ASYNCIO_SRC to a local checkout",
    )


def test_the_seed_clients_readme_examples_run(seed_python: str, hub, config, tmp_path: Path) -> None:
    path = tmp_path / "netsapiens.json"
    path.write_text(json.dumps(config))
    result = subprocess.run(
        [seed_python, str(SCRIPT), str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-4000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    failing = {name: outcome for name, outcome in seen.items() if str(outcome).startswith("error")}
    assert failing == {
        "send_existing_session": 'error: Failed to send message: {"code":202,"message":"Accepted"}'
    }
    assert seen["scope"] == "Super User" and seen["sent_text"] == "Hello, this is a test message!"
    assert (
        seen["mms_size"] == 204800
        and "valid_session_id_with_32_or_more_characters_1234" in seen["session_ids"]
    )
    assert seen["in_session_texts"] == ["Follow-up"]  # the 202 send was stored
    assert seen["readme_session_texts"] == ["Welcome to the sandbox"]
    assert seen["updated_model"] == "cdr"
