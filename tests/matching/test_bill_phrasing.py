"""Bill phrasing (round 5): mechanisms for news about the tracked bill phrased in ways the stage rules missed.

Each test states a class of wording in words of its own (not copied from any evaluation file) and what the
matcher must do with it: passage told across a clause boundary or "clause by clause", committee consideration
and deferral (the bill stays under consideration), the Gazette publishing a Bill as introduced, the bill named
only by its recorded title and year or as "the amendments to PECA", appeals and recollections that name stages.
"""
import dataclasses

import pytest

from tracker.matching.evaluate import load_register
from tracker.matching.matcher import Matcher, profiles_from_register

BILL_CODES = {"LEG-01", "LEG-02", "LEG-03", "LEG-04", "LEG-05", "CSO-02"}


@pytest.fixture(scope="module")
def matcher():
    recs, bills = profiles_from_register(load_register())
    return Matcher([dataclasses.replace(r, status="not_assessed") for r in recs], bills)


def bill_matches(matches):
    return {m.code: m for m in matches if m.code in BILL_CODES}


def statuses(matches):
    return {m.proposed_status for m in bill_matches(matches).values()}


# ---------------------------------------------------------------------------- passage

@pytest.mark.parametrize("title, text", [
    # a phrase skipped as background in one clause is read again from the next clause
    ("Lawmakers act on grooming bill", "Two years after the Senate first took up the issue, the National Assembly on "
                                  "Thursday once more passed legislation to protect children from online grooming."),
    # the house's reading ending in passage
    ("Sextortion law moves ahead", "The bill against sextortion of children, moved by the interior minister, was "
                                   "adopted clause-by-clause by a show of hands."),
])
def test_passage_phrased_as_news(matcher, title, text):
    found = matcher.match(title, text, published="2026-05-07")
    assert bill_matches(found).keys() == BILL_CODES
    assert statuses(found) == {"in_progress"}
    assert {m.stage for m in bill_matches(found).values()} == {"passed_first_house"}


def test_a_year_in_a_sentence_with_its_own_stage_dates_that_stage_only(matcher):
    text = ("The National Assembly has adopted by majority vote the bill on online sexual abuse of children. "
            "It may be noted that a similar bill got through the house in 2022 but it lapsed in the Senate.")
    found = matcher.match("NA adopts child abuse bill", text, published="2026-04-02")
    assert statuses(found) == {"in_progress"}


def test_passed_away_is_no_passage(matcher):
    text = ("A former senator who steered the bill on online grooming of children through the upper house "
            "passed away in Karachi on Friday. He was 71.")
    found = matcher.match("Former senator dies", text, published="2026-02-13")
    assert statuses(found) <= {None}


def test_a_recollection_of_a_stage_proposes_nothing(matcher):
    text = ("Speakers at the memorial remembered how she got the bill on sexual extortion of children passed "
            "by the lower house despite opposition. Her family thanked the gathering.")
    found = matcher.match("Tributes paid to child rights campaigner", text, published="2026-03-09")
    assert bill_matches(found) and statuses(found) == {None}


# ---------------------------------------------------------------------------- under consideration

@pytest.mark.parametrize("text", [
    "The Senate Standing Committee on Human Rights started its clause by clause review of the bill on online "
    "sexual exploitation of children on Thursday.",
    "The Senate Standing Committee on Human Rights on Thursday constituted a two-member sub-committee to examine "
    "the bill on online sexual exploitation of children.",
    "The National Assembly postponed consideration of the bill on online sexual exploitation of children until "
    "next week as the law minister was abroad.",
])
def test_a_committee_reading_or_a_deferral_keeps_the_bill_under_consideration(matcher, text):
    found = bill_matches(matcher.match("Child exploitation bill", text, published="2026-06-11"))
    assert found.keys() == BILL_CODES
    assert {m.proposed_status for m in found.values()} == {"in_progress"}
    assert {m.stage for m in found.values()} == {None}  # no parliamentary stage to record
    assert "Under consideration" in found["LEG-01"].rationale


