"""Bounded schemathesis runs of the official document (as served) against the emulator.

Positive cases: no server error, and every documented answer matches its schema.  Negative
cases (operations with parameters or a body): garbage never gets a server error.  Checks the
official document cannot satisfy stay off: it lists no 401/403/404 for most operations
(``status_code_conformance``); a schema-valid request may still name a domain, user, session
or subscription that does not exist (``positive_data_acceptance``); and, for negative cases,
the emulator deliberately accepts what the live API accepts beyond the document (a ``limit``
over 1000 is capped, unknown query keys are ignored: ``negative_data_rejection``).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import requests

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    negative_data_rejection,
    positive_data_acceptance,
    status_code_conformance,
)

from contacthub_like.sandbox.netsapiens.document import official_subset  # noqa: E402

POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
MAX_EXAMPLES = int(os.environ.get("NETSAPIENS_FUZZ_EXAMPLES", "8"))
SESSION_ID = "f" * 32


def _cases() -> list[Any]:
    cases = []
    for path, item in official_subset()["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "delete"):
                continue
            cases.append(pytest.param(path, method.upper(), POSITIVE, id=f"{method.upper()} {path} positive"))
            constrained = [p for p in operation.get("parameters", []) if p["schema"] != {"type": "string"}]
            if constrained or operation.get("requestBody"):  # else there is nothing invalid to send
                cases.append(
                    pytest.param(path, method.upper(), NEGATIVE, id=f"{method.upper()} {path} negative")
                )
    return cases


@pytest.fixture(scope="module")
def served_schema(hub, config, token):
    api = config["base_url"] + "/ns-api/v2"
    headers = {"Authorization": f"Bearer {token}"}
    # Something to list: a subscription and a chat session, so list answers carry objects to check.
    sub = {"model": "message", "post-url": "https://example.test/fuzz"}
    assert requests.post(api + "/subscriptions", json=sub, headers=headers, timeout=10).status_code == 200
    chat = {"type": "chat", "message": "fuzz", "destination": "200"}
    url = f"{api}/domains/~/users/~/messagesessions/{SESSION_ID}/messages"
    assert requests.post(url, json=chat, headers=headers, timeout=10).status_code == 202
    document = requests.get(api + "/openapi.json", timeout=10).json()
    return schemathesis.openapi.from_dict(document)


def aim(case: Any) -> None:
    """Point most positive cases at the caller's own domain and user and the seeded session, and make
    some sends chats (``type`` is any string in the document; a chat needs no number), so they succeed."""
    params = case.path_parameters or {}
    if len(str(params.get("domain", ""))) % 3:
        params.update({k: "~" for k in ("domain", "user") if k in params})
        if "messagesession" in params:
            params["messagesession"] = SESSION_ID
    if isinstance(case.body, dict) and "destination" in case.body and len(str(case.body.get("message"))) % 2:
        case.body["type"] = "chat"


@pytest.mark.parametrize("path, method, mode", _cases())
def test_the_emulator_honours_the_official_document(served_schema, config, token, path, method, mode) -> None:
    operation = served_schema[path][method]
    excluded = [positive_data_acceptance, status_code_conformance]
    if mode == NEGATIVE:
        excluded.append(negative_data_rejection)
    session = requests.Session()

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: Any) -> None:
        if mode == POSITIVE:
            aim(case)
        case.call_and_validate(
            base_url=config["base_url"] + "/ns-api/v2",
            session=session,
            headers={"Authorization": f"Bearer {token}"},
            excluded_checks=excluded,
        )

    try:
        run()
    finally:
        session.close()
