import click
from flask.cli import AppGroup
from sqlalchemy import select

from tracker.db import utcnow
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.feeds.models import FEED_KINDS, Feed
from tracker.feeds.operations import SourceInput, add_source, get_source, seed_sources
from tracker.feeds.polling import poll_feeds
from tracker.feeds.trial import try_source

feeds_cli = AppGroup("feeds", help="Manage and poll the monitored sources (RSS/Atom feeds and HTML pages).")


@feeds_cli.command("add")
@click.argument("url")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(FEED_KINDS), default="news", show_default=True)
@click.option("--interval", "interval_minutes", type=int, default=60, show_default=True, help="minutes")
@click.option("--page", "item_selector", help="a page source: CSS selector for each item (a row, a list entry)")
@click.option("--title", "title_selector", help="CSS selector, inside an item, of its title")
@click.option("--link", "link_selector", help="CSS selector, inside an item, of the element whose href is its link")
@click.option("--date", "date_selector", help="CSS selector, inside an item, of its date")
@click.option("--summary", "summary_selector", help="CSS selector, inside an item, of its summary")
@click.option("--follow", is_flag=True, help="fetch each new item's link (HTML or PDF) and match on its text")
def add(url, name, kind, interval_minutes, item_selector, title_selector, link_selector, date_selector,
        summary_selector, follow):
    """Add a feed, or with --page an HTML page read with CSS selectors."""
    try:
        feed = add_source(db.session, SourceInput(url, name, kind, interval_minutes, item_selector, title_selector,
                                                  link_selector, date_selector, summary_selector, follow))
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc.field}: {exc.message}" if exc.field else exc.message) from None
    db.session.commit()
    what = "page" if feed.is_page else "feed"
    click.echo(f"added {what} {feed.id}: {feed.name} <{feed.url}> ({feed.kind}, every {feed.interval_minutes} min)")


@feeds_cli.command("list")
def list_feeds():
    """List sources with their state."""
    for f in db.session.scalars(select(Feed).order_by(Feed.id)):
        error = f"  error({f.error_count}): {f.last_error}" if f.last_error else ""
        click.echo(f"{f.id:>4}  {f.source_type:<4} {f.kind:<10} {f.state:<9} {f.name}  <{f.url}>{error}")


@feeds_cli.command("test")
@click.argument("feed_id", type=int)
def test_source(feed_id: int):
    """Fetch a source now and print the items it would store, storing nothing."""
    try:
        trial = try_source(get_source(db.session, feed_id))
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        db.session.rollback()
    if trial.error:
        raise click.ClickException(trial.error)
    for item in trial.items:
        click.echo(f"- {item.title}  <{item.link or 'no link'}>  {item.published or ''}")
    if trial.warning:
        click.echo(f"note: {trial.warning}")
    click.echo(f"{len(trial.items)} items")


@feeds_cli.command("poll")
@click.option("--id", "feed_id", type=int, help="poll only this source (default: every active source)")
def poll(feed_id: int | None):
    """Poll now, in the foreground, and print what was fetched, stored and suggested."""
    if feed_id is not None:
        feed = db.session.get(Feed, feed_id)
        if feed is None:
            raise click.ClickException(f"No source with id {feed_id}.")
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


def seed_sources_hook(session) -> None:
    """`flask seed` adds the sources file's new entries; a bad entry stops it with the file and entry named."""
    try:
        seed_sources(session)
    except DomainError as exc:
        session.rollback()
        raise click.ClickException(exc.message) from None
