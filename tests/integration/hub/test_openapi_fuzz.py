"""A bounded schemathesis run against the hub's own OpenAPI document: no 500s, no response that breaks it."""

from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from contacthub_like.sandbox.openapi import build_document  # noqa: E402

DOCUMENT = build_document()
OPERATIONS = [
    (path, method) for path, item in DOCUMENT["paths"].items() for method in item if method != "parameters"
]
MAX_EXAMPLES = int(os.environ.get("HUB_FUZZ_EXAMPLES", "20"))


@pytest.fixture(scope="module")
def hub_schema():
    return schemathesis.openapi.from_dict(DOCUMENT)


@pytest.mark.parametrize("path, method", OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_hub_honours_its_openapi_document(hub_schema, hub, creds, api, path, method):
    operation = hub_schema[path][method.upper()]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case):
        # Aim requests at the real workspace and node so they reach the handlers, not just auth.
        if case.path_parameters and "ws" in case.path_parameters:
            case.path_parameters["ws"] = creds.workspace_id
        if isinstance(case.query, dict) and "nodeId" in case.query:
            case.query["nodeId"] = creds.node_id
        # Some rules cannot be said in OpenAPI (the ``query`` parameter's JSON grammar, "customerId or
        # bringBackProperties", an item id matching its URL), so a schema-valid request may still be a 400;
        # every other check (no 5xx, documented statuses, bodies matching the document) stays on.
        case.call_and_validate(
            base_url=hub.base_url,
            session=api.session,
            headers={"Authorization": f"Bearer {creds.token}"},
            excluded_checks=[positive_data_acceptance],
        )

    run()
