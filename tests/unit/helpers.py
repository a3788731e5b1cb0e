"""Shared pieces for the wire-level unit tests: a strict fake hub, a node wired to it, realistic documents.

The fake hub answers only the requests a test declares, each matched on method,
full URL path, exact query parameters and exact JSON body (or no body at all).
Anything else -- an unexpected request, a request declared but never sent, a
request without a timeout or without the bearer token -- fails the test.

Test modules import the fixtures they use: ``from helpers import hub_fixture, node_fixture``
(registered under the names ``hub``, ``node`` and ``workspace``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from contacthub_like import Workspace
from contacthub_like.services.contacthub.workspace import Node

BASE = "https://hub.test/hub/v1"
WS_ID = "ws-1"
NODE_ID = "node-1"
TOKEN = "tok-Secret%42"
ROOT = f"{BASE}/workspaces/{WS_ID}"

#: ``body=NO_BODY`` (the default) asserts the request carries no body at all
NO_BODY: Any = object()


def _bearer(token: str) -> Any:
    # checked while matching: after an error answer the transport masks the header on the request object
    def match(request: requests.PreparedRequest) -> tuple[bool, str]:
        ok = request.headers.get("Authorization") == f"Bearer {token}"
        return ok, "" if ok else "the request does not carry 'Authorization: Bearer <token>'"

    return match


def _no_body(request: requests.PreparedRequest) -> tuple[bool, str]:
    ok = not request.body
    return ok, "" if ok else f"expected a request without body, got {request.body!r}"


class FakeHub:
    """Declares the requests a test expects and what the hub answers to each.

    ``root`` (the workspace URL relative paths are joined to) and ``token`` (the
    bearer token every request must carry) can be changed by a test.
    """

    def __init__(self, mock: responses.RequestsMock, root: str = ROOT, token: str = TOKEN) -> None:
        self.mock = mock
        self.root = root
        self.token = token

    def expect(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = NO_BODY,
        status: int = 200,
        reply: Any = None,
        raw: str | None = None,
    ) -> responses.BaseResponse:
        """Expect one ``method`` request on ``root + path`` with exactly ``params`` and ``body``.

        ``reply`` is the JSON answer (none when omitted), ``raw`` a verbatim text answer.
        """
        url = path if path.startswith("http") else self.root + path
        match = [_bearer(self.token), matchers.query_param_matcher(params or {}, strict_match=True)]
        if body is NO_BODY:
            match.append(_no_body)
        else:
            match.append(matchers.json_params_matcher(body, strict_match=True))
        kwargs: dict[str, Any] = {}
        if raw is not None:
            kwargs["body"] = raw
        elif reply is not None:
            kwargs["json"] = reply
        return self.mock.add(method, url, status=status, match=match, **kwargs)

    @property
    def count(self) -> int:
        """Requests sent so far (matched or not)."""
        return len(self.mock.calls)

    def request(self, index: int = -1) -> requests.PreparedRequest:
        return self.mock.calls[index].request

    def verify(self) -> None:
        for call in self.mock.calls:
            request = call.request
            where = f"{request.method} {request.url}"
            assert not isinstance(call.response, Exception), f"unexpected request: {where}: {call.response}"
            assert request.req_kwargs.get("timeout") is not None, f"no timeout on {where}"  # type: ignore[attr-defined]


@pytest.fixture(name="hub")
def hub_fixture() -> Iterator[FakeHub]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        fake = FakeHub(mock)
        yield fake
        fake.verify()


@pytest.fixture(name="workspace")
def workspace_fixture() -> Iterator[Workspace]:
    with Workspace(WS_ID, TOKEN, base_url=BASE) as ws:
        yield ws


@pytest.fixture(name="node")
def node_fixture(workspace: Workspace) -> Node:
    return workspace.get_node(NODE_ID)


# ---------------------------------------------------------------------------------- documents

_CUSTOMER: dict[str, Any] = {
    "id": "c-1",
    "nodeId": NODE_ID,
    "externalId": "ext-1",
    "extra": "extra",
    "registeredAt": "2017-03-09T11:31:31.842+0000",
    "updatedAt": "2017-03-09T11:31:31.842+0000",
    "enabled": True,
    "base": {
        "pictureUrl": None,
        "title": None,
        "prefix": None,
        "firstName": "Bruce",
        "lastName": "Wayne",
        "middleName": None,
        "gender": None,
        "dob": "1980-04-17",
        "locale": "it_IT",
        "timezone": "Europe/Rome",
        "contacts": {
            "email": "bruce@wayne.test",
            "fax": None,
            "mobilePhone": None,
            "phone": "+39 02 1234",
            "otherContacts": [{"name": "office", "type": "PHONE", "value": "123"}],
            "mobileDevices": [],
        },
        "address": {
            "street": "1007 Mountain Drive",
            "city": "Gotham",
            "country": "US",
            "province": None,
            "region": None,
            "zip": "10001",
            "geo": {"lat": 40, "lon": 100},
        },
        "credential": None,
        "socialProfile": None,
        "educations": [
            {
                "id": "ed-1",
                "schoolType": "COLLEGE",
                "schoolName": "Gotham U",
                "schoolConcentration": "physics",
                "startYear": 1998,
                "endYear": 2002,
                "isCurrent": False,
            }
        ],
        "likes": [],
        "jobs": [],
        "subscriptions": [],
    },
    "extended": {"loyalty": {"level": "gold", "points": 10}, "score": 3},
    "consents": {
        "marketing": {"automatic": {"email": {"status": True, "limitation": False, "objection": False}}}
    },
    "tags": {"auto": ["auto-1"], "manual": ["vip"]},
}


def customer_doc(**overrides: Any) -> dict[str, Any]:
    """A customer as the hub returns it (every ``base`` key present), with top-level overrides."""
    doc = copy.deepcopy(_CUSTOMER)
    doc.update(overrides)
    return doc


def event_doc(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "ev-1",
        "customerId": "c-1",
        "bringBackProperties": None,
        "type": "viewedProductCategory",
        "context": "IOT",
        "date": "2017-04-03T13:47:23.093+0000",
        "properties": {"category": "category", "extraProperties": {"a": "b"}},
        "contextInfo": {"client": {"userAgent": "python-requests/2.13.0", "ip": "172.16.16.1"}},
        "registeredAt": "2017-04-03T13:47:23.103+0000",
        "updatedAt": "2017-04-03T13:47:23.103+0000",
        "tracking": None,
    }
    doc.update(overrides)
    return doc


def envelope(
    elements: list[dict[str, Any]],
    *,
    number: int = 0,
    size: int = 10,
    total: int | None = None,
    total_pages: int | None = None,
) -> dict[str, Any]:
    """The hub's paged envelope."""
    total = len(elements) if total is None else total
    if total_pages is None:
        total_pages = -(-total // size) if total else 0
    return {
        "elements": elements,
        "page": {
            "size": size,
            "totalElements": total,
            "totalUnfilteredElements": total,
            "totalPages": total_pages,
            "number": number,
        },
    }
