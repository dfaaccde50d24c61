"""Event proposals: what an item reports being done about a recommendation's ask, as a status.

A trigger (events.yaml) counts in a sentence that also holds one of the concepts the recommendation
matched on; hedges in the clause before it decide how far it goes: future news ("will launch") proposes
in_progress at most, appeals ("urged to notify") and negations ("not yet notified") nothing. An
`implemented` event becomes `partially_implemented` when the event's sentences hold only some of what the
recommendation's title asks for.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from tracker.matching.bills import _dated_before
from tracker.matching.explain import short_quote
from tracker.matching.lexicon import RULES, ItemView, concept_class
from tracker.matching.rules import EventRule
from tracker.matching.text import clauses, has_arabic_script, split_sentences

_DEED = ("implemented", "partially_implemented")  # a confined deed (one province) still covers part of the ask
_RANK = {"implemented": 4, "partially_implemented": 3, "stalled": 2, "in_progress": 1}


@dataclass(frozen=True)
class Event:
    status: str
    phrase: str
    span: tuple[int, int] | None  # in the item's text (None: in the headline)
    covered: frozenset[str]  # the asked-for concepts the event's sentence holds
    rationale: str


_DRAFT_RE = re.compile(r"\bdraft(ed|s)?\b|\bproposals?\b|\bsummary\b", re.I)
_ADOPTION_RE = re.compile(r"\b(approv|adopt|notif|enact|ratif)", re.I)  # approving a draft adopts it


def _clause_of(sentence: str, start: int) -> str:
    a, b = next(((a, b) for a, b in clauses(sentence) if a <= start < b), (0, len(sentence)))
    return sentence[a:b]


def _clause_before(sentence: str, start: int) -> str:
    cs = next((a for a, b in clauses(sentence) if a <= start < b), 0)
    return sentence[cs:start]


# A headline's speaker after a call: "..., demands KP child commission", "..., urge senators" (no "to": ",
# urges parents to use it" tells what the doer asks of others after its own deed)
_HEADLINE_CALL_RE = re.compile(r",\s*(demands?|urges?|asks?|calls? for|seeks?|wants?|recommends?|suggests?)\s+"
                               r"(?:(?! to )[^,;:])+$", re.I)
_FINITE_RE = re.compile(r"^\w+(s|ed)\b", re.I)
_HEADLINE_PLAN_RE = re.compile(r"\b(plans?|mulls?|proposes?|eyes|considers?|weighs?|mooted|seeks?|set to|aims? to|"
                               r"to be|to (set up|launch|create|build|establish|introduce))\b", re.I)


def _headline_plan(headline: str, m: re.Match, before: str) -> bool:
    """A headline part that is only a noun phrase ("..., link-up with Interpol") goes on with the plan of the part
    before it ("Cyber agency plans own database, link-up with Interpol")."""
    earlier = headline[:m.start()]
    return not before.strip() and not _FINITE_RE.match(m.group()) and bool(
        RULES.future.search(earlier) or _HEADLINE_PLAN_RE.search(earlier))


_INFINITIVE_CLAUSE_RE = re.compile(r"^\W*(and |or )?to [a-z]", re.I)


def _appeal_governs(sentence: str, start: int) -> bool:
    """An appeal earlier in the sentence governs a clause that goes on with its infinitives ("urges the
    government to strengthen the helpline, to make it accessible ... and to publicise it")."""
    cs = next((a for a, b in clauses(sentence) if a <= start < b), 0)
    return bool(cs and _INFINITIVE_CLAUSE_RE.match(sentence[cs:]) and RULES.appeal.search(sentence[:cs]))


# A short quoted name ("a ‘مدد چاہیے’ button", "the “Need Help?” tab", "«Ask First» campaign") is a name, not
# a hedge of the verb after it: its words are blanked before the hedges are read.
_QUOTED_NAME_RE = re.compile(r"‘[^’‘\n.۔]{1,40}’|“[^”“\n.۔]{1,40}”|«[^»«\n.۔]{1,40}»|\"[^\"\n.۔]{1,40}\"")


def _unquoted(text: str) -> str:
    return _QUOTED_NAME_RE.sub(lambda m: " " * len(m.group()), text) if any(q in text for q in "‘“«\"") else text


def find_event(view: ItemView, about: set[str], asks: frozenset[str], specific: frozenset[str] | None = None,
               published_year: int | None = None, code: str = "") -> Event | None:
    """The strongest event the item reports about these concepts (about: the concepts the recommendation
    matched on; asks: what its title asks for, to judge partial against full; specific: the asks specific
    enough that covering only them makes a partial implementation)."""
    best: Event | None = None
    # what the recommendation asks for; without title asks, its topic and action concepts (not a body alone)
    focus = asks or frozenset(c for c in about if concept_class(c) in ("topic", "action"))
    if not focus:
        return None
    for field_text, in_text in ((view.title, False), (view.text, True)):
        sentences = split_sentences(field_text)
        asserted: dict[int, set[str]] = {}  # concepts not asked for or denied ("urged ... to set up a database")
        stated: dict[int, set[str]] = {}  # concepts outside hedged clauses ("directed the provinces to prepare ...")
        placed: dict[int, list[tuple[int, str]]] = {}  # every concept's occurrences, by sentence (for object rules)
        proposed: dict[int, set[str]] = {}  # concepts stated as a proposal's or a draft's content
        for concept, occurrences in view.concepts.items():
            for s, _e, t, _p in occurrences:
                if t == in_text:
                    i = next((i for i, (a, b) in enumerate(sentences) if a <= s < b), None)
                    if i is not None:
                        placed.setdefault(i, []).append((s, concept))
                        a = sentences[i][0]
                        sentence_text = field_text[a:sentences[i][1]]
                        before = _unquoted(_clause_before(sentence_text, s - a))
                        proposal = _proposal_content(sentence_text[:s - a])
                        framed = _instrument_frame(sentence_text[:s - a])
                        appealed = RULES.appeal.search(before) or _appeal_governs(sentence_text, s - a)
                        if not ((appealed and not proposal and not framed) or RULES.negation.search(before)):
                            asserted.setdefault(i, set()).add(concept)
                            if proposal:
                                proposed.setdefault(i, set()).add(concept)
                            content = _instrument_content(sentence_text[:s - a]) or framed
                            if not (proposal or _process_purpose(sentence_text[:s - a])
                                    or (not content and (RULES.future.search(before)
                                                         or _future_after(sentence_text, s - a)))):
                                stated.setdefault(i, set()).add(concept)
        # round 7: a trigger that itself is the whole ask ("integrated its helpline with the 1991 helpline" is the
        # linking asked for) states it in its sentence, unless hedged (an ask with other parts, "a national
        # database linked to ICSE", needs its own words for them)
        for ri, rule in _STATING:
            told = asks or focus  # (a recommendation whose title names no ask: the concepts it matched on)
            if not told <= rule.states or (rule.requires and not rule.requires & asks):
                continue
            for i, (a, b) in enumerate(sentences):
                sentence = field_text[a:b]
                for m in _triggers(ri, sentence):
                    before = _unquoted(_clause_before(sentence, m.start()))
                    if not _hedged(before) and not RULES.purpose.search(before):
                        asserted.setdefault(i, set()).update(told)
                        stated.setdefault(i, set()).update(told)
                        break
        # the next sentence tells the content of this sentence's object ("... passed the amendment bill. The
        # amendment raises the punishment ..."; "signed an MoU. Under the MoU, complaints will be referred ...");
        # what it states as still to come ("The policy ... will be implemented through provincial plans") is
        # not the object's content done
        for i in range(len(sentences) - 1):
            if asserted.get(i + 1) and _content_next(field_text[sentences[i + 1][0]:sentences[i + 1][1]]):
                asserted.setdefault(i, set()).update(asserted[i + 1])
                stated.setdefault(i, set()).update(stated.get(i + 1, ()))
        # round 7: an instrument's operative text ("It is hereby notified that ...") goes on in the sentences
        # after it, in the instrument's own words ("Interviews shall be conducted only ..."): their asks are the
        # instrument's content, told by its sentence
        operative = next((i for i, (a, b) in enumerate(sentences)
                          if _operative(field_text[a:b])), None) if in_text else None
        if operative is not None:
            for j in range(operative + 1, min(operative + 1 + _LIST_ITEMS, len(sentences))):
                asserted.setdefault(operative, set()).update(asserted.get(j, ()))
                stated.setdefault(operative, set()).update(asserted.get(j, ()))
        # a sentence ending in a colon introduces a list ("The following Bills were passed by the Assembly: 1. The
        # Punjab ... Bill — to enhance the punishment ..."): the listed items are its event's objects
        for i in range(len(sentences) - 1):
            if field_text[sentences[i][0]:sentences[i][1]].rstrip().endswith(":") and \
                    not _DATELINE_RE.match(field_text[sentences[i][0]:sentences[i][1]]):
                for j in range(i + 1, min(i + 1 + _LIST_ITEMS, len(sentences))):
                    asserted.setdefault(i, set()).update(asserted.get(j, ()))
                    stated.setdefault(i, set()).update(stated.get(j, ()))
        for i, (a, b) in enumerate(sentences):
            # the sentence must state what the recommendation asks for (not only a body it names) outside a
            # hedged clause: "launched a campaign calling for a national database" is no database's event
            told_next = object_only = False
            if not asserted.get(i, set()) & focus:
                if _consequence_next(field_text, sentences, i, asserted, focus):
                    told_next = True  # "approved the accession. Membership would give the agency access to ..."
                elif not focus & {c for _s, c in placed.get(i, ())}:
                    continue
                else:
                    object_only = True  # only an object rule's trigger can hold the ask here
            sentence = field_text[a:b]
            for ri, rule in _rules_for(in_text):
                if rule.requires and not rule.requires & asks:
                    continue
                if (object_only and not rule.object) or (rule.not_for and code.startswith(rule.not_for)):
                    continue
                for m in _triggers(ri, sentence):
                    in_object = frozenset(c for s, c in placed.get(i, ()) if s >= a + m.end()) & focus \
                        if rule.object else frozenset()
                    if object_only and not in_object:
                        continue
                    before = _unquoted(_clause_before(sentence, m.start()))
                    if RULES.negation.search(before) or RULES.negation.search(m.group()) \
                            or RULES.appeal.search(before):
                        continue
                    if not in_text and _HEADLINE_CALL_RE.search(sentence[m.end():]):
                        continue  # "Link 1991 helpline with 1121, demands child commission": a call
                    clause_text = _clause_of(sentence, m.start())
                    if _recalled(before, clause_text[clause_text.find(m.group()) + len(m.group()):],
                                 published_year):
                        continue  # "the lab, which was set up last year", "two years after ... were notified"
                    if _attributive(before, m.group(), sentence[m.end():]):
                        continue  # "the trained teachers would now serve ...": a participle naming its noun
                    status = rule.status
                    draft = _DRAFT_RE.search(clause_text)
                    if status == "implemented" and RULES.draft is not None and RULES.draft.search(clause_text) \
                            and not (RULES.adoption is not None and RULES.adoption.search(m.group())):
                        status = "in_progress"  # Urdu: "مسودے کی اصولی منظوری", "سمری ارسال"
                    if status == "implemented" and draft and (
                            draft.group().lower().startswith(("proposal", "summary"))
                            or not _ADOPTION_RE.search(m.group())):
                        status = "in_progress"  # "shared a draft policy with the provinces": still a draft
                    # (an Urdu stall states its tense after the verb, which its trigger reads: the plan named
                    # before it is its subject, "منصوبہ ... روک دیا")
                    if status == "stalled" and not has_arabic_script(m.group()) and (
                            RULES.future.search(before[-_VERB_GROUP:]) or RULES.purpose.search(before)):
                        continue  # "will be shelved" is not news of a stall ("the plan to ... has stalled" is)
                    after = sentence[m.end():]
                    if status == "implemented" and RULES.process_body is not None and RULES.process_body.search(after):
                        status = "in_progress"  # "constituted a committee to review ...": a step towards the ask
                    if status == "implemented" and RULES.process_body_passive is not None \
                            and RULES.process_body_passive.search(before[-120:] + m.group() + after[:160]):
                        status = "in_progress"  # "a committee has been constituted to formulate SOPs": the same, passive
                    if status == "implemented" and RULES.step_after is not None and RULES.step_after.search(after):
                        status = "in_progress"  # "okays MoU with ECPAT, TdH in principle": a step, not the deed
                    if status == "implemented" and not rule.on_bill and RULES.bill_object is not None \
                            and RULES.bill_object.search(sentence) \
                            and not (RULES.bill_law is not None and (RULES.bill_law.search(sentence)
                                                                     or RULES.bill_law.search(view.title))):
                        status = "in_progress"  # a cabinet approving a bill, an assembly passing it: not yet law
                    if status != "stalled" and (RULES.future.search(before) or RULES.purpose.search(before)
                                                or (RULES.future_after is not None and RULES.future_after.search(after))
                                                or (not in_text and _headline_plan(sentence, m, before))):
                        status = "in_progress"  # a plan or a decision to act: progress, never implemented
                    if status == "implemented" and not rule.on_bill and _pending_step(view):
                        status = "in_progress"  # "passed the bill ... It will now go to the Governor": not yet law
                    if told_next:
                        if status == "stalled":
                            continue
                        status = "in_progress"  # the ask is the step's consequence, still to come
                    covered = frozenset((stated.get(i, set()) | in_object) & asks)
                    other = view.title if in_text else view.text
                    lead = _lead(view.text) if in_text else ""
                    if status == "implemented" and (_confined(sentence, other, lead)
                                                    or _single_actor(code, sentence, other)):
                        status = "partially_implemented"  # one province, city or company: part of the ask
                    if status != "stalled" and _stalled_later(sentence, m.end()):
                        continue  # "the plan for a database linked to ICSE has been shelved": the stall is the news
                    if status == "implemented" and not covered and proposed.get(i, set()) & asks \
                            and not (stated.get(i, set()) & asks):
                        status = "in_progress"  # "a consultation on draft rules ... requiring age verification"
                    if status in _DEED and asks and not asks <= _covered_in_item(view, asks, covered):
                        status = "partially_implemented"
                        if not covered:
                            status = "in_progress"  # "signed an MoU under which the PTA will share ...": agreed, not done
                        elif specific is not None and not covered & specific:
                            continue  # only a generic part of the ask ("child victims"): not this event
                    span = (a + m.start(), a + m.end()) if in_text else None
                    quote = short_quote(m.group())
                    note = {"implemented": "covers what it asks for",
                            "partially_implemented": "covers part of what it asks for"}.get(status, "")
                    rationale = f"Event: “{quote}”" + (f" ({note})" if note else "") + f" → proposes {status}."
                    event = Event(status, quote, span, covered, rationale)
                    if best is None or _RANK[status] > _RANK[best.status] or (
                            _RANK[status] == _RANK[best.status] and best.span is None and span is not None):
                        best = event  # as strong, the text's phrase is preferred: the inbox can highlight it
    return best


_HEADLINE_RULE = EventRule("headline", "implemented", RULES.headline_done, frozenset()) \
    if RULES.headline_done is not None else None


def _rules_for(in_text: bool) -> list[tuple[int, EventRule]]:
    """The event rules, with the headline's present tense ("NCCIA, CPWB sign MoU") for a headline."""
    rules = list(enumerate(RULES.events))
    if not in_text and _HEADLINE_RULE is not None:
        rules.append((-1, _HEADLINE_RULE))
    return rules


@functools.lru_cache(maxsize=4096)
def _triggers(rule_index: int, sentence: str) -> tuple[re.Match, ...]:
    """A rule's trigger matches in a sentence, once: every candidate recommendation reads the same sentences."""
    rule = _HEADLINE_RULE if rule_index < 0 else RULES.events[rule_index]
    return tuple(rule.pattern.finditer(sentence))


_STATING = tuple((i, r) for i, r in enumerate(RULES.events) if r.states)

_DATELINE_RE = re.compile(r"^\s*[A-Z][A-Z .,'()/-]{1,40}:\s*$")  # "KARACHI:", "ISLAMABAD, Jun 3 (APP):"
_LIST_ITEMS = 8  # sentences after a colon read as its list's items


def _lead_index(text: str, sentences) -> int:
    """The lead sentence's index: the first, or the second when the first is a dateline ("KARACHI:")."""
    if len(sentences) > 1 and _DATELINE_RE.match(text[sentences[0][0]:sentences[0][1]]):
        return 1
    return 0


def _lead(text: str) -> str:
    """The item's lead sentence (after a dateline): it says where the deed happens as much as the headline."""
    if not text.strip():
        return ""
    sentences = split_sentences(text)
    if not sentences:
        return ""
    a, b = sentences[_lead_index(text, sentences)]
    return text[a:b]


def _instrument_content(before: str) -> bool:
    """The concept is in what an adopted instrument says ("signed an MoU under which PTA will share ...")."""
    return RULES.instrument_content is not None and bool(RULES.instrument_content.search(before))


def _operative(sentence: str) -> bool:
    """The sentence opens an instrument's own operative text ("It is hereby notified that ...")."""
    return RULES.operative_text is not None and bool(RULES.operative_text.search(sentence))


def _instrument_frame(before: str) -> bool:
    """The sentence is framed as an issued instrument's content ("In a circular issued by the Registrar, judges
    have been asked to ..."): its request is the instrument's order, not someone's appeal."""
    return RULES.instrument_frame is not None and bool(RULES.instrument_frame.search(before))


def _content_next(sentence: str) -> bool:
    """The sentence opens by referring back to the previous sentence's object ("The amendment raises ...")."""
    return RULES.content_next is not None and bool(RULES.content_next.search(sentence))


def _process_purpose(before: str) -> bool:
    """The concept is the purpose of a body set up to review or propose ("a committee to review the definitions")."""
    return RULES.process_purpose is not None and bool(RULES.process_purpose.search(before[-160:]))


def _proposal_content(before: str) -> bool:
    """The concept is what a government's own proposal seeks ("moved a summary seeking 520 new posts")."""
    return RULES.proposal_seeking is not None and bool(RULES.proposal_seeking.search(before[-120:]))
def _future_after(sentence: str, start: int) -> bool:
    """Urdu states tense after the verb: a concept in a clause whose verb is future or subjunctive ("... صوبے
    صوبائی ایکشن پلان بنائیں گے") is not stated as done (urdu.yaml `clause_future`)."""
    if RULES.clause_future is None or not has_arabic_script(sentence):
        return False
    end = next((b for a, b in clauses(sentence) if a <= start < b), len(sentence))
    return bool(RULES.clause_future.search(sentence[start:end]))


def _recalled(before: str, after: str, published_year: int | None) -> bool:
    """The trigger recalls an earlier event (events.yaml background): a relative or temporal clause
    before it, a past time after it ("launched in 2019", "trained last year"), or a year before the item's."""
    if RULES.event_background is not None and RULES.event_background.search(before) and not (
            RULES.event_news_day is not None and RULES.event_news_day.search(after[:80])):
        return True  # (unless the clause dates it to the item's own day: "after the CJ inaugurated ... on Wednesday")
    if RULES.event_past is not None and RULES.event_past.search(after[:60]):
        return True
    return _dated_before(before, published_year) or _dated_before(after[:60], published_year)


# (a preposition or a number before the participle also makes it a noun's attribute: "40 percent of sanctioned
# posts", "520 sanctioned posts")
_ATTRIBUTIVE_BEFORE = re.compile(r"\b(the|a|an|its|their|these|those|of|for|with|against|from|all|many|several|"
                                 r"\d[\d,]*)\s+((newly|recently|already|specially|fully|properly)[ -])?$", re.I)
_PARTICIPLE = re.compile(r"^[A-Za-z]+(ed|en)$")
_NOT_NOUN = re.compile(r"^\s+(by|to|in|on|at|with|for|from|under|and|or|last|this|on|during|since|after)\b", re.I)


def _attributive(before: str, trigger: str, after: str) -> bool:
    """A past participle between an article and its noun ("the trained teachers", "a newly launched app") names
    the noun; it is not the clause's deed."""
    return bool(_ATTRIBUTIVE_BEFORE.search(before) and _PARTICIPLE.match(trigger)
                and re.match(r"^\s+[a-z]", after) and not _NOT_NOUN.match(after))


def _consequence_next(field_text: str, sentences: list[tuple[int, int]], i: int, asserted: dict[int, set[str]],
                      focus: frozenset[str]) -> bool:
    """The next sentence states the ask as what this sentence's step will bring (events.yaml consequence)."""
    if RULES.consequence is None or i + 1 >= len(sentences) or not asserted.get(i + 1, set()) & focus:
        return False
    a, b = sentences[i + 1]
    return bool(RULES.consequence.search(field_text[a:b]))


def _pending_step(view: ItemView) -> bool:
    """The item says the step that completes the deed is still to come (events.yaml pending_step): a bill
    passed by one house and sent on for assent is progress, not a law in force."""
    pending = RULES.pending_step
    return pending is not None and bool(pending.search(view.title) or pending.search(view.text))


def _confined(sentence: str, other: str, lead: str = "") -> bool:
    """The event is confined to one province, territory, city or court (events.yaml partial_scope) by its
    sentence or by the other field (the headline of a sentence in the text; the text of a headline event),
    and the sentence does not say it is national."""
    scope, national = RULES.partial_scope, RULES.national_scope
    if scope is None or (national is not None and (national.search(sentence) or national.search(other)
                                                   or (lead and national.search(lead)))):
        return False
    if RULES.several_places is not None and RULES.several_places.search(sentence):
        return False  # "schools of Punjab and Islamabad": more than one place, not confined to one
    if lead and RULES.several_places is not None and RULES.several_places.search(lead):
        lead = ""
    # the item's lead sentence says where the deed happens as much as the headline does
    return bool(scope.search(sentence) or scope.search(other) or (lead and scope.search(lead)))


def _single_actor(code: str, sentence: str, other: str) -> bool:
    """An ask addressed to an industry (events.yaml industry_asks) done by one company ("PTCL has deployed",
    "the app has introduced"): part of it, unless the sentence says the industry does it."""
    if RULES.single_actor is None or not code.startswith(RULES.industry_asks):
        return False
    if RULES.industry_wide is not None and (RULES.industry_wide.search(sentence) or RULES.industry_wide.search(other)):
        return False
    return bool(RULES.single_actor.search(sentence) or RULES.single_actor.search(other))


def _stalled_later(sentence: str, end: int) -> bool:
    """A stall stated after this trigger in its sentence, unhedged: the stall is the sentence's predicate."""
    for pattern in _STALL_PATTERNS:
        for m in pattern.finditer(sentence, end):
            before = _clause_before(sentence, m.start())
            if not (_hedged(before[-_VERB_GROUP:]) or RULES.negation.search(m.group())):
                return True  # the stall's own verb group decides: "the plan to set up X has stalled" is a stall
    return False


_VERB_GROUP = 30  # characters before a stall that hold its auxiliaries ("will be", "is not")
_STALL_PATTERNS = tuple(r.pattern for r in RULES.events if r.status == "stalled" and not r.requires)


def _hedged(before: str) -> bool:
    return bool(RULES.future.search(before) or RULES.appeal.search(before) or RULES.negation.search(before))


def _covered_in_item(view: ItemView, asks: frozenset[str], sentence_concepts: set[str]) -> set[str]:
    """The asks the event covers: those in the event's sentence, in the headline (which states the event as
    a whole), and those the item states elsewhere outside hedged clauses ("The sessions covered ...")."""
    covered = set(sentence_concepts & asks)
    for c in asks - covered:
        for s, _e, in_text, _p in view.concepts.get(c, ()):
            if not in_text:
                covered.add(c)
                break
            a, b = next(((a, b) for a, b in split_sentences(view.text) if a <= s < b), (0, len(view.text)))
            after = view.text[s:b]
            prefix = view.text[a:s]
            if not _hedged(_clause_before(view.text[a:b], s - a)) and not _future_after(view.text[a:b], s - a) \
                    and not (RULES.future_after is not None and RULES.future_after.search(after)) \
                    and not _proposal_content(prefix) and not _process_purpose(prefix):
                covered.add(c)  # not "linking the database with INTERPOL's system is expected next year"
                break
    return covered
