"""News that must not propose a deed done: calls governing a list of infinitives, a participle naming its noun
after a preposition or a number, a headline's call or plan, a bill that would have become law. Items of our own."""
import dataclasses

import pytest

from tracker.matching.evaluate import load_register
from tracker.matching.matcher import Matcher, profiles_from_register

DONE = {"implemented", "partially_implemented"}


@pytest.fixture(scope="module")
def matcher():
    recs, bills = profiles_from_register(load_register())
    return Matcher([dataclasses.replace(r, status="not_assessed") for r in recs], bills)


def statuses(matcher, title, text, published="2026-05-04"):
    return {m.code: m.proposed_status for m in matcher.match(title, text, published=published)}


CASES = [
    # an appeal governs the infinitives that go on from it, clause after clause
    pytest.param(
        "Provincial Assembly: Resolution No. 77 adopted",
        "The Provincial Assembly adopted the following resolution unanimously on 12th May, 2026: 'This House urges the "
        "Federal Government to strengthen the cyber crime helpline 1991 with trained staff and adequate resources, to "
        "make it accessible to children through social media and online chat, and to publicise the helpline in "
        "schools.' Moved by a member from Swat.", id="a_resolution_urging_a_list_of_steps"),
    # "sanctioned posts" after a preposition or a number names the noun
    pytest.param(
        "Lawmakers ask govt to strengthen cybercrime agency",
        "A Senate committee on Monday urged the government to give more manpower and funds to the NCCIA, which "
        "handles complaints involving children. The committee was told that nearly a third of sanctioned posts in the "
        "agency's technical wing were vacant.", id="participles_naming_nouns"),
    # a headline's speaker after a call
    pytest.param(
        "Link 1991 helpline with 1121, demands child rights body",
        "The chairperson of a provincial child rights body demanded that the federal cyber crime helpline 1991 be "
        "connected with the provincial child protection helpline 1121 so children reporting online abuse are "
        "followed up.", id="a_headline_call"),
]


@pytest.mark.parametrize("title, text", CASES)
def test_no_deed_is_proposed(matcher, title, text):
    assert not DONE & set(statuses(matcher, title, text).values())


def test_a_headline_noun_phrase_goes_on_with_the_plan_before_it(matcher):
    found = statuses(matcher, "Agency plans national abuse image database, link-up with Interpol",
                     "The NCCIA plans to set up a national database of child sexual abuse images and later connect it "
                     "with Interpol's ICSE database, an official said. A proposal has been sent to the ministry.")
    assert found.get("GOV-03") == "in_progress"


def test_a_bill_that_would_have_become_law_is_no_assent(matcher):
    found = statuses(matcher, "Man held for blackmailing schoolgirl online",
                     "Police said such cases would be easier to prosecute had the Criminal Laws (Amendment) Bill, "
                     "which made online grooming an offence, become law. The National Assembly had passed the bill in "
                     "2022 but it lapsed in the Senate.")
    assert "implemented" not in found.values() and found.get("LEG-01") in (None, "stalled")


def test_a_bill_that_became_law_is_still_its_assent(matcher):
    found = statuses(matcher, "Child online protection bill becomes law",
                     "The Criminal Laws (Amendment) Bill, 2026 against online grooming and sextortion of children "
                     "became law on Monday.")
    assert found.get("LEG-01") == "implemented"
