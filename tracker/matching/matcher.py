"""Match news, gazette and parliament items to the register's recommendations, and suggest statuses.

Pure: plain data in, plain data out (no database, no Flask).

How it decides, in order:

1. **Text -> concepts.** Entry text is tokenised (with character spans) and lightly stemmed. A small
   domain lexicon (``_LEXICON``) maps surface variants to one concept ("FIA Cyber Crime Wing", "CCW" and
   "NCCIA" are one concept; so are "CSAM", "child pornography" and "child sexual abuse material").
   Every register keyword is decomposed into lexicon concepts; a keyword the lexicon cannot fully cover
   also stays as a literal phrase. A keyword *fires* when all its parts occur close together.
2. **Bill path.** An item is about a tracked bill when it names the bill (title or alias, "Bill"/"Act")
   *and* the bill's subject terms are nearby (grooming, sextortion, CSAM ... for the OCSEA bill), or when
   a clause has the word "bill" together with child-specific subject terms. Another "Criminal Laws
   (Amendment) Bill" (honour killing, blasphemy, acid attacks ...) fails this check, so it never gets a
   stage or a status. Stage phrases (introduced ... gazette, lapsed, withdrawn) are read per clause,
   skipping hedged ("will be sent for assent", "urged ... to pass") and background clauses ("since the
   bill lapsed"). Every recommendation that tracks the bill is matched; the stage proposes a status
   (assent or Gazette: ``implemented`` for the ask to pass the bill, ``partially_implemented`` for asks
   about its content). Such an item is not also used as evidence for other recommendations.
3. **Evidence path.** For the other recommendations the item must concern children (a child term with an
   online or harm term, or an OCSEA term such as CSAM or grooming) and must not be a bare crime report
   (arrest, remand, FIR with no policy action). A recommendation is a candidate when (a) the item touches
   what its title asks for (one of the title's action/topic concepts: "Train ...", "... staff and
   budget", "video link"), (b) a fired keyword anchors it (a topic or entity, or a rare action), and
   (c) its score clears ``MIN_SCORE``. The score sums the fired keywords' concepts weighted by IDF over
   the register (terms many recommendations share count little), doubled for concepts in the headline,
   halved when none of the specific bodies it addresses is named. Candidates well below the best one
   in the item are dropped unless they have a fired keyword of their own. Most matches are evidence
   only; a few precise events (INTERPOL's ICSE database access granted; a revised cyber security policy
   approved or under revision) propose a status.

Every threshold was chosen on the ``train`` split of tests/matching/eval_items.yaml; see
``python -m tracker.matching.evaluate``.
"""
from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

# ----------------------------------------------------------------------------------------------------
# Public data shapes


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
class BillProfile:
    slug: str
    title: str
    aliases: tuple[str, ...]
    subject_keywords: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    code: str
    score: float  # 0..1
    proposed_status: str | None  # None: evidence only
    stage: str | None
    rationale: str
    highlights: tuple[tuple[int, int], ...]  # character spans in the entry *text* (not the title)


STAGES = ("introduced", "referred_to_committee", "committee_report", "passed_first_house",
          "passed_second_house", "assent", "gazette_notification", "lapsed", "withdrawn")
_PROGRESS = STAGES[:7]
_STAGE_LABEL = {
    "introduced": "introduced", "referred_to_committee": "referred to a committee",
    "committee_report": "committee report", "passed_first_house": "passed by the first house",
    "passed_second_house": "passed by the second house", "assent": "assent",
    "gazette_notification": "Gazette notification", "lapsed": "lapsed", "withdrawn": "withdrawn",
}

# ----------------------------------------------------------------------------------------------------
# Tokens

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_POSSESSIVE_RE = re.compile(r"['’]s$")
_SENTENCE_END_RE = re.compile(r"[.!?;:](?=\s+[\"'“‘(]?[A-Z0-9])|\n+")
_ABBREVIATION_END_RE = re.compile(r"(\bno|\brs|\bmr|\bdr|\bst|\bvs|\b[a-z])$")
_IRREGULAR = {"children": "child", "women": "woman", "men": "man", "people": "people", "media": "media",
              "data": "data", "news": "news", "laws": "law", "criteria": "criterion", "academies": "academy"}
_STOP = frozenset("""a an the of and or to for in on at by with from as its their his her our this that these
those is are was were be been being it into over under about than then also has have had will would shall
should can could may might must not no nor but so such via per upon within""".split()) - {"no", "it"}
_MONEY_RE = re.compile(r"rs\d[\d.]*(?:bn|m|mn|million|billion|crore|lakh|b)?")


