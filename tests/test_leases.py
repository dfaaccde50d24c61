"""Leases: one holder at a time, expiry after a crash, renewal while a long run goes on."""
import time

from tracker import leases
from tracker.extensions import db


def test_one_holder_at_a_time_and_release(app):
    assert leases.acquire(db.session, "job", 60, holder="a")
    assert not leases.acquire(db.session, "job", 60, holder="b")
    assert leases.acquire(db.session, "job", 60, holder="a")  # the holder renews
    leases.release(db.session, "job", holder="b")  # not b's to release
    assert not leases.acquire(db.session, "job", 60, holder="b")
    leases.release(db.session, "job", holder="a")
    assert leases.acquire(db.session, "job", 60, holder="b")


def test_a_crashed_holders_lease_expires(app):
    assert leases.acquire(db.session, "job", 0.5, holder="crashed")
    time.sleep(1.0)
    assert leases.acquire(db.session, "job", 60, holder="next")


def test_a_kept_lease_outlives_its_duration_and_stops_being_renewed_after_the_block(app):
    assert leases.acquire(db.session, "job", 2, holder="long-run")
    with leases.kept(db.engine, "job", 2, holder="long-run"):
        time.sleep(3.5)  # longer than the lease: only renewal keeps it
        assert not leases.acquire(db.session, "job", 60, holder="other")
    time.sleep(2.5)  # no renewals after the block: it expires like any other
    assert leases.acquire(db.session, "job", 60, holder="other")


def test_held_skips_when_taken_and_frees_the_lease_after_the_block(app):
    assert leases.acquire(db.session, "job", 60, holder="other")
    with leases.held(db.session, "job", 60) as got:
        assert got is False
    leases.release(db.session, "job", holder="other")
    with leases.held(db.session, "job", 60) as got:
        assert got is True
        assert not leases.acquire(db.session, "job", 60, holder="other")
    assert leases.acquire(db.session, "job", 60, holder="other")
