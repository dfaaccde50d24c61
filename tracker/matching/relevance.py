"""A learned relevance model: for an English item, how likely each recommendation is to be what it reports.

The rules (lexicon, evidence scoring, events) say *why* an item bears on a recommendation; they miss news
written in words nobody put in the lexicon, and they fire on topic words in items about something else.
This model was learned from the labelled dev items (`python -m tracker.matching.train_relevance`): one
logistic regression per recommendation over TF-IDF weights of the item's words. The matcher uses it in
two ways (`Matcher._evidence_matches`):
- a recommendation the rules did not find, which the model is confident of (p ≥ `add`), joins the item's
  matches, its rationale saying so;
- a recommendation the rules found only weakly, which the model finds very unlikely (p < `veto`), is
  dropped.

The model is data (`feeds/matching/relevance.json`): its vocabulary, IDF weights, each recommendation's
word weights and the thresholds (`add`, `veto`, and `weak`: the rule score under which a match is weak),
with the hashes of the files it was trained on. Scoring is numpy: the item's few words pick rows of the
weight matrix, a few microseconds per item.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from tracker.matching.rules import RulesError

MODEL_FILE = Path(__file__).resolve().parents[2] / "feeds" / "matching" / "relevance.json"
WORD_RE = re.compile(r"[a-z][a-z0-9']+")
_POSSESSIVE_RE = re.compile(r"'s$")
# function words carry no evidence; the list is short on purpose (negations and modals stay: they matter)
STOP_WORDS = frozenset("""
a an and are as at be by for from has have he her his in into is it its of on or that the their them they
this to was were which who with
""".split())


def terms(text: str) -> list[str]:
    """The words the model reads: lower-case, a possessive's "'s" dropped ("INTERPOL's" is "interpol"), other
    apostrophes dropped ("don't" is "dont"), function words out."""
    words = (_POSSESSIVE_RE.sub("", t).replace("'", "") for t in WORD_RE.findall(text.lower().replace("’", "'")))
    return [w for w in words if w not in STOP_WORDS]


def item_text(title: str, text: str) -> str:
    return f"{title}. {text}"


@dataclass(frozen=True, eq=False)
class RelevanceModel:
    vocabulary: dict[str, int]
    words: tuple[str, ...]  # the vocabulary in index order, for the rationale
    idf: np.ndarray  # one per word
    codes: tuple[str, ...]
    intercepts: np.ndarray  # one per code
    matrix: np.ndarray  # words × codes: each recommendation's word weights (0 where pruned)
    add: float  # the probability at which the model alone adds a recommendation
    veto: float  # below it, a weak rule match is dropped
    weak: float  # a rule match scoring under this is weak

    def vector(self, title: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The item's TF-IDF vector as (word indices, L2-normalised values)."""
        counts: dict[int, int] = {}
        for t in terms(item_text(title, text)):
            i = self.vocabulary.get(t)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        index = np.fromiter(counts, dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[index]
        norm = float(np.sqrt(values @ values)) or 1.0
        return index, values / norm

    def reasons(self, code: str, title: str, text: str, count: int = 3) -> list[str]:
        """The item's words that raised this recommendation's probability most, for the rationale."""
        if code not in self.codes:
            return []
        index, values = self.vector(title, text)
        contributions = values * self.matrix[index, self.codes.index(code)]
        ranked = sorted(((c, int(i)) for c, i in zip(contributions, index) if c > 0), reverse=True)
        return [self.words[i] for _, i in ranked[:count]]

    def probabilities(self, title: str, text: str) -> dict[str, float]:
        index, values = self.vector(title, text)
        z = self.intercepts + values @ self.matrix[index]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
        return dict(zip(self.codes, p.tolist()))


def _fail(path: Path, where: str, problem: str):
    raise RulesError(path.name, where, problem)


def parse_model(data: dict, path: Path = MODEL_FILE) -> RelevanceModel:
    if not isinstance(data, dict):
        _fail(path, "top level", "must be an object")
    for key in ("vocabulary", "idf", "weights", "thresholds"):
        if key not in data:
            _fail(path, key, "missing")
    vocabulary = data["vocabulary"]
    if not isinstance(vocabulary, list) or not all(isinstance(t, str) and t for t in vocabulary):
        _fail(path, "vocabulary", "must be a list of words")
    idf = data["idf"]
    if not isinstance(idf, list) or len(idf) != len(vocabulary) or \
            not all(isinstance(x, (int, float)) and x > 0 for x in idf):
        _fail(path, "idf", f"must be {len(vocabulary)} positive numbers, one per vocabulary word")
    index = {t: i for i, t in enumerate(vocabulary)}
    codes = tuple(data["weights"] or {})
    intercepts = np.zeros(len(codes))
    matrix = np.zeros((len(vocabulary), len(codes)))
    for c, code in enumerate(codes):
        entry = data["weights"][code]
        if not isinstance(entry, dict) or not isinstance(entry.get("intercept"), (int, float)) \
                or not isinstance(entry.get("terms"), dict):
            _fail(path, f"weights.{code}", "needs a numeric `intercept` and a `terms` object")
        intercepts[c] = float(entry["intercept"])
        for word, w in entry["terms"].items():
            if word not in index:
                _fail(path, f"weights.{code}.terms.{word}", "is not in the vocabulary")
            if not isinstance(w, (int, float)):
                _fail(path, f"weights.{code}.terms.{word}", "must be a number")
            matrix[index[word], c] = float(w)
    thresholds = data["thresholds"]
    for key in ("add", "veto", "weak"):
        value = thresholds.get(key) if isinstance(thresholds, dict) else None
        if not isinstance(value, (int, float)) or not 0 <= value <= 1:
            _fail(path, f"thresholds.{key}", "must be a number from 0 to 1")
    return RelevanceModel(index, tuple(vocabulary), np.array(idf, dtype=np.float64), codes, intercepts, matrix,
                          float(thresholds["add"]), float(thresholds["veto"]), float(thresholds["weak"]))


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> RelevanceModel | None:
    """The shipped model, or None when there is no model file (the matcher then runs on its rules)."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RulesError(path.name, f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from exc
    return parse_model(data, path)
