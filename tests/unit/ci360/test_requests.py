"""Each CI360 call's requests, exactly: method, path, query, body, which credential, and no more."""

from __future__ import annotations

import pytest

from contacthub_like.ci360 import (
    CI360,
    Audience,
    ExternalEvent,
    IdentityRecord,
    JobFailed,
    Occurrence,
    Table,
    TaskJob,
)
from contacthub_like.errors import Forbidden, InvalidValue, NotFound
from contacthub_like.http.auth import StaticJWT
from contacthub_like.http.retry import Retry

from .wire import BASE, SIGNED, X, act, collect, expect

PASSWORD = "pw-Secret-9"  # noqa: S105
STATIC = StaticJWT("tenant-1", "client-secret-1").header_value
TEMPORARY = "Bearer temp-tok-1"
TOKEN = X(
    "POST",
    BASE + "/token",
    STATIC,
    reply={"access_token": "temp-tok-1", "token_type": "bearer", "expires_in": 3600},
    form=[("grant_type", "password"), ("username", "api-user"), ("password", PASSWORD)],
)
DRIVERS = pytest.mark.parametrize("driver", ["sync", "async"])


@pytest.fixture
def ci() -> CI360:
    client = CI360(
        BASE, "tenant-1", "client-secret-1", "api-user", PASSWORD, retry=Retry(backoff=0, jitter=0), timeout=5
    )
    yield client
    client.close()


@DRIVERS
def test_one_event(ci: CI360, driver: str) -> None:
    body = {"eventName": "cart", "customer_id": "c-42", "sku": "A-1"}
    with expect(
        driver, X("POST", BASE + "/marketingGateway/events", STATIC, reply=body, status=201, json=body)
    ):
        sent = act(
            driver, ExternalEvent(ci, eventName="cart", customer_id="c-42", attributes={"sku": "A-1"}), "post"
        )
    assert sent.sku == "A-1"


@DRIVERS
def test_bulk_events_from_an_iterable_go_as_a_csv_with_a_header_row(ci: CI360, driver: str) -> None:
    location = {"links": [{"rel": "self", "method": "PUT", "href": SIGNED}]}
    csv = b'eventName,customer_id,note,subject_id\r\ncart,c-1,"a, ""b""",\r\ncart,,,s-2\r\n'
    with expect(
        driver,
        X(
            "POST",
            BASE + "/marketingGateway/bulkEventsFileLocation",
            STATIC,
            reply=location,
            status=201,
            json={"applicationId": "eventGenerator", "version": 1},
        ),
        X("PUT", SIGNED, None, content=csv, content_type="text/csv"),
    ):
        events = [
            {"eventName": "cart", "customer_id": "c-1", "note": 'a, "b"'},
            {"eventName": "cart", "subject_id": "s-2"},
        ]
        act(driver, ci, "send_events", events)


def test_a_csv_file_is_streamed_as_is(ci: CI360, tmp_path) -> None:
    file = tmp_path / "events.csv"
    file.write_bytes(b"eventName,login_id\ncart,l-1\n")
    location = {"links": [{"rel": "first", "href": "https://s3.test/other"}, {"rel": "self", "href": SIGNED}]}
    with expect(
        "sync",
        X(
            "POST",
            BASE + "/marketingGateway/bulkEventsFileLocation",
            STATIC,
            reply=location,
            json={"applicationId": "eventGenerator", "version": 1},
        ),
        X("PUT", SIGNED, None, content=file.read_bytes(), content_type="text/csv"),
    ):
        ci.send_events_file(file)