_SUFFIXES = (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def _stem(word: str) -> str:
    """A light stemmer: the same on both sides is all that matters ("referred"/"refer", "cases"/"case")."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.isdigit() or len(w) <= 3:
        return w
    if _MONEY_RE.fullmatch(w):
        return "rsamount"
    for suffix, repl in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not (suffix == "s" and w.endswith("ss")):
            w = w[: len(w) - len(suffix)] + repl
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


@dataclass(frozen=True)
class _Tok:
    stem: str
    start: int
    end: int
    index: int  # position among content tokens
    sentence: int


def _split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans. Abbreviation-aware enough for news copy ("No. 25", "Rs. 2bn", "U.S.")."""
    spans, start = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        prev = text[max(0, m.start() - 4): m.start()].lower()
        if m.group().startswith(".") and _ABBREVIATION_END_RE.search(prev):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [s for s in spans if text[s[0]:s[1]].strip()]


def _word(token: str) -> str:
    """A token without its possessive and apostrophes ("Pakistan's" -> "Pakistan", "don't" -> "dont")."""
    return _POSSESSIVE_RE.sub("", token).replace("'", "").replace("’", "")


def _tokenise(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    sentences = _split_sentences(text)
    si = 0
    for m in _TOKEN_RE.finditer(text):
        raw = _word(m.group())
        low = raw.lower()
        if low in _STOP or not low:
            continue
        while si + 1 < len(sentences) and m.start() >= sentences[si][1]:
            si += 1
        out.append(_Tok(_stem(raw), m.start(), m.end(), len(out), si))
    return out


# Pure and called for every token of every item: news repeats its words, so memoise.
_stem = functools.lru_cache(maxsize=1 << 16)(_stem)


def _phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(t.stem for t in _tokenise(phrase))


# ----------------------------------------------------------------------------------------------------
# Domain lexicon: concept -> (class, surface variants). Classes: "topic" and "entity" can anchor a
# match; "generic" (institutions that appear in any news) and "action" (what is being done) only support.

_LEXICON: dict[str, tuple[str, tuple[str, ...]]] = {
    # --- entities
    "ccw": ("entity", ("fia cyber crime wing", "fia cybercrime wing", "cyber crime wing", "cybercrime wing", "cyber crimes wing", "ccw", "nccia",
                       "national cyber crime investigation agency", "national cybercrime investigation agency",
                       "fia cyber crime", "fia cybercrime", "cybercrime reporting centre", "cybercrime circle")),
    "fia": ("generic", ("fia", "federal investigation agency")),
    "helpline_1991": ("entity", ("1991 helpline", "helpline 1991", "1991 cybercrime helpline",
                                 "cybercrime helpline 1991", "fia helpline", "cybercrime helpline", "1991")),
    "helpline": ("generic", ("helpline", "help line", "hotline")),
    "cp_helpline": ("entity", ("1121", "1099", "child protection helpline", "child helpline")),
    "icse": ("entity", ("icse", "international child sexual exploitation", "child sexual exploitation database",
                        "icse database", "icse system")),
    "interpol": ("entity", ("interpol", "ncb islamabad", "national central bureau")),
    "pta": ("entity", ("pta", "pakistan telecommunication authority", "pakistan telecommunications authority")),
    "pemra": ("entity", ("pemra", "pakistan electronic media regulatory authority")),
    "ncrc": ("entity", ("ncrc", "national commission on the rights of the child",
                        "national commission on rights of child", "national commission on the rights of child",
                        "national commission for the rights of the child", "nhri",
                        "national human rights institution", "nchr", "national commission for human rights")),
    "moitt": ("entity", ("moitt", "ministry of information technology", "ministry of it",
                         "ministry of it and telecom", "it ministry", "ministry of it and telecommunication",
                         "ministry of information technology and telecommunication")),
    "ncsp": ("topic", ("national cyber security policy", "cyber security policy", "cybersecurity policy",
                       "national cybersecurity policy")),
    "judicial_academy": ("entity", ("judicial academy", "federal judicial academy", "punjab judicial academy",
                                    "sindh judicial academy", "khyber pakhtunkhwa judicial academy",
                                    "balochistan judicial academy")),
    "task_force": ("entity", ("task force", "taskforce")),
    "ombudsman": ("entity", ("wafaqi mohtasib", "federal ombudsman", "inter agency network")),
    "telecom": ("generic", ("isp", "internet service provider", "internet and mobile service provider",
                            "mobile operator", "cellular mobile operator", "telecom operator", "cmo",
                            "telecom company", "mobile service provider", "nayatel", "ptcl", "jazz", "telenor",
                            "zong", "ufone", "broadband provider")),
    "ncmec": ("entity", ("ncmec", "cybertipline", "national center for missing and exploited children")),
    "platform": ("generic", ("meta", "google", "tiktok", "facebook", "instagram", "youtube", "snapchat",
                             "whatsapp", "microsoft", "social media platform", "social media company",
                             "online platform", "messaging platform", "platform", "technology company",
                             "tech company", "tech firm", "gaming platform", "app store")),
    "ingo": ("entity", ("ecpat", "icmec", "weprotect", "save the children", "international ngo",
                        "international non governmental organisation", "ingo", "terre des hommes",
                        "plan international")),
    "ngo": ("generic", ("ngo", "civil society", "child rights organisation", "child rights group",
                        "civil society organisation", "non governmental organisation", "cso",
                        "child rights ngo", "rights group", "sahil", "digital rights foundation", "drf",
                        "zindagi trust")),
    "superior_court": ("entity", ("high court", "supreme court", "lhc", "ihc", "shc", "phc", "bhc",
                                  "chief justice", "superior court")),
    "lower_court": ("generic", ("trial court", "district court", "sessions court", "subordinate court",
                               "district and sessions judge", "lower court", "child court")),
    "police": ("generic", ("police", "police station")),
    "cpa": ("entity", ("child protection agency", "child protection authority", "child protection bureau",
                       "child protection and welfare bureau", "child protection commission",
                       "child protection and welfare commission", "child protection unit", "cpwb",
                       "child protection institute", "child protection body", "child protection service",
                       "child protection system")),
    "cp_workforce": ("topic", ("child protection officer", "case manager", "social worker",
                               "child protection workforce", "psychologist")),
    "school": ("generic", ("school", "classroom")),
    "teacher": ("generic", ("teacher",)),
    "parent": ("generic", ("parent", "guardian", "parents and guardians", "families", "family")),
    "journalist": ("generic", ("journalist", "reporter", "media")),
    "justice_prof": ("topic", ("prosecutor", "public prosecutor", "lawyer", "prosecution department",
                               "justice professional")),
    "judge": ("generic", ("judge", "magistrate", "judiciary")),
    "parliament": ("generic", ("senate", "national assembly", "parliament", "parliamentarian", "lawmaker",
                               "senator", "standing committee", "provincial assembly")),
    # --- topics
    "csam": ("domain", ("child sexual abuse material", "csam", "child pornography", "child porn",
                       "child sexual abuse image", "child abuse image", "child abuse material",
                       "child sexual abuse video", "child sexual abuse content", "child abuse content",
                       "indecent images of children", "child sexual exploitation material",
                       "obscene material of children")),
    "ocsea": ("domain", ("ocsea", "ocsae", "online child sexual exploitation", "online child sexual abuse",
                        "online sexual exploitation of children", "online sexual abuse of children",
                        "online child abuse", "child online abuse", "online abuse of children",
                        "technology facilitated child sexual exploitation", "cybercrimes against children",
                        "cyber crimes against children", "online sexual exploitation",
                        "child sexual exploitation")),
    "cop": ("domain", ("child online protection", "children online safety", "child online safety",
                      "online safety of children", "children safety online", "online safety",
                      "cyber safety", "internet safety", "digital safety", "safe internet")),
    "grooming": ("domain", ("grooming", "online grooming", "cyber enticement", "solicitation of children")),
    "sextortion": ("domain", ("sextortion", "sexual extortion", "online blackmail")),
    "live_stream": ("domain", ("live streaming", "livestream", "live streamed", "livestreaming")),
    "dark_web": ("topic", ("dark web", "darknet", "tor network", "tor browser")),
    "parental_control": ("topic", ("parental control", "parental lock", "safe web", "content filter",
                                   "family safety app")),
    "screen_time": ("topic", ("screen time", "screen addiction", "time online")),
    "privacy_settings": ("topic", ("privacy setting", "private account", "privacy control")),
    "personal_info": ("topic", ("personal information", "personal data", "personal details", "oversharing")),
    "trusted_adult": ("topic", ("trusted adult",)),
    "peer": ("topic", ("peer", "peer to peer", "peer educator", "youth ambassador", "ambassador", "classmate")),
    "video_link": ("topic", ("video link", "videolink", "video conferencing", "video conference", "video call",
                             "remote testimony")),
    "testimony": ("action", ("testimony", "testify", "witness statement", "record statement", "statement")),
    "child_victim": ("topic", ("child victim", "child witness", "victims and witnesses", "child survivor")),
    "waiting_area": ("topic", ("waiting area", "waiting room", "separate room")),
    "age_check": ("topic", ("age verification", "age estimation", "age assurance", "age check",
                            "age based rule", "minimum age", "age rating")),
    "detection": ("topic", ("photodna", "arachnid", "hash matching", "hash list", "grooming detection",
                            "detect", "detection")),
    "hash": ("topic", ("hash", "hash value")),
    "reporting_tool": ("topic", ("reporting tool", "report button", "flagging", "flag", "in app reporting",
                                 "reporting mechanism", "block and report", "reporting feature")),
    "transparency": ("topic", ("transparency", "response time", "how quickly", "accountability",
                               "transparency report")),
    "database": ("topic", ("database", "image database")),
    "forensics": ("topic", ("forensic", "digital forensics", "forensic lab", "forensic tool",
                            "forensic software", "forensic laboratory", "equipment", "software")),
    "digital_evidence": ("topic", ("digital evidence", "electronic evidence", "data request",
                                   "preservation of evidence", "evidence request", "mutual legal assistance",
                                   "emergency data request")),
    "jurisdiction": ("topic", ("jurisdiction", "extraterritorial", "cross border", "rule of reason")),
    "best_interests": ("topic", ("best interests of the child", "best interest of the child",
                                 "best interests of the child victim")),
    "terminology": ("topic", ("terminology", "luxembourg guidelines")),
    "opsc": ("topic", ("optional protocol", "opsc", "general comment no 25", "general comment 25",
                       "gc 25", "committee on the rights of the child")),
    "coe_treaty": ("topic", ("lanzarote", "budapest convention", "convention on cybercrime",
                             "lanzarote convention")),
    "priority_area": ("topic", ("priority area", "strategic plan")),
    "monitoring": ("action", ("monitor", "monitoring", "compliance")),
    "human_rights_std": ("topic", ("human rights standard",)),
    "research": ("action", ("research", "study", "survey", "findings")),
    "translation": ("topic", ("translation", "translated", "regional language")),
    "ethics_media": ("topic", ("ethical reporting", "identity of the victim", "victim identity",
                               "confidentiality", "media guidelines", "ethical")),
    "media_campaign": ("topic", ("media campaign", "social media campaign", "influencer", "celebrity",
                                 "public service message", "psa", "public service announcement", "tv celebrities",
                                 "cricket star", "actor")),
    "curriculum": ("topic", ("curriculum", "textbook", "syllabus", "computer class", "computer science",
                             "lesson", "teaching module")),
    "sop": ("topic", ("standard operating procedure", "sop", "investigation protocol",
                      "roles and responsibilities")),
    "national_policy": ("topic", ("national policy", "action plan", "provincial action plan",
                                  "national action plan", "model national response")),
    "agreement": ("action", ("memorandum of understanding", "mou", "partnership", "agreement", "agreed",
                             "partner", "arrangement", "coalition", "alliance", "network")),
    "info_sharing": ("action", ("information sharing", "share", "sharing", "forward", "forwarded",
                                "data sharing", "refer", "referral", "linked", "link")),
    "blocking": ("action", ("blocking", "block", "blocked", "content removal", "removal", "takedown")),
    "complaint": ("action", ("complaint", "complaint portal")),
    "priority_cases": ("topic", ("priority basis", "speedy", "fast track", "fast tracking", "expedite",
                                 "adjournment", "unnecessary delays", "priority")),
    "cf_justice": ("topic", ("child friendly justice", "case management")),
    "court_rules": ("topic", ("court rules", "rules", "rules for dealing with children", "notified rules")),
    "penalty": ("topic", ("penalty", "punishment", "sentence", "imprisonment")),
    "definitions": ("topic", ("definition", "uniform definitions")),
    "cp_law": ("topic", ("child protection act", "child protection law", "destitute and neglected children",
                         "children in contact with the law", "children in conflict with the law")),
    "private_sector": ("topic", ("private sector", "technology industry", "technology companies",
                                 "tech companies", "tech firms", "software house", "industry")),
    "legislative_reform": ("topic", ("legislative reform", "legislation", "law reform")),
    "child_safety_policy": ("topic", ("child safety policy", "safety by design", "child rights due diligence",
                                      "child protection policy", "trust and safety")),
    "innovation": ("action", ("technology solution", "safety tech", "innovation", "industry partnership",
                              "tech coalition")),
    "communication": ("topic", ("open communication", "talk to", "communication")),
    "never_fault": ("topic", ("never their fault", "not their fault", "victim blaming")),
    "ground_rules": ("topic", ("ground rules", "family rules")),
    "awareness": ("action", ("awareness", "campaign", "awareness session", "awareness programme", "seminar",
                             "sensitisation", "publicise", "poster", "workshop")),
    "training": ("action", ("training", "train", "trained", "course", "capacity building")),
    "staffing": ("action", ("staff", "recruitment", "recruit", "hire", "hiring", "new posts", "investigator",
                            "call agent", "manpower", "human resource", "sanctioned posts", "personnel")),
    "access": ("action", ("access", "accessible", "connected", "connect", "connecting", "connection")),
    "funding": ("action", ("budget", "allocate", "allocation", "funds", "funding", "financial support",
                           "billion", "million", "rsamount")),
    "report_abuse": ("action", ("report online abuse", "report abuse", "report suspicious", "report cases")),
    "psychosocial": ("topic", ("psychosocial support", "psychosocial")),
}

_CHILD_TERMS = ("child", "children", "minor", "juvenile", "kid", "teen", "teenage", "teenager", "adolescent",
                "student", "schoolchildren", "schoolgirl", "schoolboy", "youngster", "young people",
                "young user", "underage", "under 18", "pupil", "year old", "boys and girls", "girls and boys")
_ONLINE_TERMS = ("online", "internet", "cyber", "cybercrime", "digital", "social media", "app", "platform",
                 "website", "web", "dark web", "messaging", "whatsapp", "tiktok", "instagram", "facebook",
                 "youtube", "snapchat", "gaming", "video call", "livestream", "chat", "peca", "electronic")
_HARM_TERMS = ("abuse", "abused", "exploitation", "exploited", "sexual", "sexually", "victim", "witness",
               "harassment", "blackmail", "trafficking", "testimony")
# concepts that on their own establish the child-online domain
_DOMAIN_CONCEPTS = frozenset({"csam", "ocsea", "cop", "grooming", "sextortion", "icse", "cp_law"})

# Crime reports: an arrest is not evidence that a recommendation is being implemented.
_CRIME_RE = re.compile(r"\b(arrest\w*|remand\w*|booked|raid\w*|fir\b|case (was |has been )?registered|"
                       r"suspects?\b|accused of|nabbed|apprehended|recovered|sent to jail|jailed)", re.I)
_ACTION_RE = re.compile(r"\b(approv\w*|launch\w*|notif\w*|sign\w*|agree\w*|train\w*|course|workshop|session|"
                        r"allocat\w*|recruit\w*|hir(e|ed|ing)|set up|sets up|adopt\w*|establish\w*|direct\w*|"
                        r"order\w*|introduc\w*|added|campaign|policy|plan|budget|sanction\w*|partnership|"
                        r"memorandum|consult\w*|review\w*|study|report (says|finds|found)|research)\b", re.I)

# ----------------------------------------------------------------------------------------------------
# Phrase index


class _PhraseIndex:
    """All phrases by first stem; scans a token list once. Allows one extra token inside a phrase."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)

    def add(self, stems: tuple[str, ...], label: str) -> None:
        if stems and (stems, label) not in self._by_first[stems[0]]:
            self._by_first[stems[0]].append((stems, label))

    def scan(self, toks: list[_Tok]) -> list[tuple[str, int, int]]:
        """(label, first token index, last token index) for every occurrence."""
        hits = []
        for i, tok in enumerate(toks):
            for stems, label in self._by_first.get(tok.stem, ()):
                j, k, gaps = i, 1, 0
                while k < len(stems):
                    if j + 1 < len(toks) and toks[j + 1].stem == stems[k] and toks[j + 1].sentence == tok.sentence:
                        j, k = j + 1, k + 1
                    elif (gaps == 0 and j + 2 < len(toks) and toks[j + 2].stem == stems[k]
                          and toks[j + 2].sentence == tok.sentence):
                        j, k, gaps = j + 2, k + 1, 1
                    else:
                        break
                if k == len(stems):
                    hits.append((label, i, j))
        return hits


_LEX_INDEX = _PhraseIndex()
for _concept, (_cls, _variants) in _LEXICON.items():
    for _v in _variants:
        _LEX_INDEX.add(_phrase_stems(_v), _concept)
_CHILD_INDEX = _PhraseIndex()
for _v in _CHILD_TERMS:
    _CHILD_INDEX.add(_phrase_stems(_v), "child")
_ONLINE_INDEX = _PhraseIndex()
for _v in _ONLINE_TERMS:
    _ONLINE_INDEX.add(_phrase_stems(_v), "online")
for _v in _HARM_TERMS:
    _ONLINE_INDEX.add(_phrase_stems(_v), "harm")


def _concept_class(concept: str) -> str:
    if concept.startswith("kw:"):
        return "topic"
    return _LEXICON[concept][0]


def _exclusive(hits: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Longest phrases first; a phrase inside a longer one ("link" in "video link") is dropped."""
    out, covered = [], set()
    for label, i, j in sorted(hits, key=lambda h: (-(h[2] - h[1]), h[1])):
        span = set(range(i, j + 1))
        if span & covered:
            continue
        covered |= span
        out.append((label, i, j))
    return sorted(out, key=lambda h: h[1])


def _concepts_in(stems_toks: list[_Tok]) -> tuple[set[str], set[int]]:
    """Lexicon concepts in a token list, preferring the longest phrase at each position."""
    concepts, covered = set(), set()
    for label, i, j in _exclusive(_LEX_INDEX.scan(stems_toks)):
        concepts.add(label)
        covered.update(range(i, j + 1))
    return concepts, covered


# ----------------------------------------------------------------------------------------------------
# Compiled recommendation profiles


@dataclass
class _Keyword:
    text: str
    concepts: tuple[str, ...]  # all must be present (close together) for the keyword to fire


@dataclass
class _Compiled:
    rec: RecommendationProfile
    keywords: list[_Keyword]
    concept_weight: dict[str, float] = field(default_factory=dict)  # field weight (1.0 or 0.5)
    full_passage: bool = False  # the recommendation asks only for the bill's passage
    bodies: frozenset = frozenset()  # specific responsible bodies, as concepts
    refining: frozenset = frozenset()  # literal keywords that also contain lexicon concepts
    required: frozenset = frozenset()  # what the title asks for: one of these must be in the item


def _decompose(keyword: str) -> tuple[str, ...]:
    toks = _tokenise(keyword)
    if not toks:
        return ()
    concepts, covered = _concepts_in(toks)
    if len(covered) >= len(toks):
        return tuple(sorted(concepts))
    literal = "kw:" + " ".join(t.stem for t in toks)
    # keep lexicon concepts only when they cover most of the keyword; else the literal phrase alone
    return tuple(sorted(concepts | {literal})) if len(covered) * 2 >= len(toks) else (literal,)


# ----------------------------------------------------------------------------------------------------
# Bills


@dataclass
class _CompiledBill:
    bill: BillProfile
    names: list[tuple[str, ...]]  # stems of title and aliases, without the year, "act" -> "bill"
    year: str | None
    strong: _PhraseIndex  # child-specific subject terms
    weak: _PhraseIndex  # other subject terms (PECA, Qanoon-e-Shahadat ...)
    label: str = ""


_BILLISH = frozenset({"bill"})
_STRONG_CONCEPTS = frozenset({"csam", "ocsea", "grooming", "sextortion"})
# subjects of other bills that share the title "Criminal Laws (Amendment)"
_OTHER_SUBJECT_RE = re.compile(
    r"\b(honou?r\b|blasphem\w*|holy personages|sacrilegious|prophet|acid\b|enforced disappearance\w*|"
    r"sedition|124-a|aerial firing|weapons?\b|chemical castration|anti-rape|rape\b|custodial|torture|"
    r"mob\b|lynching|hoarding|profiteering|kite\w*|drug\w*|narcotic\w*|forced conversion\w*|fake news|"
    r"deepfake\w*|elections?\b|journalists?\b|surrogacy|death penalty|terror\w*|cattle|dowry|"
    r"public office holders|missing and abducted|zainab alert|marriage)", re.I)


def _bill_name_stems(name: str) -> tuple[tuple[str, ...], str | None]:
    stems = [("bill" if s == "act" else s) for s in _phrase_stems(name)]
    year = next((s for s in stems if re.fullmatch(r"(19|20)\d\d", s)), None)
    return tuple(s for s in stems if s != year), year


def _compile_bill(bill: BillProfile) -> _CompiledBill:
    names, year = [], None
    for name in (bill.title, *bill.aliases):
        stems, y = _bill_name_stems(name)
        year = year or y
        if stems and stems not in names:
            names.append(stems)
    strong, weak = _PhraseIndex(), _PhraseIndex()
    for kw in bill.subject_keywords:
        toks = _tokenise(kw)
        concepts, _ = _concepts_in(toks)
        child = bool(_CHILD_INDEX.scan(toks))
        target = strong if (concepts & _STRONG_CONCEPTS or child) else weak
        target.add(tuple(t.stem for t in toks), kw)
    # the lexicon's own child-specific variants also identify the subject
    for concept in _STRONG_CONCEPTS:
        for v in _LEXICON[concept][1]:
            strong.add(_phrase_stems(v), v)
    label = re.sub(r"\s+", " ", bill.title).strip()
    return _CompiledBill(bill, names, year, strong, weak, label)


# Stage phrases: (stage, pattern). Order matters inside a clause: the first that matches wins.
_HOUSE = r"(?:national assembly|\bna\b|senate|upper house|lower house|house|parliament|assembly)"
_STAGE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("gazette_notification", re.compile(
        r"(published in the (official )?gazette|gazette (notification|of pakistan)|hereby published|"
        r"notified in the gazette|(came|comes|come) into force|has been notified|notified the)", re.I)),
    ("assent", re.compile(
        r"(\bassent(ed|s)? to\b|gave (his |her |its )?assent|give (his |her )?assent|received the assent|"
        r"\bsign(ed|s)? (the [\w ()',]+ )?into law|\bbec(ame|omes|ome) (a )?law|after the president assented|"
        r"president (signed|signs)|(accorded|grants?|granted) assent)", re.I)),
    ("withdrawn", re.compile(r"\bwithdr(ew|awn|aws|awal|awing)\b", re.I)),
    ("lapsed", re.compile(r"\blaps(ed|es|e)\b|\bstands? lapsed\b", re.I)),
    ("committee_report", re.compile(
        r"(\b(committee|panel|body|sub-committee)('s)?\b[^.;]{0,80}?\b(approv\w*|clear\w*|passed|endors\w*|"
        r"adopt\w*)\b|\breport\b[^.;]{0,80}\b(presented|laid|tabled|submitted)\b|"
        r"\b(presented|laid|tabled|submitted) (its|the) report\b|committee report)", re.I)),
    ("referred_to_committee", re.compile(
        r"(\breferr(ed|ing|s)?\b[^.;]{0,250}\bcommittee\b|\bsent (it |the bill )?to the [\w ]{0,60}committee\b)",
        re.I)),
    ("passed", re.compile(
        rf"(\b{_HOUSE}\b[^.;]{{0,60}}?\b(passed|passes|pass|approved|approves|adopted|cleared)\b|"
        rf"\b(passed|approved|adopted) by (the )?{_HOUSE}\b|\bparliament completes passage|"
        r"completing its passage)", re.I)),
    ("introduced", re.compile(
        r"(\b(re-?)?introduc(ed|es|e|ing)\b|\btabled\b|\blaid before\b|\bleave to introduce\b|\bfirst reading\b|"
        r"\bpresented (in|before) the\b|\bmoved (in|before) the\b)", re.I)),
]
_SECOND_HOUSE_RE = re.compile(
    r"(already (been )?passed by|as passed by|passed by both|both houses|completing its passage|completes passage|"
    r"(sent|forwarded|go|goes|transmitted|send) (it )?to the president|for (the )?(president's )?assent|"
    r"parliament completes|joint sitting|passage through parliament)", re.I)
_HEDGE_RE = re.compile(
    r"\b(will|would|shall|should|could|may|might|must|to be|expected|likely|set to|yet to|plans? to|urg\w*|"
    r"demand\w*|call(ed|s)? (on|for)|await\w*|seek\w*|sought|hope\w*|want\w*|failed to|did not|didn't|"
    r"not been|never|if|unless|once|before it|proposed to|soon|coming session|ask(ed|s)? (the )?\w+ to|"
    r"for approval)\b", re.I)
_BACKGROUND_RE = re.compile(r"\b(since|which|that|after|when|who|earlier|previously|last year|had been|"
                            r"had already|was originally)\b", re.I)
_REINTRO_RE = re.compile(r"\bre-?introduc(ed|es|e|ing)\b|\bre-?tabled\b", re.I)


# ----------------------------------------------------------------------------------------------------
# The matcher


@dataclass
class _ItemView:
    title: str
    text: str
    title_toks: list[_Tok]
    text_toks: list[_Tok]
    concepts: dict[str, list[tuple[int, int, bool, int]]]  # concept -> (start, end, in_text, token position)
    child: list[tuple[int, int, bool]]
    online: list[tuple[int, int, bool]]  # online or harm terms (abuse, exploitation, victim ...)


class Matcher:
    # thresholds chosen on the train split (see tracker.matching.evaluate)
    MIN_SCORE = 4.0
    RELATIVE = 0.7
    DISTINCT_IDF = 2.5
    DISTINCT_FLOOR = 0.5
    ANCHOR_IDF = 3.0  # an action only one or two recommendations ask for can anchor a match
    WINDOW = 30  # tokens within which a keyword's parts must occur
    NO_BODY_FACTOR = 0.5
    CLASS_FACTOR = {"topic": 1.0, "entity": 1.0, "action": 0.8, "generic": 0.35, "domain": 0.35}
    REFINING_FACTOR = 0.4
    TITLE_BOOST = 2.0
    IDF_SCALE = 4.25  # = ln(1 + 69): the register of 69 recommendations the thresholds were tuned on

    def __init__(self, recommendations: Sequence[RecommendationProfile], bills: Sequence[BillProfile]):
        self._recs = [self._compile_rec(r) for r in recommendations]
        self._bills = {b.slug: _compile_bill(b) for b in bills}
        self._gate = self._gate_stems()
        self._bill_recs: dict[str, list[_Compiled]] = defaultdict(list)
        for c in self._recs:
            if c.rec.bill and c.rec.bill in self._bills:
                self._bill_recs[c.rec.bill].append(c)
        # literal keyword phrases join the lexicon index for items
        self._index = _PhraseIndex()
        for c in self._recs:
            for kw in c.keywords:
                for concept in kw.concepts:
                    if concept.startswith("kw:"):
                        self._index.add(tuple(concept[3:].split()), concept)
        # IDF over the register: a concept many recommendations share says little about any one
        df: dict[str, int] = defaultdict(int)
        for c in self._recs:
            for concept in c.concept_weight:
                df[concept] += 1
        # scaled so the rarest concept always weighs IDF_SCALE, whatever the register's size, which keeps the
        # thresholds below meaningful for a register of 5 or 5,000 recommendations
        n = max(len(self._recs), 1)
        self._idf = {k: self.IDF_SCALE * math.log(1 + n / v) / math.log(1 + n) for k, v in df.items()}
        # inverted index: concept -> recommendations holding it
        self._by_concept: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(self._recs):
            for concept in c.concept_weight:
                self._by_concept[concept].append(i)

    # -- compile

    @staticmethod
    def _compile_rec(rec: RecommendationProfile) -> _Compiled:
        keywords = [_Keyword(k, _decompose(k)) for k in rec.keywords if k and k.strip()]
        keywords = [k for k in keywords if k.concepts]
        weights: dict[str, float] = {}
        for kw in keywords:
            for concept in kw.concepts:
                weights[concept] = 1.0
        title_concepts, _ = _concepts_in(_tokenise(rec.title))
        for concept in title_concepts:
            weights[concept] = 1.0
        source_concepts, _ = _concepts_in(_tokenise(rec.source_text))
        for concept in source_concepts:
            weights.setdefault(concept, 0.5)
        bodies = set()
        for body in rec.responsible_bodies:
            concepts, _ = _concepts_in(_tokenise(body))
            bodies |= {c for c in concepts if _concept_class(c) == "entity"}
        refining = {c for kw in keywords if len(kw.concepts) > 1 for c in kw.concepts if c.startswith("kw:")}
        required = {c for c in title_concepts if _concept_class(c) in ("action", "topic")}
        return _Compiled(rec, keywords, weights, _asks_only_passage(rec), frozenset(bodies), frozenset(refining),
                         frozenset(required))

    # -- public

    def _gate_stems(self) -> frozenset[str]:
        """Stems without one of which no path can match: the evidence path needs a domain concept or a
        child term, the bill path a bill's name or the word bill (or act). Most news has none of them."""
        phrases = list(_CHILD_TERMS)
        for concept in _DOMAIN_CONCEPTS | _STRONG_CONCEPTS:
            phrases.extend(_LEXICON[concept][1])
        stems = {first for p in phrases if (first := next(iter(_phrase_stems(p)), None))}
        stems.update(names[0] for bill in self._bills.values() for names in bill.names if names)
        stems.update(_BILLISH | {"bill", "act"})
        return frozenset(stems)

    def _could_match(self, title: str, text: str) -> bool:
        # each distinct word once: news copy repeats its words
        return any(_stem(_word(token)) in self._gate for token in set(_TOKEN_RE.findall(f"{title}\n{text}")))

    def match(self, title: str, text: str, *, feed_kind: str = "news") -> list[Match]:
        title, text = title or "", text or ""
        if not self._could_match(title, text):
            return []
        view = self._view(title, text)
        matches: dict[str, Match] = {}
        for bill_match in self._bill_matches(view, feed_kind):
            matches[bill_match.code] = bill_match
        # an item about a tracked bill describes the bill's content: that is not evidence for other asks
        for m in ([] if matches else self._evidence_matches(view)):
            if m.code not in matches:
                matches[m.code] = m
        return sorted(matches.values(), key=lambda m: (-m.score, m.code))

    # -- item analysis

    def _view(self, title: str, text: str) -> _ItemView:
        title_toks, text_toks = _tokenise(title), _tokenise(text)
        concepts: dict[str, list[tuple[int, int, bool, int]]] = defaultdict(list)
        child, online = [], []
        for toks, in_text in ((title_toks, False), (text_toks, True)):
            for label, i, j in _exclusive(_LEX_INDEX.scan(toks)) + self._index.scan(toks):
                concepts[label].append((toks[i].start, toks[j].end, in_text, toks[i].index))
            for label, i, j in _CHILD_INDEX.scan(toks):
                child.append((toks[i].start, toks[j].end, in_text))
            for label, i, j in _ONLINE_INDEX.scan(toks):
                online.append((toks[i].start, toks[j].end, in_text))
        return _ItemView(title, text, title_toks, text_toks, concepts, child, online)

    # -- evidence path

    def _evidence_matches(self, view: _ItemView) -> list[Match]:
        domain_terms = sorted(c for c in _DOMAIN_CONCEPTS if c in view.concepts)
        if not (domain_terms or (view.child and view.online)):
            return []
        body = f"{view.title}\n{view.text}"
        if _CRIME_RE.search(body) and not _ACTION_RE.search(body):
            return []
        candidates: set[int] = set()
        for concept in view.concepts:
            candidates.update(self._by_concept.get(concept, ()))
        scored = []
        for i in sorted(candidates):
            comp = self._recs[i]
            if comp.rec.bill:  # recommendations about a bill's content are matched through the bill
                continue
            result = self._score(comp, view)
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
                        and any(_concept_class(c) in ("topic", "entity") and self._idf.get(c, 0) >= self.DISTINCT_IDF
                                for c in kw.concepts)
                        for kw in comp.keywords if kw.text in fired):
                    continue
            kept_concepts |= {c for kw in comp.keywords if kw.text in fired for c in kw.concepts}
            status, event_note, event_spans = _event_status(comp, view)
            if status == comp.rec.status:
                status = None
            spans = [(s, e) for concept in used for (s, e, in_text, _) in view.concepts[concept] if in_text]
            spans += event_spans
            evidence = "; ".join(f"'{kw.text}' ← {_quote_concepts(view, kw.concepts)}"
                                 for kw in comp.keywords if kw.text in fired[:3])
            context = _quote_concepts(view, domain_terms[:2]) if domain_terms else \
                f"“{_first_surface(view, view.child)}” with “{_first_surface(view, view.online)}”"
            rationale = f"Keywords matched: {evidence}. Child context: {context}."
            if event_note:
                rationale += " " + event_note
            out.append(Match(comp.rec.code, round(1 - math.exp(-score / 6.0), 3), status, None, rationale,
                             _merge(spans)))
        return out

    def _score(self, comp: _Compiled, view: _ItemView):
        if comp.required and not comp.required & view.concepts.keys():
            return None  # the item does not touch what the recommendation asks for
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
            if any(_concept_class(c) in ("topic", "entity")
                   or (_concept_class(c) == "action" and self._idf.get(c, 0) >= self.ANCHOR_IDF)
                   for c in kw.concepts):
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

    def _title_boost(self, view: _ItemView, concept: str) -> float:
        """The headline states the main event: concepts in it count more."""
        return self.TITLE_BOOST if any(not in_text for (_, _, in_text, _) in view.concepts[concept]) else 1.0

    def _concept_value(self, concept: str, comp: _Compiled) -> float:
        factor = self.CLASS_FACTOR[_concept_class(concept)]
        if concept.startswith("kw:") and concept in comp.refining:
            factor = self.REFINING_FACTOR  # "Sindh Child Protection Authority" refines "child protection authority"
        return factor * comp.concept_weight.get(concept, 0.5) * self._idf.get(concept, 1.0)

    def _close(self, view: _ItemView, concepts: Iterable[str]) -> bool:
        """All concepts within WINDOW content tokens of each other, in the same field."""
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
                    if all(any(abs(p - anchor) <= self.WINDOW for p in pos) for pos in positions[1:]):
                        return True
        return False

    # -- bill path

    def _bill_matches(self, view: _ItemView, feed_kind: str) -> list[Match]:
        out = []
        for slug, bill in self._bills.items():
            recs = self._bill_recs.get(slug)
            if not recs:
                continue
            found = _about_bill(bill, view)
            if not found:
                continue
            mention_spans, subject_terms = found
            stage, stage_phrase, stage_spans = _detect_stage(bill, view, feed_kind)
            for comp in recs:
                status = _status_for_stage(stage, comp)
                if status == comp.rec.status:
                    status = None
                rationale = (f"About the {bill.label}: subject terms "
                             f"{', '.join(repr(t) for t in subject_terms[:4])}.")
                if stage:
                    rationale += f" Stage: {_STAGE_LABEL[stage]} (“{stage_phrase}”)"
                    rationale += f" → proposes {status}." if status else " (no change to propose)."
                else:
                    rationale += " No new parliamentary stage stated: evidence only."
                score = 0.95 if stage else 0.8
                out.append(Match(comp.rec.code, score, status, stage, rationale,
                                 _merge(mention_spans + stage_spans)))
        return out


