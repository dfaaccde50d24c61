"""Bill tracking: is an item about a tracked bill, which stage does it report, and what is that stage
relative to the bill's recorded stages (from the database, seeded from the register's `bills:`).

- An item is about the bill when it names it (title or alias, Bill/Act) with the bill's subject terms
  nearby, or has the word "bill" with child-specific subject terms. A listing that gives only the title
  ("The Criminal Laws (Amendment) Bill, 2024 (Government Bill) — introduced") matches with confidence when
  its year, bill number or Act number is a confirmed identity of the bill, and otherwise at low confidence,
  flagged for a person to confirm ("same title as the tracked bill").
- Stage phrases (stages.yaml) are read per clause, skipping hedged clauses ("will be sent for assent")
  and background ("after it lapsed", "which was reintroduced"): the item's news is the latest stage it
  states as news.
- Relative to the record: passage by one house after the other passed it (in the current passage) is
  passage by the second house; an item published before the bill's last recorded change (by date) is
  history, and one about a recorded stage from the same period is not news: neither proposes anything; a
  re-tabled lapsed bill starts a new passage.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.matching.explain import short_quote
from tracker.matching.lexicon import CHILD_INDEX, RULES, ItemView, concepts_in, variants
from tracker.matching.text import (PhraseIndex, Tok, clauses, exclusive, has_arabic_script, phrase_stems,
                                   split_sentences, tokenise)

PROGRESS = ("introduced", "referred_to_committee", "committee_report", "passed_first_house",
            "passed_second_house", "assent", "gazette_notification")
TERMINAL = ("lapsed", "withdrawn")
STAGES = PROGRESS + TERMINAL
STAGE_LABEL = {
    "introduced": "introduced", "referred_to_committee": "referred to a committee",
    "committee_report": "committee report", "passed_first_house": "passed by the first house",
    "passed_second_house": "passed by the second house", "assent": "assent",
    "gazette_notification": "Gazette notification", "lapsed": "lapsed", "withdrawn": "withdrawn",
}
SAME_TITLE_FLAG = "same_title_unconfirmed"
_YEAR_RE = re.compile(r"(19|20)\d\d")
_BILLISH = RULES.bill_words  # "bill", "بل"
_BILL_OR_ACT = RULES.bill_words | RULES.act_words
_ACT_NO_RE = re.compile(r"\bAct\s+No\.?\s*([IVXLC]+|\d+)\s+of\s+((?:19|20)\d\d)", re.I)
_BILL_NO_RE = re.compile(r"\bBill\s+No\.?\s*(\d+)(?:\s+of\s+((?:19|20)\d\d))?", re.I)
# "Standing Committee on Interior and Narcotics Control" names a committee, not the bill's subject
_COMMITTEE_NAME_RE = re.compile(r"\b[Cc]ommittee (?:on|for) (?:[A-Z][\w’'-]*(?:,? and |,? & |, | )?)+")
_NAMED_OTHER_RE = re.compile(r"\b([A-Z][\w'’]+ ){1,6}\((Amendment)\) (Bill|Act)\b|\b([A-Z][\w'’]+ ){2,6}(Bill|Act)\b")


@dataclass(frozen=True)
class RecordedStage:
    stage: str
    date: str | None = None  # ISO, at the precision known: "2022", "2022-05", "2022-05-10"
    house: str | None = None
    passage: int = 1  # a lapsed or withdrawn bill that is re-tabled starts passage 2, 3 ...


@dataclass(frozen=True)
class BillIdentity:
    title: str
    year: str | None = None
    bill_number: str | None = None
    act_number: str | None = None
    confirmed: bool = True


@dataclass(frozen=True)
class BillProfile:
    slug: str
    title: str
    aliases: tuple[str, ...]
    subject_keywords: tuple[str, ...]
    stages: tuple[RecordedStage, ...] = ()
    identities: tuple[BillIdentity, ...] = ()


@dataclass
class CompiledBill:
    bill: BillProfile
    names: list[tuple[str, ...]]  # stems of title and aliases, without the year, "act" -> "bill"
    year: str | None
    strong: PhraseIndex  # child-specific subject terms
    weak: PhraseIndex  # other subject terms (PECA, Qanoon-e-Shahadat ...)
    label: str = ""
    confirmed: list[BillIdentity] = field(default_factory=list)
    name_index: PhraseIndex = field(default_factory=PhraseIndex)


@dataclass(frozen=True)
class StageFinding:
    stage: str
    phrase: str
    span: tuple[int, int] | None
    sentence: str
    new_passage: bool  # "re-tabled": the start of a new passage
    repeat: bool  # "lapse a second time"
    recent: bool = False  # a recent time follows it in its sentence ("on Tuesday", "this week")


@dataclass(frozen=True)
class BillReading:
    """What an item says about a bill, judged against its record."""
    stage: str | None
    phrase: str | None
    spans: list[tuple[int, int]]
    note: str  # how the record shaped the reading ("" when it did not)
    history: bool = False
    preparing: bool = False  # a step before parliament (drafted, approved by the cabinet): in progress
    shelved: bool = False  # deferred with no date set: stalled
    step: str = "A step before parliament"  # what the step is ("Under consideration": a committee's reading)


def other_subject(text: str) -> bool:
    """The text is about another subject (honour killing, acid attacks ...) of a bill with the same title."""
    return bool(RULES.other_subjects.search(_COMMITTEE_NAME_RE.sub(" ", text)))


def bill_name_stems(name: str) -> tuple[tuple[str, ...], str | None]:
    stems = [("bill" if s in _BILL_OR_ACT else s) for s in phrase_stems(name)]
    year = next((s for s in stems if _YEAR_RE.fullmatch(s)), None)
    return tuple(s for s in stems if s != year), year


def compile_bill(bill: BillProfile) -> CompiledBill:
    names, year = [], None
    for name in (bill.title, *bill.aliases, *RULES.bill_names.get(bill.slug, ())):
        stems, y = bill_name_stems(name)
        year = year or y
        if stems and stems not in names:
            names.append(stems)
    strong, weak = PhraseIndex(), PhraseIndex()
    for kw in (*bill.subject_keywords, *RULES.bill_subjects.get(bill.slug, ())):
        toks = tokenise(kw)
        concepts, _ = concepts_in(toks)
        child = bool(CHILD_INDEX.scan(toks))
        target = strong if (concepts & RULES.bill_subject_concepts or child) else weak
        target.add(tuple(t.stem for t in toks), kw)
    for concept in RULES.bill_subject_concepts:  # the lexicon's child-specific variants identify the subject too
        for v in variants(concept):
            strong.add(phrase_stems(v), v)
    label = re.sub(r"\s+", " ", bill.title).strip()
    confirmed = [BillIdentity(bill.title, year)] + [i for i in bill.identities if i.confirmed]
    name_index = PhraseIndex()
    for name in names:
        name_index.add(name, "name")
    return CompiledBill(bill, names, year, strong, weak, label, confirmed, name_index)


# ----------------------------------------------------------------------------------------------------
# Is the item about the bill?


def find_names(bill: CompiledBill, toks: list[Tok]) -> list[tuple[int, int, int]]:
    """Occurrences of the bill's title/aliases: (start char, end char, sentence)."""
    norm = [t if t.stem not in _BILL_OR_ACT else Tok("bill", t.start, t.end, t.index, t.sentence) for t in toks]
    return [(norm[i].start, norm[j].end, norm[i].sentence) for _, i, j in bill.name_index.scan(norm)]


