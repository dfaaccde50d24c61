"""The scheduler process: every job registered, late runs coalesced, a failing job never stops it."""
import logging

from apscheduler.schedulers.background import BackgroundScheduler

from tracker.scheduler import Job, _in_app_context, build_scheduler, every


def test_jobs_and_their_defaults(app):
    # Job defaults are applied when a scheduler starts: start a paused background one to read them.
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert {"feeds.poll_due", "digests.daily", "digests.weekly", "digests.outbox"} <= set(jobs)
    poll = jobs["feeds.poll_due"]
    assert poll.coalesce is True and poll.max_instances == 1 and poll.misfire_grace_time == 15 * 60
    assert poll.trigger.interval.total_seconds() == 60


def test_a_failing_job_is_logged_and_does_not_raise(app, caplog):
    ran = []

    def broken():
        ran.append(True)
        raise RuntimeError("database away")
    run = _in_app_context(app, Job("broken", broken, every(1)))
    with caplog.at_level(logging.ERROR, logger="tracker.scheduler"):
        run()
    assert ran == [True]
    assert "job broken failed" in caplog.text and "database away" in caplog.text
