"""Round 8, decisive events: each mechanism by its behaviour on items of our own, in new words."""
import dataclasses

import pytest

from tracker.matching.evaluate import load_register
from tracker.matching.matcher import Matcher, profiles_from_register


@pytest.fixture(scope="module")
def matcher():
    recs, bills = profiles_from_register(load_register())
    return Matcher([dataclasses.replace(r, status="not_assessed") for r in recs], bills)


def statuses(title, text, matcher, **kw):
    return {m.code: m.proposed_status for m in matcher.match(title, text, **kw)}


# (headline, text, recommendation, the status it proposes), one per mechanism (its id)
CASES = [
    pytest.param(
        "Task force named on investigation SOPs for online child abuse",
        ("The Interior Division said a six-member task force has been constituted to formulate standard "
         "operating procedures for investigating the online sexual abuse of children, and will report in "
         "two months."),
        "GOV-11", "in_progress", id="a_body_constituted_in_the_passive_to_formulate_is_a_step"),
    pytest.param(
        "Ministry nods to partnership with ECPAT, subject to clearance in principle",
        ("The Ministry of Human Rights okays partnership with ECPAT International, in principle, on "
         "protecting children from online sexual exploitation; the foreign office's clearance is awaited."),
        "INT-05", "in_progress", id="an_approval_in_principle_later_in_the_sentence_is_a_step"),
    pytest.param(
        "Child commission orders survey of children's internet use",
        ("The National Commission on the Rights of Child has commissioned a study on the risks children "
         "meet online, covering 4,000 schoolchildren in all provinces."),
        "NHRI-07", "in_progress", id="a_study_commissioned_is_begun_not_done"),
    pytest.param(
        "Child commission begins fieldwork for study on children online",
        ("The National Commission on the Rights of Child has started fieldwork for a national study on the "
         "risks children face online, covering 4,000 schoolchildren."),
        "NHRI-07", "in_progress", id="fieldwork_started_is_research_in_progress"),
    pytest.param(
        "Commission texts online safety tips to mobile users",
        ("The National Commission on the Rights of Child, with the PTA and PEMRA, sent an awareness message "
         "on online grooming to all mobile subscribers and television viewers across the country."),
        "NHRI-01", "implemented", id="an_awareness_message_sent_is_publicity_done"),
    pytest.param(
        "Child witnesses get a room of their own at Quetta courts",
        ("Child victims and witnesses at the Quetta district courts will now wait apart from the accused, "
         "after the Balochistan High Court Chief Justice opened a separate child-friendly waiting room "
         "on Tuesday."),
        "JUD-04", "partially_implemented", id="a_deed_dated_to_the_news_day_after_after_is_no_recall"),
    pytest.param(
        "Ministry turns down cross-border jurisdiction test for child victims",
        ("The ministry said jurisdiction in online abuse cases spanning several countries would stay "
         "with territorial links alone."),
        "INT-01", "stalled", id="a_headline_s_turns_down_is_a_stall"),
]


@pytest.mark.parametrize("title, text, code, status", CASES)
def test_the_event_proposes_its_status(matcher, title, text, code, status):
    assert statuses(title, text, matcher).get(code, "no match") == status


def test_a_study_s_findings_released_are_still_done(matcher):
    got = statuses("Child commission releases national study on children online",
                   ("The National Commission on the Rights of Child on Monday released a national study on the "
                    "risks children face online, based on a survey of 5,000 children."), matcher)
    assert got.get("NHRI-07") == "implemented"


def test_posters_displayed_in_the_passive_are_publicity_done(matcher):
    got = statuses("Helpline posters go up in Sindh's schools",
                   ("Posters carrying the 1991 cybercrime helpline have been displayed in 9,000 schools of "
                    "Sindh to help children report online blackmail."), matcher)
    assert got.get("GOV-06") == "partially_implemented"


@pytest.mark.parametrize("old, new, entry", [
    ("process_body_passive:\n  - '", "process_body_passive:\n  - '(", "process_body_passive"),
    ("step_after:\n  - '", "step_after:\n  - '(", "step_after"),
    ("news_day:\n    - '", "news_day:\n    - '(", "news_day"),
])
def test_the_new_event_keys_are_validated(tmp_path, old, new, entry):
    import shutil

    from tracker.matching.rules import RULES_DIR, RulesError, load_rules
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    text = (target / "events.yaml").read_text(encoding="utf-8")
    assert old in text
    (target / "events.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(target)
    assert "events.yaml" in str(err.value) and entry in str(err.value)