def _subject_hits(bill: CompiledBill, toks: list[Tok]):
    strong = [(toks[i].start, toks[j].end, toks[i].sentence) for _, i, j in exclusive(bill.strong.scan(toks))]
    weak = [(toks[i].start, toks[j].end, toks[i].sentence) for _, i, j in exclusive(bill.weak.scan(toks))]
    return strong, weak


def about_bill(bill: CompiledBill, view: ItemView):
    """(spans in text, subject terms) when the item is about this bill by its subject, else None."""
    spans, terms, about = [], [], False
    for field_text, toks, in_text in ((view.title, view.title_toks, False), (view.text, view.text_toks, True)):
        sentences = split_sentences(field_text)
        names = find_names(bill, toks)
        strong, weak = _subject_hits(bill, toks)
        strong_sent = {s for _, _, s in strong}
        weak_sent = {s for _, _, s in weak}
        billish_sent = {t.sentence for t in toks if t.stem in _BILLISH} | _referring_sentences(field_text, sentences)
        # "a bill in this regard" (`anaphora`): the previous sentence's subject is the bill's
        if RULES.anaphora is not None and billish_sent and RULES.anaphora.search(field_text):
            strong_sent = strong_sent | {si for si in billish_sent if si - 1 in strong_sent and si < len(sentences)
                                         and RULES.anaphora.search(field_text[sentences[si][0]:sentences[si][1]])}
        for (ns, ne, si) in names:
            sent = field_text[sentences[si][0]:sentences[si][1]] if si < len(sentences) else field_text
            other = other_subject(sent)
            near_strong = bool(strong_sent & {si - 1, si, si + 1})
            if si in strong_sent or (near_strong and not other) or (si in weak_sent and not other):
                about = True
                if in_text:
                    spans.append((ns, ne))
        for si in strong_sent & billish_sent:
            sent = field_text[sentences[si][0]:sentences[si][1]] if si < len(sentences) else field_text
            if not other_subject(sent) and not _names_other(bill, sent):
                about = True  # "tabled the bill ..., proposing punishments for grooming": no other subject near
                continue
            # "the bill on acid attacks passed; the child pornography bill is pending": the clause decides
            for cs, ce in clauses(sent):
                ctoks = tokenise(sent[cs:ce])
                if ({t.stem for t in ctoks} & _BILLISH or _refers(sent[cs:ce])) and bill.strong.scan(ctoks):
                    about = True
        if about:
            for s, e, _ in strong + weak:
                term = field_text[s:e]
                if term.lower() not in (t.lower() for t in terms):
                    terms.append(term)
                if in_text:
                    spans.append((s, e))
    if not about:
        # the name alone, with the subject elsewhere in the item and no other subject in sight
        names_any = find_names(bill, view.title_toks) or find_names(bill, view.text_toks)
        body = f"{view.title}\n{view.text}"
        strong_any = bill.strong.scan(view.title_toks) or bill.strong.scan(view.text_toks)
        # ... or in an item whose headline is about a bill ("Coalition urges committee to clear online child
        # protection bill") and which is about children harmed online, stating no other purpose for it. (An item
        # headlined otherwise mentions the bill in passing: its own news is evidence for other asks.)
        headline_bill = bool(find_names(bill, view.title_toks)) or any(t.stem in _BILLISH for t in view.title_toks)
        domain = headline_bill and bool(view.child) and not _states_other_purpose(bill, body) \
            and not (RULES.subject_statement is not None and RULES.subject_statement.search(body))
        if names_any and (strong_any or domain) and not other_subject(body):
            about = True
            spans += [(s, e) for s, e, _ in find_names(bill, view.text_toks)]
            for field_text, toks, in_text in ((view.title, view.title_toks, False), (view.text, view.text_toks, True)):
                strong, weak = _subject_hits(bill, toks)
                for s, e, _ in strong + weak:
                    if field_text[s:e].lower() not in (t.lower() for t in terms):
                        terms.append(field_text[s:e])
                    if in_text:
                        spans.append((s, e))
    if not about:
        return None
    return spans, terms


