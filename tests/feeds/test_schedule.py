from datetime import datetime, timedelta, timezone

from tracker.feeds.schedule import next_poll_at

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def minutes(**kw) -> float:
    return (next_poll_at(NOW, 60, rng=lambda: 0.5, **kw) - NOW) / timedelta(minutes=1)


def test_interval_and_feed_hints():
    assert minutes() == 60
    assert minutes(ttl_minutes=120) == 120
    assert minutes(ttl_minutes=10) == 60  # a hint never makes us poll more often than asked
    assert minutes(max_age_seconds=3 * 3600) == 180
    assert minutes(ttl_minutes=10**6) == 24 * 60


def test_back_off_and_retry_after():
    assert minutes(error_count=1) == 120
    assert minutes(error_count=3) == 480
    assert minutes(error_count=50) == 24 * 60
    assert minutes(retry_after_seconds=7200) == 120
    assert minutes(retry_after_seconds=10) == 60


def test_jitter_is_bounded():
    low = (next_poll_at(NOW, 60, rng=lambda: 0.0) - NOW) / timedelta(minutes=1)
    high = (next_poll_at(NOW, 60, rng=lambda: 0.999999) - NOW) / timedelta(minutes=1)
    assert 53.9 < low < 54.1 and 65.9 < high < 66.1
