"""The detailed invoice's pre-signed file links, and invoice generation from a form body labelled JSON."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import requests

from contacthub_like.sandbox.streamone.signing import sign

from .conftest import Ion, assert_error


def file_urls(ion: Ion, invoice_id: int = 123) -> list[str]:
    response = ion.v1_get(f"/invoices/{invoice_id}/detailed")
    assert response.status_code == 200, response.text
    invoice = response.json()["data"]["invoice"]
    assert invoice["id"] == invoice_id and invoice["total"] == "432.00"
    return invoice["detailedInvoiceFilesUrls"]


def test_file_links_are_absolute_and_need_no_authorization(ion: Ion) -> None:
    urls = file_urls(ion)
    assert len(urls) == 2
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "http" and parts.netloc == urlsplit(ion.base).netloc
        assert parts.path.startswith("/streamone/files/invoices/123/")
    details = requests.get(urls[0], timeout=10)  # a bare request: no Authorization header at all
    assert details.status_code == 200 and details.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(details.text)))
    assert rows[0][:3] == ["Invoice", "Position", "Product"]
    assert rows[1][2:] == ["AWS Marketplace", "AWS Marketplace usage", "3", "120.00", "360.00"]
    summary = requests.get(urls[1], timeout=10)
    assert summary.status_code == 200 and summary.json()["lines"][0]["amount"] == "360.00"


def test_wrong_missing_or_expired_signatures_are_refused(ion: Ion) -> None:
    url = file_urls(ion)[0]
    path = urlsplit(url).path
    origin = url.split(path)[0]
    tampered = url[:-4] + ("0000" if not url.endswith("0000") else "1111")
    assert "does not match" in assert_error(requests.get(tampered, timeout=10), 403, 7)["message"]
    assert_error(requests.get(origin + path, timeout=10), 403)
    other_file = url.replace("invoice-123-details.csv", "invoice-123-summary.json", 1)
    assert_error(requests.get(other_file, timeout=10), 403)  # a signature is for one path only
    expired = f"{origin}{path}?{sign(ion.hub.store, path, ttl=-5)}"
    assert "expired" in assert_error(requests.get(expired, timeout=10), 403)["message"]
    assert_error(requests.get(f"{origin}{path}?expires=soon&signature=x", timeout=10), 403)


def test_generate_accepts_a_form_body_labelled_json_and_is_idempotent(ion: Ion) -> None:
    url = f"{ion.base}/api/v1/invoices/generate"
    headers = {"Content-Type": "application/json"}  # what the seed SDK sends over its form body
    form = {"source": "aws", "period": "m-01-2025", "status": "open", "sendEmails": True}
    first = ion.v1.post(url, data=form, headers=headers, timeout=10)
    assert first.status_code == 200, first.text
    created = first.json()["data"]
    assert created["generated"] == 1 and created["invoice"][0]["customerId"] == 9072
    assert created["invoice"][0]["cloudUsed"] == "250.00" and created["invoice"][0]["status"] == "open"
    again = ion.v1.post(url, data=form, headers=headers, timeout=10).json()["data"]
    assert again == {"generated": 0, "invoice": []}
    as_json = ion.v1.post(
        url, json={"source": "microsoft", "period": "m-03-2025", "customers": "4567,1"}, timeout=10
    ).json()["data"]
    assert [i["customerId"] for i in as_json["invoice"]] == [1]  # 4567 has no Microsoft subscription


def test_generate_rejects_bad_input_with_400(ion: Ion) -> None:
    url = f"{ion.base}/api/v1/invoices/generate"
    for form, field in [
        ({"period": "m-01-2025"}, "source"),
        ({"source": "aws", "period": "2025-01"}, "period"),
        ({"source": "aws", "period": "m-13-2025"}, "period"),
        ({"source": "aws", "period": "m-01-2025", "sendEmails": "maybe"}, "sendEmails"),
        ({"source": "aws", "period": "m-01-2025", "status": "paid"}, "status"),
        ({"source": "aws", "period": "m-01-2025", "customers": "1,x"}, "customers"),
        ({"source": "aws", "period": "m-01-2025", "customers": "424242"}, "customers"),
    ]:
        body = assert_error(ion.v1.post(url, data=form, timeout=10), 400, 3)
        assert body["details"][0]["fieldViolations"][0]["field"] == field, body
    broken = ion.v1.post(url, data=b"{not json", headers={"Content-Type": "application/json"}, timeout=10)
    assert_error(broken, 400)
    assert_error(ion.v1.post(url, data=b"\xff\xfe", timeout=10), 400)