def _names_other(bill: CompiledBill, sentence: str) -> bool:
    """The sentence names another bill or Act ("the Electronic Crimes Act"), not one the tracked bill amends (its
    own subject terms: "the amendments to the Prevention of Electronic Crimes Act" name the bill)."""
    found = list(_NAMED_OTHER_RE.finditer(sentence))
    if not found:
        return False
    toks = tokenise(sentence)
    own = [(toks[i].start, toks[j].end) for _, i, j in bill.strong.scan(toks)]
    own += [(s, e) for s, e, _ in find_names(bill, toks)]
    amended = [(toks[i].start, toks[j].end) for _, i, j in bill.weak.scan(toks)]
    # an amending Act is a law of its own ("the Prevention of Electronic Crimes (Amendment) Act, 2025"), even of
    # a law the tracked bill amends
    return any(not any(a < m.end() and m.start() < b for a, b in own + ([] if m.group(2) else amended))
               for m in found)


def names_other_law(bill: CompiledBill, view: ItemView) -> bool:
    """The item names another bill or Act by its title ("the Prevention of Electronic Crimes (Amendment) Act,
    2025"), not the tracked bill nor a law it amends."""
    return _names_other(bill, view.title) or _names_other(bill, view.text)


def _refers(text: str) -> bool:
    """The text names a bill without the word ("the pending amendments to PECA", stages.yaml `bill_references`)."""
    return bool(RULES.bill_references is not None and RULES.bill_references.search(text))


