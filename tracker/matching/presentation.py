"""How a suggestion reads to a person: plain words for the score and the proposal, and a short excerpt of a
long item with its matched passages. Pure functions; the inbox template calls them."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from tracker.recommendations.statuses import status_label

# Score bands, in the matcher's 0..1 scale: a bill stage item scores 0.8-0.95, a title-only listing about
# the bill is deliberately low, topical evidence spreads between.
STRONG_MATCH = 0.75
POSSIBLE_MATCH = 0.45

EXCERPT_LIMIT = 1200  # characters of item text on a card; longer texts show the passages around the matches
EXCERPT_CONTEXT = 220


@dataclass(frozen=True)
class Strength:
    key: str  # "strong" | "possible" | "weak": a CSS class
    label: str


def match_strength(score: float) -> Strength:
    if score >= STRONG_MATCH:
        return Strength("strong", _("strong match"))
    if score >= POSSIBLE_MATCH:
        return Strength("possible", _("possible match"))
    return Strength("weak", _("weak match"))


def proposal_in_words(proposed_status: str | None, current_status: str) -> str:
    if not proposed_status or proposed_status == current_status:
        return _("Evidence only: would stay %(now)s", now=status_label(current_status))
    return _("Would move to: %(new)s (now %(now)s)", new=status_label(proposed_status),
             now=status_label(current_status))


# the matcher's rationale ends its reasons with the status it proposes, in the register's codes ("→ proposes
# partially_implemented."); the card states the proposal in words beside it, so the code is left out
_PROPOSES_RE = re.compile(r"\s*(?:→ proposes [a-z_]+|\(no change to propose\))(?=[.;)]|\s|$)")


def rationale_in_words(rationale: str | None) -> str:
    """The matcher's reasons as a person reads them: without the status codes it proposes."""
    return _PROPOSES_RE.sub("", rationale or "").strip()


def stage_in_words(stage: str | None) -> str:
    from tracker.legislation.words import stage_label
    return stage_label(stage)


@dataclass(frozen=True)
class Passage:
    text: str
    spans: tuple[tuple[int, int], ...]  # offsets into this passage's text


def merge_spans(spans) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def excerpt(text: str, spans, *, limit: int = EXCERPT_LIMIT, context: int = EXCERPT_CONTEXT) -> list[Passage]:
    """The whole text when it is short; otherwise the passages around the matched spans (or the opening),
    at most about `limit` characters in all, so a long article or a followed PDF does not flood the page."""
    text = text or ""
    spans = [(max(0, a), min(len(text), b)) for a, b in merge_spans(spans)]
    if len(text) <= limit:
        return [Passage(text, tuple(spans))]
    if not spans:
        return [Passage(text[:limit].rstrip() + "…", ())]
    windows = merge_spans((max(0, a - context), min(len(text), b + context)) for a, b in spans)
    passages, used = [], 0
    for start, end in windows:
        if used >= limit:
            break
        end = min(end, start + (limit - used))
        inside = tuple((max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start)
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(text) else ""
        shift = len(prefix)
        passages.append(Passage(prefix + text[start:end] + suffix,
                                tuple((a + shift, b + shift) for a, b in inside)))
        used += end - start
    return passages
