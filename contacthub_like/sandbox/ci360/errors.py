"""The SAS error JSON, built in this one place.

No real CI360 error body is published; the shape follows the SAS Viya convention
(``application/vnd.sas.error+json``: ``version``, ``httpStatusCode``, ``errorCode``, ``message``,
``details``, ``remediation``, ``errors``) and SAS's own macros read ``errorCode`` and
``message``.  Should a real body differ, only this module changes.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

log: logging.Logger = logging.getLogger("contacthub_like.sandbox.ci360")

ERROR_MEDIA_TYPE = "application/vnd.sas.error+json"

#: errorCode per HTTP status (inferred numbering: SAS services use service-specific integers)
ERROR_CODES: dict[int, int] = {
    400: 1400,
    401: 1401,
    403: 1403,
    404: 1404,
    405: 1405,
    409: 1409,
    413: 1413,
    415: 1415,
    500: 1500,
}
#: the gateway's throttle answer has its own code, so clients can tell it from a real 403
THROTTLED_CODE = 1429


class SasError(Exception):
    """Raised anywhere while handling a request; the app answers it as the SAS error JSON."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        details: list[str] | None = None,
        remediation: str = "",
        error_code: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details: list[str] = list(details or [])
        self.remediation = remediation
        self.error_code: int = ERROR_CODES.get(status, status * 10) if error_code is None else error_code
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return {
            "version": 2,
            "httpStatusCode": self.status,
            "errorCode": self.error_code,
            "message": self.message,
            "details": self.details,
            "remediation": self.remediation,
            "errors": [],
        }

    def response(self) -> Response:
        response = Response(json.dumps(self.body()), status_code=self.status, media_type=ERROR_MEDIA_TYPE)
        if self.headers:
            response.headers.update(self.headers)
        return response


def bad_request(message: str, remediation: str, *details: str) -> SasError:
    """400: what was wrong (``message``) and how to fix it (``remediation``)."""
    return SasError(400, message, details=list(details), remediation=remediation)


def not_found(what: str, ident: str) -> SasError:
    return SasError(
        404,
        f"{what} {ident!r} was not found",
        remediation=f"check the {what} id; list the collection to see which ones exist",
    )


def unauthorized(message: str, remediation: str) -> SasError:
    return SasError(401, message, remediation=remediation)


async def sas_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SasError)
    return exc.response()


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Routing errors (unknown path, wrong method) in the same shape as every other error."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        error = SasError(
            405,
            f"the method {request.method} is not supported on {request.url.path}",
            remediation="see /ci360/openapi.json for the methods each path accepts",
        )
    elif exc.status_code == 404:
        error = SasError(
            404,
            f"no resource at {request.url.path}",
            remediation="see /ci360/openapi.json for the paths this API serves",
        )
    else:
        error = SasError(exc.status_code, str(exc.detail or "error"))
    if exc.headers:
        error.headers = dict(exc.headers)
    return error.response()
