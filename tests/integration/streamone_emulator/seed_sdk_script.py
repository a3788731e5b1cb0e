"""Drive the seed StreamOne Ion SDK (streamoneionsdk 0.1.8) through every call its README shows.

Runs in the SDK's own virtualenv (see test_seed_sdk.py), so it uses only that SDK and the standard
library.  The SDK hard-codes https://ion.tdsynnex.com; its base URLs are pointed at the emulator
(``base_url`` of the configuration file), nothing else is changed.

Usage: python seed_sdk_script.py CONFIG_JSON WORK_DIR
Prints one JSON object (last line of stdout) with what each call returned.
"""

import json
import os
import sys
import warnings

from StreamOneIONSDK.client import StreamOneClient
from StreamOneSDK.client import StreamOneClient as LegacyClient

config_path, work_dir = sys.argv[1:3]
warnings.simplefilter("ignore", DeprecationWarning)


def pointed(client):
    """The SDK with its hosts replaced by the emulator's (the only change made to it)."""
    with open(config_path) as fh:
        base = json.load(fh)["base_url"]
    client.v1_base_url = base + "/api/v1"
    client.billing_v1.base_url = client.v1_base_url
    client.customers_v1.base_url = client.v1_base_url
    client.v3_base_url = base
    return client


def readme_bug(call):
    """A README example that cannot run as printed: the exception's type and message."""
    try:
        call()
    except TypeError as exc:
        return {"error": type(exc).__name__, "message": str(exc)}
    return {"error": None}


client = pointed(StreamOneClient(config=config_path))
out = {}

# v1: relations, my invoices, customer invoices, detailed invoice, customers, generation, filters
out["customers_relations"] = client.get_customers_v1(relations=["invoices", "group"])
out["my_invoices"] = client.get_my_invoices(
    filters={
        "billingStartDate": {"value": "2025-01-01", "modifier": "gte"},
        "billingEndDate": {"value": "2025-02-01", "modifier": "lt"},
    },
    sort={"id": "asc", "cloudUsed": "desc"},
    limit=1000,
    offset=0,
    relations=["lines"],
)
out["customer_invoices"] = client.get_customer_invoices(
    customer_id="12345",
    filters={"billingStartDate": {"value": "2024-12-01", "modifier": "gt"}},
    limit=100,
    offset=0,
)
saved = client.get_detailed_invoice_data(invoice_id="123", save_folder=work_dir)
out["detailed_files"] = {os.path.basename(p): open(p, encoding="utf-8").read() for p in saved}
out["customers_by_email"] = client.get_customers_v1(
    filters={"email": {"value": "xyz@abc.com"}}, relations=["customFieldsValues"], limit=100, offset=0
)
out["generate"] = client.generate_invoices(source="aws", period="m-01-2025")
out["customers_name_group"] = client.get_customers_v1(
    filters={"name": {"value": "John Doe"}, "groupId": {"value": "23"}}
)
out["customers_partial"] = client.get_customers_v1(filters={"name": {"value": "Jo%", "modifier": "partial"}})

# v3: customers
out["v3_customers_email"] = list(client.list_customers(pageSize=10, customerEmail="example@example.com"))
out["v3_customers_all"] = list(client.list_customers(pageSize=20))
out["v3_customers_default_page"] = list(client.list_customers())
out["v3_customers_john_email"] = list(
    client.list_customers(pageSize=100, customerEmail="john.doe@example.com")
)
out["v3_customers_en_active"] = list(
    client.list_customers(pageSize=100, languageCode="EN", customerStatus="ACTIVE")
)
out["v3_customers_name"] = list(client.list_customers(pageSize=100, customerName="John Doe"))
out["v3_customer"] = client.get_customer(customerId="12345")

# v3: products
products = list(client.list_products(page_size=3))
out["products"] = products
out["product_detail"] = client.get_product(products[1]["id"], exclude_pricing=False, client_role="OWNER")

# v3: subscriptions
out["subscriptions"] = list(client.list_subscriptions(customerId="12345", pageSize=5))
out["subscription_readme_call"] = readme_bug(
    lambda: client.get_customer_subscription_details(customerId="1", refresh=True)
)
out["subscription_detail"] = client.get_customer_subscription_details(
    customerId="1", subscriptionId="9999", refresh=True
)
out["subscription_by_uuid"] = client.get_customer_subscription_details(
    customerId="9072", subscriptionId="59a53ae5-9abf-4002-dbbc-714dee01dffd"
)

# v3: reports (both copies of the SDK: the ION copy reads the report first, the other takes its module)
out["reports"] = client.list_reports(module="REPORTS_MODULE_UNSPECIFIED")
csv_path = client.get_report_data_csv(report_id="12345", path=os.path.join(work_dir, "billing_report.csv"))
out["report_csv"] = open(csv_path, encoding="utf-8").read()
legacy = pointed(LegacyClient(config=config_path))
legacy_path = legacy.get_report_data_csv(
    "12345",
    "REPORTS_REPORTS_MODULE",
    "BILLING_REPORTS",
    start_date="2025-01-01T00:00:00Z",
    end_date="2025-01-31T23:59:59Z",
    relative_date_range=None,
    path=os.path.join(work_dir, "fixed.csv"),
)
out["report_csv_fixed"] = open(legacy_path, encoding="utf-8").read()

# v3: orders
out["account_orders"] = list(client.list_account_orders(page_size="10", status="ON_HOLD"))
out["orders_readme_call"] = readme_bug(
    lambda: client.list_account_orders(customer_id=10, page_size=10, status="COMPLETED")
)
out["customer_orders"] = list(client.list_customer_orders(customer_id=10, page_size=1, status="COMPLETED"))

# token refresh: an access token the server no longer knows makes the SDK validate (401) and refresh
with open(config_path) as fh:
    config = json.load(fh)
out["refresh_token_before"] = config["v3"]["refresh_token"]
config["v3"]["access_token"] = "revoked-" + config["v3"]["access_token"][:8]
with open(config_path, "w") as fh:
    json.dump(config, fh)
out["after_refresh_customer"] = client.get_customer(customerId="4567")
with open(config_path) as fh:
    out["refresh_token_after"] = json.load(fh)["v3"]["refresh_token"]

print(json.dumps(out))
