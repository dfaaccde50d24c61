"""Text analysis: tokens with character spans, a light stemmer, sentences, clauses and a phrase index.

Pure and language-neutral in shape: tokens are Unicode words (Latin, Urdu/Arabic script, digits), so
lexicon variants in any script are matched the same way. The stemmer only touches lowercase Latin
suffixes; other scripts pass through unchanged (an Urdu stemmer can be added here later).
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

# A word: letters or digits of any script, with combining marks (Urdu diacritics) and inner apostrophes.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
TOKEN_RE = re.compile(rf"[^\W_][\w{_MARKS}]*(?:['’][^\W_]+)*")
_POSSESSIVE_RE = re.compile(r"['’]s$")
# sentence ends: Latin punctuation and the Urdu full stop (۔) and question mark (؟)
_SENTENCE_END_RE = re.compile(r"[.!?;:](?=\s+[\"'“‘(]?[A-Z0-9])|[۔؟]|\n+")
_ABBREVIATION_END_RE = re.compile(r"(\bno|\brs|\bmr|\bdr|\bst|\bvs|\b[a-z])$")
_CLAUSE_BREAK_RE = re.compile(r",|;|—| – | but | while | whereas | meanwhile|،| and (?=(?:has|have|had|was|were|is)\b)"
                              # Urdu: a relative or adverbial clause ("... منظور کر لی جس کے تحت صوبے ... بنائیں گے")
                              r"| (?=(?:جس|جن|جسے|جنہیں|جہاں|جو|جبکہ|تاکہ|تاہم|لیکن|مگر|بلکہ|کیونکہ) )")
_IRREGULAR = {"children": "child", "women": "woman", "men": "man", "people": "people", "media": "media",
              "data": "data", "news": "news", "laws": "law", "criteria": "criterion", "academies": "academy"}
STOP = frozenset("""a an the of and or to for in on at by with from as its their his her our this that these
those is are was were be been being it into over under about than then also has have had will would shall
should can could may might must not no nor but so such via per upon within""".split()) - {"no", "it"}
_MONEY_RE = re.compile(r"rs\d[\d.]*(?:bn|m|mn|million|billion|crore|lakh|b)?")
_SUFFIXES = (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
# Urdu function words (postpositions, copulas, pronouns): dropped from tokens like English stop words, so
# a lexicon phrase matches whatever agreement its text uses ("بچوں کی/کے ..."). Stage and event regexes
# read the whole text and are not affected.
STOP_UR = frozenset("کا کی کے کو نے سے میں پر اور یا بھی ہے ہیں تھا تھی تھے یہ وہ اس ان ایک جو کہ".split())

# ---- Urdu normalisation: tracker/matching/urdu_text.py (letter variants, hamza spellings, diacritics,
# joiners, digits, light verbs joined to their auxiliary), with an offset map back to the original.
from tracker.matching.urdu_text import has_arabic_script, normalise  # noqa: E402  (re-exported)

_ARABIC_SCRIPT_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def normalise_text(text: str) -> str:
    return normalise(text)[0]


STOP_UR = frozenset(normalise_text(w) for w in STOP_UR)  # as the items are read ("تھا" may arrive as "تها")


def original_span(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """A [start, end) span of the normalised text as a span of the original text. Characters dropped right
    after the span's last character (its diacritics, a tatweel) belong to it."""
    if end <= start:
        return offsets[start], offsets[start]
    return offsets[start], offsets[end]


# Urdu inflection a lexicon entry should not have to spell out: plural oblique -وں (بچوں، اداروں، عدالتوں),
# the -ہ/-ے of marked nouns (بچہ/بچے، ادارہ/ادارے، عملہ/عملے), feminine plural -یں/-ئیں (سزائیں), and the
# English-loan plural -ز (ویڈیوز، ججز، فنڈز). Both sides go through it, so only consistency matters.
_UR_SUFFIXES = ("ئیں", "وں", "یں", "ہ", "ے", "ز")


