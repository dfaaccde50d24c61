"""Evidence scoring: which recommendations an item (not about a tracked bill) is evidence for.

The item must concern children online (a child term with an online or harm term, or a domain concept
such as CSAM or grooming) and must not be a bare crime report. A recommendation is a candidate when the
item touches what its title asks for, a fired keyword anchors it, and its score clears MIN_SCORE. The
score sums the fired keywords' concepts weighted by IDF over the register, scaled so the rarest concept
always weighs IDF_SCALE whatever the register's size.
"""
from __future__ import annotations

import dataclasses
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from tracker.matching.lexicon import RULES, ItemView, concept_class, concepts_in, decompose
from tracker.matching.text import tokenise

# Crime reports: an arrest is not evidence that a recommendation is being implemented.
CRIME_RE = re.compile(r"\b(arrest\w*|remand\w*|booked|raid\w*|fir\b|case (was |has been )?registered|"
                      r"suspects?\b|accused of|nabbed|apprehended|recovered|sent to jail|jailed|convicted|"
                      r"sentenced)", re.I)
ACTION_RE = re.compile(r"\b(approv\w*|launch\w*|notif\w*|sign\w*|agree\w*|train\w*|course|workshop|session|"
                       r"allocat\w*|recruit\w*|hir(e|ed|ing)|set up|sets up|adopt\w*|establish\w*|direct\w*|"
                       r"order\w*|introduc\w*|added|campaign|policy|plan|budget|sanction\w*|partnership|"
                       r"memorandum|consult\w*|review\w*|study|report (says|finds|found)|research|ratif\w*|"
                       r"rules|procedure|sop)\b", re.I)


# What a training or awareness activity is about ("a course on new forensic tools", "trained 800 computer teachers
# to deliver the new online safety lessons", "the sessions explained how to keep personal details private"): the
# subject taught, and the trainees named on the way, are not the deed of another ask (a lab equipped, a curriculum
# revised, children keeping their data private). Only the asks that are themselves teaching read them.
_TEACHING = r"(?:train(?:s|ed|ing|ings)?|courses?|sessions?|workshops?|refresher|seminars?|lectures?|modules?|" \
            r"programmes?|awareness|sensiti[sz]\w*|orientation)"
TAUGHT_RE = re.compile(
    rf"\b{_TEACHING}\b(?:(?!,\s|;|—| but | while | and (?:has|have|had|was|were|is|also)\b)[^.!?]){{0,120}}?"
    r"\b(?:on|about|covering|regarding|in|to (?:deliver|teach|use|handle|identify|detect|spot|recogni[sz]e|investigate))\b"
    r"(?:(?!,\s|;|—| but | while | and (?:has|have|had|was|were|is|also)\b)[^.!?])*"
    rf"|\b(?:the\s+)?{_TEACHING}\s+(?:also\s+)?(?:covered|explained|focused on|dealt with|taught|included|addressed|"
    r"showed|told|warned)\b[^.!?]*", re.I)
# the asks that are teaching: what is taught is their evidence ("Educate children about online risks")
TEACHING_ASKS = frozenset({"training", "awareness"})
TEACHING_TITLE_RE = re.compile(r"^\W*(?:educate|teach|train|sensiti[sz]e|inform)\b|\braises? awareness\b", re.I)


def taught_only(view: ItemView) -> frozenset:
    """Topic concepts every occurrence of which lies in what a training or awareness activity is about."""
    if view.taught is None:
        spans = {in_text: [m.span() for m in TAUGHT_RE.finditer(text)]
                 for in_text, text in ((False, view.title), (True, view.text))}
        view.taught = frozenset(
            c for c, occ in view.concepts.items() if concept_class(c) == "topic" and occ and all(
                any(a <= s and e <= b for a, b in spans[in_text]) for (s, e, in_text, _) in occ)) \
            if any(spans.values()) else frozenset()
    return view.taught


@dataclass
class Keyword:
    text: str
    concepts: tuple[str, ...]  # all must be present (close together) for the keyword to fire


