"""Round 6, decisive events: each mechanism by its behaviour on an item of our own, in new words."""
import dataclasses

import pytest

from tracker.matching.evaluate import load_register
from tracker.matching.matcher import Matcher, profiles_from_register


@pytest.fixture(scope="module")
def matcher():
    recs, bills = profiles_from_register(load_register())
    return Matcher([dataclasses.replace(r, status="not_assessed") for r in recs], bills)


# (headline, text, recommendation, the status it proposes), one per mechanism (its id)
CASES = [
    # partial against full
    pytest.param(
        "Judges and prosecutors complete child-friendly justice course",
        ("PESHAWAR: A four-day course for judges, prosecutors and lawyers ended at the Khyber Pakhtunkhwa "
         "Judicial Academy on Thursday. Participants were trained in case management and child-friendly "
         "justice in cases of online abuse of children."),
        "GOV-10", "partially_implemented", id="the_lead_after_a_dateline_confines_the_event"),
    pytest.param(
        "Rights group's study profiles online offenders",
        ("A study released by the NGO Bedari on Wednesday examines offender profiles and the impact of "
         "online child sexual exploitation on victims, based on 200 case files."),
        "CSO-03", "implemented", id="one_organisation_does_a_study_whole"),
    pytest.param(
        "Child rights NGO signs pact with cybercrime agency",
        ("Child rights organisation Aahung on Monday signed a memorandum of understanding with the "
         "National Cyber Crime Investigation Agency. Under the agreement, Aahung will refer cases of "
         "online abuse of children to the agency. Its director said the partnership would help ensure a "
         "coordinated response."),
        "CSO-04", "partially_implemented", id="an_organisation_named_after_its_kind_is_one_actor_of_a_partnership_ask"),
    pytest.param(
        "Cybercrime agency tests dark-web alerts with internet providers",
        ("The NCCIA and two internet service providers have begun a three-month pilot under which the "
         "providers will alert the agency to attempts to reach child abuse sites on the dark web."),
        "ESP-08", "partially_implemented", id="a_pilot_started_is_a_partial_deed"),
    # a step, not the deed
    pytest.param(
        "Agency forms panel on investigation procedures",
        ("The Director General of the NCCIA has constituted a six-member committee, including two senior "
         "investigators and a child psychologist, to develop standard operating procedures for "
         "investigating online child sexual exploitation cases."),
        "GOV-11", "in_progress", id="a_committee_constituted_to_develop_is_a_step"),
    pytest.param(
        "Sindh cabinet clears child protection amendment",
        ("The Sindh cabinet on Tuesday approved the Sindh Child Protection Authority (Amendment) Bill, "
         "2026, which raises the punishment for possessing or sharing child sexual abuse material to match"
         " section 292-C of the Pakistan Penal Code."),
        "LEG-06", "in_progress", id="a_cabinet_approving_a_bill_is_progress_until_it_becomes_law"),
    pytest.param(
        "Ministry consults platforms on draft safety regulations",
        ("The Ministry of IT on Monday held a consultation with social media platforms on draft "
         "regulations for children's safety online, including a clause that platforms verify the age of "
         "users."),
        "ESP-07", "in_progress", id="what_a_draft_under_consultation_contains_is_not_yet_adopted"),
    pytest.param(
        "KP to hire more child protection officers",
        ("The Khyber Pakhtunkhwa Social Welfare Minister said on Friday the government plans to recruit 80"
         " child protection officers for the Child Protection and Welfare Commission next year. The "
         "recruitment will need the finance department's approval."),
        "GOV-08", "in_progress", id="a_body_s_own_plan_with_its_verb_is_progress"),
    pytest.param(
        "Operator to launch parental control app",
        ("Mobile operator Zong plans to launch a free parental control application for its subscribers "
         "next month, letting parents filter content and set screen-time limits."),
        "PAR-03", None, id="another_body_s_plan_is_no_step_of_the_parents"),
    # event verbs the rules lacked
    pytest.param(
        "Research grant for detecting abuse images",
        ("The Higher Education Commission has awarded a grant of Rs. 40 million to a university team for "
         "research on the detection of child sexual abuse material online."),
        "GOV-18", "implemented", id="money_awarded_for_research_is_invested"),
    pytest.param(
        "PHC tells trial courts to fast-track child abuse cases",
        ("The Peshawar High Court has issued a circular to all sessions courts of the province to decide "
         "cases in which children are victims or witnesses on a priority basis and to avoid adjournments."),
        "JUD-02", "partially_implemented", id="a_high_court_circular_to_its_courts_is_its_deed"),
    pytest.param(
        "Cybercrime agency joins INTERPOL group",
        ("The NCCIA has joined INTERPOL's Specialist Group on Crimes against Children, strengthening its "
         "cooperation with the organisation in cases of online child sexual exploitation."),
        "INT-02", "implemented", id="joining_an_interpol_group_is_cooperation"),
    pytest.param(
        "PTA stops sharing takedown complaints with cybercrime agency",
        ("The Pakistan Telecommunication Authority has stopped forwarding the details of complaints about "
         "child abuse content it blocks to the NCCIA, officials said."),
        "GOV-17", "stalled", id="a_halt_told_in_the_present_is_a_stall"),
    # an NHRI's own deed
    pytest.param(
        "Rights commission backs joining cybercrime treaties",
        ("The National Commission for Human Rights has advised the federal government to accede to the "
         "Budapest Convention and the Lanzarote Convention, in a report on online child sexual "
         "exploitation released on Monday."),
        "NHRI-04", "implemented", id="an_nhri_advising_the_government_on_treaties_is_its_deed"),
    pytest.param(
        "Senators want Pakistan in cybercrime treaties",
        ("Senators on Monday urged the government to accede to the Budapest Convention and the Lanzarote "
         "Convention to fight online child sexual exploitation."),
        "NHRI-04", None, id="an_appeal_by_someone_else_on_treaties_is_no_deed"),
]


@pytest.mark.parametrize("title, text, code, status", CASES)
def test_the_event_proposes_its_status(matcher, title, text, code, status):
    found = {m.code: m.proposed_status for m in matcher.match(title, text)}
    assert found.get(code) == status