def _referring_sentences(field_text: str, sentences: list[tuple[int, int]]) -> set[int]:
    if RULES.bill_references is None or not RULES.bill_references.search(field_text):
        return set()
    return {i for i, (a, b) in enumerate(sentences) if _refers(field_text[a:b])}


def listed_identity(bill: CompiledBill, view: ItemView) -> tuple[BillIdentity, list[tuple[int, int]]] | None:
    """A listing that names the bill by its title only (no subject words, no other subject): the identity
    it gives (year, bill number, Act number) and the name's spans, else None."""
    found = None
    for field_text, toks, in_text in ((view.title, view.title_toks, False), (view.text, view.text_toks, True)):
        for s, e, _si in find_names(bill, toks):
            year = _YEAR_RE.search(field_text[e:e + 12])
            tail = field_text[e:e + 12]
            identity_year = year.group() if year and re.match(r"[\s,،]*(19|20)\d\d", tail) else None
            if found is None or (identity_year and not found[0].year):
                found = (BillIdentity(field_text[s:e + (year.end() if identity_year else 0)].strip(" ,"),
                                      identity_year, confirmed=False),
                         [(s, e)] if in_text else [])
    body = f"{view.title}\n{view.text}"
    if found is None or other_subject(body):  # names first: the regex over the body only when needed
        return None
    if RULES.subject_statement is not None and RULES.subject_statement.search(body):
        return None  # an Urdu item stating a subject that is not the tracked bill's: another bill of that title
    if _states_other_purpose(bill, body):
        return None  # "..., which seeks to make bail mandatory": another bill of that title
    identity, spans = found
    act = _ACT_NO_RE.search(body)
    number = _BILL_NO_RE.search(body)
    identity = BillIdentity(identity.title, identity.year or (act.group(2) if act else None),
                            bill_number=number.group(1) if number else None,
                            act_number=f"{act.group(1)} of {act.group(2)}" if act else None, confirmed=False)
    return identity, spans


def _states_other_purpose(bill: CompiledBill, body: str) -> bool:
    """A purpose stated ("which seeks to amend Section 497 ...", stages.yaml `stated_subject`) in a sentence that
    names none of the bill's subject terms (strong or weak)."""
    if RULES.stated_subject is None or not RULES.stated_subject.search(body):
        return False
    for a, b in split_sentences(body):
        sentence = body[a:b]
        if RULES.stated_subject.search(sentence):
            toks = tokenise(sentence)
            if not (bill.strong.scan(toks) or bill.weak.scan(toks)):
                return True
    return False


def is_confirmed(bill: CompiledBill, identity: BillIdentity) -> bool:
    for known in bill.confirmed:
        if identity.act_number and known.act_number and identity.act_number.lower() == known.act_number.lower():
            return True
        if identity.bill_number and known.bill_number and identity.bill_number == known.bill_number \
                and (identity.year or known.year) == (known.year or identity.year):
            return True
        if identity.year and known.year == identity.year and not (identity.act_number and known.act_number):
            return True
    return False


# ----------------------------------------------------------------------------------------------------
# Stages


def _clause_is_tracked(bill: CompiledBill, sentence: str, clause: str) -> bool:
    """A stage phrase belongs to the tracked bill unless its clause/sentence is about another subject."""
    if RULES.other_house is not None and RULES.other_house.search(sentence):
        return False  # a provincial assembly's bill (urdu.yaml other_house), whatever its subject
    ctoks, stoks = tokenise(clause), tokenise(sentence)
    if bill.strong.scan(ctoks):
        return True
    if other_subject(clause):
        return False
    if other_subject(sentence) and not bill.strong.scan(stoks):
        return False
    if _names_other(bill, clause) and not find_names(bill, ctoks) and not bill.strong.scan(ctoks):
        return False
    return True


