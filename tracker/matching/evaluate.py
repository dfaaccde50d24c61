"""Measure the matcher against the labelled evaluation set, next to the plain keyword baseline.

    python -m tracker.matching.evaluate [--split heldout|train|all] [--verbose]
    python -m tracker.matching.evaluate --items decisions.yaml   # any file in this format, e.g. exported
                                                                  # review decisions (matching export-decisions)

Pairs are (item, recommendation code). An expected status equal to the recommendation's current status
in the register is dropped before scoring (no proposal is due then), so the labels stay valid when the
register's starting statuses change.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from tracker.matching.matcher import Matcher, keyword_baseline, profiles_from_register

ROOT = Path(__file__).resolve().parents[2]
REGISTER_FILE = ROOT / "feeds" / "register.yaml"
EVAL_FILE = ROOT / "tests" / "matching" / "eval_items.yaml"


def load_items(split: str = "heldout", path: Path = EVAL_FILE) -> list[dict]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [i for i in items if split == "all" or i["split"] == split]


def load_register(path: Path = REGISTER_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def evaluate(split: str = "heldout", *, register: dict | None = None, items: list[dict] | None = None,
             verbose: bool = False) -> dict:
    """Scores for the matcher and the baseline on one split ("train", "heldout" or "all")."""
    register = register if register is not None else load_register()
    items = items if items is not None else load_items(split)
    recs, bills = profiles_from_register(register)
    current = {r.code: r.status for r in recs}
    matcher = Matcher(recs, bills)

    bill_codes = {r.code for r in recs if r.bill}
    m = dict(tp=0, fp=0, fn=0, status_total=0, status_correct=0, status_spurious=0, distractor_status=0,
             distractor_items_matched=0)
    ev = dict(tp=0, fp=0, fn=0)  # items that are not about the tracked bill (most of the hard cases)
    b = dict(tp=0, fp=0, fn=0)
    errors: list[str] = []
    distractors = 0
    for item in items:
        expected = {}
        for e in item.get("expected") or ():
            status = e.get("status")
            expected[e["code"]] = None if status == current.get(e["code"]) else status
        is_distractor = not expected
        distractors += is_distractor
        got = {x.code: x for x in matcher.match(item["title"], item["text"], feed_kind=item.get("feed_kind", "news"))}
        if not expected.keys() & bill_codes:
            ev["tp"] += len(got.keys() & expected.keys())
            ev["fp"] += len(got.keys() - expected.keys())
            ev["fn"] += len(expected.keys() - got.keys())
        for code in got.keys() & expected.keys():
            m["tp"] += 1
            if expected[code] is not None:
                m["status_total"] += 1
                if got[code].proposed_status == expected[code]:
                    m["status_correct"] += 1
                else:
                    errors.append(f"{item['id']} {code}: status {got[code].proposed_status} != {expected[code]}")
            elif got[code].proposed_status is not None:
                m["status_spurious"] += 1
                errors.append(f"{item['id']} {code}: spurious status {got[code].proposed_status}")
        for code in got.keys() - expected.keys():
            m["fp"] += 1
            errors.append(f"{item['id']} FP {code} ({got[code].score}) {got[code].rationale}")
            if got[code].proposed_status is not None:
                m["status_spurious"] += 1
        for code in expected.keys() - got.keys():
            m["fn"] += 1
            errors.append(f"{item['id']} FN {code}")
        if is_distractor:
            m["distractor_items_matched"] += bool(got)
            m["distractor_status"] += sum(1 for x in got.values() if x.proposed_status)
        base = set(keyword_baseline(recs, item["title"], item["text"]))
        b["tp"] += len(base & expected.keys())
        b["fp"] += len(base - expected.keys())
        b["fn"] += len(expected.keys() - base)

    def summary(c: dict) -> dict:
        return {"precision": _ratio(c["tp"], c["tp"] + c["fp"]), "recall": _ratio(c["tp"], c["tp"] + c["fn"]),
                **c}

    result = {
        "split": split, "items": len(items), "distractors": distractors,
        "matcher": {**summary(m), "status_accuracy": _ratio(m["status_correct"], m["status_total"])},
        "matcher_non_bill_items": summary(ev),
        # the baseline never proposes statuses: any status-bearing pair counts as a miss
        "baseline": {**summary(b), "status_accuracy": 0.0, "status_spurious": 0, "distractor_status": 0},
    }
    if verbose:
        result["errors"] = errors
    return result


def evaluate_items_file(path: Path, *, verbose: bool = False) -> dict:
    """Scores the matcher on every item of another file in this format (e.g. `flask --app tracker matching
    export-decisions`), so measured quality grows with the decisions people make."""
    try:
        items = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise SystemExit(f"{path}: cannot read evaluation items: {exc}") from None
    if not isinstance(items, list):
        raise SystemExit(f"{path}: expected a list of items")
    for n, item in enumerate(items, 1):
        problem = None if isinstance(item, dict) else "not a mapping"
        if problem is None:
            missing = [k for k in ("id", "title", "text") if not isinstance(item.get(k), str)]
            problem = f"missing {', '.join(missing)}" if missing else None
        if problem is None and not all(isinstance(e, dict) and isinstance(e.get("code"), str)
                                       for e in item.get("expected") or ()):
            problem = "expected must be a list of {code, status}"
        if problem:
            raise SystemExit(f"{path}: item {n} ({item.get('id', '?') if isinstance(item, dict) else '?'}): {problem}")
    result = evaluate("all", items=items, verbose=verbose)
    result["split"] = Path(path).name
    return result


def _table(r: dict) -> str:
    rows = [("", "matcher", "keyword baseline")]
    mm, bb = r["matcher"], r["baseline"]
    rows += [
        ("precision", f"{mm['precision']:.3f}", f"{bb['precision']:.3f}"),
        ("recall", f"{mm['recall']:.3f}", f"{bb['recall']:.3f}"),
        ("pairs tp / fp / fn", f"{mm['tp']} / {mm['fp']} / {mm['fn']}", f"{bb['tp']} / {bb['fp']} / {bb['fn']}"),
        ("status accuracy", f"{mm['status_accuracy']:.3f} ({mm['status_correct']}/{mm['status_total']})",
         "n/a (proposes none)"),
        ("statuses proposed where none due", str(mm["status_spurious"]), "0"),
        ("distractors proposing a status", str(mm["distractor_status"]), "0"),
        ("distractor items with any match", str(mm["distractor_items_matched"]), "-"),
    ]
    ev = r["matcher_non_bill_items"]
    rows.append(("non-bill items: precision / recall", f"{ev['precision']:.3f} / {ev['recall']:.3f}", "-"))
    width = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"split={r['split']}  items={r['items']}  distractors={r['distractors']}"]
    for row in rows:
        lines.append("  ".join(cell.ljust(width[i]) for i, cell in enumerate(row)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "train", "all"), default="heldout")
    parser.add_argument("--verbose", action="store_true", help="list every error")
    parser.add_argument("--items", type=Path, help="score the items of this file instead (all of its items)")
    args = parser.parse_args(argv)
    result = (evaluate_items_file(args.items, verbose=args.verbose) if args.items
              else evaluate(args.split, verbose=args.verbose))
    print(_table(result))
    if args.verbose:
        print("\n".join(result["errors"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