# words whose ending is not an inflection: "طلبہ" (students) is not "طلب" (demand, summons)
_UR_UNSTEMMED = frozenset({"طلبہ", "طلبا", "طلباء", "جامعہ", "سمری"})


def urdu_stem(w: str) -> str:
    if w in _UR_UNSTEMMED:
        return w
    for suffix in _UR_SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            return w[: len(w) - len(suffix)]
    return w


@functools.lru_cache(maxsize=1 << 16)  # pure and called for every token of every item: news repeats its words
def stem(word: str) -> str:
    """A light stemmer: the same on both sides is all that matters ("referred"/"refer", "cases"/"case")."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if not w.isascii() and _ARABIC_SCRIPT_RE.match(w):
        return urdu_stem(w)  # three-letter Urdu nouns inflect too (بچہ/بچے/بچوں)
    if w.isdigit() or len(w) <= 3 or not w.isascii():
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
class Tok:
    stem: str
    start: int
    end: int
    index: int  # position among content tokens
    sentence: int


@functools.lru_cache(maxsize=1024)  # the paths (bills, evidence, each candidate's events) split the same text
def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
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
    return tuple(s for s in spans if text[s[0]:s[1]].strip())


@functools.lru_cache(maxsize=1024)
def clauses(text: str) -> tuple[tuple[int, int], ...]:
    """Clause spans (sentences cut at commas, dashes, "but", "while" ...)."""
    spans = []
    for s, e in split_sentences(text):
        start = s
        for m in _CLAUSE_BREAK_RE.finditer(text[s:e]):
            spans.append((start, s + m.start()))
            start = s + m.end()
        spans.append((start, e))
    return tuple((s, e) for s, e in spans if text[s:e].strip())


def word(token: str) -> str:
    """A token without its possessive and apostrophes ("Pakistan's" -> "Pakistan", "don't" -> "dont")."""
    if "'" not in token and "’" not in token:
        return token  # most tokens: no regex needed
    return _POSSESSIVE_RE.sub("", token).replace("'", "").replace("’", "")


def tokenise(text: str) -> list[Tok]:
    out: list[Tok] = []
    sentences = split_sentences(text)
    si = 0
    for m in TOKEN_RE.finditer(text):
        raw = word(m.group())
        low = raw.lower()
        if low in STOP or low in STOP_UR or not low:
            continue
        while si + 1 < len(sentences) and m.start() >= sentences[si][1]:
            si += 1
        out.append(Tok(stem(raw), m.start(), m.end(), len(out), si))
    return out


def phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(t.stem for t in tokenise(phrase))


class Hit(tuple):
    """(label, first token index, last token index), plus size: how many of the phrase's tokens matched
    (a match may skip one token, so the span can be longer than the phrase)."""

    def __new__(cls, label: str, i: int, j: int, size: int):
        hit = super().__new__(cls, (label, i, j))
        hit.size = size
        return hit


class PhraseIndex:
    """All phrases by first stem; scans a token list once. Allows one extra token inside a phrase."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)

    def add(self, stems: tuple[str, ...], label: str) -> None:
        if stems and (stems, label) not in self._by_first[stems[0]]:
            self._by_first[stems[0]].append((stems, label))

    def first_stems(self) -> set[str]:
        return set(self._by_first)

    def scan(self, toks: list[Tok]) -> list[tuple[str, int, int]]:
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
                    hits.append(Hit(label, i, j, k))
        return hits


def exclusive(hits: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Longest phrases first; a phrase inside a longer one ("link" in "video link") is dropped. Of two
    phrases as long, the one that skips no token wins ("report online abuse" over "child [can report]
    online abuse")."""
    out, covered = [], set()
    for label, i, j in sorted(hits, key=lambda h: (-getattr(h, "size", h[2] - h[1] + 1), h[2] - h[1], h[1])):
        span = set(range(i, j + 1))
        if span & covered:
            continue
        covered |= span
        out.append((label, i, j))
    return sorted(out, key=lambda h: h[1])
