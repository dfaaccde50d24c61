"""feeds/matching/urdu.yaml: Urdu rule entries, validated and merged into the same structures as the
entries of the other rules files (lexicon concepts, word lists, stage and event patterns, hedges, scope).

The file is optional (a rules directory without it loads as before). Two things are Urdu-specific:

- **Verb classes** (`tense:` and `verb_classes:`). Urdu states tense after the verb ("نافذ کر دیا" done,
  "نافذ کرے گا" future, "نافذ کیا جا رہا ہے" under way, "نافذ کیا گیا تھا" recalled), while the engine
  reads hedges before a phrase. A verb class lists predicate words (نافذ، منظور، جاری ...) once; the
  loader writes their triggers: predicate + perfective tail (not followed by a future, subjunctive or
  pluperfect auxiliary) for the class's own status, and predicate + future/progressive tail for
  `in_progress`. The tails are placeholders any pattern in the file may use: {perf}, {fut}, {prog},
  {nofut}, {house}.
- **Register keywords** (`keywords:`): the register's keywords are English; a keyword the lexicon cannot
  cover is matched as a literal phrase. Its Urdu phrases are listed here under the English keyword and
  count as that keyword (tracker.matching.matcher adds them to the literal-phrase index).

Every problem raises RulesError naming the file, the entry and the problem.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from tracker.matching.text import normalise_text

FILE = "urdu.yaml"
_PLACEHOLDER_RE = re.compile(r"\{(perf|fut|prog|nofut|house)\}")
_LIST_SECTIONS = ("second_house", "background", "reintroduction", "repeat", "other_subjects",
                  "partial_scope", "national_scope", "crime_report", "action_words", "dated", "stage_hedges",
                  "subject_statement", "draft", "adoption", "clause_future", "other_house",
                  "single_actor", "industry_wide", "several_places", "preparation", "consideration",
                  "resolution", "anaphora", "open_ended", "instrument_content", "content_next")
# The Urdu triggers of the other files end in a lookahead refusing future and pluperfect auxiliaries
# ("(?:کیا|کی|کیے)(?!\s*(?:جائے|تھا|گا))"); without a word end, "کی" matched the start of "کیے جائیں گے",
# and once "کی گئی تھی" was refused, the bare "کی" matched before "گئی تھی": a bare form is refused before a
# passive auxiliary (the longer form, listed first, has been tried already).
_URDU_TAIL = "(?!\\s*(?:"
_WORD_END = "(?![\\w])(?!\\s*(?:گیا|گئی|گیے|گئیں)(?![\\w]))"


def merge_urdu(rules, directory: Path, *, read, strings, regex, error):
    """rules with urdu.yaml's entries merged in (rules unchanged when the file is absent).
    read/strings/regex/error are tracker.matching.rules' own helpers, so validation reads the same."""
    path = Path(directory) / FILE
    if not path.exists():
        return rules
    file, data = read(Path(directory), FILE)
    known = {"tense", "verb_classes", "concepts", "keywords", "terms", "stages", "events", "hedges",
             "recalled", "bill_names", "bill_subjects", "houses", "agenda", *_LIST_SECTIONS}
    for key in data:
        if key not in known:
            raise error(file, str(key), f"unknown section (known: {', '.join(sorted(known))})")

    house = _house(directory, read)
    tails = _tails(file, data.get("tense"), strings, error)
    tails["house"] = house

    def expand(entry: str, patterns) -> tuple[str, ...]:
        listed = strings(file, entry, [patterns] if isinstance(patterns, str) else patterns)
        return tuple(_PLACEHOLDER_RE.sub(lambda m: tails[m.group(1)], p) for p in listed)

    def compiled(entry: str, patterns, flags=re.I):
        return regex(file, entry, list(expand(entry, patterns)), flags=flags)

    changes: dict = {}
    # ---- lexicon and word lists
    concepts = dict(rules.concepts)
    for name, entry in (data.get("concepts") or {}).items():
        where = f"concepts.{name}"
        if isinstance(entry, dict):  # a new concept: class and variants
            if name in concepts:
                raise error(file, where, "already in lexicon.yaml: list its Urdu variants only")
            cls = entry.get("class")
            if cls not in ("entity", "topic", "action", "generic", "domain"):
                raise error(file, where, f"class must be entity, topic, action, generic or domain, got {cls!r}")
            concepts[name] = (cls, strings(file, f"{where}.variants", entry.get("variants")))
        else:
            if name not in concepts:
                raise error(file, where, f"concept {name!r} is not in lexicon.yaml (give class and variants)")
            cls, variants = concepts[name]
            concepts[name] = (cls, tuple(dict.fromkeys(variants + strings(file, where, entry))))
    changes["concepts"] = concepts
    keywords = data.get("keywords") or {}
    if not isinstance(keywords, dict):
        raise error(file, "keywords", "expected a mapping of English register keyword -> Urdu phrases")
    changes["keyword_translations"] = {str(k).strip().lower(): strings(file, f"keywords.{k}", v)
                                       for k, v in keywords.items()}
    terms = data.get("terms") or {}
    for key, field in (("child", "child_terms"), ("online", "online_terms"), ("harm", "harm_terms")):
        if key in terms:
            changes[field] = tuple(dict.fromkeys(getattr(rules, field) + strings(file, f"terms.{key}", terms[key])))

    # ---- stages
    stage_entries = data.get("stages") or {}
    names = {s.stage for s in rules.stages}
    for name in stage_entries:
        if name not in names:
            raise error(file, f"stages.{name}", f"unknown stage (one of {', '.join(sorted(names))})")
    stages = []
    agenda = data.get("agenda") or {}
    for name in agenda:
        if name not in names:
            raise error(file, f"agenda.{name}", f"unknown stage (one of {', '.join(sorted(names))})")
    for s in rules.stages:
        s = dataclasses.replace(s, pattern=_word_end(s.pattern, tails["nofut"]))
        if s.stage in stage_entries:
            s = dataclasses.replace(s, pattern=_join(s.pattern, compiled(f"stages.{s.stage}", stage_entries[s.stage])))
        stages.append(s)
        if s.stage in agenda and not any(x.stage == s.stage and x.feed_kinds for x in stages):
            # an agenda (orders of the day) states its items in the future: "... بل پیش کریں گے" is the stage
            stages.append(dataclasses.replace(s, pattern=compiled(f"agenda.{s.stage}", agenda[s.stage]),
                                              feed_kinds=frozenset({"parliament"})))
    changes["stages"] = tuple(stages)
    houses = data.get("houses") or {}
    for name in houses:
        if name not in rules.houses:
            raise error(file, f"houses.{name}", f"unknown house (one of {', '.join(rules.houses)})")
    changes["houses"] = {name: _join(rx, compiled(f"houses.{name}", houses[name])) if name in houses else rx
                         for name, rx in rules.houses.items()}
    for key, field in (("second_house", "second_house"), ("background", "background"),
                       ("reintroduction", "reintroduction"), ("repeat", "repeat"),
                       ("other_subjects", "other_subjects"), ("stage_hedges", "stage_hedge")):
        if data.get(key):
            changes[field] = _join(getattr(rules, field), compiled(key, data[key]))

    # ---- events: verb classes first, then the listed triggers
    events = {e.name: e for e in rules.events}
    extra: dict[str, list[str]] = {}
    for cls_name, entry in (data.get("verb_classes") or {}).items():
        where = f"verb_classes.{cls_name}"
        if not isinstance(entry, dict) or entry.get("event") not in events:
            raise error(file, where, f"expected event (one of {', '.join(events)}) and predicates")
        unknown = set(entry) - {"event", "predicates", "future"}
        if unknown:
            raise error(file, where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        if entry.get("future", "in_progress") not in ("in_progress", "none"):
            raise error(file, f"{where}.future", f"expected in_progress or none, got {entry.get('future')!r}")
        preds = strings(file, f"{where}.predicates", entry.get("predicates"))
        alt = "|".join(sorted((re.escape(p) for p in preds), key=len, reverse=True))
        extra.setdefault(entry["event"], []).append(
            rf"(?<![\w])(?:{alt})\s+(?:(?:بہی|تو|ہی)\s+)?{tails['perf']}{tails['nofut']}")
        if entry.get("future", "in_progress") == "in_progress" and entry["event"] != "doing":
            extra.setdefault("doing", []).append(
                rf"(?<![\w])(?:{alt})\s+(?:(?:بہی|تو|ہی)\s+)?(?:{tails['fut']}|{tails['prog']})")
    for name, patterns in (data.get("events") or {}).items():
        if name not in events:
            raise error(file, f"events.{name}", f"unknown event rule (one of {', '.join(events)})")
        extra.setdefault(name, []).extend(expand(f"events.{name}", patterns))
    changes["events"] = tuple(
        dataclasses.replace(e, pattern=_join(_word_end(e.pattern, tails["nofut"]),
                                             regex(file, f"events.{e.name}", extra[e.name])))
        if e.name in extra else dataclasses.replace(e, pattern=_word_end(e.pattern, tails["nofut"]))
        for e in rules.events)
    hedges = data.get("hedges") or {}
    for key in hedges:
        if key not in ("future", "appeal", "negation", "purpose"):
            raise error(file, f"hedges.{key}", "expected future, appeal, negation or purpose")
        changes[key] = _join(getattr(rules, key), compiled(f"hedges.{key}", hedges[key]))
    # scope, and who did it: one company for an industry's ask ("ایپ نے ... نافذ کر دیا"), the industry
    # ("تمام موبائل کمپنیوں"), several places named together ("پنجاب اور سندھ")
    for key in ("partial_scope", "national_scope", "single_actor", "industry_wide", "several_places"):
        if data.get(key):
            changes[key] = _join(getattr(rules, key), compiled(key, data[key], flags=0))
    # what an adopted instrument or an issued order says is its content, not a promise ("مفاہمتی یادداشت پر
    # دستخط ہو گئے جس کے تحت ... ریفر کیے جائیں گے", "ہدایت جاری کر دی ہے کہ ... آویزاں کیے جائیں")
    # and the next sentence that tells the deed's object's content ("مہم کی ویڈیوز میں والدین کو بتایا گیا ...")
    for key in ("instrument_content", "content_next"):
        if data.get(key):
            changes[key] = _join(getattr(rules, key), compiled(key, data[key]))
    recalled = data.get("recalled") or {}
    for key in recalled:
        if key not in ("background", "past"):
            raise error(file, f"recalled.{key}", "expected background or past")
        changes[f"event_{key}"] = _join(getattr(rules, f"event_{key}"), compiled(f"recalled.{key}", recalled[key]))
    # bill readings that stages.yaml states in English: the Urdu entries join them
    for key in ("preparation", "consideration", "resolution", "anaphora", "open_ended"):
        if data.get(key):
            changes[key] = _join(getattr(rules, key), compiled(key, data[key]))
    for key in ("crime_report", "action_words", "dated", "subject_statement", "draft", "adoption",
                "clause_future", "other_house"):
        if data.get(key):
            changes[key] = compiled(key, data[key])
    if data.get("bill_names"):
        if not isinstance(data["bill_names"], dict):
            raise error(file, "bill_names", "expected a mapping of bill slug -> list of names")
        merged = dict(rules.bill_names)
        for slug, names_ in data["bill_names"].items():
            extra_names = strings(file, f"bill_names.{slug}", names_)
            merged[str(slug)] = tuple(dict.fromkeys(merged.get(str(slug), ()) + extra_names))
        changes["bill_names"] = merged
    if data.get("bill_subjects"):
        if not isinstance(data["bill_subjects"], dict):
            raise error(file, "bill_subjects", "expected a mapping of bill slug -> list of subject phrases")
        changes["bill_subjects"] = {str(slug): strings(file, f"bill_subjects.{slug}", v)
                                    for slug, v in data["bill_subjects"].items()}
    return dataclasses.replace(rules, **changes)


def _word_end(pattern, nofut: str):
    """The other files' Urdu triggers with a word end and urdu.yaml's {nofut} (an attributive participle
    among others) before their own tense lookahead (see _URDU_TAIL)."""
    from tracker.matching.rules import ScriptPattern

    source = pattern.all.pattern
    if _URDU_TAIL not in source:
        return pattern
    return ScriptPattern(re.compile(source.replace(_URDU_TAIL, _WORD_END + nofut + _URDU_TAIL), pattern.all.flags),
                         pattern.latin)


def _house(directory: Path, read) -> str:
    _, data = read(Path(directory), "stages.yaml")
    return normalise_text(str(data.get("house") or ""))


def _tails(file: str, tense, strings, error) -> dict[str, str]:
    """The tense tails as regular-expression alternations (each non-capturing)."""
    if not isinstance(tense, dict):
        raise error(file, "tense", "expected perf, fut, prog and nofut lists")
    out = {}
    for key in ("perf", "fut", "prog", "nofut"):
        items = strings(file, f"tense.{key}", tense.get(key))
        for i, p in enumerate(items):
            try:
                re.compile(p)
            except re.error as exc:
                raise error(file, f"tense.{key}[{i}]", f"bad regular expression {p!r}: {exc}") from None
        alt = "|".join(f"(?:{p})" for p in items)
        out[key] = f"(?!\\s*(?:{alt}))" if key == "nofut" else f"(?:{alt})(?![\\w])"  # whole words
    return out


def _join(old, new):
    """Two ScriptPatterns as one: the Urdu entries join the Arabic-script pattern only (English text is
    searched with the Latin one, which they cannot match)."""
    from tracker.matching.rules import ScriptPattern

    if old is None:
        return new
    flags = old.all.flags
    return ScriptPattern(re.compile(f"(?:{old.all.pattern})|(?:{new.all.pattern})", flags), old.latin)
