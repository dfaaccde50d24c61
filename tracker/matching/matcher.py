"""Match news, gazette and parliament items to the register's recommendations, and propose statuses.

Pure: plain data in, plain data out (no database, no Flask). The rules are data (feeds/matching/*.yaml,
loaded by tracker.matching.rules); the engine is small modules a newcomer can find:

    text.py      tokens, stems, sentences, clauses, the phrase index (Unicode-aware)
    lexicon.py   the lexicon compiled; concepts found in an item (ItemView)
    bills.py     bill tracking: about the bill? which stage? relative to the recorded stages
    evidence.py  evidence scoring for recommendations not about a bill
    events.py    decisive events -> implemented / partially / in progress / stalled
    explain.py   quotes and highlight spans for rationales
    relevance.py a model learned from the labelled items: adds what the rules miss, drops weak guesses

An item about a tracked bill is matched to every recommendation that tracks the bill (and is not used as
evidence for other asks: it describes the bill's content). Other items go through evidence scoring, and
each match may carry an event proposal. See docs/matching.md.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Sequence

from tracker.matching import bills as billing
from tracker.matching.bills import (STAGE_LABEL, STAGES, BillIdentity, BillProfile, RecordedStage,  # noqa: F401
                                    SAME_TITLE_FLAG)
from tracker.matching.events import find_event
from tracker.matching.evidence import CompiledRec, EvidenceScorer, compile_rec
from tracker.matching.explain import first_surface, merge, quote_concepts
from tracker.matching.lexicon import RULES, analyse_item, succession_note, variants
from tracker.matching.relevance import RelevanceModel, load_model
from tracker.matching.text import (PhraseIndex, TOKEN_RE, has_arabic_script, normalise, original_span, phrase_stems,
                                   split_sentences, stem, tokenise, word)


@dataclass(frozen=True)
class RecommendationProfile:
    code: str
    title: str
    source_text: str
    keywords: tuple[str, ...]
    responsible_bodies: tuple[str, ...]
    bill: str | None
    status: str


@dataclass(frozen=True)
class Match:
    code: str
    score: float  # 0..1
    proposed_status: str | None  # None: evidence only
    stage: str | None
    rationale: str
    highlights: tuple[tuple[int, int], ...]  # character spans in the entry *text* (not the title)
    flags: tuple[str, ...] = ()  # e.g. "same_title_unconfirmed": a person must confirm the bill's identity
    bill: str | None = None  # the tracked bill's slug, for bill matches
    identity: BillIdentity | None = None  # the bill identity the item gives (title-only listings)


# a match the model alone found is at most a "possible match" in the inbox (presentation.STRONG_MATCH is 0.75):
# a person should read why before trusting it
LEARNED_SCORE_CAP = 0.74


class Matcher:
    LISTING_SCORE = 0.35  # a title-only listing not yet confirmed to be the tracked bill

    def __init__(self, recommendations: Sequence[RecommendationProfile], bills: Sequence[BillProfile],
                 relevance: RelevanceModel | None | bool = True):
        """relevance: the learned model (True: the shipped one, when installed; None or False: rules only)."""
        self._relevance = load_model() if relevance is True else (relevance or None)
        self._bills = {b.slug: billing.compile_bill(b) for b in bills}
        self._recs = [compile_rec(r, billing.asks_only_passage(r.title)) for r in recommendations]
        self._scorer = EvidenceScorer(self._recs)
        self._by_code = {c.rec.code: c for c in self._recs}
        self._bill_recs: dict[str, list[CompiledRec]] = defaultdict(list)
        for c in self._recs:
            if c.rec.bill and c.rec.bill in self._bills:
                self._bill_recs[c.rec.bill].append(c)
        # literal keyword phrases join the lexicon index for items
        self._index = PhraseIndex()
        for c in self._recs:
            for kw in c.keywords:
                for concept in kw.concepts:
                    if concept.startswith("kw:"):
                        self._index.add(tuple(concept[3:].split()), concept)
                        # the keyword's Urdu phrases (urdu.yaml `keywords`) count as the literal phrase
                        for phrase in RULES.keyword_translations.get(kw.text.strip().lower(), ()):
                            self._index.add(phrase_stems(phrase), concept)
        self._gate = self._gate_stems()
        # asks few recommendations share (IDF scaled to the register, so not tied to its size)
        self._specific = frozenset(c for c, v in self._scorer.idf.items() if v >= EvidenceScorer.DISTINCT_IDF)
        # round 7: asks about legislative reform other than a tracked bill's own (involve the industry in it)
        self._reform = tuple(c for c in self._recs if not c.rec.bill and _REFORM in c.required)

    def _gate_stems(self) -> frozenset[str]:
        """Stems without one of which no path can match: the evidence path needs a domain concept or a
        child term, the bill path a bill's name or the word bill (or act). Most news has none of them."""
        phrases = list(RULES.child_terms)
        for concept in RULES.domain_concepts | RULES.bill_subject_concepts:
            phrases.extend(variants(concept))
        stems = {first for p in phrases if (first := next(iter(phrase_stems(p)), None))}
        stems.update(names[0] for bill in self._bills.values() for names in bill.names if names)
        stems.update(RULES.bill_words | RULES.act_words)
        return frozenset(stems)

    def _could_match(self, title: str, text: str) -> bool:
        # each distinct word once: news copy repeats its words
        return any(stem(word(token)) in self._gate for token in set(TOKEN_RE.findall(f"{title}\n{text}")))

    def match(self, title: str, text: str, *, feed_kind: str = "news", published=None) -> list[Match]:
        """published: the item's date (date, datetime or ISO string), to tell history from news."""
        title, text = title or "", text or ""
        # Urdu: the rules read the normalised text; spans and quotes are given back in the original's terms
        urdu = has_arabic_script(title) or has_arabic_script(text)
        if urdu:
            (norm_title, title_map), (norm_text, text_map) = normalise(title), normalise(text)
        else:
            norm_title, norm_text, title_map, text_map = title, text, None, None
        if not self._could_match(norm_title, norm_text):
            return []
        view = analyse_item(norm_title, norm_text, self._index)
        if urdu:
            view.source_title, view.source_text, view.title_map, view.text_map = title, text, title_map, text_map
        matches: dict[str, Match] = {}
        handled = False
        for slug, bill in self._bills.items():
            found, about = self._bill_matches(slug, bill, view, feed_kind, published)
            handled = handled or about
            for m in found:
                matches[m.code] = m
        pub = billing._prefix(published)
        year = int(pub[:4]) if pub and pub[:4].isdigit() else None
        # an item about a tracked bill describes the bill's content: that is not evidence for other asks; its
        # other news (a cabinet's other decisions, another bill in the same listing) is read on its own
        if handled:
            rest, listed = (None, None) if urdu else _outside_bills(view, self._bills.values(), self._index)
            # another bill of a listing is news of its own; elsewhere only a deed of its own counts (the bill's
            # content is often told without its name)
            for part, deed_only in ((listed, False), (rest, True)):
                if part is None:
                    continue
                for m in self._evidence_matches(part, year):
                    if not self._by_code[m.code].rec.bill and (m.proposed_status or not deed_only):
                        matches.setdefault(m.code, m)
            for m in self._reform_deeds(view, year):
                matches.setdefault(m.code, m)
        else:
            for m in self._evidence_matches(view, year):
                matches.setdefault(m.code, m)
            if self._relevance is not None and not urdu:  # the model learned English items only
                matches = self._weigh_by_relevance(matches, view, year)
            matches = _share_the_deed(matches, {code: self._by_code[code].rec.status for code in matches})
        if text_map is not None and norm_text != text:
            matches = {code: replace(m, highlights=merge(original_span(text_map, s, e) for s, e in m.highlights))
                       for code, m in matches.items()}
        return sorted(matches.values(), key=lambda m: (-m.score, m.code))

    # -- bills

    def _bill_matches(self, slug, bill, view, feed_kind, published) -> tuple[list[Match], bool]:
        recs = self._bill_recs.get(slug)
        if not recs:
            return [], False
        flags: tuple[str, ...] = ()
        identity = None
        found = billing.about_bill(bill, view)
        if found:
            mention_spans, subject_terms = found
            why = f"About the {bill.label}" + (f": subject terms {', '.join(repr(t) for t in subject_terms[:4])}."
                                               if subject_terms else ".")
            confident = True
        else:
            listing = billing.listed_identity(bill, view)
            if not listing:
                return [], False
            identity, mention_spans = listing
            confident = billing.is_confirmed(bill, identity)
            details = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in
                                (("year", identity.year), ("bill_number", identity.bill_number),
                                 ("Act No.", identity.act_number)) if v)
            if confident:
                why = f"Names the {bill.label} ({details or 'title'}), a confirmed identity of the bill."
            else:
                flags = (SAME_TITLE_FLAG,)
                why = (f"Same title as the tracked bill — confirm it is the same bill ({identity.title}"
                       f"{'; ' + details if details else ''}).")
        reading = billing.read_bill(bill, view, feed_kind, published)
        if reading.history:
            return [], True  # an item of the time of a recorded stage, or older: nothing to propose
        if not found and not (reading.stage or reading.preparing or reading.shelved or confident):
            # a title-only mention with no step says nothing about the bill, unless it names the bill's own
            # confirmed identity ("the Criminal Laws (Amendment) Bill, 2022"): evidence, no status
            return [], False
        out = []
        for comp in recs:
            status = "in_progress" if reading.preparing else "stalled" if reading.shelved else \
                billing.status_for_stage(reading.stage, comp.full_passage)
            if status == comp.rec.status:
                status = None
            rationale = why
            if reading.stage:
                rationale += f" Stage: {STAGE_LABEL[reading.stage]} (“{reading.phrase}”)"
                if reading.note:
                    rationale += f" — {reading.note}"
                rationale += f" → proposes {status}." if status else " (no change to propose)."
            elif reading.preparing or reading.shelved:
                rationale += f" {reading.step} (“{reading.phrase}”)"
                rationale += f" → proposes {status}." if status else " (no change to propose)."
            elif reading.note:
                rationale += f" No new parliamentary stage: {reading.note}; evidence only."
            else:
                rationale += " No new parliamentary stage stated: evidence only."
            if flags:
                score = self.LISTING_SCORE
            else:
                score = 0.95 if reading.stage else 0.8
            out.append(Match(comp.rec.code, score, status, reading.stage, rationale,
                             merge(list(mention_spans) + list(reading.spans)), flags, slug, identity))
        return out, True

    # -- evidence and events

    def _evidence_matches(self, view, published_year: int | None = None) -> list[Match]:
        domain_terms = self._scorer.in_domain(view)
        if domain_terms is None:
            candidates = [(c, *r) for c in self._scorer.body_asks(view) if (r := self._scorer.score(c, view))]
            domain_terms = []
        else:
            candidates = self._scorer.candidates(view)
        out = []
        for comp, score, fired, used in candidates:
            event = None if comp.rec.code.startswith(RULES.evidence_only_prefixes) else \
                find_event(view, used, comp.required, self._specific, published_year, comp.rec.code)
            status = event.status if event else None
            if event is None and self._scorer.entity_only(comp, fired):
                continue  # only a body named ("NCCIA"), doing nothing the recommendation asks: topic, not evidence
            if status == comp.rec.status:
                status = None
            spans = [(s, e) for concept in used for (s, e, in_text, _) in view.concepts[concept] if in_text]
            evidence = "; ".join(f"'{kw.text}' ← {quote_concepts(view, kw.concepts)}"
                                 for kw in comp.keywords if kw.text in fired[:3])
            context = quote_concepts(view, domain_terms[:2]) if domain_terms else \
                f"“{first_surface(view, view.child)}” with “{first_surface(view, view.online)}”"
            rationale = f"Keywords matched: {evidence}. Child context: {context}."
            for concept in sorted(used):
                if concept in RULES.concepts and view.concepts.get(concept):
                    note = succession_note(concept, first_surface(view, view.concepts[concept]))
                    if note:
                        rationale += f" Body: {note}."
            if event:
                rationale += " " + event.rationale
                if event.span:
                    spans.append(event.span)
            out.append(Match(comp.rec.code, round(1 - math.exp(-score / 6.0), 3), status, None, rationale,
                             merge(spans)))
        return out

    def _reform_deeds(self, view, published_year: int | None) -> list[Match]:
        """Round 7. A tracked bill is itself legislative reform: in an item about one, an ask about reform (involve
        the industry in it) is read over the whole item with the bill's name standing for the reform ("the
        committee approved the bill after a detailed hearing with the tech industry"). A deed only."""
        if not self._reform or not any(c.required - {_REFORM} <= view.concepts.keys() for c in self._reform):
            return []
        added = []
        for toks, in_text in ((view.title_toks, False), (view.text_toks, True)):
            index = {t.start: t.index for t in toks}
            for bill in self._bills.values():
                added.extend((s, e, in_text, index.get(s, 0)) for s, e, _ in billing.find_names(bill, toks))
        if not added:
            return []
        concepts = dict(view.concepts)
        concepts[_REFORM] = sorted([*concepts.get(_REFORM, ()), *added], key=lambda o: (o[2], o[0]))
        codes = {c.rec.code for c in self._reform}
        return [m for m in self._evidence_matches(replace(view, concepts=concepts), published_year)
                if m.code in codes and m.proposed_status]

    # -- the learned relevance model

    def _weigh_by_relevance(self, matches: dict[str, Match], view, published_year: int | None) -> dict[str, Match]:
        model = self._relevance
        p = model.probabilities(view.title, view.text)
        kept = {code: m for code, m in matches.items()
                if not (m.score < model.weak and p.get(code, 1.0) < model.veto)}
        names_bill = any(billing.find_names(bill, toks) for bill in self._bills.values()
                         for toks in (view.title_toks, view.text_toks))
        # ... and one naming another bill or Act by its title is about that law ("the Prevention of Electronic
        # Crimes (Amendment) Act, 2025" on fake news): the words it shares with the tracked bill's news do not
        # make it the tracked bill's
        names_bill = names_bill or any(billing.names_other_law(bill, view) for bill in self._bills.values())
        for code in [c for c, probability in p.items() if probability >= model.add and c not in kept]:
            comp = self._by_code.get(code)
            if comp is None:
                continue  # the model knows a recommendation this register does not hold
            # an item naming a tracked bill by its title was judged by the bill tracking (another bill of the
            # same title, a mention with no step), as was one naming another law: no word count overrules it
            if comp.rec.bill and names_bill:
                continue
            kept[code] = self._learned_match(comp, p[code], view, published_year)
        return kept

    def _learned_match(self, comp: CompiledRec, probability: float, view, published_year: int | None) -> Match:
        """A recommendation the rules missed and the model is confident of; an event still needs the rules'
        concepts (what it asks for, in a sentence with the event)."""
        words = self._relevance.reasons(comp.rec.code, view.title, view.text)
        scored = self._scorer.score(comp, view)
        used = scored[2] if scored else set()
        event = None  # a tracked bill's statuses come from its stages only
        # round 7: nor in an item with no child and outside the child-online domain: the words the model knows
        # ("judges", "course") make no deed of another subject ("trains judges on tax laws")
        if not comp.rec.bill and not comp.rec.code.startswith(RULES.evidence_only_prefixes) \
                and (view.child or self._scorer.in_domain(view) is not None):
            event = find_event(view, used, comp.required, self._specific, published_year, comp.rec.code)
        status = event.status if event and event.status != comp.rec.status else None
        # no strength in words here: the inbox states it from the score, one scale for every match
        rationale = (f"Learned from the labelled news: the words "
                     f"{', '.join(f'“{w}”' for w in words)} are typical of news about this recommendation.")
        spans = [span for w in words for span in _word_spans(view.text, w)]
        if event:
            rationale += " " + event.rationale
            if event.span:
                spans.append(event.span)
        score = round(min(probability * 0.8, LEARNED_SCORE_CAP), 3)
        return Match(comp.rec.code, score, status, None, rationale, merge(spans))


