"""Recognising a request refused for its size, whatever shape the refusal takes.

A server answers an oversized URL or header block with 414 or 431 when it can (the embedded
hub does, in its JSON envelope).  Many cannot: their HTTP parser answers a bare 400 or cuts
the connection while the request is still being sent, which ``requests`` reports as a
``ConnectionError`` or ``ChunkedEncodingError``.  When the request was large enough to explain
that, the transport raises :class:`~contacthub_like.errors.RequestTooLarge` instead, saying
which part was too large and how large it was, rather than blaming the network or the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from ..errors import APIError, RequestTooLarge

__all__ = ["SUSPECT_URL_BYTES", "SUSPECT_HEADER_BYTES", "oversized_part", "refine_error", "cut_off_error"]

#: sizes above which a server's refusal or cut connection is put down to the request's size;
#: 8 KB is the smallest common limit (nginx, Apache, Node) for either part
SUSPECT_URL_BYTES = 8 * 1024
SUSPECT_HEADER_BYTES = 8 * 1024


def oversized_part(request: requests.PreparedRequest | None) -> str | None:
    """ "the URL (N bytes)" or "the headers (N bytes)" when the request is over those sizes, else None."""
    if request is None:
        return None
    url = len((request.url or "").encode("utf-8"))
    if url > SUSPECT_URL_BYTES:
        return f"the URL with its query string ({url} bytes)"
    headers = sum(len(str(k)) + len(str(v)) for k, v in request.headers.items())
    if headers > SUSPECT_HEADER_BYTES:
        return f"the request headers ({headers} bytes together)"
    return None


def refine_error(error: Exception, response: requests.Response) -> Exception:
    """A bare 400 (not the hub's JSON envelope) to an oversized request becomes RequestTooLarge.

    ``error`` is what the transport's error decoder made of the answer: a service's own decoder
    may return any exception, which is passed on as it is.
    """
    if not isinstance(error, APIError) or error.status_code != 400 or isinstance(error.body, dict):
        return error
    part = oversized_part(response.request)
    if part is None:
        return error
    return RequestTooLarge(
        f"the server refused the request with a plain 400 ({error.message}); {part} is probably too large: "
        "send fewer or shorter parameters",
        status_code=400,
        body=error.body,
        headers=response.headers,
        response=response,
    )


def cut_off_error(
    exc: requests.RequestException, method: str, path: str, url: str, kwargs: Mapping[str, Any]
) -> RequestTooLarge | None:
    """RequestTooLarge when the server cut the connection of an oversized request, else None.

    ``url`` and ``kwargs`` are what was sent: a connection cut while reading the answer leaves no
    request on the exception, so the request is measured again from them.
    """
    if isinstance(exc, requests.Timeout):
        return None
    request = exc.request
    if not isinstance(request, requests.PreparedRequest):
        params, headers = kwargs.get("params"), kwargs.get("headers")
        request = requests.Request(method, url, params=params, headers=headers).prepare()
    part = oversized_part(request)
    if part is None:
        return None
    error = RequestTooLarge(
        f"{method} {path}: the server closed the connection while the request was sent; {part} is "
        "probably too large: send fewer or shorter parameters",
        status_code=None,
    )
    return error
