"""Reads about tracked bills: the matcher's view of them, and a bill's stage history for its pages."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.legislation.models import BillIdentity, BillStage
from tracker.matching.bills import BillIdentity as IdentityProfile, BillProfile, RecordedStage
from tracker.recommendations.models import Bill


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in (text or "").splitlines() if line.strip())


def stage_history(session: Session, bill_id: int) -> list[BillStage]:
    """Oldest first: by passage, then date (undated stages keep their recorded order)."""
    stages = session.scalars(select(BillStage).where(BillStage.bill_id == bill_id)
                             .order_by(BillStage.passage, BillStage.position, BillStage.id))
    return list(stages)


def bill_profiles(session: Session) -> list[BillProfile]:
    """Plain data (picklable) for the matcher: each bill with its recorded stages and identities."""
    stages: dict[int, list[BillStage]] = defaultdict(list)
    for s in session.scalars(select(BillStage).order_by(BillStage.passage, BillStage.position, BillStage.id)):
        stages[s.bill_id].append(s)
    identities: dict[int, list[BillIdentity]] = defaultdict(list)
    for i in session.scalars(select(BillIdentity).order_by(BillIdentity.id)):
        identities[i.bill_id].append(i)
    return [BillProfile(
        slug=b.slug, title=b.title, aliases=_lines(b.aliases), subject_keywords=_lines(b.subject_keywords),
        stages=tuple(RecordedStage(s.stage, s.occurred_on, s.house, s.passage) for s in stages[b.id]),
        identities=tuple(IdentityProfile(i.title, i.year, i.bill_number, i.act_number, i.confirmed)
                         for i in identities[b.id]))
        for b in session.scalars(select(Bill))]