# the parts of an item about a tracked bill: a sentence, or an entry of a listing ("(2) The ... Bill; (3) ...")
_ENTRY_RE = re.compile(r";|\s\((?:\d{1,2}|[ivx]{1,4}|[a-h])\)\s")
# a sentence that goes on about the bill without naming it ("It also proposes ...", "The new law ...")
_GOES_ON_RE = re.compile(r"^\W*(?:it|its|they|this|under (?:it|the (?:bill|law|act))|the (?:proposed |new |draft |amended )?"
                         r"(?:law|legislation|measure|amendments?|draft)\b)", re.I)


_IT_RE = re.compile(r"\bit\b", re.I)  # "Besides creating offences ..., it obliges platforms to ..."
# words by which news goes on about a bill without its name ("passed legislation to shield children", "a clause")
_BILL_TALK = billing._BILL_OR_ACT | {stem(w) for w in ("legislation", "law", "laws", "clause", "provision", "draft",
                                                       "amendment", "amendments", "ordinance")}


def _outside_bills(view, bills, extra: PhraseIndex):
    """(rest, listed): the item with its parts about a tracked bill blanked (same length, so spans still hold),
    and the entries of a listing that name another bill, each None when empty. Parts about the bill: those
    that name a tracked bill, speak of a bill, law or clause (not naming another bill), refer to it ("the
    pending amendments to PECA") or go on about it ("It also ...", "it obliges platforms to ...")."""
    fields, listed = [], []
    kept_any = listed_any = False
    for field_text, toks in ((view.title, view.title_toks), (view.text, view.text_toks)):
        names = [s for bill in bills for (s, _, _) in billing.find_names(bill, toks)]
        chars = list(field_text)
        others = [" "] * len(field_text)
        for ss, se in split_sentences(field_text):
            cuts = [ss] + [ss + m.start() for m in _ENTRY_RE.finditer(field_text[ss:se])] + [se]
            for a, b in zip(cuts, cuts[1:]):
                part = field_text[a:b]
                if not part.strip():
                    continue
                ptoks = {t.stem for t in tokenise(part)}
                named = any(a <= s < b for s in names)
                other_bill = bool(billing._NAMED_OTHER_RE.search(part))
                billish = bool(ptoks & _BILL_TALK) and not other_bill
                if named or billish or billing._refers(part) or _GOES_ON_RE.search(part) or _IT_RE.search(part):
                    chars[a:b] = " " * (b - a)
                elif ptoks:
                    kept_any = True
                    if other_bill:
                        others[a:b] = part
                        listed_any = True
        fields.append("".join(chars))
        listed.append("".join(others))
    return (analyse_item(fields[0], fields[1], extra) if kept_any else None,
            analyse_item(listed[0], listed[1], extra) if listed_any else None)


