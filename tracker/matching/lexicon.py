"""Concepts in text: the lexicon (rules files) compiled into phrase indexes, and what they find."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tracker.matching.rules import default_rules
from tracker.matching.text import PhraseIndex, Tok, exclusive, phrase_stems, tokenise

RULES = default_rules()

LEX_INDEX = PhraseIndex()
for _concept, (_cls, _variants) in RULES.concepts.items():
    for _v in _variants:
        LEX_INDEX.add(phrase_stems(_v), _concept)
CHILD_INDEX = PhraseIndex()
for _v in RULES.child_terms:
    CHILD_INDEX.add(phrase_stems(_v), "child")
ONLINE_INDEX = PhraseIndex()
for _v in RULES.online_terms:
    ONLINE_INDEX.add(phrase_stems(_v), "online")
for _v in RULES.harm_terms:
    ONLINE_INDEX.add(phrase_stems(_v), "harm")

concept_class = RULES.concept_class


def variants(concept: str) -> tuple[str, ...]:
    return RULES.concepts[concept][1]


def concepts_in(toks: list[Tok]) -> tuple[set[str], set[int]]:
    """Lexicon concepts in a token list, preferring the longest phrase at each position."""
    concepts, covered = set(), set()
    for label, i, j in exclusive(LEX_INDEX.scan(toks)):
        concepts.add(label)
        covered.update(range(i, j + 1))
    return concepts, covered


def decompose(keyword: str) -> tuple[str, ...]:
    """A register keyword as lexicon concepts; what the lexicon cannot cover stays a literal phrase."""
    toks = tokenise(keyword)
    if not toks:
        return ()
    concepts, covered = concepts_in(toks)
    if len(covered) >= len(toks):
        return tuple(sorted(concepts))
    literal = "kw:" + " ".join(t.stem for t in toks)
    # keep lexicon concepts only when they cover most of the keyword; else the literal phrase alone
    return tuple(sorted(concepts | {literal})) if len(covered) * 2 >= len(toks) else (literal,)


def succession_note(concept: str, surface: str) -> str:
    """"NCCIA (successor of the Cyber Crime Wing of the FIA since 2024-05)" when a successor's name was used."""
    low = " ".join(phrase_stems(surface))
    for s in RULES.successions:
        if s.concept == concept and any(" ".join(phrase_stems(n)) == low for n in s.names):
            return f"{surface} (successor of the {s.predecessor} since {s.date})"
    return ""


# ----------------------------------------------------------------------------------------------------
# One item, analysed once for every path (bills, evidence, events)

@dataclass
class ItemView:
    title: str
    text: str
    title_toks: list[Tok]
    text_toks: list[Tok]
    concepts: dict[str, list[tuple[int, int, bool, int]]]  # concept -> (start, end, in_text, token position)
    child: list[tuple[int, int, bool]]
    online: list[tuple[int, int, bool]]  # online or harm terms (abuse, exploitation, victim ...)
    # the item as received, when the matcher read a normalised copy (Urdu): quotes come from it
    source_title: str | None = None
    source_text: str | None = None
    title_map: list[int] | None = None
    text_map: list[int] | None = None
    taught: frozenset | None = None  # topic concepts only in what a training is about (evidence.taught_only)


def analyse_item(title: str, text: str, extra: PhraseIndex | None = None) -> ItemView:
    """extra: the register's literal keyword phrases (labels "kw:...")."""
    title_toks, text_toks = tokenise(title), tokenise(text)
    concepts: dict[str, list[tuple[int, int, bool, int]]] = defaultdict(list)
    child, online = [], []
    for toks, in_text in ((title_toks, False), (text_toks, True)):
        hits = exclusive(LEX_INDEX.scan(toks)) + (extra.scan(toks) if extra else [])
        for label, i, j in hits:
            concepts[label].append((toks[i].start, toks[j].end, in_text, toks[i].index))
        for label, i, j in CHILD_INDEX.scan(toks):
            child.append((toks[i].start, toks[j].end, in_text))
        for label, i, j in ONLINE_INDEX.scan(toks):
            online.append((toks[i].start, toks[j].end, in_text))
    return ItemView(title, text, title_toks, text_toks, concepts, child, online)
