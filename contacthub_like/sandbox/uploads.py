"""Audience uploads on the hub: reading them, matching their rows, and the background worker.

An upload is stored with its rows and answered at once (PENDING); :class:`UploadWorker`
takes it off the request path, matches every row to customers of the audience's node
(PROCESSING) and writes the members and the final record in one transaction
(COMPLETED, with a reason for every rejected row), or records FAILED.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import queue
import sqlite3
import threading
from typing import Any

from starlette.requests import Request

from .context import dumps, loads_strict
from .errors import HubError, field_error
from .schema import UPLOAD_KEYS, UPLOAD_MODES
from .store import Store
from .timefmt import now_hub

log: logging.Logger = logging.getLogger("contacthub_like.sandbox")

UPLOAD_NOT_VALID = "upload is not valid"
MAX_UPLOAD_ROWS = 100_000
MAX_UPLOAD_BYTES = 16 * 1024 * 1024
_KEY_COLUMNS = {"id": "id", "externalId": "external_id", "email": "email"}
_MATCH_CHUNK = 500


def _upload_error(path: str, message: str, code: str = "INVALID") -> HubError:
    return HubError(400, UPLOAD_NOT_VALID, errors=[field_error(path, message, code)])


def _choice(value: Any, path: str, allowed: tuple[str, ...], default: str | None) -> str:
    if value is None or value == "":
        if default is None:
            raise _upload_error(path, f"{path[1:]} is required: one of {', '.join(allowed)}", "REQUIRED")
        return default
    if value not in allowed:
        raise _upload_error(path, f"{value!r} is not one of {', '.join(allowed)}", "INVALID_ENUM")
    return value


async def _read_limited(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            raise _upload_error("", f"an upload is at most {MAX_UPLOAD_BYTES} bytes; split it", "TOO_LARGE")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_csv(raw: bytes, key: str) -> list[Any]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _upload_error("", "the CSV file is not UTF-8 text", "INVALID_FORMAT") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            raise _upload_error(
                "", "the CSV file is empty: it needs a header row naming the key column", "REQUIRED"
            )
        names = [h.strip() for h in header]
        if key not in names:
            raise _upload_error(
                "/key",
                f"the CSV header has no {key!r} column (its columns: {', '.join(names)}); add it or pick "
                f"another key",
                "MISSING_COLUMN",
            )
        members: list[Any] = []
        for row in reader:
            if not row:  # a blank line is still a row the client sent: report it, never drop it
                members.append({})
                continue
            members.append(dict(zip(names, row, strict=False)))  # short rows: missing key -> reject
    except csv.Error as exc:
        raise _upload_error("", f"the CSV file is malformed: {exc}", "INVALID_FORMAT") from None
    return members


def _match(
    conn: sqlite3.Connection, node: str, key: str, members: list[Any]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Resolve every row to customers, or to a reject with its reason; each row is exactly one of them."""
    rejects: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    wanted: list[tuple[int, str]] = []
    for row, member in enumerate(members, start=1):
        if isinstance(member, str):
            value: Any = member
        elif isinstance(member, dict):
            value = member.get(key)
            if value is not None and not isinstance(value, str):
                rejects.append({"row": row, "value": None, "reason": f"{key} must be a string"})
                continue
        else:
            rejects.append(
                {"row": row, "value": None, "reason": f"the row is not an object with a {key!r} key"}
            )
            continue
        value = (value or "").strip()
        if not value:
            rejects.append({"row": row, "value": None, "reason": f"the row has no {key} value"})
            continue
        if value in first_row:
            rejects.append({"row": row, "value": value, "reason": f"duplicate of row {first_row[value]}"})
            continue
        first_row[value] = row
        wanted.append((row, value))
    column = _KEY_COLUMNS[key]
    found: dict[str, list[str]] = {}
    values = [v for _, v in wanted]
    for i in range(0, len(values), _MATCH_CHUNK):
        chunk = values[i : i + _MATCH_CHUNK]
        marks = ", ".join("?" * len(chunk))
        for value, cid in conn.execute(
            f"SELECT {column}, id FROM customers WHERE node = ? AND {column} IN ({marks}) ORDER BY pk",  # noqa: S608
            (node, *chunk),
        ):
            found.setdefault(value, []).append(cid)
    matched: list[str] = []
    for row, value in wanted:
        ids = found.get(value)
        if ids:
            matched.extend(ids)
        else:
            rejects.append(
                {"row": row, "value": value, "reason": f"no customer with {key} {value!r} in this node"}
            )
    rejects.sort(key=lambda r: r["row"])
    return matched, rejects


def _finish(conn: sqlite3.Connection, upload_id: str, doc: dict[str, Any]) -> None:
    conn.execute(
        "UPDATE audience_uploads SET status = ?, payload = NULL, doc = ? WHERE id = ?",
        (doc["status"], dumps(doc), upload_id),
    )


