"""The matcher's rules, read from reviewable YAML files beside the register (feeds/matching/).

    lexicon.yaml  surface variants -> concepts      bodies.yaml  aliases and successions, with dates
    terms.yaml    child / online / harm word lists  stages.yaml  bill stages, hedges, background clauses
    events.yaml   decisive events -> statuses

Everything is validated on load: a problem raises RulesError naming the file, the entry and the problem,
so a maintainer who mistypes a class or a regular expression learns where at once (the app, the poller
and the evaluation all load the same files).
"""
from __future__ import annotations

import dataclasses
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from tracker.matching.text import has_arabic_script, normalise_text

RULES_DIR = Path(os.environ.get("TRACKER_MATCHING_RULES") or
                 Path(__file__).resolve().parents[2] / "feeds" / "matching")
CONCEPT_CLASSES = ("entity", "topic", "action", "generic", "domain")
STAGE_NAMES = ("introduced", "referred_to_committee", "committee_report", "passed", "assent",
               "gazette_notification", "lapsed", "withdrawn")
STAGE_KINDS = ("progress", "done", "stopped")
EVENT_STATUSES = ("implemented", "partially_implemented", "in_progress", "stalled")
_DATE_RE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_NAME_RE = re.compile(r"[a-z0-9_]+")


_LINES: dict[str, dict[str, int]] = {}  # file -> entry path ("stages[3].patterns[0]") -> line number


class RulesError(ValueError):
    def __init__(self, file: str, entry: str, problem: str):
        self.file, self.entry, self.problem = file, entry, problem
        self.line = _line_of(file, entry)
        where = f"line {self.line}: {entry}" if self.line and not entry.startswith("line ") else entry
        super().__init__(f"{file}: {where}: {problem}")


def _line_of(file: str, entry: str) -> int | None:
    lines = _LINES.get(file) or {}
    path = re.sub(r" \([^)]*\)", "", entry)  # "stages[3] (lapsed).patterns[0]" -> "stages[3].patterns[0]"
    while path:
        if path in lines:
            return lines[path]
        path = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path) if re.search(r"(\.[^.\[]+|\[\d+\])$", path) else ""
    return None


