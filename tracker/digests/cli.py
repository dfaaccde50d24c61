"""`flask --app tracker digests send [--dry-run] [--frequency daily|weekly]`."""
import logging

import click
from flask.cli import with_appcontext

from tracker.digests.jobs import run_digests
from tracker.digests.models import FREQUENCIES
from tracker.extensions import db

digests_cli = click.Group("digests", help="E-mail digests: build, send, retry.")


@digests_cli.command("send")
@click.option("--dry-run", is_flag=True, help="Show what would be queued and retried; write and send nothing.")
@click.option("--frequency", type=click.Choice(FREQUENCIES), default=None,
              help="Only this frequency (default: both daily and weekly).")
@with_appcontext
def send_command(dry_run: bool, frequency: str | None):
    """Build the digests that are due and send them; retry every undelivered digest in the outbox now.

    Each recipient gets what is new since the last digest actually delivered to it, and at most one
    digest per period (daily: the Asia/Karachi date; weekly: its ISO week).
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    frequencies = [frequency] if frequency else list(FREQUENCIES)
    # Wait a little: the minutely outbox job may hold the lease for a moment.
    report = run_digests(db.session, frequencies, force=True, dry_run=dry_run, wait_seconds=60)
    if report.skipped_reason:
        raise click.ClickException(f"nothing done: {report.skipped_reason}")
    verb = "would queue" if dry_run else "queued"
    for f in frequencies:
        click.echo(f"{report.periods[f]}: {verb} {report.queued[f]} digest(s)")
    if dry_run:
        click.echo(f"outbox: {report.undelivered} undelivered message(s) would be retried now "
                   f"(plus the digests above); nothing was written or sent")
        return
    d = report.delivery
    click.echo(f"outbox: sent {d.sent}, retrying later {d.retrying}, failed {d.failed}, "
               f"uncertain {d.uncertain + d.expired_claims}")
    for error in d.errors[:20]:
        click.echo(f"  {error}", err=True)
