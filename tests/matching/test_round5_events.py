"""Round 5, decisive events: each mechanism by its behaviour on items of our own, in new words."""
import dataclasses

import pytest

from tracker.matching.evaluate import load_register
from tracker.matching.matcher import Matcher, profiles_from_register


@pytest.fixture(scope="module")
def matcher():
    recs, bills = profiles_from_register(load_register())
    return Matcher([dataclasses.replace(r, status="not_assessed") for r in recs], bills)


def statuses(title, text, matcher):
    return {m.code: m.proposed_status for m in matcher.match(title, text)}


# ---------------------------------------------------------------------------- an adopted instrument's content

@pytest.mark.xfail(strict=True, reason="left: 'pass on the particulars' is no info_sharing variant yet")
def test_what_a_signed_agreement_provides_is_covered_by_the_signing(matcher):
    title = "Telecom regulator and cybercrime agency ink data pact"
    text = ("The Pakistan Telecommunication Authority and the National Cyber Crime Investigation Agency on Friday "
            "inked an agreement whereby the regulator will pass on the particulars of each complaint it gets about "
            "blocking or taking down child abuse content to the agency.")
    assert statuses(title, text, matcher).get("GOV-17") == "implemented"


def test_the_next_sentence_referring_back_to_the_instrument_tells_what_it_covers(matcher):
    title = "Balochistan Assembly passes amendment on abuse images"
    text = ("The Balochistan Assembly on Tuesday passed the Balochistan Child Protection (Amendment) Bill, 2026. "
            "The amendment brings the punishment for possessing or sharing child sexual abuse material in line "
            "with Section 292C of the Pakistan Penal Code.")
    # one province's law: part of the ask
    assert statuses(title, text, matcher).get("LEG-06") == "partially_implemented"


# ---------------------------------------------------------------------------- a step, not the deed

def test_a_committee_set_up_to_review_is_progress_on_the_review(matcher):
    title = "Law ministry panel to look at child offence definitions"
    text = ("The Ministry of Law has formed a committee to examine the definitions used for child online offences "
            "in the PPC, PECA and provincial laws and suggest uniform terms.")
    assert statuses(title, text, matcher).get("LEG-07") == "in_progress"


def test_a_government_proposal_states_what_it_seeks_and_its_rejection_is_a_stall(matcher):
    text_moved = ("The interior ministry has sent a summary to the finance ministry seeking 300 new posts and "
                  "Rs1.5 billion for the National Cyber Crime Investigation Agency to handle online child sexual "
                  "abuse complaints.")
    assert statuses("Summary for more cybercrime staff", text_moved, matcher).get("GOV-01") == "in_progress"
    text_rejected = ("The finance ministry has turned down the interior ministry's proposal seeking 300 new posts "
                     "and Rs1.5 billion for the National Cyber Crime Investigation Agency to tackle online child "
                     "sexual abuse.")
    assert statuses("Cybercrime agency expansion refused", text_rejected, matcher).get("GOV-01") == "stalled"


def test_a_cabinet_approved_bill_still_to_be_tabled_is_progress(matcher):
    title = "Punjab cabinet clears child protection law amendment"
    text = ("The Punjab cabinet on Thursday approved the Punjab Child Protection (Amendment) Bill, which will now be "
            "tabled in the provincial assembly. It empowers the child protection bureau to refer children to "
            "health, legal aid and counselling services and to follow their cases in court.")
    assert statuses(title, text, matcher).get("LEG-08") == "in_progress"


# ---------------------------------------------------------------------------- scope and who does it

def test_the_lead_sentence_confines_an_event_told_later(matcher):
    title = "Teachers complete course on keeping pupils safe online"
    text = ("Three hundred teachers of government schools in Quetta finished a training course on teaching child "
            "online protection on Friday. The trained teachers will now pass the lessons on to their colleagues. "
            "Each participant was trained to teach pupils about grooming and reporting abuse.")
    assert statuses(title, text, matcher).get("GOV-22") == "partially_implemented"


def test_one_organisation_doing_a_civil_society_ask_is_part_of_it(matcher):
    # round 6: only the partnership ask is civil society's as a whole (a study is done whole by one organisation:
    # tests/matching/test_round6_events.py)
    title = "Rights group ties up with cybercrime agency and schools"
    text = ("A child rights organisation on Monday signed a memorandum of understanding with the National Cyber Crime "
            "Investigation Agency and two private schools. Under the agreement, the organisation will refer "
            "cases of online abuse of children to the agency. The partnership would help ensure a coordinated "
            "response, its director said.")
    assert statuses(title, text, matcher).get("CSO-04") == "partially_implemented"


# ---------------------------------------------------------------------------- the headline's present tense

def test_a_headline_in_the_present_tense_reports_a_deed(matcher):
    title = "Cybercrime agency and Punjab bureau sign pact to link helplines"
    text = ("Calls about children made to the 1991 helpline will be passed to the child protection bureau's "
            "helpline and to the police. The arrangement applies across Punjab.")
    assert statuses(title, text, matcher).get("GOV-05") == "partially_implemented"
    # a plan in the headline is not a deed
    plan = "Cybercrime agency and Punjab bureau to sign pact to link helplines"
    assert statuses(plan, text, matcher).get("GOV-05") != "partially_implemented"


# ---------------------------------------------------------------------------- paraphrase (lexicon variants)

@pytest.mark.parametrize("text, code", [
    ("The National Cyber Crime Investigation Agency has begun compiling a national hash set of known child sexual "
     "abuse images seized in raids.", "GOV-03"),
    ("At the new court in Multan, a young survivor of abuse can give evidence over a camera link from another room "
     "without facing the accused.", "JUD-03"),
    ("The National Commission on the Rights of Child will keep watch on whether social media apps live up to their "
      "obligations towards children online.", "NHRI-05"),
])
def test_paraphrased_asks_are_found(matcher, text, code):
    assert code in statuses("Child online protection", text, matcher)


def test_a_childrens_ask_carried_out_for_them_takes_a_status():
    """CHI-/PAR- asks are no longer evidence only: the blind writers of three rounds give them a status when a
    body carries the ask out (feeds/matching/events.yaml, evidence_only_prefixes)."""
    recs, bills = profiles_from_register(load_register())
    recs = [dataclasses.replace(r, status="not_assessed") for r in recs]
    found = {m.code: m.proposed_status for m in Matcher(recs, bills, relevance=None).match(
        "Programme launched", "The federal education ministry launched a nationwide programme to educate "
        "children about online risks in every government school.")}
    assert found.get("CHI-01") == "implemented"
    hedged = {m.code: m.proposed_status for m in Matcher(recs, bills, relevance=None).match(
        "Programme planned", "The federal education ministry will launch a programme to educate children about "
        "online risks next year.")}
    assert hedged.get("CHI-01") != "implemented"
