"""Events (single and bulk), the two tokens and the throttle, against the emulator over loopback."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

import pytest

from contacthub_like.ci360 import CI360, ExternalEvent
from contacthub_like.errors import BadRequest, Forbidden, InvalidValue, NotFound, Unauthorized
from contacthub_like.http.polling import poll_until
from contacthub_like.http.retry import Retry
from contacthub_like.sandbox.ci360 import seeding

from .conftest import Emulated

EVENT = seeding.EVENT_NAME


def _found(ci: CI360, identity_type: str, value: str) -> bool:
    try:
        ci.identity_record(identity_type, value)
    except NotFound:
        return False
    return True


def test_a_single_event_and_its_identity_record(ci: CI360) -> None:
    login = f"login-{uuid.uuid4().hex[:8]}"
    sent = ExternalEvent(ci, eventName=EVENT, login_id=login, attributes={"sku": "A-1"}).post()
    assert sent.eventName == EVENT and sent.sku == "A-1"
    assert ci.identity_record("login_id", login).loginId == login


def test_a_bad_event_is_refused_before_any_request(ci: CI360) -> None:
    with pytest.raises(InvalidValue, match="exactly one identity key .* found none"):
        ExternalEvent(ci, eventName=EVENT, sku="x").post()
    with pytest.raises(InvalidValue, match="found customer_id, login_id"):
        ExternalEvent(ci, eventName=EVENT, customer_id="a", login_id="b").post()
    with pytest.raises(InvalidValue, match="eventName"):
        ExternalEvent(ci, customer_id="a").post()


def test_the_sas_error_body_becomes_a_typed_error(ci: CI360) -> None:
    with pytest.raises(BadRequest) as refused:
        ExternalEvent(ci, eventName="No_Such_Event", customer_id="c-1").post()
    sas = refused.value.sas  # type: ignore[attr-defined]
    assert (sas.http_status_code, sas.error_code) == (400, 1400)
    assert "not an external event" in sas.message and sas.remediation
    assert sas.remediation in str(refused.value) and refused.value.logref == "1400"


def test_bulk_events_from_an_iterable_and_from_a_csv_file(ci: CI360, tmp_path: Path) -> None:
    ids = [f"bulk-{uuid.uuid4().hex[:8]}" for _ in range(3)]
    ci.send_events(
        [
            {"eventName": EVENT, "customer_id": ids[0], "note": 'has "quotes", and commas'},
            ExternalEvent(eventName=EVENT, subject_id=ids[1]),
        ]
    )
    file = tmp_path / "events.csv"
    with open(file, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["eventName", "login_id"])
        writer.writerow([EVENT, ids[2]])
    ci.send_events_file(file)
    for kind, value in zip(("customer_id", "subject_id", "login_id"), ids, strict=True):
        poll_until(lambda k=kind, v=value: _found(ci, k, v), bool, timeout=10)
    with pytest.raises(InvalidValue, match="event 2 needs exactly one identity key"):
        ci.send_events([{"eventName": EVENT, "customer_id": "x"}, {"eventName": EVENT}])
    with pytest.raises(InvalidValue, match="not a file"):
        ci.send_events_file(tmp_path / "missing.csv")


def test_the_temporary_token_is_requested_once_and_only_for_audiences(ci: CI360) -> None:
    temporary = ci.transport.auth.for_url(ci.transport.base_url + "/marketingAudience/audiences")  # type: ignore[union-attr]
    static = ci.transport.auth.for_url(ci.transport.base_url + "/marketingData/tables")  # type: ignore[union-attr]
    assert temporary is not static
    from contacthub_like.ci360 import Audience, Table

    before = temporary.grants["password"]
    for _ in range(3):
        next(iter(Audience.list(ci, size=1)))
        next(iter(Table.list(ci, size=1)))
    assert temporary.grants["password"] - before <= 1


def test_wrong_credentials_are_a_401_without_the_secret(emulated: Emulated) -> None:
    settings_text = emulated.ini.read_text()
    secret = next(
        line.split("=", 1)[1].strip()
        for line in settings_text.splitlines()
        if line.startswith("client_secret")
    )
    base = emulated.hub.base_url + "/ci360"
    with CI360(base, seeding.TENANT, "not-the-secret", seeding.API_USER, "pw", timeout=5) as wrong:
        with pytest.raises(Unauthorized) as refused:
            ExternalEvent(wrong, eventName=EVENT, customer_id="c").post()
        assert "not-the-secret" not in str(refused.value) and secret not in repr(wrong.transport)


def test_the_gateway_throttle_403_is_backed_off_and_a_real_403_is_not(emulated: Emulated) -> None:
    state = emulated.state
    base = emulated.hub.base_url + "/ci360"
    secret, password = seeding.ensure_tenant(emulated.hub.store)
    saved = (state.throttle_limit, state.throttle_window)
    state.throttle_limit, state.throttle_window = 2, 0.3
    try:
        patient = CI360(
            base, seeding.TENANT, secret, seeding.API_USER, password, retry=Retry(backoff=0.2, jitter=0)
        )
        with patient:
            for n in range(5):  # past the limit: 403 1429, backed off, then accepted
                ExternalEvent(patient, eventName=EVENT, customer_id=f"throttled-{n}").post()
        hasty = CI360(base, seeding.TENANT, secret, seeding.API_USER, password, retry=None)
        with hasty, pytest.raises(Forbidden) as throttled:
            for n in range(5):
                ExternalEvent(hasty, eventName=EVENT, customer_id=f"hasty-{n}").post()
        assert throttled.value.sas.error_code == 1429  # type: ignore[attr-defined]
    finally:
        state.throttle_limit, state.throttle_window = saved
