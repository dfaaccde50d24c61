"""The one APScheduler process (`flask --app tracker scheduler`); never started inside web workers.

Each job also takes a database lease, so a second scheduler started by mistake, or a manual command
running at the same moment, does no harm.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass

import click
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from flask.cli import with_appcontext

log = logging.getLogger(__name__)


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


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the scheduler in the foreground (exactly one per deployment)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    scheduler = build_scheduler(current_app._get_current_object())
    names = ", ".join(j.id for j in scheduler.get_jobs()) or "none"
    click.echo(f"scheduler started with jobs: {names}")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
