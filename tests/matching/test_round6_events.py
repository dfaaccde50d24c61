"""Round 6, decisive events: each mechanism by its behaviour on items of our own, in new words."""
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


# ---------------------------------------------------------------------------- partial against full

def test_the_lead_after_a_dateline_confines_the_event(matcher):
    title = "Judges and prosecutors complete child-friendly justice course"
    text = ("PESHAWAR: A four-day course for judges, prosecutors and lawyers ended at the Khyber Pakhtunkhwa "
            "Judicial Academy on Thursday. Participants were trained in case management and child-friendly justice "
            "in cases of online abuse of children.")
    assert statuses(title, text, matcher).get("GOV-10") == "partially_implemented"


def test_one_organisation_does_a_study_whole(matcher):
    title = "Rights group's study profiles online offenders"
    text = ("A study released by the NGO Bedari on Wednesday examines offender profiles and the impact of online "
            "child sexual exploitation on victims, based on 200 case files.")
    assert statuses(title, text, matcher).get("CSO-03") == "implemented"


def test_an_organisation_named_after_its_kind_is_one_actor_of_a_partnership_ask(matcher):
    title = "Child rights NGO signs pact with cybercrime agency"
    text = ("Child rights organisation Aahung on Monday signed a memorandum of understanding with the National Cyber "
            "Crime Investigation Agency. Under the agreement, Aahung will refer cases of online abuse of children to "
            "the agency. Its director said the partnership would help ensure a coordinated response.")
    assert statuses(title, text, matcher).get("CSO-04") == "partially_implemented"


def test_a_pilot_started_is_a_partial_deed(matcher):
    title = "Cybercrime agency tests dark-web alerts with internet providers"
    text = ("The NCCIA and two internet service providers have begun a three-month pilot under which the providers "
            "will alert the agency to attempts to reach child abuse sites on the dark web.")
    assert statuses(title, text, matcher).get("ESP-08") == "partially_implemented"


# ---------------------------------------------------------------------------- a step, not the deed

def test_a_committee_constituted_to_develop_is_a_step(matcher):
    title = "Agency forms panel on investigation procedures"
    text = ("The Director General of the NCCIA has constituted a six-member committee, including two senior "
            "investigators and a child psychologist, to develop standard operating procedures for investigating "
            "online child sexual exploitation cases.")
    assert statuses(title, text, matcher).get("GOV-11") == "in_progress"


def test_a_cabinet_approving_a_bill_is_progress_until_it_becomes_law(matcher):
    title = "Sindh cabinet clears child protection amendment"
    text = ("The Sindh cabinet on Tuesday approved the Sindh Child Protection Authority (Amendment) Bill, 2026, which "
            "raises the punishment for possessing or sharing child sexual abuse material to match section 292-C of "
            "the Pakistan Penal Code.")
    assert statuses(title, text, matcher).get("LEG-06") == "in_progress"


def test_what_a_draft_under_consultation_contains_is_not_yet_adopted(matcher):
    title = "Ministry consults platforms on draft safety regulations"
    text = ("The Ministry of IT on Monday held a consultation with social media platforms on draft regulations for "
            "children's safety online, including a clause that platforms verify the age of users.")
    assert statuses(title, text, matcher).get("ESP-07") == "in_progress"


def test_a_body_s_own_plan_with_its_verb_is_progress(matcher):
    title = "KP to hire more child protection officers"
    text = ("The Khyber Pakhtunkhwa Social Welfare Minister said on Friday the government plans to recruit 80 child "
            "protection officers for the Child Protection and Welfare Commission next year. The recruitment will "
            "need the finance department's approval.")
    assert statuses(title, text, matcher).get("GOV-08") == "in_progress"


def test_another_body_s_plan_is_no_step_of_the_parents(matcher):
    title = "Operator to launch parental control app"
    text = ("Mobile operator Zong plans to launch a free parental control application for its subscribers next "
            "month, letting parents filter content and set screen-time limits.")
    assert statuses(title, text, matcher).get("PAR-03") is None


# ---------------------------------------------------------------------------- event verbs the rules lacked

def test_money_awarded_for_research_is_invested(matcher):
    title = "Research grant for detecting abuse images"
    text = ("The Higher Education Commission has awarded a grant of Rs. 40 million to a university team for research "
            "on the detection of child sexual abuse material online.")
    assert statuses(title, text, matcher).get("GOV-18") == "implemented"


def test_a_high_court_circular_to_its_courts_is_its_deed(matcher):
    title = "PHC tells trial courts to fast-track child abuse cases"
    text = ("The Peshawar High Court has issued a circular to all sessions courts of the province to decide cases in "
            "which children are victims or witnesses on a priority basis and to avoid adjournments.")
    assert statuses(title, text, matcher).get("JUD-02") == "partially_implemented"


def test_joining_an_interpol_group_is_cooperation(matcher):
    title = "Cybercrime agency joins INTERPOL group"
    text = ("The NCCIA has joined INTERPOL's Specialist Group on Crimes against Children, strengthening its "
            "cooperation with the organisation in cases of online child sexual exploitation.")
    assert statuses(title, text, matcher).get("INT-02") == "implemented"


def test_a_halt_told_in_the_present_is_a_stall(matcher):
    title = "PTA stops sharing takedown complaints with cybercrime agency"
    text = ("The Pakistan Telecommunication Authority has stopped forwarding the details of complaints about child "
            "abuse content it blocks to the NCCIA, officials said.")
    assert statuses(title, text, matcher).get("GOV-17") == "stalled"


# ---------------------------------------------------------------------------- an NHRI's own deed

def test_an_nhri_advising_the_government_on_treaties_is_its_deed(matcher):
    title = "Rights commission backs joining cybercrime treaties"
    text = ("The National Commission for Human Rights has advised the federal government to accede to the Budapest "
            "Convention and the Lanzarote Convention, in a report on online child sexual exploitation released "
            "on Monday.")
    assert statuses(title, text, matcher).get("NHRI-04") == "implemented"


def test_an_appeal_by_someone_else_on_treaties_is_no_deed(matcher):
    title = "Senators want Pakistan in cybercrime treaties"
    text = ("Senators on Monday urged the government to accede to the Budapest Convention and the Lanzarote "
            "Convention to fight online child sexual exploitation.")
    assert statuses(title, text, matcher).get("NHRI-04") is None
