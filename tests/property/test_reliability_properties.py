"""Properties of the retry schedule and the token bucket, for any settings and any timing."""

from __future__ import annotations

import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from contacthub_like.errors import RetriesExhausted, TransportError
from contacthub_like.http.retry import Retry
from contacthub_like.http.throttle import TokenBucket

seconds = st.floats(min_value=0, max_value=50, allow_nan=False)


@settings(max_examples=200)
@given(
    attempts=st.integers(min_value=1, max_value=12),
    backoff=seconds,
    multiplier=st.floats(min_value=1, max_value=4),
    cap=seconds,
    total=seconds,
    jitter=st.floats(min_value=0, max_value=1),
    draws=st.lists(st.floats(min_value=0, max_value=0.999), min_size=12, max_size=12),
)
def test_a_failing_request_never_waits_past_its_caps(
    attempts, backoff, multiplier, cap, total, jitter, draws
):
    slept: list[float] = []
    source = iter(draws)
    retry = Retry(
        max_attempts=attempts,
        backoff=backoff,
        multiplier=multiplier,
        max_backoff=cap,
        max_total_wait=total,
        jitter=jitter,
        sleep=slept.append,
        random=lambda: next(source),
    )
    calls = 0

    def send() -> requests.Response:
        nonlocal calls
        calls += 1
        raise TransportError("down")

    try:
        retry.run(send, method="GET", path="/x", idempotent=True)
    except RetriesExhausted as exc:
        assert exc.attempts == calls and abs(exc.waited - sum(slept)) < 1e-9
    else:  # pragma: no cover
        raise AssertionError("a request that always fails must end in RetriesExhausted")
    assert 1 <= calls <= attempts
    assert sum(slept) <= total + 1e-9
    assert all(0 <= s <= cap + 1e-9 for s in slept)


@settings(max_examples=200)
@given(
    rate=st.floats(min_value=0.5, max_value=1000),
    burst=st.integers(min_value=1, max_value=10),
    gaps=st.lists(st.floats(min_value=0, max_value=2), min_size=1, max_size=60),
)
def test_the_bucket_never_lets_more_through_than_rate_and_burst_allow(rate, burst, gaps):
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    bucket = TokenBucket(rate, burst, clock=lambda: now[0], sleep=sleep)
    granted: list[float] = []
    for gap in gaps:
        now[0] += gap
        bucket.acquire()
        granted.append(now[0])
    # any window [a, b] holds at most burst + rate * (b - a) grants
    for i, start in enumerate(granted):
        for j in range(i, len(granted)):
            assert j - i + 1 <= burst + rate * (granted[j] - start) + 1e-6