# ----------------------------------------------------------------------------------------------------
# Bill helpers


def _clauses(text: str) -> list[tuple[int, int]]:
    spans = []
    for s, e in _split_sentences(text):
        start = s
        for m in re.finditer(r",|;|—| – | but | while | whereas | meanwhile", text[s:e]):
            spans.append((start, s + m.start()))
            start = s + m.end()
        spans.append((start, e))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _find_names(bill: _CompiledBill, toks: list[_Tok]) -> list[tuple[int, int, int]]:
    """Occurrences of the bill's title/aliases: (start char, end char, sentence)."""
    idx = _PhraseIndex()
    for name in bill.names:
        idx.add(tuple("bill" if s == "act" else s for s in name), "name")
    norm = [t if t.stem != "act" else _Tok("bill", t.start, t.end, t.index, t.sentence) for t in toks]
    return [(norm[i].start, norm[j].end, norm[i].sentence) for _, i, j in idx.scan(norm)]


def _subject_hits(bill: _CompiledBill, toks: list[_Tok]):
    strong = [(toks[i].start, toks[j].end, toks[i].sentence) for _, i, j in _exclusive(bill.strong.scan(toks))]
    weak = [(toks[i].start, toks[j].end, toks[i].sentence) for _, i, j in _exclusive(bill.weak.scan(toks))]
    return strong, weak


