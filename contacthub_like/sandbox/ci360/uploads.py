"""Local signed upload URLs, standing in for the pre-signed S3 URLs CI360 hands out.

``{root}/_upload/{fileId}?expires=<ms>&signature=<hmac>``: the PUT needs no Authorization
header (a client must never send its bearer token to S3), and a wrong or expired signature is
refused with 403.  The signature is an HMAC-SHA256 over the id and expiry with a key kept in
the database, so URLs stay valid across a server restart.  The bytes are stored as sent; the
work they start (bulk events) runs off the request path through ``state.on_upload``.
"""

from __future__ import annotations

import csv
import email.parser
import email.policy
import hashlib
import hmac
import io
import uuid
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import Response

from .body import read_limited
from .errors import SasError, bad_request
from .jobs import JobFailed
from .objects import now
from .state import CI360State

MAX_UPLOAD_BYTES = 64 * 1024 * 1024
UPLOAD_SEGMENT = "/_upload/"
DOWNLOAD = "download"


def _signature(state: CI360State, file_id: str, expires: int) -> str:
    return hmac.new(state.signing_key, f"{file_id}.{expires}".encode(), hashlib.sha256).hexdigest()


def request_root(request: Request) -> str:
    """The emulator's absolute root URL as the client reached it (``http://host:port/ci360``)."""
    return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}"


def new_signed_url(state: CI360State, request: Request, tenant: str, purpose: str) -> str:
    """A fresh upload slot for ``tenant``; answers its absolute URL."""
    return signed_url(state, request_root(request), tenant, purpose)


def signed_url(state: CI360State, root: str, tenant: str, purpose: str, content: bytes | None = None) -> str:
    """A slot under ``root`` to PUT a file to, or, with ``content``, to GET it from (a download)."""
    file_id = str(uuid.uuid4())
    expires_at = now() + state.signed_url_ttl
    expires = int(expires_at * 1000)
    state.store.execute(
        "INSERT INTO ci360_files(id, tenant, purpose, expires_at, content, content_type, uploaded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            file_id,
            tenant,
            purpose,
            expires_at,
            content,
            None if content is None else "text/csv",
            None if content is None else now(),
        ),
    )
    return (
        f"{root}{UPLOAD_SEGMENT}{file_id}?expires={expires}&signature={_signature(state, file_id, expires)}"
    )


def _check(state: CI360State, file_id: str, expires: str | None, signature: str | None) -> int:
    if not expires or not signature or not (expires.isascii() and expires.isdigit()):
        raise SasError(
            403, "the upload URL is not signed", remediation="use the URL exactly as the API returned it"
        )
    if not hmac.compare_digest(_signature(state, file_id, int(expires)).encode(), signature.encode("utf-8")):
        raise SasError(
            403,
            "the upload URL's signature does not match",
            remediation="use the URL exactly as the API returned it",
        )
    return int(expires)


def file_id_of(state: CI360State, tenant: str, location: str, field: str = "fileLocation") -> str:
    """The upload slot a ``fileLocation`` names, checked to be ours, signed and this tenant's."""
    parts = urlsplit(location)
    if UPLOAD_SEGMENT not in parts.path:
        raise bad_request(
            f"{field} is not a signed upload URL of this API",
            "request one from fileTransferLocation, PUT the file to it, then send that URL",
        )
    file_id = parts.path.rsplit(UPLOAD_SEGMENT, 1)[1]
    query = parse_qs(parts.query)
    try:
        _check(state, file_id, query.get("expires", [None])[0], query.get("signature", [None])[0])
    except SasError:
        raise bad_request(
            f"{field} is not a valid signed URL", "send the signed URL exactly as it was returned"
        ) from None
    owner = state.store.scalar("SELECT tenant FROM ci360_files WHERE id = ?", (file_id,))
    if owner != tenant:
        raise bad_request(
            f"{field} names no upload of this tenant", "request a signed URL with this tenant's token"
        )
    return file_id


def stored_file(state: CI360State, file_id: str) -> bytes | None:
    """The bytes uploaded to a slot, or None when nothing was uploaded yet."""
    content = state.store.scalar("SELECT content FROM ci360_files WHERE id = ?", (file_id,))
    return None if content is None else bytes(content)


def _unwrap_multipart(raw: bytes) -> bytes:
    """The file inside a multipart body sent under another content type (VeloxPy's bulk upload
    labels a multipart form ``application/octet-stream``); other bodies are returned as they are."""
    first_line, sep, _ = raw.partition(b"\r\n")
    if (
        not sep
        or not first_line.startswith(b"--")
        or len(first_line) > 200
        or b"content-disposition" not in raw[:1000].lower()
    ):
        return raw
    boundary = first_line[2:].decode("latin-1")
    head = f'Content-Type: multipart/form-data; boundary="{boundary}"\r\n\r\n'.encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    if not message.is_multipart():
        return raw
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            return payload
    return raw


def _slot(state: CI360State, request: Request, file_id: str) -> tuple[str, str]:
    """``(tenant, purpose)`` of the slot a signed URL names, once its signature and expiry are checked."""
    query = request.query_params
    expires = _check(state, file_id, query.get("expires"), query.get("signature"))
    if expires < now() * 1000:
        raise SasError(403, "the signed URL has expired", remediation="request a new signed URL")
    row = state.store.one("SELECT tenant, purpose FROM ci360_files WHERE id = ?", (file_id,))
    if row is None:
        raise SasError(403, "the signed URL names no file", remediation="request a new signed URL")
    return str(row[0]), str(row[1])


async def send(state: CI360State, request: Request, file_id: str) -> Response:
    """``GET`` from a signed download URL (a job's result): no auth, a valid unexpired signature."""
    _, purpose = _slot(state, request, file_id)
    if purpose != DOWNLOAD:
        raise SasError(
            403, "this signed URL is for an upload, not a download", remediation="PUT a file to it"
        )
    return Response(stored_file(state, file_id) or b"", media_type="text/csv")


async def receive(state: CI360State, request: Request, file_id: str) -> None:
    """``PUT`` to a signed URL: no auth, a valid unexpired signature, then store and hand off."""
    row = _slot(state, request, file_id)
    if row[1] == DOWNLOAD:
        raise SasError(403, "this signed URL is for a download, not an upload", remediation="GET it")
    raw = _unwrap_multipart(await read_limited(request, MAX_UPLOAD_BYTES))
    state.store.execute(
        "UPDATE ci360_files SET content = ?, content_type = ?, uploaded_at = ? WHERE id = ?",
        (raw, request.headers.get("content-type", ""), now(), file_id),
    )
    handler = state.on_upload.get(row[1])
    if handler is not None:
        handler(row[0], file_id)


def csv_rows(raw: bytes) -> list[list[str]]:
    """The rows of a comma-separated UTF-8 file (a BOM is allowed); ValueError says what is wrong."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("the file is not UTF-8 text") from None
    try:
        return [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    except csv.Error as exc:
        raise ValueError(f"the file is not valid CSV: {exc}") from None


def uploaded_rows(state: CI360State, file_id: str, *, header_row: bool, limit: int = 0) -> list[list[str]]:
    """The data rows of the CSV uploaded to a slot, for work running off the request path; a
    missing or unreadable file fails that work with a message saying what to do."""
    raw = stored_file(state, file_id)
    if raw is None:
        raise JobFailed("no file was uploaded to fileLocation; PUT the CSV to the signed URL first")
    try:
        rows = csv_rows(raw)
    except ValueError as exc:
        raise JobFailed(str(exc)) from None
    rows = rows[1:] if header_row else rows
    return rows[:limit] if limit else rows
