"""Conditional writes: a 412 that follows a lost answer is told apart from a real conflict."""

from __future__ import annotations

import pytest


def _stale(current: dict, *, maybe_applied: bool) -> Exception:
    from contacthub_like import PreconditionFailed

    error = PreconditionFailed("stale", status_code=412, data={"customer": current}, headers={"ETag": '"v2"'})
    error.maybe_applied_before = maybe_applied
    return error


def test_a_412_after_a_lost_answer_that_holds_our_change_is_our_own_write() -> None:
    from contacthub_like import PreconditionFailed
    from contacthub_like.services.contacthub.versions import conditional_write

    current = {"id": "c-1", "extra": "mine", "base": {"firstName": "Al"}}

    def ours(etag: str | None) -> dict:
        raise _stale(current, maybe_applied=True)

    result = conditional_write(ours, '"v1"', {"extra": "mine"})
    assert result == current and result.etag == '"v2"'
    with pytest.raises(PreconditionFailed):  # someone else's version: a real conflict
        conditional_write(ours, '"v1"', {"extra": "other"})

    def theirs(etag: str | None) -> dict:
        raise _stale(current, maybe_applied=False)

    with pytest.raises(PreconditionFailed):  # no lost answer: even a matching version is reported
        conditional_write(theirs, '"v1"', {"extra": "mine"})
