"""Scheduled feed work for the one scheduler process."""
import logging

from flask import Flask

from tracker.extensions import db
from tracker.feeds.polling import poll_due_feeds
from tracker.scheduler import Job, every

log = logging.getLogger(__name__)


def poll_job() -> None:
    report = poll_due_feeds(db.session)
    if report.skipped_reason:
        log.info("feed poll skipped: %s", report.skipped_reason)
    for r in report.feeds:
        log.info("feed %s %s: %s, stored %s, suggested %s%s", r.feed_id, r.name, r.outcome, r.stored,
                 r.suggested, f", error: {r.error}" if r.error else "")


def jobs(app: Flask) -> list[Job]:
    # Every minute we look for feeds whose own next_poll_at has come; intervals live on the feeds.
    return [Job("feeds.poll_due", poll_job, every(1))]
