"""Decisions become data: each accept and dismiss is copied into `review_decisions`, and the copies are
written out in the evaluation set's format, so the matcher can be measured on what people actually decided.

Export rules (one evaluation item per news item):
- an accepted suggestion is an expected pair, with the status that was recorded (null when the accept kept
  the recommendation's status: evidence only);
- a dismissed suggestion is a pair that should not be made: it is left out of `expected`;
- an item whose suggestions were all dismissed has `expected: []`: a distractor;
- an item that still has suggestions waiting is not exported yet (its label is not complete).
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import datetime

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db import utcnow
from tracker.matching.models import ReviewDecision, Suggestion
from tracker.recommendations.models import StatusChange

EXPORT_SPLIT = "decisions"


def item_key(link: str | None, title: str, text: str) -> str:
    """The same for syndicated copies of one article (same link); the text decides when there is no link."""
    basis = link.strip() if link and link.strip() else f"{title}\n{text}"
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def record_decision(session: Session, suggestion: Suggestion, *, user, status_before: str | None,
                    flags: set[str] | None = None) -> ReviewDecision:
    """Copies a decided suggestion with its item and proposal. Call after accept/dismiss, in the same
    transaction, so the decision and its record commit or roll back together. flags: as the machine
    proposed them (confirming a bill's identity clears the same-title flag from the suggestion)."""
    entry, rec = suggestion.entry, suggestion.recommendation
    accepted_status = None
    if suggestion.state == "accepted":
        # The status actually recorded (edited or proposed), as the history wrote it.
        change = session.scalar(select(StatusChange).where(StatusChange.suggestion_id == suggestion.id)
                                .order_by(StatusChange.id.desc()).limit(1))
        accepted_status = change.to_status if change is not None else rec.status
        if change is not None:
            status_before = change.from_status
    decision = ReviewDecision(
        suggestion_id=suggestion.id, entry_id=entry.id,
        item_key=item_key(entry.link, entry.title, entry.text),
        item_title=entry.title, item_text=entry.text or "", item_link=entry.link, item_published=entry.published,
        feed_name=entry.feed.name, feed_kind=entry.feed.kind,
        recommendation_code=rec.code, proposed_status=suggestion.proposed_status, proposed_stage=suggestion.stage,
        score=suggestion.score, rationale=suggestion.rationale or "",
        flags=",".join(sorted(suggestion_flags(suggestion) if flags is None else flags))[:200],
        decision=suggestion.state, status_before=status_before, accepted_status=accepted_status,
        decided_by_id=getattr(user, "id", None), decided_by_email=getattr(user, "email", "") or "",
        decided_at=suggestion.decided_at or utcnow())
    session.add(decision)
    session.flush()
    return decision


def suggestion_flags(suggestion) -> set[str]:
    """The matcher's flags on a suggestion ("same_title_unconfirmed", ...), stored comma separated."""
    raw = getattr(suggestion, "flags", None) or ""
    if isinstance(raw, (list, tuple, set)):
        return {str(f) for f in raw if f}
    return {f for f in raw.replace(",", " ").split() if f}


def decisions_as_evaluation_items(session: Session) -> tuple[list[dict], int]:
    """Returns (items in the evaluation set's format, number of items left out because they still wait)."""
    waiting_entries = set(session.scalars(select(Suggestion.entry_id).where(Suggestion.state == "pending")))
    rows = session.scalars(select(ReviewDecision).order_by(ReviewDecision.decided_at, ReviewDecision.id))
    by_item: "OrderedDict[str, dict[str, ReviewDecision]]" = OrderedDict()
    waiting_keys: set[str] = set()
    for d in rows:
        if d.entry_id is not None and d.entry_id in waiting_entries:
            waiting_keys.add(d.item_key)
        by_item.setdefault(d.item_key, {})[d.recommendation_code] = d  # the latest decision on a pair wins
    items = [_evaluation_item(key, list(decisions.values()))
             for key, decisions in by_item.items() if key not in waiting_keys]
    return items, len(waiting_keys)


def _evaluation_item(key: str, decisions: list[ReviewDecision]) -> dict:
    latest = max(decisions, key=lambda d: (d.decided_at, d.id))  # the newest copy of the item's text
    expected = [{"code": d.recommendation_code,
                 "status": d.accepted_status if d.accepted_status != d.status_before else None}
                for d in sorted(decisions, key=lambda d: d.recommendation_code) if d.decision == "accepted"]
    item = {"id": f"dec-{key}", "split": EXPORT_SPLIT, "feed_kind": latest.feed_kind, "title": latest.item_title,
            "text": latest.item_text, "expected": expected,
            "link": latest.item_link, "published": _date(latest.item_published),
            "dismissed": sorted(d.recommendation_code for d in decisions if d.decision == "dismissed")}
    return item


def _date(value: datetime | None) -> str | None:
    # The evaluation set's `published` is a date: the matcher reads an item against the bill's stage dates.
    return value.date().isoformat() if value else None


def dump_evaluation_items(items: list[dict], *, exported_at: datetime | None = None) -> str:
    header = (f"# Review decisions exported by `flask --app tracker matching export-decisions` at "
              f"{(exported_at or utcnow()).isoformat(timespec='seconds')}.\n"
              "# Format of tests/matching/eval_items.yaml; split: decisions. expected: [] marks a distractor\n"
              "# (every suggestion dismissed); `dismissed` lists the pairs people refused.\n"
              "# Score the matcher on it: python -m tracker.matching.evaluate --items THIS_FILE\n")
    if not items:
        return header + "[]\n"
    return header + yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=100000)
