"""Explanations: quotes of the item's own words and the character spans the inbox highlights."""
from __future__ import annotations

import re
from typing import Iterable


def short_quote(phrase: str, words: int = 12) -> str:
    parts = phrase.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:5]) + " … " + " ".join(parts[-4:])


def spans_in_text(text: str, phrase: str) -> list[tuple[int, int]]:
    i = text.find(phrase)
    return [(i, i + len(phrase))] if i >= 0 else []


def merge(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for s, e in sorted(set(spans)):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def surface(view, occurrence) -> str:
    """The item's own words at an occurrence: from the text as received when the matcher read a
    normalised copy (an Urdu quote keeps its diacritics and spelling)."""
    s, e, in_text = occurrence[:3]
    source = getattr(view, "source_text" if in_text else "source_title", None)
    offsets = getattr(view, "text_map" if in_text else "title_map", None)
    if source is not None and offsets is not None and e <= len(offsets) - 1:
        s, e = offsets[s], offsets[e]
        return re.sub(r"\s+", " ", source[s:e])
    return re.sub(r"\s+", " ", (view.text if in_text else view.title)[s:e])


def first_surface(view, occurrences) -> str:
    ordered = sorted(occurrences, key=lambda o: (not o[2], o[0]))  # the text before the title
    return surface(view, ordered[0]) if ordered else ""


def quote_concepts(view, concepts: Iterable[str]) -> str:
    """The item's own words for each concept: “FIA's cybercrime wing” … “investigators”."""
    return " … ".join(f"“{first_surface(view, view.concepts[c])}”" for c in concepts if view.concepts.get(c))