def _about_bill(bill: _CompiledBill, view: _ItemView):
    """(spans in text, subject terms) when the item is about this bill, else None."""
    spans, terms, about = [], [], False
    for field_text, toks, in_text in ((view.title, view.title_toks, False), (view.text, view.text_toks, True)):
        sentences = _split_sentences(field_text)
        names = _find_names(bill, toks)
        strong, weak = _subject_hits(bill, toks)
        strong_sent = {s for _, _, s in strong}
        weak_sent = {s for _, _, s in weak}
        billish_sent = {t.sentence for t in toks if t.stem in _BILLISH}
        for (ns, ne, si) in names:
            sent = field_text[sentences[si][0]:sentences[si][1]] if si < len(sentences) else field_text
            other = bool(_OTHER_SUBJECT_RE.search(sent))
            near_strong = bool(strong_sent & {si - 1, si, si + 1})
            if si in strong_sent or (near_strong and not other) or (si in weak_sent and not other):
                about = True
                if in_text:
                    spans.append((ns, ne))
        for si in strong_sent & billish_sent:
            sent = field_text[sentences[si][0]:sentences[si][1]] if si < len(sentences) else field_text
            # "the bill on acid attacks passed; the child pornography bill is pending": the clause decides
            for cs, ce in _clauses(sent):
                clause = sent[cs:ce]
                ctoks = _tokenise(clause)
                if {t.stem for t in ctoks} & _BILLISH and bill.strong.scan(ctoks):
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
        names_any = _find_names(bill, view.title_toks) or _find_names(bill, view.text_toks)
        body = f"{view.title}\n{view.text}"
        strong_any = bill.strong.scan(view.title_toks) or bill.strong.scan(view.text_toks)
        if names_any and strong_any and not _OTHER_SUBJECT_RE.search(body):
            about = True
            spans += [(s, e) for s, e, _ in _find_names(bill, view.text_toks)]
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