_DEEDS = ("implemented", "partially_implemented")
_REFORM = "legislative_reform"  # the lexicon's concept a tracked bill stands for (round 7)
_EVENT_QUOTE = re.compile(r"Event: (“[^”]*”)")


def _share_the_deed(matches: dict[str, Match], current: dict[str, str]) -> dict[str, Match]:
    """A recommendation the item bears on but whose own words the event's sentence does not hold, in an item
    reporting a deed done for another recommendation: the deed covers part of its ask too ("approved a
    curriculum with a chapter on online risks" is done for the curriculum, and in part for educating
    children). Part, never all: the sentence does not state this ask; so nothing is proposed for one already
    partly or wholly implemented (current: each code's status now)."""
    deeds = [m for m in matches.values() if m.proposed_status in _DEEDS]
    if not deeds:
        return matches
    deed = max(deeds, key=lambda m: (m.proposed_status == "implemented", m.score))
    quoted = _EVENT_QUOTE.search(deed.rationale)
    phrase = f"{quoted.group(1)} " if quoted else ""
    out = dict(matches)
    for code, m in matches.items():
        if m.proposed_status is None and m.stage is None and m.bill is None and current.get(code) not in _DEEDS:
            out[code] = replace(m, proposed_status="partially_implemented", rationale=(
                f"{m.rationale} The item's event {phrase}(found for {deed.code}) covers part of what it asks for"
                f" → proposes partially_implemented."))
    return out