_DATED_RE = re.compile(r"\b(?:in|since|during|back in|until|by)\s+(?:the year\s+|\w+\s+)?((?:19|20)\d\d)\b", re.I)
# after the phrase, "since 2022" counts up to now ("lapsed for the second time since 2022"): it dates nothing
_DATED_AFTER_RE = re.compile(r"\b(?:in|during|back in|until|by)\s+(?:the year\s+|\w+\s+)?((?:19|20)\d\d)\b", re.I)
# the stage verb in the pluperfect ("after the National Assembly had passed it"): earlier than the news
_PLUPERFECT_RE = re.compile(r"\bhad\s+(?:(?:already|earlier|previously|also|first|just)\s+)?(?:been\s+)?[a-z-]+\s*$", re.I)


def _dated_before(text: str, published_year: int | None, *, whole: bool = False, after: bool = False) -> bool:
    """"In 2022 the National Assembly passed ...": a year before the item's own is a recalled event."""
    if published_year is None:
        return False
    years = (_DATED_AFTER_RE if after else _DATED_RE).findall(text)
    # Urdu: "2022 میں" (urdu.yaml `dated`), in the clause next to the phrase only ("بل، جو 2022 میں منظور
    # ہونے کے بعد ... ختم ہو گیا تھا، دوبارہ پیش کر دیا گیا": the year dates the relative clause)
    segment = text if whole else text[text.rfind("،") + 1:]
    if RULES.dated is not None and RULES.dated.search(segment):
        years += [_YEAR_RE.search(m.group()).group() for m in RULES.dated.finditer(segment)]
    return any(int(y) < published_year for y in years)


def find_stages(bill: CompiledBill, view: ItemView, feed_kind: str, published_year: int | None = None,
                recalled: list[str] | None = None) -> list[StageFinding]:
    """Every stage the item states as news (hedged and background clauses are skipped; the stages of
    background clauses are appended to `recalled` when given)."""
    found: list[StageFinding] = []
    # round 7: a resolution's item (its headline names a resolution): a sentence that does not name the bill tells
    # the resolution's own stages ("Moved by Ms. ..., MPA. Passed unanimously.")
    resolution_item = RULES.resolution is not None and bool(RULES.resolution.search(view.title))
    for field_text, in_text in ((view.title, False), (view.text, True)):
        for ss, se in split_sentences(field_text):
            sentence = field_text[ss:se]
            if resolution_item and in_text and not find_names(bill, tokenise(sentence)):
                continue
            sentence_clauses = clauses(sentence)
            taken: list[tuple[int, int]] = []
            for rule in RULES.stages:
                if rule.feed_kinds and feed_kind not in rule.feed_kinds:
                    continue
                pos = 0
                while pos <= len(sentence):
                    m = rule.pattern.search(sentence, pos)
                    if m is None:
                        break
                    pos = m.end() if m.end() > m.start() else m.start() + 1
                    if any(m.start() < b and a < m.end() for a, b in taken):
                        continue  # an earlier (more specific) stage already explains this phrase
                    cs, ce = next(((a, b) for a, b in sentence_clauses if a <= m.start() < b), (0, len(sentence)))
                    clause = sentence[cs:max(ce, m.end())]
                    before = sentence[cs:m.start()]
                    if RULES.bill_description is not None and (d := RULES.bill_description.search(before)):
                        before = before[:d.start()]  # "a bill that would criminalise ... has lapsed"
                    # a skipped phrase that runs into the next clause is read again from there ("after the
                    # National Assembly first voted for it, the lower house on Tuesday again passed ...")
                    spans_clauses = ce < m.end() and cs < ce
                    if RULES.stage_hedge.search(before) or (
                            rule.kind != "stopped" and RULES.stage_hedge.search(m.group())):
                        if spans_clauses:
                            pos = ce
                        continue  # ("could not be passed within" is itself the news of a lapse)
                    # the rest of the sentence: a clause may end inside the bill's name ("Bill, 2025 into law")
                    recent = bool(RULES.recent is not None and RULES.recent.search(sentence[m.end():]))
                    if ((RULES.background.search(before) or _PLUPERFECT_RE.search(sentence, 0, m.end())) and not recent) \
                            or _dated_before(sentence[:m.start()], published_year) \
                            or _dated_before(sentence[m.end():ce], published_year, after=True):
                        if recalled is not None and _clause_is_tracked(bill, sentence, clause):
                            recalled.append(rule.stage)
                        if spans_clauses:
                            pos = ce
                        continue  # "after it lapsed", "which was reintroduced": an earlier event recalled
                    if not _clause_is_tracked(bill, sentence, clause):
                        continue
                    if RULES.resolution is not None and RULES.resolution.search(
                            sentence, max(0, min(cs, m.start() - 60)), m.end() + 40):
                        continue  # "passed a resolution urging ...", "a resolution, moved by ...": not the bill's
                    taken.append((m.start(), m.end()))
                    name = rule.stage
                    if name == "assent" and (feed_kind == "gazette" or re.search(r"gazette", sentence, re.I)) \
                            and re.search(r"published|gazette", sentence, re.I):
                        name = "gazette_notification"
                    after = sentence[m.end():ce]
                    new_passage = bool(RULES.reintroduction.search(m.group())
                                       or RULES.reintroduction.search(before[-40:]))
                    repeat = bool(RULES.repeat.search(m.group()) or RULES.repeat.search(sentence[m.end():m.end() + 60])
                                  or (has_arabic_script(before) and RULES.repeat.search(before)))  # Urdu: "دوسری بار ... ہو گیا"
                    span = (ss + m.start(), ss + m.end()) if in_text else None
                    found.append(StageFinding(name, short_quote(m.group()), span, sentence, new_passage, repeat,
                                              recent))
    return found