def _clause_is_tracked(bill: _CompiledBill, sentence: str, clause: str) -> bool:
    """A stage phrase belongs to the tracked bill unless its clause/sentence is about another subject."""
    ctoks, stoks = _tokenise(clause), _tokenise(sentence)
    if bill.strong.scan(ctoks):
        return True
    if _OTHER_SUBJECT_RE.search(clause):
        return False
    if _OTHER_SUBJECT_RE.search(sentence) and not bill.strong.scan(stoks):
        return False
    # another named bill in the clause (e.g. "the Elections (Amendment) Bill")
    named_other = re.search(r"\b([A-Z][\w'’]+ ){1,6}\((Amendment)\) (Bill|Act)\b|\b([A-Z][\w'’]+ ){2,6}(Bill|Act)\b",
                            clause)
    if named_other and not _find_names(bill, ctoks) and not bill.strong.scan(ctoks):
        return False
    return True


def _detect_stage(bill: _CompiledBill, view: _ItemView, feed_kind: str):
    """(stage, phrase, spans in text): the latest stage the item asserts for the bill."""
    found: list[tuple[str, str, tuple[int, int] | None, bool]] = []  # stage, phrase, span, reintroduced
    for field_text, in_text in ((view.title, False), (view.text, True)):
        for ss, se in _split_sentences(field_text):
            sentence = field_text[ss:se]
            second = bool(_SECOND_HOUSE_RE.search(sentence))
            clauses = _clauses(sentence)
            taken: list[tuple[int, int]] = []
            for stage, pattern in _STAGE_PATTERNS:
                for m in pattern.finditer(sentence):
                    if any(m.start() < b and a < m.end() for a, b in taken):
                        continue  # an earlier (more specific) stage already explains this phrase
                    cs, ce = next(((a, b) for a, b in clauses if a <= m.start() < b), (0, len(sentence)))
                    clause = sentence[cs:max(ce, m.end())]
                    before = sentence[cs:m.start()]
                    if _HEDGE_RE.search(before) or _HEDGE_RE.search(m.group()):
                        continue
                    reintro = bool(_REINTRO_RE.search(m.group()))
                    if _BACKGROUND_RE.search(before) and not reintro:
                        continue
                    if not _clause_is_tracked(bill, sentence, clause):
                        continue
                    taken.append((m.start(), m.end()))
                    name = stage
                    if stage == "passed":
                        name = "passed_second_house" if second else "passed_first_house"
                    if stage == "assent" and (feed_kind == "gazette" or re.search(r"gazette", sentence, re.I)) \
                            and re.search(r"published|gazette", sentence, re.I):
                        name = "gazette_notification"
                    span = (ss + m.start(), ss + m.end()) if in_text else None
                    found.append((name, _short_quote(m.group()), span, reintro))
    if not found:
        return None, None, []
    reintro = [f for f in found if f[3]]
    terminal = [f for f in found if f[0] in ("lapsed", "withdrawn")]
    if reintro:
        chosen = reintro[0]
    elif terminal:
        chosen = terminal[0]
    else:
        chosen = max(found, key=lambda f: _PROGRESS.index(f[0]))
    spans = [f[2] for f in found if f[2] and f[0] == chosen[0]]
    return chosen[0], chosen[1], spans