def process_upload(store: Store, upload_id: str) -> None:
    """Match one stored upload's rows and write the members; PENDING -> PROCESSING -> COMPLETED/FAILED."""
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT doc, payload FROM audience_uploads WHERE id = ? AND payload IS NOT NULL", (upload_id,)
        ).fetchone()
        if row is None:
            return
        doc = json.loads(row[0])
        doc["status"] = "PROCESSING"
        conn.execute(
            "UPDATE audience_uploads SET status = ?, doc = ? WHERE id = ?",
            ("PROCESSING", dumps(doc), upload_id),
        )
    payload = row[1]
    try:
        with store.transaction() as conn:
            audience = conn.execute(
                "SELECT node, source FROM audiences WHERE id = ?", (doc["audienceId"],)
            ).fetchone()
            if audience is None:
                raise LookupError("the audience was deleted before the upload was processed")
            matched, rejects = _match(conn, audience[0], doc["key"], json.loads(payload))
            if doc["mode"] == "REPLACE":
                conn.execute("DELETE FROM audience_members WHERE audience_id = ?", (doc["audienceId"],))
            conn.executemany(
                "INSERT OR IGNORE INTO audience_members(audience_id, customer_id) VALUES (?, ?)",
                [(doc["audienceId"], cid) for cid in matched],
            )
            now = now_hub()
            conn.execute(
                "UPDATE audiences SET updated_at = ?, doc = json_set(doc, '$.updatedAt', ?) WHERE id = ?",
                (now, now, doc["audienceId"]),
            )
            doc.update(
                status="COMPLETED",
                matched=doc["received"] - len(rejects),
                rejected=len(rejects),
                rejects=rejects,
                completedAt=now,
            )
            _finish(conn, upload_id, doc)
    except Exception as exc:  # the record must end in a final state whatever went wrong
        if store.closed:
            raise
        log.warning("audience upload %s failed: %s", upload_id, exc)
        reason = (
            str(exc) if isinstance(exc, LookupError) else "the upload could not be processed; send it again"
        )
        doc.update(status="FAILED", completedAt=now_hub(), error=reason)
        with store.transaction() as conn:
            _finish(conn, upload_id, doc)


class UploadWorker:
    """One background thread per hub that processes uploads in the order they arrived.

    It starts with the first upload (or at start-up when unfinished uploads are found)
    and stops soon after the store is closed.
    """

    poll_seconds: float = 0.5

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: queue.Queue[str] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, upload_id: str) -> None:
        self._queue.put(upload_id)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="contacthub-hub-uploads", daemon=True)
                self._thread.start()

    def resume(self) -> None:
        for (upload_id,) in self.store.all(
            "SELECT id FROM audience_uploads WHERE payload IS NOT NULL ORDER BY pk"
        ):
            self.submit(upload_id)

    def _run(self) -> None:
        while not self.store.closed:
            try:
                upload_id = self._queue.get(timeout=self.poll_seconds)
            except queue.Empty:
                continue
            try:
                process_upload(self.store, upload_id)
            except Exception:
                if self.store.closed:
                    return
                log.exception("audience upload %s could not be recorded", upload_id)


async def read_upload(request: Request) -> tuple[str, str, list[Any]]:
    """``(key, mode, rows)`` from a JSON ``{key, mode, members}`` body, or a ``text/csv`` body with
    ``?key=&mode=``; anything malformed is a 400 before a record exists."""
    raw = await _read_limited(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "text/csv":
        key = _choice(request.query_params.get("key"), "/key", UPLOAD_KEYS, None)
        mode = _choice(request.query_params.get("mode"), "/mode", UPLOAD_MODES, "APPEND")
        members: Any = _parse_csv(raw, key)
    else:
        try:
            body = loads_strict(raw) if raw.strip() else None
        except (ValueError, RecursionError):
            raise _upload_error("", "the body is not valid JSON", "MALFORMED_JSON") from None
        if not isinstance(body, dict):
            raise _upload_error(
                "",
                "send a JSON object {key, mode, members} or a text/csv file with ?key=",
                "INVALID_TYPE",
            )
        unknown = sorted(set(body) - {"key", "mode", "members"})
        if unknown:
            raise _upload_error(f"/{unknown[0]}", f"unknown property {unknown[0]!r}", "UNKNOWN_PROPERTY")
        key = _choice(body.get("key"), "/key", UPLOAD_KEYS, None)
        mode = _choice(body.get("mode"), "/mode", UPLOAD_MODES, "APPEND")
        members = body.get("members")
        if not isinstance(members, list):
            raise _upload_error("/members", "members must be an array of rows", "INVALID_TYPE")
    if len(members) > MAX_UPLOAD_ROWS:
        raise _upload_error(
            "/members",
            f"an upload holds at most {MAX_UPLOAD_ROWS} rows, got {len(members)}; split it",
            "TOO_LARGE",
        )
    return key, mode, members
