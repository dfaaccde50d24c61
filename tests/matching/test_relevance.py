"""The learned relevance model: its file is validated, its arithmetic is scikit-learn's, and the matcher uses
it only to add what the rules missed (with a rationale) and to drop weak guesses."""
import dataclasses
import json

import pytest

from tracker.matching import train_relevance
from tracker.matching.evaluate import load_register
from tracker.matching.matcher import Matcher, profiles_from_register
from tracker.matching.relevance import MODEL_FILE, load_model, parse_model, terms
from tracker.matching.rules import RulesError

HELPLINE = ("Helpline for children launched", "The ministry launched a toll-free helpline where children can "
            "report online abuse, open round the clock.")
ITEMS = [
    {"title": "Helpline for children launched", "text": "Children can now call a helpline to report online abuse.",
     "expected": [{"code": "CHI-02"}]},
    {"title": "Abuse reporting line opens", "text": "A reporting line for children facing abuse online opened today.",
     "expected": [{"code": "CHI-02"}]},
    {"title": "Judges trained", "text": "Judges completed a course on hearing child victims of online abuse.",
     "expected": [{"code": "JUD-05"}]},
    {"title": "Court training for judges", "text": "The judicial academy trained judges on child-friendly hearings.",
     "expected": [{"code": "JUD-05"}]},
    {"title": "Cricket", "text": "Pakistan beat Sri Lanka by six wickets in the third match.", "expected": []},
    {"title": "Petrol prices", "text": "Petrol prices were raised by five rupees a litre.", "expected": []},
]


@pytest.fixture(scope="module")
def profiles():
    recs, bills = profiles_from_register(load_register())
    return [dataclasses.replace(r, status="not_assessed") for r in recs], bills


def small_model(**thresholds):
    data = train_relevance.train(ITEMS, ["CHI-02", "JUD-05"])
    data["thresholds"] = {"add": 0.8, "veto": 0.05, "weak": 0.7, **thresholds}
    return parse_model(data)


def test_terms_are_lower_case_words_without_function_words():
    assert terms("The NCCIA's new Helpline, for children: 24/7") == ["nccia", "new", "helpline", "children"]


def test_a_possessive_reads_as_its_noun_and_other_apostrophes_are_dropped():
    assert terms("INTERPOL’s database") == terms("INTERPOL database") == ["interpol", "database"]
    assert terms("parents don't know") == ["parents", "dont", "know"]


def test_probabilities_are_scikit_learns():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    train_relevance_prune = train_relevance.PRUNE
    train_relevance.PRUNE = 0.0  # keep every weight, to compare with scikit-learn exactly
    try:
        model = parse_model({**train_relevance.train(ITEMS, ["CHI-02"]),
                             "thresholds": {"add": 0.8, "veto": 0.05, "weak": 0.7}})
    finally:
        train_relevance.PRUNE = train_relevance_prune
    texts = [f"{i['title']}. {i['text']}" for i in ITEMS]
    vectoriser = TfidfVectorizer(analyzer=terms, sublinear_tf=True)
    fit = LogisticRegression(C=train_relevance.C, class_weight="balanced", max_iter=5000).fit(
        vectoriser.fit_transform(texts), [bool(i["expected"]) and i["expected"][0]["code"] == "CHI-02" for i in ITEMS])
    title, text = HELPLINE
    expected = fit.predict_proba(vectoriser.transform([f"{title}. {text}"]))[0, 1]
    assert model.probabilities(title, text)["CHI-02"] == pytest.approx(expected, abs=2e-3)


def test_the_model_adds_what_the_rules_miss_with_a_rationale(profiles):
    recs, bills = profiles
    title, text = "Reporting line for children opens", "A reporting line for children facing abuse online opened."
    rules_only = {m.code for m in Matcher(recs, bills, relevance=None).match(title, text)}
    learned = {m.code: m for m in Matcher(recs, bills, relevance=small_model()).match(title, text)}
    assert "CHI-02" not in rules_only
    assert "CHI-02" in learned
    added = learned["CHI-02"]
    assert added.rationale.startswith("Learned from the labelled news")
    assert "“reporting”" in added.rationale or "“line”" in added.rationale
    assert added.highlights, "the words the model read are highlighted"
    from tracker.matching.presentation import match_strength
    assert match_strength(added.score).key != "strong"  # the model alone never makes a "strong match"


def test_the_model_never_adds_to_an_item_the_rules_gate_out(profiles):
    recs, bills = profiles
    # no domain word at all: the rules' gate says no before any model is asked
    assert Matcher(recs, bills, relevance=small_model(add=0.0)).match("Cricket", "Pakistan won the match.") == []