def _status_for_stage(stage: str | None, comp: _Compiled) -> str | None:
    if stage is None:
        return None
    if stage in ("lapsed", "withdrawn"):
        return "stalled"
    if stage in ("assent", "gazette_notification"):
        return "implemented" if comp.full_passage else "partially_implemented"
    return "in_progress"


_PASSAGE_WORDS = frozenset(_phrase_stems("expedite passage pass enact enactment adopt bill act law criminal "
                                         "amendment laws"))


def _asks_only_passage(rec: RecommendationProfile) -> bool:
    """True when the title asks for nothing but the bill's passage ("Expedite passage of the ... Bill")."""
    stems = [s for s in _phrase_stems(rec.title) if not re.fullmatch(r"(19|20)\d\d", s)]
    if not stems:
        return False
    covered = sum(1 for s in stems if s in _PASSAGE_WORDS)
    return covered / len(stems) >= 0.8


# ----------------------------------------------------------------------------------------------------
# Precise non-bill events


@dataclass(frozen=True)
class _EventRule:
    concept: str  # the item and the recommendation must both hold it
    rec_requires: re.Pattern  # on the recommendation's title + source text
    done: re.Pattern
    doing: re.Pattern | None
    note: str


_EVENT_RULES = (
    _EventRule("icse", re.compile(r"\baccess\b", re.I),
               re.compile(r"\b(granted|gained|given|got|obtained|secured|received)\b[^.;]{0,30}\baccess\b|"
                          r"\b(connected|linked) to (interpol'?s? )?(the )?(icse|international child sexual)|"
                          r"\bnow (has|have) access\b", re.I),
               re.compile(r"\baccess\b[^.;]{0,80}\b(delayed|pending|under way|underway|expected|in process)\b|"
                          r"\b(process|efforts?) to (gain|get|obtain) access\b", re.I),
               "ICSE access reported"),
    _EventRule("ncsp", re.compile(r"\brevis", re.I),
               re.compile(r"\b(approved|notified|adopted|launched)\b[^.;]{0,40}\brevised\b|"
                          r"\brevised\b[^.;]{0,60}\b(was|has been|were) (approved|notified|adopted)\b", re.I),
               re.compile(r"\b(started|begun|began|initiated)\b[^.;]{0,20}\brevis\w*|\bto review\b|"
                          r"\bunder (review|revision)\b|\bbeing revised\b|\brevising\b", re.I),
               "policy revision reported"),
)
_NEGATED_RE = re.compile(r"\b(not|yet to|no|never|without|delay\w*|pending)\b", re.I)


