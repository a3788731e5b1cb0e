"""The seed StreamOne Ion SDK runs against the emulator for every call its README shows.

streamoneionsdk 0.1.8 is installed from the package registry into its own virtualenv and driven by
seed_sdk_script.py with the configuration file the seed wrote; without the registry the test is skipped.
Two README examples cannot run as printed (the SDK's bugs, asserted here so a fixed SDK is noticed).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
import requests
from seed_venv import seed_python as install_seed

from .conftest import Ion

pytestmark = pytest.mark.network

SCRIPT = Path(__file__).with_name("seed_sdk_script.py")
PACKAGE = "streamoneionsdk==0.1.8"


@pytest.fixture(scope="module")
def sdk_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    return install_seed(tmp_path_factory, "streamone-sdk", [PACKAGE])


def test_seed_sdk_runs_every_readme_call(sdk_python: str, ion: Ion, config_dir: Path, tmp_path: Path) -> None:
    config_path = tmp_path / "streamone.json"
    config_path.write_text((config_dir / "streamone.json").read_text())  # the SDK rewrites its config file
    result = subprocess.run(
        [sdk_python, str(SCRIPT), str(config_path), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    # v1
    customers = seen["customers_relations"]["data"]["customer"]
    assert len(customers) == 5 and all("invoices" in c and "group" in c for c in customers)
    assert [i["id"] for i in seen["my_invoices"]["data"]["invoice"]] == [123, 124]
    assert all(i["lines"] for i in seen["my_invoices"]["data"]["invoice"])
    customer_invoices = [i["id"] for i in seen["customer_invoices"]["data"]["invoice"]]
    assert customer_invoices[:2] == [202, 203] and 201 not in customer_invoices
    files = seen["detailed_files"]
    assert sorted(files) == ["invoice-123-details.csv", "invoice-123-summary.json"]
    assert list(csv.reader(io.StringIO(files["invoice-123-details.csv"])))[1][-1] == "360.00"
    by_email = seen["customers_by_email"]["data"]["customer"]
    assert [c["id"] for c in by_email] == [9072] and by_email[0]["customFieldsValues"] == []
    assert seen["generate"]["data"]["generated"] == 1
    assert [c["name"] for c in seen["customers_name_group"]["data"]["customer"]] == ["John Doe"]
    partial = [c["name"] for c in seen["customers_partial"]["data"]["customer"]]
    assert partial == ["Joanna Smith", "Jo Brown", "John Doe"]

    # v3 customers: ids taken from resource names
    assert [c["id"] for c in seen["v3_customers_email"]] == ["4567"]
    assert [c["id"] for c in seen["v3_customers_all"]] == ["1", "10", "4567", "9072", "12345"]
    assert [c["id"] for c in seen["v3_customers_default_page"]] == ["1", "10", "4567", "9072", "12345"]
    assert [c["id"] for c in seen["v3_customers_john_email"]] == ["12345"]
    assert [c["id"] for c in seen["v3_customers_en_active"]] == ["1", "4567", "12345"]
    assert [c["id"] for c in seen["v3_customers_name"]] == ["12345"]
    assert seen["v3_customer"]["id"] == "12345" and seen["v3_customer"]["customerName"] == "John Doe"

    # products, subscriptions, reports, orders
    assert [p["id"] for p in seen["products"]][:2] == ["FakeProduct-es", "FAKE-ID-12345"]
    assert len(seen["products"]) == 5
    detail = seen["product_detail"]
    assert detail["legacyProductId"] == "FAKE-LEGACY-ID-12345" and detail["pricing"]["prices"][0]["cost"]
    assert "marketing" not in detail and "definition" not in detail  # the SDK's other flags default to True
    assert [s["id"] for s in seen["subscriptions"]] == ["5555", "5556", "5557", "5558", "5559", "5560"]
    assert (
        seen["subscription_readme_call"]["error"] == "TypeError"
    )  # README omits the required subscriptionId
    assert seen["subscription_detail"]["id"] == "9999"
    assert seen["subscription_by_uuid"]["id"] == "7001"
    assert [r["reportId"] for r in seen["reports"]] == ["12345", "12346"]
    report = list(csv.reader(io.StringIO(seen["report_csv"])))
    assert report[0][0] == "SAP ID (customer)" and len(report) == 3  # this month's demo invoice
    fixed = list(csv.reader(io.StringIO(seen["report_csv_fixed"])))
    assert len(fixed) == 5 and {row[2] for row in fixed[1:]} == {"2025-01-01"}  # with the one generated
    assert [o["name"].rsplit("/", 1)[1] for o in seen["account_orders"]] == ["891011"]
    assert (
        seen["orders_readme_call"]["error"] == "TypeError"
    )  # README calls list_account_orders(customer_id=)
    assert [o["name"].rsplit("/", 1)[1] for o in seen["customer_orders"]] == ["891012", "891013"]

    # the SDK validated a dead access token, refreshed, and saved the rotated refresh token
    assert seen["after_refresh_customer"]["id"] == "4567"
    assert seen["refresh_token_after"] != seen["refresh_token_before"]
    reused = requests.post(
        f"{ion.base}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": seen["refresh_token_before"]},
        timeout=10,
    )
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