@DRIVERS
def test_the_audience_upload_flow_on_the_temporary_token(ci: CI360, driver: str) -> None:
    aud = BASE + "/marketingAudience/audiences/A1"
    with expect(
        driver,
        TOKEN,
        X(
            "POST",
            BASE + "/marketingAudience/audiences/fileTransferLocation",
            TEMPORARY,
            reply={"signedURL": SIGNED},
        ),
        X("PUT", SIGNED, None, content=b"c-1,27513\n", content_type="text/csv"),
        X(
            "PUT",
            aud + "/data",
            TEMPORARY,
            status=202,
            reply={"historyId": "H1", "status": "FILE_SUBMITTED"},
            json={"audienceId": "A1", "fileLocation": SIGNED, "headerRowIncluded": False},
        ),
        X("GET", aud + "/history/H1", TEMPORARY, reply={"historyId": "H1", "status": "FILE_PROCESSING"}),
        X(
            "GET",
            aud + "/history/H1",
            TEMPORARY,
            reply={"historyId": "H1", "status": "COMPLETE", "recordsProcessed": 1},
        ),
    ):
        audience = Audience.from_dict(ci, {"audienceId": "A1", "name": "vip"})
        upload = act(driver, audience, "upload", b"c-1,27513\n")
        done = act(driver, upload, "wait", timeout=10, interval=0.001)
    assert (done.state, done.recordsProcessed) == ("COMPLETE", 1)


@DRIVERS
def test_audience_lists_send_their_filters_then_follow_next_links(ci: CI360, driver: str) -> None:
    first = {
        "count": 3,
        "start": 0,
        "limit": 2,
        "items": [{"audienceId": "a"}, {"audienceId": "b"}],
        "links": [
            {"rel": "next", "href": BASE + "/marketingAudience/audiences?start=2&limit=2&status=active"}
        ],
    }
    last = {
        "count": 3,
        "start": 2,
        "limit": 2,
        "items": [{"audienceId": "c"}],
        "links": [{"rel": "prev", "href": "x"}],
    }
    with expect(
        driver,
        TOKEN,
        X(
            "GET",
            BASE + "/marketingAudience/audiences?sortBy=name%3Aascending&status=active&limit=2",
            TEMPORARY,
            reply=first,
        ),
        X("GET", BASE + "/marketingAudience/audiences?start=2&limit=2&status=active", TEMPORARY, reply=last),
    ):
        listed = collect(driver, ci, Audience, {"sortBy": "name:ascending", "status": "active"}, 2)
    assert [a.audienceId for a in listed] == ["a", "b", "c"]


@DRIVERS
def test_a_task_job_that_ends_in_failure_whatever_the_case(ci: CI360, driver: str) -> None:
    with expect(
        driver,
        X(
            "POST",
            BASE + "/marketingExecution/taskJobs",
            STATIC,
            status=201,
            reply={"taskJobId": "J1", "executionState": "Submitted"},
            json={"taskId": "t-1"},
        ),
        X(
            "GET",
            BASE + "/marketingExecution/taskJobs/J1",
            STATIC,
            reply={"taskJobId": "J1", "executionState": "FAILURE", "message": "channel down"},
        ),
    ):
        job = act(driver, TaskJob(ci, taskId="t-1"), "post")
        with pytest.raises(JobFailed, match="TaskJob J1 ended FAILURE: channel down") as failed:
            act(driver, job, "wait", timeout=10, interval=0.001)
    assert failed.value.state == "FAILURE" and failed.value.job is job


@DRIVERS
def test_a_table_change_as_post_with_method_override(ci: CI360, driver: str) -> None:
    table = Table.from_dict(ci, {"id": "T1", "name": "t", "description": "d1"})
    table.description = "d2"
    with expect(
        driver,
        X(
            "POST",
            BASE + "/marketingData/tables/T1?_method=PATCH",
            STATIC,
            reply={"id": "T1", "description": "d2"},
            json={"description": "d2"},
        ),
    ):
        act(driver, table, "patch_via_post")
    assert table.description == "d2"