def _event_status(comp: _Compiled, view: _ItemView):
    body = f"{view.title}\n{view.text}"
    rec_text = f"{comp.rec.title} {comp.rec.source_text}"
    for rule in _EVENT_RULES:
        if rule.concept not in view.concepts or rule.concept not in comp.concept_weight:
            continue
        if not rule.rec_requires.search(rec_text):
            continue
        for sentence in (body[s:e] for s, e in _split_sentences(body)):
            m = rule.done.search(sentence)
            if m and not _NEGATED_RE.search(sentence[:m.start()][-40:]) and not _NEGATED_RE.search(m.group()):
                return "implemented", f"Event: {rule.note} (“{m.group()}”) → proposes implemented.", \
                    _spans_in_text(view.text, m.group())
        if rule.doing:
            for sentence in (body[s:e] for s, e in _split_sentences(body)):
                m = rule.doing.search(sentence)
                if m:
                    return "in_progress", f"Event: {rule.note} (“{m.group()}”) → proposes in_progress.", \
                        _spans_in_text(view.text, m.group())
    return None, "", []


# ----------------------------------------------------------------------------------------------------
# Small helpers


def _short_quote(phrase: str, words: int = 12) -> str:
    parts = phrase.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:5]) + " … " + " ".join(parts[-4:])