def _word_spans(text: str, word: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"(?<![\w'])" + re.escape(word) + r"(?![\w'])", text, re.I)][:3]


# ----------------------------------------------------------------------------------------------------
# Register and baseline


def _stage_date(value) -> str | None:
    return str(value) if value not in (None, "") else None


def profiles_from_register(data: dict) -> tuple[list[RecommendationProfile], list[BillProfile]]:
    recs = [RecommendationProfile(
        code=r["code"], title=r.get("title") or "", source_text=(r.get("source_text") or "").strip(),
        keywords=tuple(r.get("keywords") or ()), responsible_bodies=tuple(r.get("responsible_bodies") or ()),
        bill=r.get("bill") or None, status=r.get("initial_status") or "not_assessed")
        for r in data.get("recommendations") or ()]
    bills = [BillProfile(slug=b["slug"], title=b.get("title") or "", aliases=tuple(b.get("aliases") or ()),
                         subject_keywords=tuple(b.get("subject_keywords") or ()),
                         stages=tuple(RecordedStage(s["stage"], _stage_date(s.get("date")), s.get("house"))
                                      for s in b.get("stages") or ()))
             for b in data.get("bills") or ()]
    return recs, bills


def keyword_baseline(recs: Sequence[RecommendationProfile], title: str, text: str) -> list[str]:
    """The plain baseline: codes of recommendations any of whose keywords occurs (case-insensitive, whole words)."""
    body = f"{title}\n{text}"
    codes = []
    for rec in recs:
        for kw in rec.keywords:
            if kw and re.search(r"(?<!\w)" + re.escape(kw.strip()) + r"(?!\w)", body, re.I):
                codes.append(rec.code)
                break
    return codes