@dataclass
class CompiledRec:
    rec: object  # RecommendationProfile
    keywords: list[Keyword]
    concept_weight: dict[str, float] = field(default_factory=dict)  # field weight (1.0 or 0.5)
    full_passage: bool = False  # the recommendation asks only for the bill's passage
    bodies: frozenset = frozenset()  # specific responsible bodies, as concepts
    refining: frozenset = frozenset()  # literal keywords that also contain lexicon concepts
    required: frozenset = frozenset()  # what the title asks for: one of these must be in the item
    title_bodies: frozenset = frozenset()  # bodies the title names ("Strengthen the FIA Cyber Crime Wing ...")
    # an exchange between two bodies ("PTA share ... with FIA"): the other party, one of which the item must name
    counterparts: frozenset = frozenset()
    # the bodies the title's first clause names, as its actor or the thing it strengthens ("NHRIs review ...",
    # "Strengthen the FIA 1991 helpline: ..."): an item naming none of them is news of someone else's deed
    head_bodies: frozenset = frozenset()
    teaching: bool = False  # the title asks to teach ("Educate children about online risks")


def compile_rec(rec, full_passage: bool) -> CompiledRec:
    keywords = [Keyword(k, decompose(k)) for k in rec.keywords if k and k.strip()]
    keywords = [k for k in keywords if k.concepts]
    weights: dict[str, float] = {}
    for kw in keywords:
        for concept in kw.concepts:
            weights[concept] = 1.0
    title_concepts, _ = concepts_in(tokenise(rec.title))
    for concept in title_concepts:
        weights[concept] = 1.0
    source_concepts, _ = concepts_in(tokenise(rec.source_text))
    for concept in source_concepts:
        weights.setdefault(concept, 0.5)
    bodies = set()
    for body in rec.responsible_bodies:
        concepts, _ = concepts_in(tokenise(body))
        bodies |= {c for c in concepts if concept_class(c) == "entity"}
    refining = {c for kw in keywords if len(kw.concepts) > 1 for c in kw.concepts if c.startswith("kw:")}
    required = {c for c in title_concepts if concept_class(c) in ("action", "topic")}
    title_bodies = {c for c in title_concepts if concept_class(c) == "entity"}
    return CompiledRec(rec, keywords, weights, full_passage, frozenset(bodies), frozenset(refining),
                       frozenset(required), frozenset(title_bodies), _counterparts(rec.title, title_concepts),
                       _head_bodies(rec.title), bool(TEACHING_TITLE_RE.match(rec.title)))


_BODY_CLASSES = ("entity", "generic")
# the asks that pass something between two parties: the one asking of a body to share with another
EXCHANGE_ASKS = frozenset({"info_sharing", "agreement"})
_COUNTERPART_RE = re.compile(r"\b(?:with|to)\s+(?:the\s+)?(.+)$", re.I)
# one body by another name: the FIA's cybercrime work passed to the NCCIA (bodies.yaml), the FIA names its wing
SAME_BODY = {"ccw": "fia", "fia": "ccw"}
# a body named by its kind where the item names its owner ("the NCCIA's helplines"): enough for the body a title asks of
BODY_KIND = {"helpline_1991": "helpline"}


# where a title's first clause ends: a comma starts a list of parties (any one of which will do), the others
# a second party or a purpose ("linked to INTERPOL's ICSE", "with international NGOs")
_HEAD_END_RE = re.compile(r"[,:;(]|\s(?:with|to|linked|on|in|for|among|and)\s", re.I)


def _head_bodies(title: str) -> frozenset:
    """The entities of the title's first clause, unless it ends in a list of parties ("Train CCW FIA, child
    protection officers and social workers": any one of them will do)."""
    end = _HEAD_END_RE.search(title)
    head = tokenise(title[:end.start()] if end else title)
    if not head:
        return frozenset()
    if end and end.group(0) == ",":
        last, _ = concepts_in(head[-1:])
        if any(concept_class(c) in _BODY_CLASSES for c in last):
            return frozenset()
    concepts, _ = concepts_in(head)
    return frozenset(c for c in concepts if concept_class(c) == "entity")


def _counterparts(title: str, title_concepts: set[str]) -> frozenset:
    """The title's subject is a body and it asks that body to share or cooperate "with" / "to" another
    ("PTA share blocking and content-removal complaint details with FIA"): the other party. News of the
    first body's own work (the PTA blocking apps) is not news of the exchange."""
    if not title_concepts & EXCHANGE_ASKS:
        return frozenset()
    head, _ = concepts_in(tokenise(title.split()[0])) if title.split() else (set(), set())
    if not any(concept_class(c) == "entity" for c in head):
        return frozenset()
    tail = _COUNTERPART_RE.search(title)
    if not tail:
        return frozenset()
    parties, _ = concepts_in(tokenise(tail.group(1)))
    return frozenset(c for c in parties if concept_class(c) in _BODY_CLASSES and c not in head)


