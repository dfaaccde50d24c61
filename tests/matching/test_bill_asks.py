"""An item about the tracked bill that reports no stage of it is evidence only for the asks the register
names (feeds/register.yaml `passage_asks`, `advocacy_asks`); a stage, a step before parliament or a recount
of an earlier stage is evidence for every recommendation that tracks the bill. English and Urdu."""
import copy
import dataclasses

import pytest

from tracker.matching.bill_asks import BillAsks, bill_asks_from_register, load_bill_asks
from tracker.matching.evaluate import load_register
from tracker.matching.matcher import Matcher, profiles_from_register
from tracker.matching.rules import RulesError

BILL_CODES = {"LEG-01", "LEG-02", "LEG-03", "LEG-04", "LEG-05", "CSO-02"}
SLUG = "criminal-laws-amendment-2022"


@pytest.fixture(scope="module")
def register():
    return load_register()


@pytest.fixture(scope="module")
def fresh(register):
    """Every recommendation not yet assessed, so a stage proposes a status for each."""
    recs, bills = profiles_from_register(register)
    return Matcher([dataclasses.replace(r, status="not_assessed") for r in recs], bills)


def bill_matches(matcher, title, text, published="2026-03-02"):
    return {m.code: m for m in matcher.match(title, text, published=published) if m.code in BILL_CODES}


DEMANDS = [
    ("Opposition asks government to bring child online safety bill back to parliament",
     "Opposition leaders on Thursday asked the government to bring the Criminal Laws (Amendment) Bill on "
     "online grooming and sextortion back to parliament without further delay."),
    ("اپوزیشن کا بچوں کے آن لائن تحفظ کا بل لانے کا مطالبہ",
     "اپوزیشن رہنماؤں نے مطالبہ کیا کہ بچوں کو آن لائن جنسی استحصال سے بچانے کا فوجداری قوانین (ترمیمی) بل "
     "فوری طور پر پارلیمنٹ میں لایا جائے۔"),
]
ADVOCACY = [
    ("Child rights groups start signature drive for online safety bill",
     "A network of child rights organisations on Saturday launched a signature campaign in Karachi urging "
     "senators to pass the pending Criminal Laws (Amendment) Bill on online grooming and sextortion."),
    ("بچوں کے حقوق کی تنظیموں کا لاہور میں مظاہرہ",
     "بچوں کے حقوق کی تنظیموں کے اتحاد نے لاہور میں مظاہرہ کیا اور بچوں کو آن لائن جنسی استحصال سے بچانے "
     "کے فوجداری قوانین (ترمیمی) بل کی فوری منظوری کا مطالبہ کیا۔"),
]
STAGES = [
    ("NA passes bill against online grooming",
     "The National Assembly on Wednesday passed the Criminal Laws (Amendment) Bill, 2026 on online grooming "
     "and sextortion of children."),
    ("قومی اسمبلی سے بچوں کے آن لائن تحفظ کا بل منظور",
     "قومی اسمبلی نے بدھ کو بچوں کے آن لائن جنسی استحصال کے خلاف فوجداری قوانین (ترمیمی) بل 2026 منظور کر لیا۔"),
]
RECOUNTS = [
    ("A law that ran out of time",
     "In 2022 the National Assembly passed the Criminal Laws (Amendment) Bill on online grooming and "
     "sextortion, but it lapsed in the Senate, speakers recalled at a seminar on child online safety."),
    ("بچوں کے آن لائن تحفظ کا بل کہاں گم ہو گیا؟",
     "فوجداری قوانین (ترمیمی) بل، جو آن لائن گرومنگ اور سیکسٹارشن کے خلاف تھا، قومی اسمبلی نے 2022 میں "
     "منظور کیا تھا مگر سینیٹ سے منظوری نہ ملنے پر ختم ہو گیا تھا۔"),
]


@pytest.mark.parametrize("title,text", DEMANDS, ids=["en", "ur"])
def test_a_demand_about_the_bill_is_evidence_for_its_passage_only(fresh, title, text):
    found = bill_matches(fresh, title, text)
    assert set(found) == {"LEG-01"}
    assert found["LEG-01"].proposed_status is None and found["LEG-01"].stage is None