def _record_lines(node, path: str, out: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            out[child] = key.start_mark.line + 1
            _record_lines(value, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            child = f"{path}[{i}]"
            out[child] = value.start_mark.line + 1
            _record_lines(value, child, out)


@dataclass(frozen=True)
class Succession:
    concept: str
    predecessor: str
    successor: str
    date: str
    source: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class StageRule:
    stage: str
    label: str
    kind: str  # progress | done | stopped
    pattern: re.Pattern
    feed_kinds: frozenset[str] = frozenset()  # only in these feeds (an agenda's "will move" is the stage)


@dataclass(frozen=True)
class EventRule:
    name: str
    status: str
    pattern: re.Pattern
    requires: frozenset[str] = frozenset()  # the recommendation must ask for one of these concepts
    # round 6: what follows the trigger in its sentence is the deed's object, even under the trigger's own verb of
    # advice or direction ("recommended that the government accede to the Lanzarote Convention")
    object: bool = False
    not_for: tuple[str, ...] = ()  # recommendation code prefixes the rule never applies to
    # round 7: asks the trigger itself states ("integrated its helpline with ..." is the linking asked for;
    # "sensitises operators" is the awareness asked for): in the trigger's sentence they count as stated
    states: frozenset[str] = frozenset()
    # round 7: the deed is done whatever stage a bill in its sentence is at ("approved the bill after a hearing with
    # the industry": the hearing is done), so a bill there does not make it in_progress
    on_bill: bool = False


@dataclass(frozen=True)
class Rules:
    concepts: dict[str, tuple[str, tuple[str, ...]]]  # concept -> (class, variants)
    successions: tuple[Succession, ...]
    child_terms: tuple[str, ...]
    online_terms: tuple[str, ...]
    harm_terms: tuple[str, ...]
    domain_concepts: frozenset[str]
    bill_subject_concepts: frozenset[str]
    stages: tuple[StageRule, ...]
    houses: dict[str, re.Pattern]
    second_house: re.Pattern
    stage_hedge: re.Pattern
    background: re.Pattern
    reintroduction: re.Pattern
    repeat: re.Pattern
    passage_words: str
    other_subjects: re.Pattern
    events: tuple[EventRule, ...]
    future: re.Pattern
    appeal: re.Pattern
    negation: re.Pattern
    evidence_only_prefixes: tuple[str, ...] = ()
    purpose: re.Pattern | None = None
    bill_words: frozenset[str] = frozenset({"bill"})  # one-word names for a bill ("bill", "بل")
    act_words: frozenset[str] = frozenset({"act"})  # ... and for an Act ("act", "ایکٹ"): read as "bill" in names
    bill_names: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)  # slug -> other-language names
    partial_scope: re.Pattern | None = None  # an event confined to one province, city or court
    national_scope: re.Pattern | None = None
    event_background: re.Pattern | None = None  # before a trigger in its clause: an earlier event recalled
    event_past: re.Pattern | None = None  # right after a trigger: a past time ("launched in 2019")
    event_news_day: re.Pattern | None = None  # round 8: right after it, the item's own day ("... after X inaugurated ... on Wednesday")
    several_places: re.Pattern | None = None  # places named together: not one province's
    future_after: re.Pattern | None = None  # right after a trigger: still to come ("... is expected next year")
    consequence: re.Pattern | None = None  # a step's effect on the ask told next ("Membership would give ...")
    pending_step: re.Pattern | None = None  # a later step still to come ("will now go to the Governor for assent")
    single_actor: re.Pattern | None = None  # one company named as the doer ("PTCL has deployed")
    industry_wide: re.Pattern | None = None  # the industry as the doer ("all mobile operators", "association")
    industry_asks: tuple[str, ...] = ()  # code prefixes of asks addressed to an industry
    preparation: re.Pattern | None = None  # a step before parliament ("cabinet approved the draft bill")
    recent: re.Pattern | None = None  # a recent time after a stage phrase: news even in an "after" clause
    consideration: re.Pattern | None = None  # a house or committee considering the bill ("deferred"): in progress
    bill_publication: re.Pattern | None = None  # the Gazette publishing a Bill ("Bill No. 17", "A Bill further to")
    bill_references: re.Pattern | None = None  # a bill named without the word ("the amendments to PECA")
    stated_subject: re.Pattern | None = None  # a listing stating its purpose ("which seeks to ...")
    open_ended: re.Pattern | None = None  # a deferral with no end ("deferred sine die"): not under consideration
    bill_description: re.Pattern | None = None  # "a bill that would criminalise ... has": the modal describes the bill
    resolution: re.Pattern | None = None  # a resolution moved or passed ("passed a resolution urging ..."): not the bill's stage
    anaphora: re.Pattern | None = None  # "a bill in this regard": the bill's subject is the previous sentence's
    # round 5 (events.yaml): an adopted instrument's content ("signed an MoU under which PTA will share ...")
    instrument_content: re.Pattern | None = None
    content_next: re.Pattern | None = None  # the next sentence tells the instrument's content ("The amendment raises ...")
    operative_text: re.Pattern | None = None  # round 7: an instrument's own text opens ("It is hereby notified that")
    instrument_frame: re.Pattern | None = None  # round 7: "In a circular issued by ..., X have been asked to ..."
    process_purpose: re.Pattern | None = None  # a body set up to review or propose: its purpose is not yet done
    proposal_seeking: re.Pattern | None = None  # a proposal's own content ("a summary seeking 520 posts"): not an appeal
    headline_done: re.Pattern | None = None  # headline present tense ("NCCIA, CPWB sign MoU"): done, in the headline only
    # round 6 (events.yaml)
    process_body: re.Pattern | None = None  # right after a done trigger: a body set up to review or draft (a step)
    bill_object: re.Pattern | None = None  # a bill as the event's object: not law until assent (in_progress)
    bill_law: re.Pattern | None = None  # ... unless the item says it became law ("assented", "came into force")
    # round 8 (events.yaml)
    process_body_passive: re.Pattern | None = None  # right before a done trigger: "a committee has been" (+ to review)
    step_after: re.Pattern | None = None  # after a done trigger in its clause: "okays the MoU in principle" (a step)
    # from urdu.yaml (tracker/matching/urdu_rules.py)
    keyword_translations: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    crime_report: re.Pattern | None = None  # a crime report in Urdu (evidence.CRIME_RE is English)
    action_words: re.Pattern | None = None  # ... unless it reports an action (evidence.ACTION_RE)
    dated: re.Pattern | None = None  # "2022 میں": a year that dates a stage or event
    subject_statement: re.Pattern | None = None  # "جس کے تحت ...": a listing that states a bill's subject
    bill_subjects: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)  # slug -> subject phrases
    draft: re.Pattern | None = None  # an Urdu draft, in-principle approval or summary: in_progress at most
    adoption: re.Pattern | None = None  # ... unless the trigger adopts it ("مسودے کی منظوری دے دی")
    clause_future: re.Pattern | None = None  # an Urdu clause ending in a future or subjunctive verb
    other_house: re.Pattern | None = None  # a provincial assembly: its bills are not the tracked bill

    def concept_class(self, concept: str) -> str:
        return "topic" if concept.startswith("kw:") else self.concepts[concept][0]


