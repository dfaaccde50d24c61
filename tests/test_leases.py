"""Leases: one holder at a time, expiry after a crash, renewal while a long run goes on.

Time is injected (`now=`, `clock=`): no test here sleeps to let a lease run out."""
import threading
from datetime import timedelta

from sqlalchemy import select

from tracker import leases
from tracker.db import utcnow
from tracker.extensions import db


class Clock:
    def __init__(self):
        self.now = utcnow()
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += timedelta(seconds=seconds)


def expiry(name: str):
    db.session.rollback()
    return db.session.scalar(select(leases.Lease.expires_at).where(leases.Lease.name == name))


def test_one_holder_at_a_time_and_release(app):
    assert leases.acquire(db.session, "job", 60, holder="a")
    assert not leases.acquire(db.session, "job", 60, holder="b")
    assert leases.acquire(db.session, "job", 60, holder="a")  # the holder renews
    leases.release(db.session, "job", holder="b")  # not b's to release
    assert not leases.acquire(db.session, "job", 60, holder="b")
    leases.release(db.session, "job", holder="a")
    assert leases.acquire(db.session, "job", 60, holder="b")


def test_a_crashed_holders_lease_expires(app):
    clock = Clock()
    assert leases.acquire(db.session, "job", 30, holder="crashed", now=clock())
    clock.advance(29)
    assert not leases.acquire(db.session, "job", 60, holder="next", now=clock())
    clock.advance(2)
    assert leases.acquire(db.session, "job", 60, holder="next", now=clock())


def test_a_kept_lease_outlives_its_duration_and_stops_being_renewed_after_the_block(app):
    clock = Clock()
    assert leases.acquire(db.session, "job", 30, holder="long-run", now=clock())
    first_expiry = expiry("job")
    with leases.kept(db.engine, "job", 30, holder="long-run", clock=clock, every=0.01):
        clock.advance(100)  # far past the lease: only renewals keep it
        for _ in range(5000):  # wait for the renewing thread to see the new time (a condition, not a timer)
            if expiry("job") >= first_expiry + timedelta(seconds=100):
                break
            threading.Event().wait(0.01)
        assert expiry("job") >= first_expiry + timedelta(seconds=100)
        assert not leases.acquire(db.session, "job", 60, holder="other", now=clock())
    renewed_until = expiry("job")
    clock.advance(31)  # the renewing thread has stopped: nothing moves the expiry any more
    assert expiry("job") == renewed_until
    assert leases.acquire(db.session, "job", 60, holder="other", now=clock())


def test_held_skips_when_taken_and_frees_the_lease_after_the_block(app):
    assert leases.acquire(db.session, "job", 60, holder="other")
    with leases.held(db.session, "job", 60) as got:
        assert got is False
    leases.release(db.session, "job", holder="other")
    with leases.held(db.session, "job", 60) as got:
        assert got is True
        assert not leases.acquire(db.session, "job", 60, holder="other")
    assert leases.acquire(db.session, "job", 60, holder="other")


def test_release_all_frees_every_lease_of_this_process(app):
    assert leases.acquire(db.session, "a", 60) and leases.acquire(db.session, "b", 60)
    assert leases.acquire(db.session, "c", 60, holder="someone else")
    assert leases.release_all(db.session) == 2
    assert leases.acquire(db.session, "a", 60, holder="x") and leases.acquire(db.session, "b", 60, holder="x")
    assert not leases.acquire(db.session, "c", 60, holder="x")
