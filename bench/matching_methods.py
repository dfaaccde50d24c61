"""Rules against BM25 (and rules + BM25) on the dev split, with 5-fold cross-validation.

    .venv/bin/python bench/matching_methods.py

BM25 (Okapi, k1=1.5, b=0.75) ranks recommendations (title + source text + keywords) for each item; an
item is matched to those scoring at least T and at least R × the item's best score. T and R are chosen
on four folds (best F1 of pairs) and measured on the fifth. "rules + BM25" adds BM25's top pair to the
rules' pairs when its score is at least a (fitted) high threshold. The rules have no parameter fitted per
fold, but were tuned on the whole dev split: their figure is optimistic, which only the blind test split
corrects. Pairs are (item, recommendation); bill items count too (BM25 has no bill logic).
"""
import math
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.matching.evaluate import DEV_FILE, _published, load_items, load_register  # noqa: E402
from tracker.matching.matcher import Matcher, profiles_from_register  # noqa: E402
from tracker.matching.text import tokenise  # noqa: E402


class BM25:
    def __init__(self, docs: dict[str, list[str]], k1: float = 1.5, b: float = 0.75):
        self.docs = {k: Counter(v) for k, v in docs.items()}
        self.len = {k: len(v) for k, v in docs.items()}
        self.avg = sum(self.len.values()) / len(self.len)
        df = Counter(t for v in self.docs.values() for t in v)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.k1, self.b = k1, b

    def scores(self, query: list[str]) -> dict[str, float]:
        q = Counter(query)
        out = {}
        for code, tf in self.docs.items():
            s = 0.0
            for t in q:
                if t in tf:
                    f = tf[t]
                    s += self.idf[t] * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * self.len[code] / self.avg))
            out[code] = s
        return out


def prf(pairs_got, pairs_want):
    tp = len(pairs_got & pairs_want)
    p = tp / len(pairs_got) if pairs_got else 1.0
    r = tp / len(pairs_want) if pairs_want else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    register = load_register()
    recs, bills = profiles_from_register(register)
    items = load_items(DEV_FILE, "dev")
    random.Random(9).shuffle(items)
    matcher = Matcher(recs, bills)
    stems = lambda s: [t.stem for t in tokenise(s)]  # noqa: E731
    bm25 = BM25({r.code: stems(" ".join((r.title, r.source_text, *r.keywords))) for r in recs})
    want = {(i["id"], e["code"]) for i in items for e in i.get("expected") or ()}
    rules = {(i["id"], m.code) for i in items
             for m in matcher.match(i["title"], i["text"], feed_kind=i.get("feed_kind", "news"),
                                    published=_published(i))}
    scored = {i["id"]: bm25.scores(stems(i["title"] + " " + i["text"])) for i in items}

    def bm25_pairs(ids, t, r):
        out = set()
        for i in ids:
            s = scored[i]
            best = max(s.values())
            out |= {(i, c) for c, v in s.items() if v >= t and v >= r * best}
        return out

    def hybrid_pairs(ids, t):
        out = {p for p in rules if p[0] in ids}
        for i in ids:
            code, v = max(scored[i].items(), key=lambda kv: kv[1])
            if v >= t:
                out.add((i, code))
        return out

    folds = [items[k::5] for k in range(5)]
    grid_t = [2, 4, 6, 8, 10, 12, 15, 18, 22, 26, 30]
    grid_r = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    totals = {"rules": [set(), set()], "bm25": [set(), set()], "rules + BM25": [set(), set()]}
    for k, fold in enumerate(folds):
        test_ids = {i["id"] for i in fold}
        train_ids = {i["id"] for i in items} - test_ids
        w_train = {p for p in want if p[0] in train_ids}
        w_test = {p for p in want if p[0] in test_ids}
        t, r = max(((t, r) for t in grid_t for r in grid_r),
                   key=lambda tr: prf(bm25_pairs(train_ids, *tr), w_train)[2])
        th = max(grid_t, key=lambda t: prf(hybrid_pairs(train_ids, t), w_train)[2])
        for name, got in (("rules", {p for p in rules if p[0] in test_ids}),
                          ("bm25", bm25_pairs(test_ids, t, r)), ("rules + BM25", hybrid_pairs(test_ids, th))):
            totals[name][0] |= got
            totals[name][1] |= w_test
        print(f"fold {k}: BM25 T={t} R={r}; hybrid T={th}")
    print(f"\n{'method':14} precision  recall  F1   (5-fold CV on dev, {len(items)} items, {len(want)} pairs)")
    for name, (got, w) in totals.items():
        p, r, f = prf(got, w)
        print(f"{name:14} {p:9.3f} {r:7.3f} {f:5.3f}")


if __name__ == "__main__":
    main()
