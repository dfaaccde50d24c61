"""Pure tests (no database) of the rules files and the engine's modules."""
import shutil

import pytest

from tracker.matching import bills as billing
from tracker.matching.evaluate import load_register
from tracker.matching.lexicon import analyse_item
from tracker.matching.matcher import Matcher, profiles_from_register
from tracker.matching.rules import RULES_DIR, RulesError, load_rules
from tracker.matching.text import phrase_stems, split_sentences, tokenise

ONLINE_BILL = "Criminal Laws (Amendment) Bill on online grooming and child sexual abuse material"


@pytest.fixture(scope="module")
def matcher():
    return Matcher(*profiles_from_register(load_register()))


def _copy_rules(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


def test_shipped_rules_load():
    rules = load_rules()
    assert rules.concept_class("pta") == "entity"
    assert any(s.successor.startswith("National Cyber Crime") and s.date for s in rules.successions)


@pytest.mark.parametrize("file, old, new, entry", [
    ("lexicon.yaml", "    class: entity\n", "    class: entiti\n", "concepts.ccw"),
    ("stages.yaml", "      - '\\bstands? lapsed\\b'\n", "      - '\\bstands? (lapsed\\b'\n", "stages[3] (lapsed).patterns[1]"),
    ("bodies.yaml", "  - concept: pemra\n", "  - concept: pemraa\n", "bodies[2]"),
    ("bodies.yaml", '        date: "2024-05"\n', '        date: "May 2024"\n', "successions[0]"),
    ("events.yaml", "    status: stalled\n", "    status: frozen\n", "(stopped)"),
    ("events.yaml", "    requires: [info_sharing, complaint]\n", "    requires: [info_sharin]\n", "requires[0]"),
])
def test_a_bad_rule_names_file_entry_and_problem(tmp_path, file, old, new, entry):
    rules = _copy_rules(tmp_path)
    text = (rules / file).read_text(encoding="utf-8")
    assert old in text
    (rules / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(rules)
    assert err.value.file.endswith(file) and entry in str(err.value)
    assert err.value.line and f"line {err.value.line}" in str(err.value)


def test_the_error_names_the_line_of_the_bad_entry(tmp_path):
    rules = _copy_rules(tmp_path)
    text = (rules / "stages.yaml").read_text(encoding="utf-8").replace("'\\bstands? lapsed\\b'", "'\\bstands? (lapsed\\b'")
    (rules / "stages.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(rules)
    assert "stands? (lapsed\\b" in text.splitlines()[err.value.line - 1]


def test_broken_yaml_names_the_line(tmp_path):
    rules = _copy_rules(tmp_path)
    (rules / "terms.yaml").write_text("child: [a, b\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"terms.yaml: line \d+"):
        load_rules(rules)


def test_tokens_are_unicode_aware():
    toks = tokenise("بچوں کے آن لائن تحفظ کا بل۔ Parental controls")
    # Urdu function words (کے، کا) are dropped like English stop words; -وں is stemmed (بچوں/بچے/بچہ)
    assert [t.stem for t in toks][:3] == ["بچ", "آن", "لائن"] and toks[-1].stem == "control"
    assert len(split_sentences("پہلا جملہ۔ دوسرا جملہ")) == 2
    assert phrase_stems("parental filters") == ("parental", "filter")


def test_successor_names_count_as_the_body_and_the_rationale_says_so(matcher):
    got = {m.code: m for m in matcher.match(
        "NCCIA gets 300 new investigators", "The cabinet approved 300 new posts and a budget for the "
        "National Cyber Crime Investigation Agency to fight online child sexual abuse material.")}
    assert "GOV-01" in got and "successor of the Cyber Crime Wing" in got["GOV-01"].rationale


def test_event_trigger_is_highlighted_and_hedges_never_implement(matcher):
    text = "The High Court has notified rules for dealing with child victims, binding on subordinate courts."
    got = {m.code: m for m in matcher.match("Court notifies rules for child victims", text)}
    assert got["JUD-01"].proposed_status == "implemented"
    assert any("notified" in text[a:b] for a, b in got["JUD-01"].highlights)
    for hedged in ("Senators urged the High Court to notify rules for dealing with child victims in subordinate courts.",
                   "The High Court will notify rules for dealing with child victims in subordinate courts."):
        assert all(m.proposed_status != "implemented" for m in matcher.match("Court rules for child victims", hedged))


@pytest.mark.parametrize("title, text, status", [
    # officialese and nominal forms of the same deed
    ("Ministry of Interior: Notification", "The competent authority has been pleased to notify the standard operating "
     "procedures for investigating online child sexual exploitation cases, with immediate effect.", "implemented"),
    ("Cabinet nod to SOPs", "The federal cabinet accorded approval to standard operating procedures for investigating "
     "online child sexual exploitation.", "implemented"),
    # one province or one court: part of a national ask; the headline's scope counts for the text's event
    ("Punjab notifies SOPs", "The home department has notified standard operating procedures for investigating online "
     "child sexual exploitation.", "partially_implemented"),
    ("Rules notified", "The Lahore High Court has notified rules for dealing with child victims, binding on "
     "subordinate courts.", "partially_implemented"),
    # an upper-case wire dateline is not a scope; "nationwide" overrides a place named in passing
    ("SOPs notified", "ISLAMABAD, Jun 3 (APP): The interior ministry notified standard operating procedures for "
     "investigating online child sexual exploitation nationwide, at a ceremony in Lahore.", "implemented"),
    # the stall is the predicate, the participle before it is not an event
    ("Database plan shelved", "The plan for a national database of child sexual abuse images linked to INTERPOL's "
     "ICSE database has been shelved.", "stalled"),
])
def test_event_verb_classes_scope_and_predicate(matcher, title, text, status):
    got = [m.proposed_status for m in matcher.match(title, text) if m.proposed_status]
    assert got and got[0] == status, got


def test_background_clause_is_not_the_news(matcher):
    got = matcher.match("Senate passes bill on online grooming",
                        "The Senate passed the " + ONLINE_BILL + ". The bill had been reintroduced after it lapsed.")
    assert {m.stage for m in got} == {"passed_first_house"}


def test_history_proposes_nothing(matcher):
    text = "The National Assembly passed the " + ONLINE_BILL + "."
    assert matcher.match("NA passes bill", text, published="2022-05-01") == []
    assert {m.stage for m in matcher.match("NA passes bill", text, published="2025-05-01")} == {"passed_first_house"}


def test_stage_relative_to_the_record():
    profile = billing.BillProfile("b", "Criminal Laws (Amendment) Bill, 2022", (), ("online grooming",),
                                  stages=(billing.RecordedStage("introduced", "2025-01", "Senate", 2),
                                          billing.RecordedStage("passed_first_house", "2025-02", "Senate", 2)))
    bill = billing.compile_bill(profile)
    view = analyse_item("NA passes bill", "The National Assembly passed the bill on online grooming.")
    assert billing.read_bill(bill, view, "news").stage == "passed_second_house"
    lapsed = billing.read_bill(bill, analyse_item("", "The bill on online grooming was not taken up within the "
                                                      "constitutional period."), "news")
    assert lapsed.stage == "lapsed"


def test_listing_identity_reads_act_number():
    bill = billing.compile_bill(billing.BillProfile("b", "Criminal Laws (Amendment) Bill, 2022", (), ("grooming",)))
    view = analyse_item("Gazette", "Act No. XVII of 2025 [Criminal Laws (Amendment) Act, 2025].")
    identity, _spans = billing.listed_identity(bill, view)
    assert (identity.year, identity.act_number) == ("2025", "XVII of 2025")
    assert not billing.is_confirmed(bill, identity)


def test_an_urdu_variant_in_the_lexicon_is_matched(tmp_path):
    """Urdu joins the same files later: a variant in Urdu script is found in Urdu text."""
    import os
    import subprocess
    import sys
    rules = _copy_rules(tmp_path)
    lexicon = (rules / "lexicon.yaml").read_text(encoding="utf-8")
    lexicon = lexicon.replace('      - "child sexual abuse material"\n',
                              '      - "child sexual abuse material"\n      - "بچوں کے جنسی استحصال کا مواد"\n', 1)
    (rules / "lexicon.yaml").write_text(lexicon, encoding="utf-8")
    script = ("from tracker.matching.lexicon import analyse_item;"
              "v = analyse_item('', 'حکومت نے بچوں کے جنسی استحصال کا مواد روکنے کا فیصلہ کیا۔');"
              "print(sorted(v.concepts))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={**os.environ, "TRACKER_MATCHING_RULES": str(rules)}).stdout
    assert "csam" in out


@pytest.mark.parametrize("feed_kind, text, stage", [
    ("parliament", "National Assembly: Bills presented. The Criminal Laws (Amendment) Bill, 2025 (Government Bill) "
     "presented by the Minister for Law and Justice.", "introduced"),
    ("news", "Law minister tables " + ONLINE_BILL + " in the upper house.", "introduced"),
    ("news", ONLINE_BILL + " sailed through the National Assembly on Monday.", "passed_first_house"),
    ("parliament", "Report of the Standing Committee on Law and Justice on the Criminal Laws (Amendment) Bill, 2025 "
     "(Government Bill) presented by the Chairman of the Committee.", "committee_report"),
])
def test_stage_wording_and_listings(matcher, feed_kind, text, stage):
    got = matcher.match("Legislative business", text, feed_kind=feed_kind, published="2025-06-01")
    assert {m.stage for m in got if m.code == "LEG-01"} == {stage}
