"""Webhook deliveries: POST each event, as a JSON array in the model's shape, to the post-urls.

Deliveries run off the request path on one daemon thread per emulator app (started on the
first event), over a pooled ``requests.Session`` with a timeout.  Every post counts in
``posts-count``; a network failure or a status above 302 also counts in ``error-count``,
and after :data:`ERROR_THRESHOLD` failures in a row the subscription's ``status`` becomes
``error`` (a later success makes it ``active`` again).  The thread stops when the store is
closed (the server stopped).
"""

from __future__ import annotations

import json
import logging
import queue
import sqlite3
import threading
from typing import Any

import requests

from ..store import Store
from . import subscriptions

log: logging.Logger = logging.getLogger("contacthub_like.sandbox.netsapiens")

#: consecutive failed posts after which a subscription's status is ``error``
ERROR_THRESHOLD = 3
#: (connect, read) seconds for one post
POST_TIMEOUT = (3.0, 5.0)
_IDLE_POLL = 0.2


class Deliverer:
    """A queue of pending posts and the thread that sends them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: queue.Queue[tuple[str, str, bytes]] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._session: requests.Session | None = None

    # -- producer side (request handlers) --------------------------------------------------
    def publish(
        self, model: str, objects: list[dict[str, Any]], *, reseller: str, domain: str, user: str
    ) -> int:
        """Queue ``objects`` for every subscription to ``model`` that takes this event; returns how many."""
        targets = subscriptions.matching(self.store, model, reseller, domain, user)
        if not targets:
            return 0
        body = json.dumps(objects, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        for sub_id, url in targets:
            self._queue.put((sub_id, url, body))
        self._ensure_thread()
        return len(targets)

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="netsapiens-deliveries", daemon=True)
                self._thread.start()

    # -- consumer side (the delivery thread) -----------------------------------------------
    def _run(self) -> None:
        try:
            while not self.store.closed:
                try:
                    sub_id, url, body = self._queue.get(timeout=_IDLE_POLL)
                except queue.Empty:
                    continue
                try:
                    self._deliver(sub_id, url, body)
                except sqlite3.OperationalError as exc:  # e.g. locked past the busy timeout: keep going
                    log.warning("could not count a delivery to subscription %s: %s", sub_id, exc)
        except RuntimeError:  # the store closed between the check and a statement: the server stopped
            pass
        finally:
            session, self._session = self._session, None
            if session is not None:
                session.close()

    def _post(self, url: str, body: bytes) -> int:
        if self._session is None:
            self._session = requests.Session()
        response = self._session.post(
            url,
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=POST_TIMEOUT,
            allow_redirects=False,
        )
        response.close()
        return response.status_code

    def _deliver(self, sub_id: str, url: str, body: bytes) -> None:
        try:
            status = self._post(url, body)
            ok = status <= 302
        except (requests.RequestException, ValueError, OSError) as exc:
            # any failure to post (refused, timed out, a URL requests cannot use) is a failed post
            log.info("delivery to subscription %s failed: %s", sub_id, type(exc).__name__)
            ok = False
        if ok:
            self.store.execute(
                "UPDATE netsapiens_subscriptions SET posts_count = posts_count + 1, failures = 0,"
                " status = 'active' WHERE id = ?",
                (sub_id,),
            )
        else:
            self.store.execute(
                "UPDATE netsapiens_subscriptions SET posts_count = posts_count + 1,"
                " error_count = error_count + 1, failures = failures + 1,"
                " status = CASE WHEN failures + 1 >= ? THEN 'error' ELSE status END WHERE id = ?",
                (ERROR_THRESHOLD, sub_id),
            )
