"""A bounded schemathesis run against the emulator's own OpenAPI document: no 500 for any input."""

from __future__ import annotations

import base64
import os

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from contacthub_like.sandbox.streamone.openapi_spec import build_document  # noqa: E402

from .conftest import ACCOUNT, Ion  # noqa: E402

DOCUMENT = build_document()
OPERATIONS = [(path, method) for path, item in DOCUMENT["paths"].items() for method in item]
MAX_EXAMPLES = int(os.environ.get("STREAMONE_FUZZ_EXAMPLES", "15"))
#: real ids, so generated requests also reach the handlers behind the lookups
PATH_IDS = {
    "accountId": ACCOUNT,
    "customerId": "12345",
    "invoiceId": "123",
    "reportId": "12345",
    "productId": "FAKE-ID-12345",
    "subscriptionId": "5555",
    "orderId": "891015",
}


@pytest.fixture(scope="module")
def schema():  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_dict(DOCUMENT)


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_no_input_makes_the_emulator_fail(schema, ion: Ion, path: str, method: str) -> None:  # type: ignore[no-untyped-def]
    operation = schema[path][method.upper()]
    security = DOCUMENT["paths"][path][method]["security"]
    headers = {}
    if security == [{"basic": []}]:
        pair = f"{ion.config['v1']['api_key']}:{ion.config['v1']['api_secret']}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    elif security == [{"bearer": []}]:
        headers["Authorization"] = f"Bearer {ion.config['v3']['access_token']}"

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        for name in list(case.path_parameters or {}):
            if name in PATH_IDS and name != "orderId":  # keep orders random: a cancel would stick
                case.path_parameters[name] = PATH_IDS[name]
        case.call_and_validate(base_url=ion.base, headers=headers, checks=[not_a_server_error])

    run()
