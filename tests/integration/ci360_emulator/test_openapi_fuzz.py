"""A bounded schemathesis run against the emulator's own OpenAPI document: no 500s, and every
answer has a documented status, media type and shape."""

from __future__ import annotations

import os
import re

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from contacthub_like.sandbox.ci360 import openapi, seeding  # noqa: E402

from .conftest import CI  # noqa: E402

DOCUMENT = openapi.build_document()
OPERATIONS = [(path, method) for path, item in DOCUMENT["paths"].items() for method in item]
MAX_EXAMPLES = int(os.environ.get("CI360_FUZZ_EXAMPLES", "10"))
#: path parameters aimed at seeded records, so requests reach the handlers and not only the 404s
SEEDED = {
    "audienceId": seeding.AUDIENCE_ID,
    "historyId": seeding.HISTORY_ID,
    "tableId": seeding.TABLE_ID,
}


@pytest.fixture(scope="module")
def ci360_schema():
    return schemathesis.openapi.from_dict(DOCUMENT)


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_the_emulator_honours_its_openapi_document(ci360_schema, ci: CI, path: str, method: str) -> None:
    operation = ci360_schema[path][method.upper()]
    security = DOCUMENT["paths"][path][method]["security"]
    token = ci.temporary() if security == [{"temporaryToken": []}] else ci.static

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case):
        for name in re.findall(r"{(\w+)}", path):
            if name in SEEDED and case.path_parameters is not None:
                case.path_parameters[name] = SEEDED[name]
        # Rules OpenAPI cannot say (exactly one identity key, a signed fileLocation) make a
        # schema-valid request a 400 now and then; every other check stays on.
        case.call_and_validate(
            base_url=ci.base,
            session=ci.http,
            headers={"Authorization": f"Bearer {token}"},
            excluded_checks=[positive_data_acceptance],
        )

    run()
