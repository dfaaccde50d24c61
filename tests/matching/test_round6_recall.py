"""Round 6, which recommendations an English item is matched to: each mechanism on items of our own."""
import dataclasses

import pytest

from tracker.matching.evaluate import load_register
from tracker.matching.evidence import compile_rec
from tracker.matching.matcher import Matcher, RecommendationProfile, profiles_from_register


@pytest.fixture(scope="module")
def matcher():
    recs, bills = profiles_from_register(load_register())
    return Matcher([dataclasses.replace(r, status="not_assessed") for r in recs], bills)


def codes(title, text, matcher, published="2026-06-01"):
    return {m.code for m in matcher.match(title, text, published=published)}


# ---------------------------------------------------------------------------- an item about a tracked bill

def test_a_listing_reads_the_other_bill_on_its_own(matcher):
    title = "Provincial Assembly: Bills introduced"
    text = ("The following Bills were introduced and referred to the Standing Committee: (1) The Criminal Laws "
            "(Amendment) Bill, 2026 [protection of children from online sexual exploitation]; (2) The Balochistan "
            "Child Protection (Amendment) Bill, 2026 [to enable the Child Protection Commission to refer children "
            "affected by online abuse to services]; (3) The Balochistan Livestock Bill, 2026.")
    found = codes(title, text, matcher)
    assert "LEG-01" in found  # the tracked bill
    assert "LEG-08" in found  # the other bill: amending a child protection law


def test_another_decision_of_the_same_meeting_is_news_of_its_own(matcher):
    title = "Cabinet decisions"
    text = ("The federal cabinet on Tuesday approved the reintroduction of the Criminal Laws (Amendment) Bill, 2026 "
            "to protect children from online sexual exploitation. The cabinet approved 200 new posts and a budget of "
            "Rs900 million for the National Cyber Crime Investigation Agency's unit on online child abuse.")
    assert "GOV-01" in codes(title, text, matcher)


def test_what_the_bill_provides_is_not_evidence_for_other_asks(matcher):
    title = "What the child online safety bill contains"
    text = ("The Criminal Laws (Amendment) Bill, 2026 was tabled in the National Assembly on Monday. Besides new "
            "offences of grooming, it obliges platforms to report abuse material to the NCCIA and lets child "
            "victims testify by video link.")
    found = codes(title, text, matcher)
    assert "LEG-01" in found
    assert not {"ESP-05", "JUD-03"} & found


# ---------------------------------------------------------------------------- an exchange between two bodies

def test_an_exchange_ask_names_its_other_party():
    rec = RecommendationProfile("X-1", "PTA share blocking and content-removal complaint details with FIA", "",
                                ("PTA",), ("PTA", "FIA"), None, "not_started")
    assert compile_rec(rec, False).counterparts == frozenset({"fia"})
    plain = RecommendationProfile("X-2", "Establish a national CSAM image database linked to INTERPOL's ICSE database",
                                  "", ("national database",), ("FIA",), None, "not_started")
    assert not compile_rec(plain, False).counterparts  # its subject is no body: no exchange


def test_the_regulator_blocking_alone_is_no_sharing_with_the_agency(matcher):
    title = "Telecom regulator blocks 300 gambling sites"
    text = ("The Pakistan Telecommunication Authority blocked 300 gambling websites luring young users online, and "
            "asked citizens to file complaints about such sites on its portal.")
    assert "GOV-17" not in codes(title, text, matcher)
    shared = ("The Pakistan Telecommunication Authority has started forwarding the details of every complaint it "
              "blocks about child abuse content online to the NCCIA.")
    assert "GOV-17" in codes("Regulator to share complaint data", shared, matcher)


# ---------------------------------------------------------------------------- paraphrase families

@pytest.mark.parametrize("code, title, text", [
    ("PAR-04", "Parents told to curb screen use",
     "Parents should cap their children's daily screen use and set a device curfew, a child psychologist told a "
     "seminar on online safety."),
    ("PAR-03", "Police urge parents to use monitoring apps",
     "Parents should install monitoring apps on their children's phones to shield them from online predators, a "
     "police officer told a seminar on cybercrime."),
    ("CSO-06", "Media regulator warns channels over abuse coverage",
     "The media regulator PEMRA warned channels against disclosing the names and faces of child victims of online "
     "sexual abuse."),
    ("INT-05", "Ministry signs memoranda with international NGOs",
     "The ministry signed memoranda of understanding with ECPAT and Save the Children on child online protection."),
])
def test_news_wording_of_the_asks(matcher, code, title, text):
    assert code in codes(title, text, matcher)