def _read(directory: Path, name: str) -> tuple[str, dict]:
    path = directory / name
    label = str(path)
    try:
        source = path.read_text(encoding="utf-8")
        data = yaml.safe_load(source)
        lines: dict[str, int] = {}
        _record_lines(yaml.compose(source, Loader=yaml.SafeLoader), "", lines)
        _LINES[label] = lines
    except FileNotFoundError:
        raise RulesError(label, "(file)", "missing") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        raise RulesError(label, where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise RulesError(label, "(file)", "expected a mapping at the top level")
    return label, data


def _strings(file: str, entry: str, value, *, allow_empty: bool = False) -> tuple[str, ...]:
    if value is None and allow_empty:
        return ()
    if not isinstance(value, list) or (not value and not allow_empty):
        raise RulesError(file, entry, "expected a non-empty list of strings")
    out = []
    for i, v in enumerate(value):
        if not isinstance(v, str) or not v.strip():
            raise RulesError(file, f"{entry}[{i}]", f"expected a non-empty string, got {v!r}")
        # Urdu entries are read as the matcher reads items: letter variants folded, diacritics dropped
        out.append(normalise_text(v.strip()))
    return tuple(out)


class ScriptPattern:
    """A rule's patterns compiled twice: all of them, and those written without Urdu letters. Text
    without Arabic-script characters (English news) is searched with the second, so the Urdu entries
    cost English items nothing. Offers what the engine uses of re.Pattern: search, finditer, pattern."""

    __slots__ = ("all", "latin", "pattern")

    def __init__(self, all_: re.Pattern, latin: re.Pattern):
        self.all, self.latin, self.pattern = all_, latin, all_.pattern

    def _for(self, text: str) -> re.Pattern:
        return self.all if has_arabic_script(text) else self.latin

    def search(self, text: str, *args):
        return self._for(text).search(text, *args)

    def finditer(self, text: str, *args):
        return self._for(text).finditer(text, *args)


def _regex(file: str, entry: str, patterns, *, house: str = "", flags: int = re.I) -> ScriptPattern:
    patterns = _strings(file, entry, [patterns] if isinstance(patterns, str) else patterns)
    for i, p in enumerate(patterns):
        try:
            re.compile(p.replace("{house}", house))
        except re.error as exc:
            raise RulesError(file, f"{entry}[{i}]", f"bad regular expression {p!r}: {exc}") from None

    def compiled(ps) -> re.Pattern:
        return re.compile("|".join(f"(?:{p.replace('{house}', house)})" for p in ps) or "(?!)", flags)
    return ScriptPattern(compiled(patterns), compiled([p for p in patterns if not _urdu_only(p)]))


def _urdu_only(pattern: str) -> bool:
    """Urdu letters and no Latin ones (escapes such as \\s and group syntax aside): cannot match English."""
    return has_arabic_script(pattern) and not re.search(r"[A-Za-z]", re.sub(r"\\.|\(\?<?[:!=]", "", pattern))


def _load_lexicon(directory: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    file, data = _read(directory, "lexicon.yaml")
    concepts = data.get("concepts")
    if not isinstance(concepts, dict) or not concepts:
        raise RulesError(file, "concepts", "expected a mapping of concept names")
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name, entry in concepts.items():
        where = f"concepts.{name}"
        if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
            raise RulesError(file, where, "a concept name is lowercase letters, digits and _")
        if not isinstance(entry, dict):
            raise RulesError(file, where, "expected class and variants")
        unknown = set(entry) - {"class", "variants", "note"}
        if unknown:
            raise RulesError(file, where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        cls = entry.get("class")
        if cls not in CONCEPT_CLASSES:
            raise RulesError(file, where, f"class must be one of {', '.join(CONCEPT_CLASSES)}, got {cls!r}")
        out[name] = (cls, _strings(file, f"{where}.variants", entry.get("variants")))
    return out


def _load_bodies(directory: Path, concepts: dict) -> tuple[Succession, ...]:
    file, data = _read(directory, "bodies.yaml")
    successions = []
    for i, body in enumerate(data.get("bodies") or ()):
        where = f"bodies[{i}]"
        if not isinstance(body, dict):
            raise RulesError(file, where, "expected a mapping")
        concept = body.get("concept")
        where = f"bodies[{i}] ({body.get('name') or concept})"
        if concept not in concepts:
            raise RulesError(file, where, f"concept {concept!r} is not in lexicon.yaml")
        if not isinstance(body.get("name"), str):
            raise RulesError(file, where, "name is required")
        names = (body["name"], *_strings(file, f"{where}.aliases", body.get("aliases"), allow_empty=True))
        for j, succ in enumerate(body.get("successions") or ()):
            swhere = f"{where}.successions[{j}]"
            if not isinstance(succ, dict) or not isinstance(succ.get("successor"), str):
                raise RulesError(file, swhere, "successor (a name) is required")
            date = str(succ.get("date") or "")
            if not _DATE_RE.fullmatch(date):
                raise RulesError(file, swhere, f"date must be YYYY, YYYY-MM or YYYY-MM-DD, got {date!r}")
            snames = (succ["successor"], *_strings(file, f"{swhere}.aliases", succ.get("aliases"), allow_empty=True))
            successions.append(Succession(concept, body["name"], succ["successor"], date,
                                          str(succ.get("source") or ""), snames))
            names += snames
        cls, variants = concepts[concept]
        concepts[concept] = (cls, tuple(dict.fromkeys(variants + tuple(n.lower() for n in names))))
    return tuple(successions)


def _load_terms(directory: Path, concepts: dict) -> dict:
    file, data = _read(directory, "terms.yaml")
    out = {key: _strings(file, key, data.get(key)) for key in ("child", "online", "harm")}
    for key in ("domain_concepts", "bill_subject_concepts"):
        names = _strings(file, key, data.get(key))
        for i, name in enumerate(names):
            if name not in concepts:
                raise RulesError(file, f"{key}[{i}]", f"concept {name!r} is not in lexicon.yaml")
        out[key] = frozenset(names)
    return out


def _load_stages(directory: Path) -> dict:
    file, data = _read(directory, "stages.yaml")
    house = data.get("house")
    if not isinstance(house, str):
        raise RulesError(file, "house", "expected a regular expression")
    stages = []
    for i, entry in enumerate(data.get("stages") or ()):
        where = f"stages[{i}]"
        if not isinstance(entry, dict):
            raise RulesError(file, where, "expected a mapping")
        where = f"stages[{i}] ({entry.get('stage')})"
        if entry.get("stage") not in STAGE_NAMES:
            raise RulesError(file, where, f"stage must be one of {', '.join(STAGE_NAMES)}")
        if entry.get("status") not in STAGE_KINDS:
            raise RulesError(file, where, f"status must be one of {', '.join(STAGE_KINDS)}")
        stages.append(StageRule(entry["stage"], str(entry.get("label") or entry["stage"]), entry["status"],
                                _regex(file, f"{where}.patterns", entry.get("patterns"), house=house)))
    if not stages:
        raise RulesError(file, "stages", "expected a list of stages")
    houses = data.get("houses")
    if not isinstance(houses, dict) or not houses:
        raise RulesError(file, "houses", "expected a mapping of house name -> regular expression")
    passage = data.get("passage_words")
    if not isinstance(passage, str):
        raise RulesError(file, "passage_words", "expected a string of words")
    return {
        "stages": tuple(stages),
        "houses": {name: _regex(file, f"houses.{name}", p) for name, p in houses.items()},
        **{key: _regex(file, key, data.get(key)) for key in
           ("second_house", "background", "reintroduction", "repeat", "other_subjects")},
        "stage_hedge": _regex(file, "hedges", data.get("hedges")),
        **{key: _regex(file, key, data.get(key)) if data.get(key) else None for key in
           ("preparation", "recent", "consideration", "bill_publication", "bill_references", "stated_subject", "open_ended",
            "bill_description", "resolution", "anaphora")},
        "passage_words": passage,
        **{key: _one_words(file, key, data.get(key), default) for key, default in
           (("bill_words", "bill"), ("act_words", "act"))},
        "bill_names": _bill_names(file, data.get("bill_names")),
    }


def _bill_names(file: str, value) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RulesError(file, "bill_names", "expected a mapping of bill slug -> list of names")
    return {str(slug): _strings(file, f"bill_names.{slug}", names) for slug, names in value.items()}


def _one_words(file: str, key: str, value, default: str) -> frozenset[str]:
    """Single words (a bill, an Act), lowercased; the English word is always included."""
    words = _strings(file, key, value, allow_empty=True)
    for i, w in enumerate(words):
        if len(w.split()) != 1:
            raise RulesError(file, f"{key}[{i}]", f"expected a single word, got {w!r}")
    return frozenset({default, *(w.lower() for w in words)})


def _load_events(directory: Path, concepts: dict) -> dict:
    file, data = _read(directory, "events.yaml")
    events = []
    for i, entry in enumerate(data.get("events") or ()):
        where = f"events[{i}]"
        if not isinstance(entry, dict):
            raise RulesError(file, where, "expected a mapping")
        where = f"events[{i}] ({entry.get('name')})"
        if entry.get("status") not in EVENT_STATUSES:
            raise RulesError(file, where, f"status must be one of {', '.join(EVENT_STATUSES)}")
        requires = _strings(file, f"{where}.requires", entry.get("requires"), allow_empty=True)
        for j, concept in enumerate(requires):
            if concept not in concepts:
                raise RulesError(file, f"{where}.requires[{j}]", f"concept {concept!r} is not in lexicon.yaml")
        for flag in ("object", "on_bill"):
            if not isinstance(entry.get(flag, False), bool):
                raise RulesError(file, f"{where}.{flag}", "expected true or false")
        states = _strings(file, f"{where}.states", entry.get("states"), allow_empty=True)
        for j, concept in enumerate(states):
            if concept not in concepts:
                raise RulesError(file, f"{where}.states[{j}]", f"concept {concept!r} is not in lexicon.yaml")
        events.append(EventRule(str(entry.get("name")), entry["status"],
                                _regex(file, f"{where}.triggers", entry.get("triggers")), frozenset(requires),
                                bool(entry.get("object", False)),
                                _strings(file, f"{where}.not_for", entry.get("not_for"), allow_empty=True),
                                frozenset(states), bool(entry.get("on_bill", False))))
    if not events:
        raise RulesError(file, "events", "expected a list of event rules")
    hedges = data.get("hedges")
    if not isinstance(hedges, dict):
        raise RulesError(file, "hedges", "expected future, appeal and negation lists")
    return {"events": tuple(events),
            "evidence_only_prefixes": _strings(file, "evidence_only_prefixes", data.get("evidence_only_prefixes"),
                                               allow_empty=True),
            **{key: _regex(file, f"hedges.{key}", hedges.get(key)) for key in ("future", "appeal", "negation", "purpose")},
            # names of places are case-sensitive, so that an upper-case dateline is not a scope
            "partial_scope": _regex(file, "partial_scope", data.get("partial_scope"), flags=0)
            if data.get("partial_scope") else None,
            "national_scope": _regex(file, "national_scope", data.get("national_scope"))
            if data.get("national_scope") else None,
            **{key: _regex(file, key, data.get(key), flags=0) if data.get(key) else None
               for key in ("single_actor",)},
            "several_places": _regex(file, "several_places", data.get("several_places"), flags=0)
            if data.get("several_places") else None,
            "future_after": _regex(file, "future_after", data.get("future_after")) if data.get("future_after") else None,
            "consequence": _regex(file, "consequence", data.get("consequence")) if data.get("consequence") else None,
            "pending_step": _regex(file, "pending_step", data.get("pending_step")) if data.get("pending_step") else None,
            **{key: _regex(file, key, data.get(key)) if data.get(key) else None
               for key in ("instrument_content", "content_next", "operative_text", "instrument_frame", "process_purpose",
                           "proposal_seeking",
                           "headline_done", "process_body", "bill_object", "bill_law",
                           "process_body_passive", "step_after")},
            "industry_wide": _regex(file, "industry_wide", data.get("industry_wide")) if data.get("industry_wide") else None,
            "industry_asks": _strings(file, "industry_asks", data.get("industry_asks"), allow_empty=True),
            **{f"event_{key}": _regex(file, f"recalled.{key}", (data.get("recalled") or {}).get(key))
               if (data.get("recalled") or {}).get(key) else None for key in ("background", "past", "news_day")}}


def load_rules(directory: Path | str = RULES_DIR) -> Rules:
    directory = Path(directory)
    concepts = _load_lexicon(directory)
    successions = _load_bodies(directory, concepts)
    terms = _load_terms(directory, concepts)
    rules = Rules(concepts=concepts, successions=successions, child_terms=terms["child"],
                  online_terms=terms["online"], harm_terms=terms["harm"], domain_concepts=terms["domain_concepts"],
                  bill_subject_concepts=terms["bill_subject_concepts"], **_load_stages(directory),
                  **_load_events(directory, concepts))
    from tracker.matching.urdu_rules import merge_urdu  # urdu.yaml, merged into the same structures
    return merge_urdu(rules, directory, read=_read, strings=_strings, regex=_regex, error=RulesError)


@functools.lru_cache(maxsize=4)
def default_rules(directory: str = str(RULES_DIR)) -> Rules:
    return load_rules(directory)
