"""Conditional writes: a 412 that follows a lost answer is told apart from a real conflict."""

from __future__ import annotations


def _stale(current: dict, *, maybe_applied: bool) -> Exception:
    from contacthub_like import PreconditionFailed

    error = PreconditionFailed("stale", status_code=412, data={"customer": current}, headers={"ETag": '"v2"'})
    error.maybe_applied_before = maybe_applied
    return error


def test_a_412_after_a_lost_answer_that_holds_our_change_is_our_own_write() -> None:
    from contacthub_like.services.contacthub.versions import our_own_write

    current = {"id": "c-1", "extra": "mine", "base": {"firstName": "Al"}}
    result = our_own_write(_stale(current, maybe_applied=True), {"extra": "mine"})
    assert result == current and result.etag == '"v2"'
    # someone else's version: a real conflict
    assert our_own_write(_stale(current, maybe_applied=True), {"extra": "other"}) is None
    # no lost answer: even a matching version is reported
    assert our_own_write(_stale(current, maybe_applied=False), {"extra": "mine"}) is None