def test_a_deferral_sine_die_shelves_the_bill(matcher):
    text = "The Senate deferred the bill on online sexual exploitation of children sine die."
    found = matcher.match("Bill deferred", text, published="2026-06-11")
    # shelved: stalled, with no stage recorded
    assert statuses(found) == {"stalled"} and {m.stage for m in found} == {None}
    assert "Deferred with no date set (“deferred the bill on online sexual exploitation of children sine die”)" \
        in found[0].rationale


def test_a_deferral_that_may_be_open_ended_shelves_nothing(matcher):
    text = "Senators urged the chairman not to defer the bill on online sexual exploitation of children indefinitely."
    assert "stalled" not in statuses(matcher.match("Bill on agenda", text, published="2026-06-11"))


def test_an_appeal_ending_in_the_step_is_no_step(matcher):
    found = matcher.match("MNAs call for reintroduction of child online protection bill",
                          "Women lawmakers want the bill on online grooming of children back in the house.",
                          published="2026-01-20")
    assert bill_matches(found) and statuses(found) == {None}


# ---------------------------------------------------------------------------- the Gazette

GAZETTE_BILL = ("The following Bill was presented in the Senate on 3rd March, 2026 and is hereby published for "
                "general information: Bill No. 9 of 2026. A Bill further to amend the Pakistan Penal Code, 1860. "
                "This Act may be called the Criminal Laws (Amendment) Act, 2026.")


def test_the_gazette_publishing_a_bill_is_its_introduction(matcher):
    found = matcher.match("Gazette of Pakistan, Extraordinary, Part IV", GAZETTE_BILL, feed_kind="gazette",
                          published="2026-03-06")
    assert statuses(found) == {"in_progress"}
    assert {m.stage for m in bill_matches(found).values()} == {"introduced"}


def test_the_gazette_publishing_an_act_is_the_act(matcher):
    text = ("The following Act of Majlis-e-Shoora (Parliament) received the assent of the President on 2nd June, "
            "2026 and is hereby published for general information: Act No. XII of 2026. An Act further to amend "
            "the Pakistan Penal Code, 1860. This Act may be called the Criminal Laws (Amendment) Act, 2026.")
    found = matcher.match("Gazette of Pakistan, Extraordinary, Part I", text, feed_kind="gazette",
                          published="2026-06-04")
    assert statuses(found) & {"implemented", "partially_implemented"}


# ---------------------------------------------------------------------------- naming the bill

def test_the_recorded_title_and_year_alone_name_the_bill(matcher):
    text = ("A panel at the press club revisited the Criminal Laws (Amendment) Bill, 2022 and the people who wrote "
            "it, with former officials of the ombudsman's office among the speakers.")
    found = bill_matches(matcher.match("Lawmaking revisited", text, published="2026-02-02"))
    assert found.keys() == BILL_CODES and {m.proposed_status for m in found.values()} == {None}


def test_the_amendments_named_without_the_word_bill(matcher):
    text = ("Child rights groups asked senators to adopt the proposed amendments to the Prevention of Electronic "
            "Crimes Act on sextortion of children without further delay.")
    found = bill_matches(matcher.match("Rights groups press senators", text, published="2026-02-02"))
    assert found.keys() == BILL_CODES and {m.proposed_status for m in found.values()} == {None}


def test_a_new_draft_of_amendments_is_not_the_bill(matcher):
    text = ("The law commission has prepared a draft of amendments to the penal code so that grooming of children "
            "is defined the same way in every province.")
    assert not bill_matches(matcher.match("Law commission drafts definitions", text, published="2026-02-02"))


def test_a_same_title_listing_stating_another_purpose_is_another_bill(matcher):
    text = ("The Senate Standing Committee on Law and Justice approved the Criminal Laws (Amendment) Bill, 2026, "
            "which aims to raise the penalty for tampering with electricity meters.")
    assert not bill_matches(matcher.match("Senate panel approves bill", text, published="2026-02-02"))


def test_an_urdu_deferral_with_no_date_shelves_the_bill(matcher):
    text = ("قومی اسمبلی کی قائمہ کمیٹی نے بچوں کے آن لائن جنسی استحصال سے متعلق فوجداری قوانین (ترمیمی) بل پر بحث "
            "تاحکم ثانی ملتوی کر دی۔")
    assert statuses(matcher.match("کمیٹی نے بل پر بحث ملتوی کر دی", text, published="2026-06-11")) == {"stalled"}