class EvidenceScorer:
    # Chosen on the dev split (python -m tracker.matching.evaluate). None depends on the register's size:
    # IDF is scaled to IDF_SCALE for the rarest concept, whatever the number of recommendations.
    MIN_SCORE = 4.0
    RELATIVE = 0.7
    DISTINCT_IDF = 2.5
    DISTINCT_FLOOR = 0.5
    ANCHOR_IDF = 3.0  # an action only one or two recommendations ask for can anchor a match
    WINDOW = 30  # tokens within which a keyword's parts must occur
    # Urdu puts a complement between an object and its noun ("اساتذہ کو بچوں کے آن لائن تحفظ کی تربیت")
    TIGHT_UR = 6
    TIGHT = 3  # a keyword whose parts stand this close ("training 1,200 teachers") is a compound: it anchors
    NO_BODY_FACTOR = 0.4
    CLASS_FACTOR = {"topic": 1.0, "entity": 1.0, "action": 0.8, "generic": 0.35, "domain": 0.35}
    REFINING_FACTOR = 0.4
    TITLE_BOOST = 2.0
    IDF_SCALE = 4.25

    def __init__(self, recs: Sequence[CompiledRec]):
        self.recs = list(recs)
        df: dict[str, int] = defaultdict(int)
        for c in self.recs:
            for concept in c.concept_weight:
                df[concept] += 1
        n = max(len(self.recs), 1)
        self.idf = {k: self.IDF_SCALE * math.log(1 + n / v) / math.log(1 + n) for k, v in df.items()}
        self.by_concept: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(self.recs):
            for concept in c.concept_weight:
                self.by_concept[concept].append(i)
        # body_asks needs every required concept in the item: index each such recommendation under its rarest
        # one, so an item is checked against a few candidates, not the whole register
        self.by_required: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(self.recs):
            if c.required and not c.rec.bill:
                self.by_required[min(c.required, key=lambda k: (len(self.by_concept.get(k, ())), k))].append(i)

    def in_domain(self, view: ItemView) -> list[str] | None:
        """The item's domain concepts ([] when only child + online terms), or None when out of domain."""
        domain_terms = sorted(c for c in RULES.domain_concepts if c in view.concepts)
        if not (domain_terms or (view.child and view.online)):
            return None
        body = f"{view.title}\n{view.text}"
        if CRIME_RE.search(body) and not ACTION_RE.search(body):
            return None
        if RULES.crime_report is not None and RULES.crime_report.search(body) and not (
                ACTION_RE.search(body) or (RULES.action_words is not None and RULES.action_words.search(body))):
            return None  # the same in Urdu (urdu.yaml crime_report / action_words)
        return domain_terms

    def body_asks(self, view: ItemView) -> list[CompiledRec]:
        """Outside the child-online domain: recommendations whose title asks something of a named body
        ("Strengthen the FIA Cyber Crime Wing with staff and budget") and the item names that body and
        every such ask (two at least, or one with a child in the item: "the LHC notified child-friendly
        rules"): news of the body's budget and posts is evidence without a child or a screen in it. So is an
        item with a child that holds all of three asks or more ("judges and prosecutors trained in
        child-sensitive case handling")."""
        present = set(view.concepts) | ({"ccw"} if "fia" in view.concepts else set())
        enough = 1 if view.child else 2  # a child in it ("child-friendly rules"), or two asks of the body
        pool = sorted(i for concept in view.concepts for i in self.by_required.get(concept, ()))
        return [c for c in (self.recs[i] for i in pool) if c.required <= view.concepts.keys() and (
                (c.title_bodies & present and len(c.required) >= enough)
                or (view.child and len(c.required) >= 3))]  # "train prosecutors, judges ... in child-friendly justice"

    def candidates(self, view: ItemView) -> list[tuple[CompiledRec, float, list[str], set[str]]]:
        """(recommendation, score, fired keyword texts, concepts used), best first, after the cut-offs."""
        pool: set[int] = set()
        for concept in view.concepts:
            pool.update(self.by_concept.get(concept, ()))
        scored = []
        for i in sorted(pool):
            comp = self.recs[i]
            if comp.rec.bill:  # recommendations about a bill's content are matched through the bill
                continue
            result = self.score(comp, view)
            if result:
                scored.append((comp, *result))
        if not scored:
            return []
        scored.sort(key=lambda x: -x[1])
        best = scored[0][1]
        out, kept_concepts = [], set()  # the fired keywords' concepts of the candidates kept so far
        for comp, score, fired, used in scored:
            if score < self.MIN_SCORE:
                continue
            if score < self.RELATIVE * best:
                # a weaker candidate stays only with a keyword of its own that no stronger one used
                if score < self.DISTINCT_FLOOR * best or not any(
                        not set(kw.concepts) & kept_concepts
                        and any(concept_class(c) in ("topic", "entity") and self.idf.get(c, 0) >= self.DISTINCT_IDF
                                for c in kw.concepts)
                        for kw in comp.keywords if kw.text in fired):
                    continue
            kept_concepts |= {c for kw in comp.keywords if kw.text in fired for c in kw.concepts}
            out.append((comp, score, fired, used))
        return out

    def score(self, comp: CompiledRec, view: ItemView):
        taught = taught_only(view) if view.text_map is None else frozenset()  # English phrasing
        if taught and not (comp.required & TEACHING_ASKS or comp.teaching):
            view = dataclasses.replace(view, concepts={c: o for c, o in view.concepts.items() if c not in taught},
                                       taught=frozenset())
        if comp.required and not comp.required & view.concepts.keys():
            return None  # the item does not touch what the recommendation asks for
        if comp.counterparts and not any(c in view.concepts or SAME_BODY.get(c) in view.concepts
                                         for c in comp.counterparts):
            return None  # an exchange with a body the item does not name
        if comp.head_bodies and not any(c in view.concepts or SAME_BODY.get(c) in view.concepts
                                        or BODY_KIND.get(c) in view.concepts for c in comp.head_bodies):
            return None  # the body the ask is of (its actor, or what it strengthens) is not in the item
        fired, used, score, anchor = [], set(), 0.0, False
        for kw in comp.keywords:
            if not all(c in view.concepts for c in kw.concepts):
                continue
            if len(kw.concepts) > 1 and not self._close(view, kw.concepts):
                continue
            weight = sum(self._concept_value(c, comp) * self._title_boost(view, c) for c in kw.concepts
                         if c not in used)
            if weight <= 0:
                continue
            fired.append(kw.text)
            used.update(kw.concepts)
            score += weight
            if any(concept_class(c) in ("topic", "entity")
                   or (concept_class(c) == "action" and self.idf.get(c, 0) >= self.ANCHOR_IDF)
                   for c in kw.concepts) or (len(kw.concepts) > 1 and self._close(
                       view, kw.concepts, self.TIGHT_UR if view.text_map is not None else self.TIGHT)):
                anchor = True
        if not (anchor or len(fired) >= 2):
            return None
        for concept in comp.concept_weight:
            if concept in view.concepts and concept not in used:
                used.add(concept)
                score += 0.6 * self._concept_value(concept, comp) * self._title_boost(view, concept)
        present = set(view.concepts) | ({"ccw"} if "fia" in view.concepts else set())
        if comp.bodies and not comp.bodies & present:
            score *= self.NO_BODY_FACTOR  # none of the bodies the recommendation addresses is named
        return score, fired, used

    def entity_only(self, comp: CompiledRec, fired: list[str]) -> bool:
        """Every fired keyword names a body many recommendations name ("NCCIA", "NCRC"): who is addressed, not
        what is asked. A body few recommendations name (INTERPOL, a judicial academy) is itself the ask."""
        concepts = [c for kw in comp.keywords if kw.text in fired for c in kw.concepts]
        return all(concept_class(c) == "entity" for c in concepts) and \
            max((self.idf.get(c, 0) for c in concepts), default=0) < self.ANCHOR_IDF

    def _title_boost(self, view: ItemView, concept: str) -> float:
        """The headline states the main event: concepts in it count more."""
        return self.TITLE_BOOST if any(not in_text for (_, _, in_text, _) in view.concepts[concept]) else 1.0

    def _concept_value(self, concept: str, comp: CompiledRec) -> float:
        factor = self.CLASS_FACTOR[concept_class(concept)]
        if concept.startswith("kw:") and concept in comp.refining:
            factor = self.REFINING_FACTOR  # "Sindh Child Protection Authority" refines "child protection authority"
        return factor * comp.concept_weight.get(concept, 0.5) * self.idf.get(concept, 1.0)

    def _close(self, view: ItemView, concepts: Iterable[str], window: int | None = None) -> bool:
        """All concepts within WINDOW (or `window`) content tokens of each other, in the same field."""
        window = self.WINDOW if window is None else window
        for in_text in (True, False):
            positions = []
            for c in concepts:
                pos = [p for (_, _, t, p) in view.concepts[c] if t == in_text]
                if not pos:
                    break
                positions.append(pos)
            else:
                first = positions[0]
                for anchor in first:
                    if all(any(abs(p - anchor) <= window for p in pos) for pos in positions[1:]):
                        return True
        return False
