"""The evidence scorer's indexes give what a scan of the whole register gives (they exist so that matching
does not slow down in proportion to the register's size)."""
from tracker.matching.evaluate import DEV_FILE, load_items, load_register
from tracker.matching.lexicon import analyse_item
from tracker.matching.matcher import Matcher, profiles_from_register


def _scan_body_asks(scorer, view):
    present = set(view.concepts) | ({"ccw"} if "fia" in view.concepts else set())
    enough = 1 if view.child else 2
    return [c for c in scorer.recs if not c.rec.bill and c.required <= view.concepts.keys() and (
            (c.title_bodies & present and len(c.required) >= enough) or (view.child and len(c.required) >= 3))]


def test_body_asks_index_finds_what_a_full_scan_finds():
    recs, bills = profiles_from_register(load_register())
    matcher = Matcher(recs, bills)
    scorer = matcher._scorer
    found_any = 0
    for item in load_items(DEV_FILE, "dev"):
        view = analyse_item(item["title"], item["text"], matcher._index)
        indexed = [c.rec.code for c in scorer.body_asks(view)]
        assert indexed == [c.rec.code for c in _scan_body_asks(scorer, view)], item["id"]
        found_any += bool(indexed)
    assert found_any > 0  # the comparison covered items where the rule applies
