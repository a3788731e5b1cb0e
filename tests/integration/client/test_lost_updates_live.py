"""Concurrent writes to one customer: refused when stale (412 → PreconditionFailed), never lost silently."""

from __future__ import annotations

import threading

import pytest

from contacthub_like import Node, PreconditionFailed


def test_a_patch_based_on_a_stale_read_is_refused_with_the_current_version(node: Node) -> None:
    created = node.add_customer(externalId="lu-1", extra="start")
    mine, theirs = node.get_customer(id=created.id), node.get_customer(id=created.id)
    theirs.extra = "theirs"
    theirs.patch()
    mine.extra = "mine"
    with pytest.raises(PreconditionFailed) as info:
        mine.patch()
    assert info.value.current is not None and info.value.current["extra"] == "theirs"
    assert node.get_customer(id=created.id).extra == "theirs"  # nothing was overwritten
    mine.put(force=True)  # an explicit overwrite
    assert node.get_customer(id=created.id).extra == "mine"
    again = node.get_customer(id=created.id)
    again.extra = "after a fresh read"
    again.patch()  # a write based on the current version goes through
    assert node.get_customer(id=created.id).extra == "after a fresh read"


def test_sixteen_threads_patching_one_customer_lose_nothing_silently(node: Node) -> None:
    created = node.add_customer(externalId="lu-16", extra="0")
    outcomes: list[str] = []
    lock = threading.Lock()

    everyone_has_read = threading.Barrier(16)

    def work(n: int) -> None:
        for attempt in range(40):  # read, change, write; on a conflict read again
            customer = node.get_customer(id=created.id)
            if attempt == 0:
                everyone_has_read.wait()  # all 16 first reads see the same version
            customer.extra = str(int(customer.extra) + 1)  # a read-modify-write, like a counter
            try:
                customer.patch()
            except PreconditionFailed:
                with lock:
                    outcomes.append("conflict")
                continue
            with lock:
                outcomes.append("written")
            return

    threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("written") == 16 and "conflict" in outcomes
    assert node.get_customer(id=created.id).extra == "16"  # no increment was lost
