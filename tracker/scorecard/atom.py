"""Atom feeds of public status changes (feedgen writes the XML; we choose what goes in)."""
from datetime import datetime, timezone
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.i18n import Written, current_language, feed_content
from tracker.recommendations.models import Recommendation, StatusChange
from tracker.recommendations.statuses import status_label

FEED_SIZE = 50
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


def recent_changes(session: Session, *, stakeholder_id: int | None = None, recommendation_id: int | None = None,
                   limit: int = FEED_SIZE) -> list[StatusChange]:
    """Newest first; only recommendations still in the register (the public ones), and no seeded statuses."""
    stmt = (select(StatusChange).join(StatusChange.recommendation).where(Recommendation.in_register.is_(True))
            .where(StatusChange.origin != "seed")  # the brief's own statuses are not news
            .options(joinedload(StatusChange.recommendation)))
    if stakeholder_id is not None:
        stmt = stmt.where(Recommendation.stakeholder_id == stakeholder_id)
    if recommendation_id is not None:
        stmt = stmt.where(StatusChange.recommendation_id == recommendation_id)
    return list(session.scalars(stmt.order_by(StatusChange.created_at.desc(), StatusChange.id.desc()).limit(limit)))


def absolute(path: str) -> str:
    return current_app.config["TRACKER_BASE_URL"].rstrip("/") + path


def change_title(change: StatusChange) -> str:
    rec = change.recommendation
    if change.from_status == change.to_status:
        return _("%(code)s: note added (status stays “%(s)s”)", code=rec.code, s=status_label(change.to_status))
    return _("%(code)s: %(a)s → %(b)s", code=rec.code, a=status_label(change.from_status or "not_assessed"),
             b=status_label(change.to_status))


def atom_feed(changes: list[StatusChange], *, title: str, self_path: str, page_path: str) -> bytes:
    host = urlsplit(current_app.config["TRACKER_BASE_URL"]).hostname or "localhost"
    fg = FeedGenerator()
    fg.id(absolute(self_path))
    fg.title(title)
    fg.author({"name": _("National Commission on the Rights of Child (NCRC)")})
    fg.link(href=absolute(self_path), rel="self", type="application/atom+xml")
    fg.link(href=absolute(page_path), rel="alternate", type="text/html")
    fg.language(current_language())  # xml:lang of the feed: its titles are the catalogue's and the register's
    fg.updated(changes[0].created_at if changes else EPOCH)
    for change in changes:  # newest first, as stored order of the document
        rec = change.recommendation
        entry = fg.add_entry(order="append")
        entry.id(f"tag:{host},2024:status-change/{change.id}")
        entry.title(change_title(change))
        link = url_for("scorecard.recommendation", code=rec.code, _anchor=f"change-{change.id}")
        entry.link(href=absolute(link), rel="alternate", type="text/html")
        entry.updated(change.created_at)
        entry.published(change.created_at)
        content, kind = feed_content(change_paragraphs(change))
        entry.content(content, type=kind)
    return fg.atom_str(pretty=False)


def change_paragraphs(change: StatusChange) -> list[list[str]]:
    """The entry's text: the note as written (English in an Urdu feed is marked so), when it happened, the
    evidence (its title and address as written)."""
    paragraphs = [[Written(change.note)]]
    if change.occurred_on:
        paragraphs.append([_("Happened on %(d)s.", d=change.occurred_on.isoformat())])
    if change.evidence_url:
        title = [Written(change.evidence_title), " "] if change.evidence_title else []
        paragraphs.append([_("Evidence") + ": ", *title, Written(change.evidence_url)])
    return paragraphs