def _spans_in_text(text: str, phrase: str) -> list[tuple[int, int]]:
    i = text.find(phrase)
    return [(i, i + len(phrase))] if i >= 0 else []


def _merge(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for s, e in sorted(set(spans)):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def _surface(view: _ItemView, occurrence) -> str:
    s, e, in_text = occurrence[:3]
    return re.sub(r"\s+", " ", (view.text if in_text else view.title)[s:e])


def _first_surface(view: _ItemView, occurrences) -> str:
    ordered = sorted(occurrences, key=lambda o: (not o[2], o[0]))  # the text before the title
    return _surface(view, ordered[0]) if ordered else ""


def _quote_concepts(view: _ItemView, concepts: Iterable[str]) -> str:
    """The item's own words for each concept: “FIA's cybercrime wing” … “investigators”."""
    return " … ".join(f"“{_first_surface(view, view.concepts[c])}”" for c in concepts if view.concepts.get(c))


# ----------------------------------------------------------------------------------------------------
# Register and baseline


def profiles_from_register(data: dict) -> tuple[list[RecommendationProfile], list[BillProfile]]:
    recs = [RecommendationProfile(
        code=r["code"], title=r.get("title") or "", source_text=(r.get("source_text") or "").strip(),
        keywords=tuple(r.get("keywords") or ()), responsible_bodies=tuple(r.get("responsible_bodies") or ()),
        bill=r.get("bill") or None, status=r.get("initial_status") or "not_assessed")
        for r in data.get("recommendations") or ()]
    bills = [BillProfile(slug=b["slug"], title=b.get("title") or "", aliases=tuple(b.get("aliases") or ()),
                         subject_keywords=tuple(b.get("subject_keywords") or ()))
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
