"""When to poll a feed next: its interval, its own hints, errors and Retry-After, with jitter."""
import random
from collections.abc import Callable
from datetime import datetime, timedelta

MAX_MINUTES = 24 * 60
JITTER = 0.10  # ±10%, so feeds added together do not poll in lock-step


def next_poll_at(now: datetime, interval_minutes: int, *, ttl_minutes: int | None = None,
                 max_age_seconds: float | None = None, retry_after_seconds: float | None = None,
                 error_count: int = 0, rng: Callable[[], float] = random.random) -> datetime:
    minutes = float(interval_minutes)
    # A feed saying "don't come back for N minutes" is honoured, but never beyond a day.
    for hint in (ttl_minutes, (max_age_seconds or 0) / 60 if max_age_seconds else None):
        if hint:
            minutes = max(minutes, float(hint))
    if error_count:
        minutes = minutes * 2 ** min(error_count, 6)
    minutes = min(minutes, MAX_MINUTES)
    minutes *= 1 + JITTER * (2 * rng() - 1)
    if retry_after_seconds:
        minutes = max(minutes, min(retry_after_seconds / 60, MAX_MINUTES))
    return now + timedelta(minutes=minutes)