def test_a_weak_rule_match_the_model_finds_unlikely_is_dropped(profiles):
    recs, bills = profiles
    title, text = HELPLINE
    rules = {m.code: m for m in Matcher(recs, bills, relevance=None).match(title, text)}
    assert rules, "the rules match the helpline item"
    strict = Matcher(recs, bills, relevance=small_model(veto=1.0, weak=1.0, add=1.0)).match(title, text)
    # every rule match is weak (< 1.0), and every recommendation the model knows is unlikely (< 1.0): all go,
    # except those the model has no weights for, which it cannot judge
    assert {m.code for m in strict} == {c for c in rules if c not in ("CHI-02", "JUD-05")}


def test_urdu_items_are_left_to_the_rules(profiles):
    recs, bills = profiles
    title, text = "بچوں کے لیے ہیلپ لائن", "وزارت نے بچوں کے لیے آن لائن زیادتی کی شکایت کے لیے ہیلپ لائن شروع کر دی۔"
    rules = [(m.code, m.proposed_status) for m in Matcher(recs, bills, relevance=None).match(title, text)]
    learned = [(m.code, m.proposed_status) for m in
               Matcher(recs, bills, relevance=small_model(add=0.0, veto=1.0, weak=1.0)).match(title, text)]
    assert learned == rules


@pytest.mark.parametrize("change, problem", [
    (lambda d: d.pop("idf"), "idf: missing"),
    (lambda d: d.__setitem__("idf", d["idf"][:-1]), "one per vocabulary word"),
    (lambda d: d["weights"]["CHI-02"]["terms"].__setitem__("zebra", 1.0), "weights.CHI-02.terms.zebra: is not in"),
    (lambda d: d["weights"]["CHI-02"].pop("intercept"), "weights.CHI-02: needs a numeric `intercept`"),
    (lambda d: d["thresholds"].__setitem__("add", 3), "thresholds.add: must be a number from 0 to 1"),
])
def test_a_broken_model_file_is_refused_with_the_entry_named(change, problem):
    data = {**train_relevance.train(ITEMS, ["CHI-02"]), "thresholds": {"add": 0.8, "veto": 0.05, "weak": 0.7}}
    change(data)
    with pytest.raises(RulesError) as info:
        parse_model(data)
    assert "relevance.json" in str(info.value) and problem in str(info.value)


def test_a_model_file_that_is_not_json_names_its_line(tmp_path):
    path = tmp_path / "relevance.json"
    path.write_text('{"vocabulary": [\n  "a",\n  oops]}', encoding="utf-8")
    with pytest.raises(RulesError, match=r"relevance.json: line 3: not valid JSON"):
        load_model(path)


def test_no_model_file_means_rules_only(tmp_path):
    assert load_model(tmp_path / "missing.json") is None


def test_the_shipped_model_was_trained_on_the_current_dev_files():
    # adding or relabelling dev items means retraining: `python -m tracker.matching.train_relevance`
    assert train_relevance.main(["--check"]) == 0
    shipped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert not any("test" in name for name in shipped["trained_on"]), "never trained on the frozen test split"
    assert load_model() is not None


def test_the_model_never_overrules_the_bill_tracking(profiles):
    recs, bills = profiles
    bill_codes = {r.code for r in recs if r.bill}
    items = ITEMS + [{"title": "Bill passed", "text": "The Senate passed the bill on online grooming of children.",
                      "expected": [{"code": c} for c in sorted(bill_codes)]}]
    data = train_relevance.train(items, sorted(bill_codes | {"CHI-02"}))
    model = parse_model({**data, "thresholds": {"add": 0.0, "veto": 0.0, "weak": 0.0}})
    # another bill of the same title: the bill tracking says no, and a model that would add anything cannot
    text = ("The Senate Standing Committee on Law and Justice approved the Criminal Laws (Amendment) Bill, 2026, "
            "which aims to raise the penalty for children's online gaming fraud.")
    codes = {m.code for m in Matcher(recs, bills, relevance=model).match("Senate panel approves bill", text)}
    assert "CHI-02" in codes  # the model did add what it could
    assert not codes & bill_codes
    # an item about the bill that never names it by title is the model's to judge, evidence only
    named_not = Matcher(recs, bills, relevance=model).match(
        "Child online safety law", "Rights groups said the pending child online safety law would protect children.")
    added = {m.code: m for m in named_not if m.code in bill_codes}
    assert added and all(m.proposed_status is None for m in added.values())
