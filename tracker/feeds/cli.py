import click
from flask.cli import AppGroup
from sqlalchemy import select

from tracker.db import utcnow
from tracker.extensions import db
from tracker.feeds.models import FEED_KINDS, Feed
from tracker.errors import DomainError
from tracker.feeds.operations import add_feed
from tracker.feeds.polling import poll_feeds

feeds_cli = AppGroup("feeds", help="Manage and poll the monitored feeds.")


@feeds_cli.command("add")
@click.argument("url")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(FEED_KINDS), default="news", show_default=True)
@click.option("--interval", "interval_minutes", type=int, default=60, show_default=True, help="minutes")
def add(url: str, name: str, kind: str, interval_minutes: int):
    """Add a feed to poll."""
    try:
        feed = add_feed(db.session, url, name, kind, interval_minutes)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"added feed {feed.id}: {feed.name} <{feed.url}> ({feed.kind}, every {feed.interval_minutes} min)")


@feeds_cli.command("list")
def list_feeds():
    """List feeds with their state."""
    for f in db.session.scalars(select(Feed).order_by(Feed.id)):
        state = "gone" if f.gone else ("active" if f.active else "paused")
        error = f"  error({f.error_count}): {f.last_error}" if f.last_error else ""
        click.echo(f"{f.id:>4}  {f.kind:<10} {state:<7} {f.name}  <{f.url}>{error}")


@feeds_cli.command("poll")
@click.option("--id", "feed_id", type=int, help="poll only this feed (default: every active feed)")
def poll(feed_id: int | None):
    """Poll now, in the foreground, and print what was fetched, stored and suggested."""
    if feed_id is not None:
        feed = db.session.get(Feed, feed_id)
        if feed is None:
            raise click.ClickException(f"No feed with id {feed_id}.")
        report = poll_feeds(db.session, [feed.id])
    else:
        ids = list(db.session.scalars(select(Feed.id).where(Feed.active.is_(True), Feed.gone.is_(False))))
        report = poll_feeds(db.session, ids, now=utcnow())
    if report.skipped_reason:
        raise click.ClickException(report.skipped_reason)
    totals = [0, 0, 0]
    for r in report.feeds:
        click.echo(f"feed {r.feed_id} {r.name}: {r.outcome}; fetched {r.fetched}, stored {r.stored}, "
                   f"updated {r.updated}, suggested {r.suggested}" + (f"; error: {r.error}" if r.error else ""))
        totals = [totals[0] + r.fetched, totals[1] + r.stored, totals[2] + r.suggested]
    click.echo(f"total: fetched {totals[0]}, stored {totals[1]}, suggested {totals[2]}")

