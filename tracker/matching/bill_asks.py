"""Which recommendations an item about a tracked bill is evidence for when it reports NO stage of the bill.

The labelling rules (docs/matching-evaluation.md): only a new stage of the bill (or a recount of an earlier
one) is evidence for every recommendation that tracks the bill. A demand, an appeal or a feature that
mentions the pending bill is evidence for the ask to pass it (`passage_asks`, with no status) and, when
civil society is the one doing the advocacy, for the ask that civil society advocate for it
(`advocacy_asks`); the item's other asks are left to ordinary evidence scoring.

The data is a field of the bill in feeds/register.yaml (the register says which of its asks want the
bill's passage), validated on load with errors naming the file, the bill and the field:

    bills:
      - slug: criminal-laws-amendment-2022
        passage_asks: [LEG-01]
        advocacy_asks:
          codes: [CSO-02]
          actors: ['\\bcivil society\\b', ...]   # who advocates (regular expressions)
          actions: ['\\bcampaign', ...]          # doing what, after the actor in the same sentence
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from tracker.matching.rules import RulesError
from tracker.matching.text import split_sentences

REGISTER_FILE = Path(__file__).resolve().parents[2] / "feeds" / "register.yaml"
ADVOCACY_FIELDS = ("codes", "actors", "actions")


@dataclass(frozen=True)
class BillAsks:
    passage: tuple[str, ...] = ()  # asks that want the bill passed: evidence (no status) from any item about it
    advocacy: tuple[str, ...] = ()  # asks that civil society advocate for it: evidence when it does
    actors: re.Pattern | None = None
    actions: re.Pattern | None = None


def bill_asks_from_register(data: dict, file: str = "register.yaml") -> dict[str, BillAsks]:
    """slug -> BillAsks for every bill of the register (a bill without the fields has none)."""
    tracking: dict[str, set[str]] = {}
    for rec in data.get("recommendations") or ():
        if rec.get("bill"):
            tracking.setdefault(rec["bill"], set()).add(rec.get("code"))
    out: dict[str, BillAsks] = {}
    for i, bill in enumerate(data.get("bills") or ()):
        slug = bill.get("slug") or f"bills[{i}]"
        where = f"bills[{i}] ({slug})"
        codes_of_bill = tracking.get(slug, set())
        passage = _codes(file, f"{where}.passage_asks", bill.get("passage_asks"), codes_of_bill)
        advocacy = bill.get("advocacy_asks")
        if advocacy is None:
            out[slug] = BillAsks(passage)
            continue
        if not isinstance(advocacy, dict):
            raise RulesError(file, f"{where}.advocacy_asks", f"expected a mapping of {', '.join(ADVOCACY_FIELDS)}")
        if unknown := sorted(set(map(str, advocacy)) - set(ADVOCACY_FIELDS)):
            raise RulesError(file, f"{where}.advocacy_asks", f"unknown field(s) {', '.join(unknown)}")
        codes = _codes(file, f"{where}.advocacy_asks.codes", advocacy.get("codes"), codes_of_bill)
        if not codes:
            raise RulesError(file, f"{where}.advocacy_asks.codes", "expected a non-empty list of codes")
        out[slug] = BillAsks(passage, codes,
                             _patterns(file, f"{where}.advocacy_asks.actors", advocacy.get("actors")),
                             _patterns(file, f"{where}.advocacy_asks.actions", advocacy.get("actions")))
    return out


def _codes(file: str, entry: str, value, tracking: set[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RulesError(file, entry, "expected a list of recommendation codes")
    for code in value:
        if code not in tracking:
            raise RulesError(file, entry, f"{code} is not a recommendation that tracks this bill "
                                          f"(tracking it: {', '.join(sorted(tracking)) or 'none'})")
    return tuple(value)


def _patterns(file: str, entry: str, value) -> re.Pattern:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise RulesError(file, entry, "expected a non-empty list of regular expressions")
    for j, pattern in enumerate(value):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RulesError(file, f"{entry}[{j}]", f"bad regular expression {pattern!r}: {exc}") from None
    return re.compile("|".join(f"(?:{p})" for p in value), re.I)


@lru_cache(maxsize=4)
def load_bill_asks(path: Path = REGISTER_FILE) -> dict[str, BillAsks]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(str(path), "(file)", "missing") from None
    except yaml.YAMLError as exc:
        raise RulesError(str(path), "(file)", f"not valid YAML: {exc}") from None
    return bill_asks_from_register(data if isinstance(data, dict) else {}, Path(path).name)


def civil_society_advocates(asks: BillAsks, title: str, text: str) -> bool:
    """Civil society is the actor doing the advocacy: an actor, then an advocacy action, in one sentence
    ("child rights organisations met senators to seek support", "a coalition ... launched a campaign")."""
    if not asks.advocacy or asks.actors is None or asks.actions is None:
        return False
    for field_text in (title, text):
        for ss, se in split_sentences(field_text):
            sentence = field_text[ss:se]
            actor = asks.actors.search(sentence)
            if actor and asks.actions.search(sentence, actor.end()):
                return True
    return False