@pytest.mark.parametrize("title,text", ADVOCACY, ids=["en", "ur"])
def test_civil_society_advocating_adds_the_advocacy_ask(fresh, title, text):
    found = bill_matches(fresh, title, text)
    assert set(found) == {"LEG-01", "CSO-02"}
    assert all(m.proposed_status is None for m in found.values())


@pytest.mark.parametrize("title,text", STAGES, ids=["en", "ur"])
def test_a_stage_is_evidence_for_every_ask_of_the_bill(fresh, title, text):
    found = bill_matches(fresh, title, text)
    assert set(found) == BILL_CODES
    assert {m.proposed_status for m in found.values()} == {"in_progress"}
    assert {m.stage for m in found.values()} == {"passed_first_house"}


@pytest.mark.parametrize("title,text", RECOUNTS, ids=["en", "ur"])
def test_a_recount_of_an_earlier_stage_is_evidence_for_every_ask_with_no_status(fresh, title, text):
    found = bill_matches(fresh, title, text)
    assert set(found) == BILL_CODES
    assert all(m.proposed_status is None and m.stage is None for m in found.values())


def test_a_step_before_parliament_still_moves_every_ask(fresh):
    found = bill_matches(fresh, "Cabinet clears child online safety bill",
                         "The federal cabinet on Tuesday approved the draft Criminal Laws (Amendment) Bill on online "
                         "grooming and sextortion for introduction in the National Assembly.")
    assert set(found) == BILL_CODES
    assert {m.proposed_status for m in found.values()} == {"in_progress"}


def test_the_asks_are_data(register):
    """Other data, other asks: the register decides, not the code."""
    recs, bills = profiles_from_register(register)
    recs = [dataclasses.replace(r, status="not_assessed") for r in recs]
    title, text = DEMANDS[0]
    assert bill_matches(Matcher(recs, bills, {}), title, text) == {}
    only_agencies = Matcher(recs, bills, {SLUG: BillAsks(passage=("LEG-02",))})
    assert set(bill_matches(only_agencies, title, text)) == {"LEG-02"}


def test_the_register_names_the_passage_and_advocacy_asks(register):
    asks = bill_asks_from_register(register)[SLUG]
    assert asks.passage == ("LEG-01",) and asks.advocacy == ("CSO-02",)
    assert load_bill_asks()[SLUG].passage == ("LEG-01",)


def _bill(register, **fields):
    data = copy.deepcopy(register)
    bill = next(b for b in data["bills"] if b["slug"] == SLUG)
    bill.update(fields)
    return data


@pytest.mark.parametrize("fields,problem", [
    ({"passage_asks": ["GOV-01"]}, "GOV-01 is not a recommendation that tracks this bill"),
    ({"passage_asks": "LEG-01"}, "expected a list of recommendation codes"),
    ({"advocacy_asks": ["CSO-02"]}, "expected a mapping of codes, actors, actions"),
    ({"advocacy_asks": {"codes": ["CSO-02"], "actors": ["civil society"], "actions": ["lobby"], "who": 1}},
     "unknown field(s) who"),
    ({"advocacy_asks": {"codes": [], "actors": ["civil society"], "actions": ["lobby"]}}, "non-empty list of codes"),
    ({"advocacy_asks": {"codes": ["CSO-02"], "actions": ["lobby"]}}, "non-empty list of regular expressions"),
    ({"advocacy_asks": {"codes": ["CSO-02"], "actors": ["civil society"], "actions": ["(lobby"]}},
     "bad regular expression"),
])
def test_bad_register_fields_are_named(register, fields, problem):
    with pytest.raises(RulesError) as exc:
        bill_asks_from_register(_bill(register, **fields), "register.yaml")
    message = str(exc.value)
    assert message.startswith("register.yaml: ") and f"bills[0] ({SLUG})" in message and problem in message
    assert next(iter(fields)) in message  # the field


def test_a_bad_register_file_is_named(tmp_path, register):
    import yaml
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(_bill(register, passage_asks=["CHI-01"]), allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulesError, match=r"register\.yaml: bills\[0\] \(criminal-laws-amendment-2022\)\.passage_asks"):
        load_bill_asks(path)
