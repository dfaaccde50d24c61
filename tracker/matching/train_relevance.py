"""Train the relevance model (`relevance.py`) from the labelled dev items and write feeds/matching/relevance.json.

    .venv/bin/python -m tracker.matching.train_relevance            # writes the model
    .venv/bin/python -m tracker.matching.train_relevance --check    # fails if the model is stale

Only English `dev` items are read (the frozen `test` splits never are). scikit-learn fits the model: a TF-IDF
vectoriser over `relevance.terms` and one L2-regularised logistic regression per recommendation, classes
balanced (most recommendations have a few dozen positive items among a thousand). Weights under `PRUNE`
in size are dropped: they change no probability by more than a rounding error and keep the file reviewable.
The training is deterministic (lbfgs, no sampling), so `--check` can compare file hashes and weights.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import yaml

from tracker.matching.evaluate import (BLIND2_DEV_FILE, BLIND3_DEV_FILE, BLIND4_DEV_FILE, BLIND5_DEV_FILE,
                                       BLIND6_DEV_FILE, BLIND_DEV_FILE, DEV_FILE, REGISTER_FILE, load_items,
                                       load_register)
from tracker.matching.relevance import MODEL_FILE, item_text, terms

C = 16.0  # inverse regularisation, chosen by cross-checking the dev files against each other
PRUNE = 0.02
THRESHOLDS = {"add": 0.7, "veto": 0.1, "weak": 0.9}  # chosen on round 5's blind dev items at first sight (docs/matching.md)
HOLDOUT_FILE = DEV_FILE.with_name("eval_dev_holdout.yaml")
TRAIN_FILES = (DEV_FILE, HOLDOUT_FILE, BLIND_DEV_FILE, BLIND2_DEV_FILE, BLIND3_DEV_FILE, BLIND4_DEV_FILE,
               BLIND5_DEV_FILE, BLIND6_DEV_FILE)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def training_items(files=TRAIN_FILES) -> list[dict]:
    return [item for path in files if path.exists() for item in load_items(path, "dev")]


def train(items: list[dict], codes: list[str], thresholds: dict | None = None) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [item_text(i["title"], i["text"]) for i in items]
    vectoriser = TfidfVectorizer(analyzer=terms, sublinear_tf=True)
    x = vectoriser.fit_transform(texts)
    vocabulary = list(vectoriser.get_feature_names_out())
    weights = {}
    for code in codes:
        y = [any(e["code"] == code for e in (i.get("expected") or ())) for i in items]
        if not any(y) or all(y):
            continue  # nothing to learn from: the rules alone decide for this recommendation
        fit = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(x, y)
        kept = {vocabulary[j]: round(float(w), 4) for j, w in enumerate(fit.coef_[0]) if abs(w) >= PRUNE}
        weights[code] = {"intercept": round(float(fit.intercept_[0]), 4), "terms": kept}
    used = sorted({t for w in weights.values() for t in w["terms"]})
    index = {t: j for j, t in enumerate(vocabulary)}
    return {"vocabulary": used, "idf": [round(float(vectoriser.idf_[index[t]]), 5) for t in used],
            "weights": weights, "thresholds": dict(thresholds or THRESHOLDS)}


def build(files=TRAIN_FILES, register_file: Path = REGISTER_FILE) -> dict:
    register = load_register(register_file)
    codes = [r["code"] for r in register["recommendations"]]
    model = train(training_items(files), codes)
    model["trained_on"] = {p.name: file_hash(p) for p in files if p.exists()}
    return model


def dumps(model: dict) -> str:
    """JSON with one line per top-level entry and per recommendation, so a retrained model's diff shows which
    recommendations changed."""
    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    lines = ["{"]
    for key in sorted(k for k in model if k != "weights"):
        lines.append(f"{one(key)}:{one(model[key])},")
    lines.append('"weights":{')
    codes = sorted(model["weights"])
    lines += [f"{one(code)}:{one(model['weights'][code])}{',' if n < len(codes) - 1 else ''}"
              for n, code in enumerate(codes)]
    lines += ["}", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the model was trained on other files")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    if args.check:
        current = json.loads(args.out.read_text(encoding="utf-8")).get("trained_on", {})
        wanted = {p.name: file_hash(p) for p in TRAIN_FILES if p.exists()}
        if current != wanted:
            print(f"{args.out.name} is stale: retrain with `python -m tracker.matching.train_relevance`",
                  file=sys.stderr)
            return 1
        return 0
    model = build()
    args.out.write_text(dumps(model), encoding="utf-8")
    print(f"wrote {args.out} ({len(model['weights'])} recommendations, {len(model['vocabulary'])} words)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
