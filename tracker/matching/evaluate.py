"""Measure the matcher against labelled items, next to the plain keyword baseline.

    python -m tracker.matching.evaluate [--split dev|test|all] [--items FILE] [--test-items FILE]
                                        [--ur-items FILE] [--ur-test-items FILE] [--no-extra-dev]
                                        [--register FILE] [--verbose]
    python -m tracker.matching.evaluate --decisions decisions.yaml   # exported review decisions

Files are explicit (defaults: the checkout's tests/matching/eval_items.yaml for `dev` and
tests/matching/eval_test.yaml for the blind `test` split, read only when it exists; feeds/register.yaml).
The Urdu items are measured the same way and printed beside the English: eval_items_ur.yaml (dev) and
eval_test_ur.yaml (the blind Urdu test split, read only when it exists).
An item: id, split, title, text, feed_kind (news | parliament | gazette | press_release), expected
(list of {code, status}); optional kind (bill_stage | title_only | event | hedged | distractor | evidence),
published (ISO date) and note. Items are judged against the register's recorded bill stages and their
`published` date. An expected status equal to the recommendation's current status is dropped (no
proposal is due then).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import yaml

from tracker.matching.matcher import Matcher, keyword_baseline, profiles_from_register

ROOT = Path(__file__).resolve().parents[2]
REGISTER_FILE = ROOT / "feeds" / "register.yaml"
DEV_FILE = ROOT / "tests" / "matching" / "eval_items.yaml"
TEST_FILE = ROOT / "tests" / "matching" / "eval_test.yaml"
UR_DEV_FILE = ROOT / "tests" / "matching" / "eval_items_ur.yaml"
UR_TEST_FILE = ROOT / "tests" / "matching" / "eval_test_ur.yaml"
# dev items written later by hands that never saw the rules or the other items: tuned on like the rest of
# dev, but printed apart, because how the matcher does on them is the early sign of how it generalises.
# Each round's first sight (before any tuning on it) is recorded in docs/matching.md.
BLIND_DEV_FILE = ROOT / "tests" / "matching" / "eval_dev_blind.yaml"
UR_BLIND_DEV_FILE = ROOT / "tests" / "matching" / "eval_dev_blind_ur.yaml"
BLIND2_DEV_FILE = ROOT / "tests" / "matching" / "eval_dev_blind2.yaml"
UR_BLIND2_DEV_FILE = ROOT / "tests" / "matching" / "eval_dev_blind2_ur.yaml"
BLIND3_DEV_FILE = ROOT / "tests" / "matching" / "eval_dev_blind3.yaml"
UR_BLIND3_DEV_FILE = ROOT / "tests" / "matching" / "eval_dev_blind3_ur.yaml"
# written blind late in round 6 and held out while it was tuned; round 7 tunes on them
BLIND4_DEV_FILE = ROOT / "tests" / "matching" / "eval_dev_blind4.yaml"
UR_BLIND4_DEV_FILE = ROOT / "tests" / "matching" / "eval_dev_blind4_ur.yaml"
# hard negatives only (hedged, future, negated news; distractors with decisive verbs), written blind
BLIND5_DEV_FILE = ROOT / "tests" / "matching" / "eval_dev_blind5.yaml"
UR_BLIND5_DEV_FILE = ROOT / "tests" / "matching" / "eval_dev_blind5_ur.yaml"
# decisive events across every stakeholder, written blind (round 8)
BLIND6_DEV_FILE = ROOT / "tests" / "matching" / "eval_dev_blind6.yaml"
# the dev sets printed apart after `dev` (each read only when its file exists), in order
EXTRA_DEV_SETS = (
    ("dev (written blind)", BLIND_DEV_FILE),
    ("dev (written blind, round 5)", BLIND2_DEV_FILE),
    ("dev (written blind, round 6)", BLIND3_DEV_FILE),
    ("dev (written blind, round 7)", BLIND4_DEV_FILE),
    ("dev (written blind, hard negatives)", BLIND5_DEV_FILE),
    ("dev (written blind, round 8: events)", BLIND6_DEV_FILE),
    ("dev (Urdu)", UR_DEV_FILE),
    ("dev (Urdu, written blind)", UR_BLIND_DEV_FILE),
    ("dev (Urdu, written blind, round 5)", UR_BLIND2_DEV_FILE),
    ("dev (Urdu, written blind, round 6)", UR_BLIND3_DEV_FILE),
    ("dev (Urdu, written blind, round 7)", UR_BLIND4_DEV_FILE),
    ("dev (Urdu, written blind, hard negatives)", UR_BLIND5_DEV_FILE),
)
FEED_KINDS = ("news", "parliament", "gazette", "press_release")
BILL_KINDS = ("bill_stage", "title_only")
QUIET_KINDS = ("hedged", "distractor")


class EvalFileError(ValueError):
    pass


def load_items(path: Path, split: str | None = None) -> list[dict]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise EvalFileError(f"{path}: expected a list of items")
    for n, item in enumerate(data):
        where = f"{path}: item {item.get('id', n) if isinstance(item, dict) else n}"
        if not isinstance(item, dict):
            raise EvalFileError(f"{where}: expected a mapping")
        for key in ("id", "title", "text"):
            if not isinstance(item.get(key), str):
                raise EvalFileError(f"{where}: {key} is required")
        if item.get("feed_kind", "news") not in FEED_KINDS:
            raise EvalFileError(f"{where}: feed_kind must be one of {', '.join(FEED_KINDS)}")
        if not isinstance(item.get("expected") or [], list):
            raise EvalFileError(f"{where}: expected must be a list of {{code, status}}")
    return [i for i in data if split in (None, "all") or i.get("split", split) == split]


def load_register(path: Path = REGISTER_FILE) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def _kind(item: dict, expected: dict, bill_codes: set[str]) -> str:
    if item.get("kind"):
        return item["kind"]
    if not item.get("expected"):
        return "distractor"
    if expected.keys() & bill_codes and any(v for c, v in expected.items() if c in bill_codes):
        return "bill_stage"
    if any(v for v in expected.values()):
        return "event"
    return "evidence"


def _published(item: dict):
    value = item.get("published")
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def evaluate(items: list[dict], register: dict, *, name: str = "dev", verbose: bool = False) -> dict:
    recs, bills = profiles_from_register(register)
    current = {r.code: r.status for r in recs}
    bill_codes = {r.code for r in recs if r.bill}
    matcher = Matcher(recs, bills)
    m = dict(tp=0, fp=0, fn=0, spurious=0)
    b = dict(tp=0, fp=0, fn=0)
    kinds = {"bill": [0, 0], "event": [0, 0]}
    quiet_implemented = distractor_status = 0
    errors: list[str] = []
    for item in items:
        expected = {}
        for e in item.get("expected") or ():
            status = e.get("status")
            expected[e["code"]] = None if status == current.get(e["code"]) else status
        kind = _kind(item, expected, bill_codes)
        got = {x.code: x for x in matcher.match(item["title"], item["text"], feed_kind=item.get("feed_kind", "news"),
                                               published=_published(item))}
        m["tp"] += len(got.keys() & expected.keys())
        m["fp"] += len(got.keys() - expected.keys())
        m["fn"] += len(expected.keys() - got.keys())
        group = "bill" if kind in BILL_KINDS else "event" if kind == "event" else None
        # a bill item must move every recommendation that tracks the bill; an event, its status-bearing pairs
        judged = expected if group == "bill" else {c: s for c, s in expected.items() if s is not None}
        right = all(c in got and got[c].proposed_status == s for c, s in judged.items())
        if group:
            kinds[group][1] += 1
            kinds[group][0] += right
            if not right:
                errors.append(f"{item['id']} [{kind}] wrong status: " + ", ".join(
                    f"{c} {got[c].proposed_status if c in got else 'no match'} (want {s})"
                    for c, s in judged.items() if not (c in got and got[c].proposed_status == s)))
        for code in got.keys() & expected.keys():
            if expected[code] is None and got[code].proposed_status is not None:
                m["spurious"] += 1
                errors.append(f"{item['id']} {code}: status {got[code].proposed_status} proposed, none due")
        for code in got.keys() - expected.keys():
            errors.append(f"{item['id']} FP {code} ({got[code].score}) {got[code].rationale}")
        for code in expected.keys() - got.keys():
            errors.append(f"{item['id']} FN {code}")
        if kind in QUIET_KINDS:
            if any(x.proposed_status == "implemented" for x in got.values()):
                quiet_implemented += 1
                errors.append(f"{item['id']} [{kind}] proposes implemented")
        if kind == "distractor" and any(x.proposed_status for x in got.values()):
            distractor_status += 1
        base = set(keyword_baseline(recs, item["title"], item["text"]))
        b["tp"] += len(base & expected.keys())
        b["fp"] += len(base - expected.keys())
        b["fn"] += len(expected.keys() - base)
    result = {
        "split": name, "items": len(items),
        "matcher": {"precision": _ratio(m["tp"], m["tp"] + m["fp"]), "recall": _ratio(m["tp"], m["tp"] + m["fn"]),
                    **m, "bill_right": kinds["bill"][0], "bill_items": kinds["bill"][1],
                    "event_right": kinds["event"][0], "event_items": kinds["event"][1],
                    "quiet_implemented": quiet_implemented, "distractor_status": distractor_status},
        # the baseline never proposes statuses
        "baseline": {"precision": _ratio(b["tp"], b["tp"] + b["fp"]), "recall": _ratio(b["tp"], b["tp"] + b["fn"]),
                     **b},
    }
    if verbose:
        result["errors"] = errors
    return result


def table(r: dict) -> str:
    mm, bb = r["matcher"], r["baseline"]
    rows = [("", "matcher", "keyword baseline"),
            ("precision (item, recommendation) pairs", f"{mm['precision']:.3f}", f"{bb['precision']:.3f}"),
            ("recall", f"{mm['recall']:.3f}", f"{bb['recall']:.3f}"),
            ("pairs tp / fp / fn", f"{mm['tp']} / {mm['fp']} / {mm['fn']}", f"{bb['tp']} / {bb['fp']} / {bb['fn']}"),
            ("bill-stage items with the right status", f"{mm['bill_right']} of {mm['bill_items']}",
             f"0 of {mm['bill_items']}"),
            ("decisive events with the right status", f"{mm['event_right']} of {mm['event_items']}",
             f"0 of {mm['event_items']}"),
            ("hedged/future/distractor items proposing implemented", str(mm["quiet_implemented"]), "0"),
            ("distractors proposing any status", str(mm["distractor_status"]), "0"),
            ("statuses proposed where none due (pairs)", str(mm["spurious"]), "0")]
    width = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"split={r['split']}  items={r['items']}"]
    lines += ["  ".join(cell.ljust(width[i]) for i, cell in enumerate(row)) for row in rows]
    return "\n".join(lines)


def decisions_run(path: Path) -> tuple[str, list[dict]]:
    """Review decisions exported by `flask --app tracker matching export-decisions`: every item of the file,
    whatever its split, so the measured quality grows with the decisions people make."""
    return f"decisions ({Path(path).name})", load_items(path, None)


def extra_dev_sets(args) -> list[tuple[str, Path]]:
    if args.no_extra_dev:
        return []
    if args.ur_items:
        return [(name, path) for name, path in EXTRA_DEV_SETS if "Urdu" not in name] + [("dev (Urdu)", args.ur_items)]
    return list(EXTRA_DEV_SETS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all",
                        help="dev, the blind test split (when its file exists), or both (default)")
    parser.add_argument("--items", type=Path, default=DEV_FILE, help="the dev items file")
    parser.add_argument("--test-items", type=Path, default=TEST_FILE, help="the blind test items file")
    parser.add_argument("--ur-items", type=Path, help="only this Urdu dev items file, instead of the Urdu dev sets")
    parser.add_argument("--no-extra-dev", action="store_true",
                        help="measure only --items on dev, not the other dev sets (blind rounds, Urdu)")
    parser.add_argument("--ur-test-items", type=Path, default=UR_TEST_FILE,
                        help="the blind Urdu test items file (read only when it exists)")
    parser.add_argument("--register", type=Path, default=REGISTER_FILE)
    parser.add_argument("--verbose", action="store_true", help="list every error")
    parser.add_argument("--decisions", type=Path, help="score only this file of exported review decisions")
    args = parser.parse_args(argv)
    register = load_register(args.register)
    runs = []
    if args.split in ("dev", "all"):
        if not args.items.exists():
            print(f"no dev items file at {args.items}", file=sys.stderr)
            return 2
        runs.append(("dev", load_items(args.items, "dev")))
        for name, path in extra_dev_sets(args):
            if path.exists():
                runs.append((name, load_items(path, "dev")))
    if args.split in ("test", "all"):
        if not args.test_items.exists() and not args.ur_test_items.exists() and args.split == "test":
            print(f"no test file at {args.test_items} or {args.ur_test_items}", file=sys.stderr)
            return 2
        if args.test_items.exists():
            runs.append(("test", load_items(args.test_items, None)))
        if args.ur_test_items.exists():
            runs.append(("test (Urdu)", load_items(args.ur_test_items, None)))
    if args.decisions:
        try:
            runs = [decisions_run(args.decisions)]
        except (OSError, yaml.YAMLError, EvalFileError) as exc:
            print(exc if isinstance(exc, EvalFileError) else f"{args.decisions}: {exc}", file=sys.stderr)
            return 2
    for name, items in runs:
        result = evaluate(items, register, name=name, verbose=args.verbose)
        print(table(result))
        if args.verbose:
            print("\n".join(result["errors"]))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