@DRIVERS
def test_identity_look_up_and_occurrences_page_at_most_500(ci: CI360, driver: str) -> None:
    with expect(
        driver,
        X(
            "GET",
            BASE + "/marketingData/identityRecords?customerId=c-42",
            STATIC,
            reply={"id": "i1", "customerId": "c-42"},
        ),
        X(
            "GET",
            BASE + "/marketingExecution/occurrences?taskId=t-1&limit=500",
            STATIC,
            reply={"count": 1, "items": [{"id": "o1"}], "links": []},
        ),
    ):
        record = act(driver, ci, "identity_record", "customer_id", "c-42")
        assert isinstance(record, IdentityRecord) and record.id == "i1"
        assert [o.id for o in collect(driver, ci, Occurrence, {"taskId": "t-1"}, 500)] == ["o1"]


@DRIVERS
def test_the_throttle_403_is_retried_and_a_real_403_is_not(ci: CI360, driver: str) -> None:
    body = {"eventName": "cart", "customer_id": "c-1"}
    throttled = {
        "httpStatusCode": 403,
        "errorCode": 1429,
        "message": "too many requests",
        "remediation": "slow down",
    }
    refused = {
        "httpStatusCode": 403,
        "errorCode": 1403,
        "message": "not allowed",
        "details": ["scope"],
        "remediation": "",
    }
    url = BASE + "/marketingGateway/events"
    with expect(
        driver,
        X("POST", url, STATIC, status=403, reply=throttled, json=body),
        X("POST", url, STATIC, status=201, reply=body, json=body),
        X("POST", url, STATIC, status=403, reply=refused, json=body),
    ):
        act(driver, ExternalEvent(ci, **body), "post")
        with pytest.raises(Forbidden, match="not allowed") as error:
            act(driver, ExternalEvent(ci, **body), "post")
    sas = error.value.sas  # type: ignore[attr-defined]
    assert (sas.http_status_code, sas.error_code, sas.details, sas.remediation) == (403, 1403, ("scope",), "")


def test_sas_errors_are_typed_and_never_show_a_secret(ci: CI360) -> None:
    leaky = {
        "httpStatusCode": 404,
        "errorCode": 1404,
        "message": f"no table for {PASSWORD}",
        "remediation": "check the id",
        "details": [f"user {PASSWORD}"],
    }
    with expect("sync", X("GET", BASE + "/marketingData/tables/T9", STATIC, status=404, reply=leaky)):
        with pytest.raises(NotFound) as missing:
            ci.get(Table, "T9")
    error = missing.value
    assert PASSWORD not in str(error) and PASSWORD not in error.sas.message  # type: ignore[attr-defined]
    assert "check the id" in str(error) and error.logref == "1404"


def test_bad_input_is_refused_before_any_request(ci: CI360) -> None:
    with expect("sync"):
        with pytest.raises(InvalidValue, match="exactly one identity key"):
            ExternalEvent(ci, eventName="cart").post()
        with pytest.raises(InvalidValue, match="at most 500"):
            Occurrence.list(ci, size=501)
        with pytest.raises(InvalidValue, match="update_mode"):
            Table.from_dict(ci, {"id": "T1"}).import_file(b"x", update_mode="merge")
        with pytest.raises(InvalidValue, match="gateway's http"):
            CI360("gw.test", "t", "s", "u", "p")
    assert "client-secret-1" not in repr(ci.transport) and PASSWORD not in repr(ci.transport)


@DRIVERS
def test_a_refused_temporary_token_is_renewed_once_and_the_request_resent(ci: CI360, driver: str) -> None:
    url = BASE + "/marketingAudience/audiences/A1"
    renewed = X(
        "POST",
        BASE + "/token",
        STATIC,
        reply={"access_token": "temp-tok-2", "expires_in": 3600},
        form=[("grant_type", "password"), ("username", "api-user"), ("password", PASSWORD)],
    )
    expired = {"httpStatusCode": 401, "errorCode": 1401, "message": "the token has expired"}
    with expect(
        driver,
        TOKEN,
        X("GET", url, TEMPORARY, status=401, reply=expired),
        renewed,
        X("GET", url, "Bearer temp-tok-2", reply={"audienceId": "A1", "name": "vip"}),
    ):
        assert act(driver, ci, "get", Audience, "A1").name == "vip"
