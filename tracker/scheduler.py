"""The one APScheduler process (`flask --app tracker scheduler`); never started inside web workers.

Each job also takes a database lease, so a second scheduler started by mistake, or a manual command
running at the same moment, does no harm.
"""
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from flask.cli import with_appcontext

log = logging.getLogger(__name__)
_stopping = threading.Event()


def stop_requested() -> bool:
    """Set once the scheduler is asked to stop: long jobs check it between units of work (a batch of mail,
    a wait for a lease) and end early, leaving nothing half done."""
    return _stopping.is_set()


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], object]  # runs inside an app context
    trigger: object


def _jobs(app: Flask) -> list[Job]:
    jobs: list[Job] = []
    for provider in app.extensions.get("tracker_jobs", ()):
        jobs.extend(provider(app))
    return jobs


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler] = BlockingScheduler) -> BaseScheduler:
    scheduler = scheduler_class(timezone=app.config.get("TRACKER_DISPLAY_TZ", "Asia/Karachi"), job_defaults={
        # A late run is still useful, but a backlog of them is not: run once, then carry on.
        "coalesce": True, "max_instances": 1, "misfire_grace_time": 15 * 60})
    for job in _jobs(app):
        scheduler.add_job(_in_app_context(app, job), job.trigger, id=job.name, name=job.name,
                          replace_existing=True)
    return scheduler


def _in_app_context(app: Flask, job: Job):
    def run():
        with app.app_context():
            try:
                job.func()
            except Exception:  # one failed run must not stop the scheduler
                log.exception("job %s failed", job.name)
    return run


def every(minutes: float) -> IntervalTrigger:
    return IntervalTrigger(minutes=minutes)


def daily_at(hhmm: str, tz: str, day_of_week: str | None = None) -> CronTrigger:
    hour, minute = (int(p) for p in hhmm.split(":"))
    return CronTrigger(hour=hour, minute=minute, day_of_week=day_of_week, timezone=tz)


def stop_gracefully(scheduler: BaseScheduler) -> threading.Thread:
    """Take no new job, let the running one finish, then end the scheduler's loop.

    Safe from a signal handler: the waiting happens in a thread of its own (the handler runs on the main
    thread, inside the scheduler's loop)."""
    _stopping.set()
    stopper = threading.Thread(target=_shutdown, args=(scheduler,), name="scheduler-stop")
    stopper.start()
    return stopper


def _shutdown(scheduler: BaseScheduler) -> None:
    try:
        scheduler.shutdown(wait=True)  # state STOPPED first (nothing new starts), then waits for running jobs
    except Exception:  # already stopped
        log.debug("scheduler already stopped", exc_info=True)


def _release_leases(app: Flask) -> None:
    """Jobs release their own leases; this is the safety net for one a job could not release."""
    from tracker import leases
    from tracker.extensions import db
    with app.app_context():
        try:
            leases.release_all(db.session)
        finally:
            db.session.remove()


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the scheduler in the foreground (exactly one per deployment); SIGTERM or Ctrl-C stops it gently."""
    from tracker.request_log import json_handler
    logging.basicConfig(level=logging.INFO, handlers=[json_handler()], force=True)
    tracker_log = logging.getLogger("tracker")
    tracker_log.handlers = [h for h in tracker_log.handlers if not getattr(h, "tracker_json", False)]
    app = current_app._get_current_object()
    _stopping.clear()

    def on_signal(signum, _frame):
        log.info("signal %s: taking no new job; waiting for the running one to finish", signum)
        _stopping.set()

    # Handlers first: a signal that arrives while the scheduler starts still stops it.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start()
    names = ", ".join(j.id for j in scheduler.get_jobs()) or "none"
    click.echo(f"scheduler started with jobs: {names}")
    _stopping.wait()
    _shutdown(scheduler)  # nothing new starts; returns once the running job has finished
    _release_leases(app)
    click.echo("scheduler stopped: no job running, leases released")
