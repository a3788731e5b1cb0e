"""Fault injection on a real socket: latency, error answers, drops before and after the commit."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest
import requests

from contacthub_like import cli
from contacthub_like.errors import InvalidType, InvalidValue
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.faults import ADMIN_TOKEN_ENV, FaultConfig, FaultInjector
from contacthub_like.sandbox.server import LocalHub
from contacthub_like.sandbox.store import Store

ADMIN = "admin-secret-for-tests"


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalHub, admin.DefaultCredentials]]:
    db = tmp_path_factory.mktemp("faults") / "hub.sqlite3"
    creds = admin.ensure_default_credentials(db)
    hub = LocalHub(db, admin_token=ADMIN).start()
    yield hub, creds
    hub.stop()


@pytest.fixture
def hub(faulty) -> Iterator[LocalHub]:
    hub = faulty[0]
    yield hub
    hub.set_faults(FaultConfig())


@pytest.fixture
def session(faulty) -> Iterator[requests.Session]:
    with requests.Session() as s:
        s.headers["Authorization"] = f"Bearer {faulty[1].token}"
        yield s


def customers_url(faulty) -> str:
    hub, creds = faulty
    return f"{hub.base_url}/workspaces/{creds.workspace_id}/customers"


def count_external(session: requests.Session, faulty, external_id: str) -> int:
    r = session.get(
        customers_url(faulty), params={"nodeId": faulty[1].node_id, "externalId": external_id}, timeout=5
    )
    assert r.status_code == 200, r.text
    return r.json()["page"]["totalElements"]


def post_customer(session: requests.Session, faulty, external_id: str) -> requests.Response:
    body = {"nodeId": faulty[1].node_id, "externalId": external_id}
    return session.post(customers_url(faulty), json=body, timeout=5)


def test_latency_is_added_to_every_request(hub, session, faulty):
    hub.set_faults(FaultConfig(latency=0.08))
    start = time.perf_counter()
    assert count_external(session, faulty, "nobody") == 0
    assert time.perf_counter() - start >= 0.08
    assert hub.faults.latency == 0.08


@pytest.mark.parametrize(
    ("config", "status", "retry_after"),
    [
        (FaultConfig(rate_429=1.0, retry_after=0.05), 429, "0.05"),
        (FaultConfig(rate_503=1.0, retry_after=2), 503, "2"),
        (FaultConfig(rate_500=1.0), 500, None),
    ],
)
def test_error_answers_do_nothing(hub, session, faulty, config, status, retry_after):
    hub.set_faults(config)
    r = post_customer(session, faulty, f"err-{status}")
    assert r.status_code == status
    assert r.headers.get("Retry-After") == retry_after
    assert set(r.json()) == {"message", "logref", "data", "errors"}
    assert hub.injected_faults == {str(status): 1}
    hub.set_faults(FaultConfig())
    assert count_external(session, faulty, f"err-{status}") == 0


def test_drop_before_handling_writes_nothing(hub, session, faulty):
    hub.set_faults(FaultConfig(rate_drop=1.0))
    with pytest.raises(requests.ConnectionError):
        post_customer(session, faulty, "dropped")
    hub.set_faults(FaultConfig())
    assert count_external(session, faulty, "dropped") == 0


def test_drop_after_commit_keeps_the_write_and_loses_the_answer(hub, session, faulty):
    hub.set_faults(FaultConfig(rate_drop_after_commit=1.0))
    with pytest.raises(requests.ConnectionError):
        post_customer(session, faulty, "committed")
    assert hub.injected_faults == {"drop_after_commit": 1}
    hub.set_faults(FaultConfig())
    assert count_external(session, faulty, "committed") == 1


def test_seeded_draws_repeat_and_follow_the_rates():
    config = FaultConfig(
        rate_429=0.1, rate_500=0.1, rate_503=0.1, rate_drop=0.1, rate_drop_after_commit=0.1, seed=7
    )
    first, second = FaultInjector(config), FaultInjector(config)
    draws = [first.draw() for _ in range(5000)]
    assert draws == [second.draw() for _ in range(5000)]
    for kind in ("429", "500", "503", "drop", "drop_after_commit"):
        assert 400 <= draws.count(kind) <= 600, (kind, draws.count(kind))
    assert 2300 <= draws.count(None) <= 2700
    assert FaultInjector().draw() is None


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"rate_429": 1.5}, InvalidValue, "between 0 and 1"),
        ({"rate_500": 0.6, "rate_503": 0.6}, InvalidValue, "add up to 1.2"),
        ({"latency": -1}, InvalidValue, ">= 0"),
        ({"latency": float("nan")}, InvalidValue, "finite"),
        ({"rate_drop": True}, InvalidType, "must be a number"),
        ({"seed": "1"}, InvalidType, "seed must be an int"),
    ],
)
def test_bad_settings_are_refused(kwargs, error, words):
    with pytest.raises(error, match=words):
        FaultConfig(**kwargs)


def test_from_dict_refuses_unknown_keys():
    with pytest.raises(InvalidValue, match="unknown fault setting.*rate_404"):
        FaultConfig.from_dict({"rate_404": 0.1})
    assert FaultConfig.from_dict({"latency": 0.5}) == FaultConfig(latency=0.5)


def test_admin_endpoint_needs_the_admin_token(hub, faulty):
    url = f"{hub.base_url}/admin/faults"
    workspace_token = faulty[1].token
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {workspace_token}"}):
        assert requests.get(url, headers=headers, timeout=5).status_code == 401
        assert requests.put(url, json={"rate_503": 1}, headers=headers, timeout=5).status_code == 401
    assert hub.faults == FaultConfig()


def test_admin_endpoint_reads_and_sets_faults_and_is_never_faulted(hub, session, faulty):
    url = f"{hub.base_url}/admin/faults"
    auth = {"Authorization": f"Bearer {ADMIN}"}
    r = requests.put(url, json={"rate_503": 1.0, "retry_after": 0.5}, headers=auth, timeout=5)
    assert r.status_code == 200, r.text
    assert r.json()["rate_503"] == 1.0 and r.json()["injected"] == {}
    assert hub.faults == FaultConfig(rate_503=1.0, retry_after=0.5)
    assert post_customer(session, faulty, "admin").status_code == 503
    r = requests.get(url, headers=auth, timeout=5)  # /admin/ is exempt, so faults can be turned off
    assert r.status_code == 200 and r.json()["injected"] == {"503": 1}
    bad = requests.put(url, json={"rate_503": 2}, headers=auth, timeout=5)
    assert bad.status_code == 400 and "between 0 and 1" in bad.json()["errors"][0]["message"]
    assert requests.put(url, json={}, headers=auth, timeout=5).json()["rate_503"] == 0.0


def test_admin_endpoint_is_absent_without_an_admin_token(tmp_path):
    with LocalHub(tmp_path / "h.sqlite3").start() as plain:
        assert requests.get(f"{plain.base_url}/admin/faults", timeout=5).status_code == 404


def test_cli_serve_flags_build_the_fault_config(monkeypatch, capsys):
    seen = {}

    def fake_serve(db, **kwargs):
        seen.update(kwargs)

    monkeypatch.setattr("contacthub_like.sandbox.server.serve", fake_serve)
    monkeypatch.setenv(ADMIN_TOKEN_ENV, "from-env")
    argv = [
        "hub",
        "serve",
        "--latency-ms",
        "20",
        "--fault-rate-429",
        "0.1",
        "--fault-rate-drop-after-commit",
        "0.05",
        "--fault-retry-after",
        "0.2",
        "--fault-seed",
        "3",
    ]
    assert cli.main(argv) == 0
    assert seen["faults"] == FaultConfig(
        latency=0.02, rate_429=0.1, rate_drop_after_commit=0.05, retry_after=0.2, seed=3
    )
    assert seen["admin_token"] == "from-env" and seen["access_token_ttl"] == 3600.0
    assert cli.main(["hub", "serve", "--fault-rate-500", "0.7", "--fault-rate-503", "0.7"]) == 2
    assert "add up to 1.4" in capsys.readouterr().err


def test_cli_api_user_reads_the_password_from_stdin(tmp_path, monkeypatch, capsys):
    db = tmp_path / "cli.sqlite3"
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-pw\n"))
    assert cli.main(["hub", "api-user", "bot", "--db", str(db)]) == 0
    assert "created API user bot" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("again\n"))
    assert cli.main(["hub", "api-user", "bot", "--db", str(db)]) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["hub", "api-user", "other", "--db", str(db)]) == 2
    assert "no password given" in capsys.readouterr().err
    with LocalHub(db).start() as hub:
        r = requests.post(
            f"{hub.base_url}/oauth/token",
            data={"grant_type": "password", "username": "bot", "password": "s3cret-pw"},
            timeout=5,
        )
        assert r.status_code == 200 and r.json()["expires_in"] == 3600.0
    with Store(db) as store:
        assert "s3cret-pw" not in str(store.all("SELECT * FROM api_users"))
