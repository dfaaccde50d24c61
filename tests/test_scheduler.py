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


def test_stopping_lets_the_running_job_finish_and_frees_its_lease(app):
    import threading
    from datetime import datetime, timezone

    from apscheduler.schedulers.base import STATE_STOPPED

    from tracker import leases, scheduler as scheduler_module
    from tracker.extensions import db

    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def long_job():
        with leases.held(db.session, "long", 60) as got:
            assert got
            started.set()
            release.wait(30)
        finished.set()
    scheduler = BackgroundScheduler()
    scheduler.add_job(_in_app_context(app, Job("long", long_job, every(1))), "date",
                      run_date=datetime.now(timezone.utc))
    scheduler.start()
    try:
        assert started.wait(30)
        stopper = scheduler_module.stop_gracefully(scheduler)
        assert scheduler_module.stop_requested()
        for _ in range(3000):  # the state changes at once; the stopper then waits for the job
            if scheduler.state == STATE_STOPPED:
                break
            threading.Event().wait(0.01)
        assert scheduler.state == STATE_STOPPED and stopper.is_alive() and not finished.is_set()
        release.set()
        stopper.join(30)
        assert finished.is_set() and not stopper.is_alive()
        assert leases.acquire(db.session, "long", 60, holder="next scheduler")  # released by the job
    finally:
        release.set()
        scheduler_module._stopping.clear()


def test_sigterm_stops_the_scheduler_process_cleanly(database_url):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_DATABASE_URL=database_url, TRACKER_SECRET_KEY="test")
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "tracker", "scheduler"],
                            cwd=Path(__file__).resolve().parents[1], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()  # blocks until the scheduler is up
        assert first.startswith("scheduler started with jobs:"), first + proc.stderr.read()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "scheduler stopped: no job running, leases released" in out
    assert "Traceback" not in err