def _prefix(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else str(value)


def _before(published: str, recorded: str) -> bool:
    """published is earlier than recorded, at the recorded date's precision."""
    return published[:len(recorded)] < recorded


def _same_period(published: str, recorded: str) -> bool:
    return published[:len(recorded)] == recorded


def _current_passage(record: tuple[RecordedStage, ...]) -> tuple[list[RecordedStage], bool]:
    """The stages of the bill's current passage, and whether it has ended (lapsed or withdrawn)."""
    if not record:
        return [], False
    last = max(s.passage for s in record)
    current = [s for s in record if s.passage == last]
    ended = any(s.stage in TERMINAL for s in current)
    return current, ended


def read_bill(bill: CompiledBill, view: ItemView, feed_kind: str, published=None) -> BillReading:
    """The stage this item reports for the bill, judged against its recorded stages."""
    pub = _prefix(published)
    recalled: list[str] = []
    findings = find_stages(bill, view, feed_kind, int(pub[:4]) if pub and pub[:4].isdigit() else None, recalled)
    if not findings:
        reading = _preparation(view)
        if not (reading.preparing or reading.shelved) and recalled:  # the item recounts the bill's stages: evidence, no status
            return BillReading(None, None, [], f"it recalls an earlier stage ({STAGE_LABEL.get(recalled[0], recalled[0])})")
        return reading
    findings = _bill_publication(view, findings)
    record = bill.bill.stages
    current, ended = _current_passage(record)
    first_house = next((s.house for s in current if s.stage == "passed_first_house"), None)
    notes: list[str] = []
    resolved: list[tuple[str, StageFinding]] = []
    for f in findings:
        stage = f.stage
        if stage == "passed":
            second = bool(RULES.second_house.search(f.sentence))
            house = next((h for h, rx in RULES.houses.items() if rx.search(f.phrase) or rx.search(f.sentence)), None)
            if not second and first_house and not ended and house and house != first_house:
                second = True
                notes.append(f"the {first_house} passed it first")
            stage = "passed_second_house" if second else "passed_first_house"
        resolved.append((stage, f))
    new_passage = [x for x in resolved if x[1].new_passage]
    terminal = [x for x in resolved if x[0] in TERMINAL]
    progress = [x for x in resolved if x[0] in PROGRESS]
    if terminal and not new_passage and not (
            progress and max(PROGRESS.index(p[0]) for p in progress) >= PROGRESS.index("assent")):
        chosen = terminal[0]  # the news is that it lapsed (not "after it lapsed": background is skipped)
    else:
        chosen = max(progress, key=lambda x: PROGRESS.index(x[0]))
    stage, finding = chosen
    if ended and (new_passage or stage in PROGRESS):
        notes.append("a new passage after it " + next(s.stage for s in current if s.stage in TERMINAL))
    if pub and record:
        dated = [s for s in record if s.date]
        last_change = max((s.date for s in dated), default=None)
        reached = {s.stage: s.date for s in record}
        if last_change and _before(pub, last_change):  # the record is newer than the item: old news
            return BillReading(None, None, [], f"history: published {pub}, before the bill's last recorded "
                                               f"change ({last_change})", history=True)
        body = f"{view.title}\n{view.text}"
        told_again = any(f.repeat or f.recent for s, f in resolved if s == stage)  # in any finding of it
        if stage in TERMINAL and ended and any(s.stage == stage for s in current) and not (
                told_again or new_passage or _later_bill_year(bill, body, current)) \
                and _dated_before(body, int(pub[:4]), whole=True):
            # the recorded end of the passage, told with the bill's earlier dates ("passed in 2022, then it
            # lapsed"): a recap, not news of a second lapse (evidence only, as when its stages are background)
            return BillReading(None, None, [], f"recap: {STAGE_LABEL[stage]} is recorded")
        if stage in reached and reached[stage] and _same_period(pub, reached[stage]) and not finding.repeat:
            return BillReading(None, None, [], f"already recorded: {STAGE_LABEL[stage]} ({reached[stage]})",
                               history=True)
    if pub and ended and not new_passage and _recounts_ended_passage(
            bill, view, stage, [f for s, f in resolved if s == stage], current, {f.sentence for _, f in resolved}):
        # evidence about the bill, no stage to propose (an item of the passage's own time proposes nothing)
        return BillReading(None, None, [], f"it recounts the passage that ended ({STAGE_LABEL[stage]})")
    spans = [f.span for s, f in resolved if f.span and s == stage]
    return BillReading(stage, finding.phrase, spans, "; ".join(dict.fromkeys(notes)))


_PUBLISHING_RE = re.compile(r"gazette|publish", re.I)


def _bill_publication(view: ItemView, findings: list[StageFinding]) -> list[StageFinding]:
    """The Gazette publishing a Bill as introduced ("Bill No. 17 of 2025 ... is published for information"), with
    no Act number and no assent in the item: its publication phrase is the bill's introduction, not the Act's."""
    if RULES.bill_publication is None or not any(
            f.stage == "gazette_notification" and _PUBLISHING_RE.search(f.phrase) for f in findings):
        return findings
    body = f"{view.title}\n{view.text}"
    if any(f.stage == "assent" for f in findings) or _ACT_NO_RE.search(body) \
            or not RULES.bill_publication.search(body):
        return findings
    published = [f for f in findings if f.stage == "gazette_notification" and _PUBLISHING_RE.search(f.phrase)]
    # the item's own words for the introduction first (they are quoted), the publication after them
    return [f for f in findings if f not in published] + [dataclasses.replace(f, stage="introduced") for f in published]


def _recounts_ended_passage(bill: CompiledBill, view: ItemView, stage: str, findings: list[StageFinding],
                            current: list[RecordedStage], told: set[str] = frozenset()) -> bool:
    """The passage recorded last has ended (lapsed): an item that reports one of its stages (its lapse
    too) while naming that passage's year ("the 2022 bill ... was passed by the National Assembly", "In
    2022 ...") and no later year, and not "again" or "a second time", recounts it."""
    recorded = next((s for s in current if s.stage == stage), None)
    if recorded is None or any(f.repeat or f.recent for f in findings):
        return False  # "lapsed last week, the second time", "passed the bill on Monday": news
    for finding in findings:
        house = next((h for h, rx in RULES.houses.items() if rx.search(finding.phrase)), None)
        if recorded.house and house and house != recorded.house:
            return False  # the Senate passing it is not the National Assembly's recorded passage
    item = f"{view.title}\n{view.text}"
    old = {int(s.date[:4]) for s in current if s.date} | ({int(bill.year)} if bill.year else set())
    if any(int(y) > max(old) for y in re.findall(r"\b((?:19|20)\d\d)\b", item)):
        return False  # "the Criminal Laws (Amendment) Bill, 2024": a later bill or a later date
    # a sentence whose own stage was skipped as dated background dates that stage, not the news ("The NA has
    # approved the bill. ... the same bill was passed in 2022 also but it was lapsed"): the years read are
    # those of the sentences that tell a stage as news (`told`) and of sentences that tell no stage
    told = set(told) | {f.sentence for f in findings}
    kept = [sentence for field_text in (view.title, view.text) for a, b in split_sentences(field_text)
            if (sentence := field_text[a:b]) in told or not any(r.pattern.search(sentence) for r in RULES.stages)]
    body = _NAME_YEAR_RE.sub(" ", "\n".join(kept))  # "Bill, 2022" names the bill, dates nothing
    if _THEN_RE.search(body):
        return True  # "was passed by the National Assembly that year"
    return bool({int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", body)} & old)


def _later_bill_year(bill: CompiledBill, body: str, current: list[RecordedStage]) -> bool:
    """The item names the bill with a year later than its recorded passage ("the Criminal Laws (Amendment) Bill
    2024 lapsed", "بل 2024"): a later passage's stage, not the recorded one retold."""
    old = {int(s.date[:4]) for s in current if s.date} | ({int(bill.year)} if bill.year else set())
    return bool(old) and any(int(_YEAR_RE.search(m.group()).group()) > max(old) for m in _NAME_YEAR_RE.finditer(body))


_NAME_YEAR_RE = re.compile(r"\b(?:bill|act)\b\)?[\s,]*(?:19|20)\d\d|(?:بل|ایکٹ)[\s,]*(?:19|20)\d\d", re.I)
_THEN_RE = re.compile(r"\b(that year|at the time|back then)\b", re.I)


def _preparation(view: ItemView) -> BillReading:
    """A step before parliament (stages.yaml `preparation`) or the bill under consideration (`consideration`:
    a committee's clause-by-clause reading, a house deferring it) in an unhedged clause: in progress, no stage.
    A deferral with no end (`open_ended`: "deferred the bill sine die") shelves the bill: stalled, no stage."""
    if RULES.open_ended is not None and RULES.open_ended.search(f"{view.title}\n{view.text}"):
        found = _unhedged(RULES.open_ended, view)
        if found:
            return BillReading(None, found[0], found[1], "", shelved=True, step="Deferred with no date set")
        rules = ((RULES.preparation, "A step before parliament"),)
    else:
        rules = ((RULES.preparation, "A step before parliament"), (RULES.consideration, "Under consideration"))
    for rule, step in rules:
        found = _unhedged(rule, view) if rule is not None else None
        if found:
            return BillReading(None, found[0], found[1], "", preparing=True, step=step)
    return BillReading(None, None, [], "")


def _unhedged(rule: re.Pattern, view: ItemView) -> tuple[str, list[tuple[int, int]]] | None:
    """The rule's first match, in the headline or the text, in a clause no appeal, negation, background word
    or hedge governs: its quote and its span in the text (none for the headline)."""
    for field_text, in_text in ((view.title, False), (view.text, True)):
        for ss, se in split_sentences(field_text):
            sentence = field_text[ss:se]
            for m in rule.finditer(sentence):
                cs = next((a for a, b in clauses(sentence) if a <= m.start() < b), 0)
                before = sentence[cs:m.start()]
                # the appeal may end in the phrase itself: "calls for reintroduction"
                if RULES.appeal.search(before + m.group()) or RULES.negation.search(before) \
                        or RULES.background.search(before) or RULES.background.search(m.group()) \
                        or RULES.stage_hedge.search(before):
                    continue  # "urged the government to bring the bill", "after the cabinet approved it"
                return short_quote(m.group()), ([(ss + m.start(), ss + m.end())] if in_text else [])
    return None


def status_for_stage(stage: str | None, full_passage: bool) -> str | None:
    if stage is None:
        return None
    if stage in TERMINAL:
        return "stalled"
    if stage in ("assent", "gazette_notification"):
        return "implemented" if full_passage else "partially_implemented"
    return "in_progress"


def asks_only_passage(title: str) -> bool:
    """True when the title asks for nothing but the bill's passage ("Expedite passage of the ... Bill")."""
    words = frozenset(phrase_stems(RULES.passage_words))
    stems = [s for s in phrase_stems(title) if not _YEAR_RE.fullmatch(s)]
    if not stems:
        return False
    return sum(1 for s in stems if s in words) / len(stems) >= 0.8
