"""Model -> JSON shapes of the contract. Plain functions, no logic beyond shaping."""
import json

from tracker.recommendations import statuses
from tracker.recommendations.models import Recommendation, StatusChange


def iso(dt) -> str | None:
    return dt.isoformat() if dt else None


def recommendation(rec: Recommendation, *, full: bool = False) -> dict:
    data = {
        "code": rec.code,
        "title": rec.title,
        "source_text": rec.source_text,
        "stakeholder": {"slug": rec.stakeholder.slug, "name": rec.stakeholder.name},
        "responsible_bodies": [b.name for b in rec.bodies],
        "status": rec.status,
        "status_label": statuses.status_label(rec.status),
        "updated_at": iso(rec.updated_at),
        "version": rec.version,
    }
    if full:
        data["context_text"] = rec.context_text
        data["themes"] = [{"slug": t.slug, "name": t.name} for t in rec.themes]
        data["instruments"] = [{"slug": i.slug, "short_name": i.short_name, "name": i.name,
                                "pakistan_status": i.pakistan_status} for i in rec.instruments]
        data["bill"] = {"slug": rec.bill.slug, "title": rec.bill.title} if rec.bill else None
    return data


def status_change(change: StatusChange) -> dict:
    return {
        "from_status": change.from_status,
        "to_status": change.to_status,
        "note": change.note,
        "evidence_url": change.evidence_url,
        "origin": change.origin,
        "author": change.author.name or "NCRC staff" if change.author else None,
        "created_at": iso(change.created_at),
    }


def tally(t) -> dict:
    return {"total": t.total, "counts": dict(t.counts), "progress_percent": t.progress}


def _spans(text: str | None) -> list[tuple[int, int]]:
    out = []
    for pair in filter(None, (text or "").split(",")):
        start, _, end = pair.partition(":")
        if start.isdigit() and end.isdigit():
            out.append((int(start), int(end)))
    return out


def suggestion(s) -> dict:
    entry = s.entry
    return {
        "id": s.id,
        "state": s.state,
        "score": s.score,
        "proposed_status": s.proposed_status,
        "stage": s.stage,
        "rationale": s.rationale,
        "highlights": [[a, b] for a, b in _spans(s.highlights)],
        "flags": [f for f in (s.flags or "").split(",") if f],
        "bill": s.bill_slug,
        "identity": json.loads(s.identity) if s.identity else None,
        "created_at": iso(s.created_at),
        "recommendation": {"code": s.recommendation.code, "title": s.recommendation.title,
                           "status": s.recommendation.status},
        "entry": {"title": entry.title, "link": entry.link, "published": iso(entry.published),
                  "feed": entry.feed.name},
    }
