"""Round 7, decisive events and bill stages: each mechanism by its behaviour on items of our own, in new words."""
import dataclasses

import pytest

from tracker.matching.evaluate import load_register
from tracker.matching.matcher import Matcher, profiles_from_register

BILL = ("LEG-01", "LEG-02", "LEG-03", "LEG-04", "LEG-05", "CSO-02")


@pytest.fixture(scope="module")
def matcher():
    recs, bills = profiles_from_register(load_register())
    return Matcher([dataclasses.replace(r, status="not_assessed") for r in recs], bills)


def statuses(title, text, matcher, **kw):
    return {m.code: m.proposed_status for m in matcher.match(title, text, **kw)}


# (headline, text, recommendation, the status it proposes), one per mechanism (its id)
CASES = [
    # a trigger that is the ask
    pytest.param(
        "Sindh child helpline 1121 merged into cybercrime network",
        ("KARACHI: The Sindh Child Protection Authority has integrated its 1121 helpline with the 1991 "
         "cybercrime helpline and Sindh Police's Madadgar 15, so that a child's call on any number reaches"
         " all three."),
        "GOV-05", "partially_implemented", id="integrating_a_helpline_is_the_linking_asked_for"),
    pytest.param(
        "1991 helpline number on the back of every textbook in Punjab",
        ("The Punjab Curriculum and Textbook Board has printed the 1991 cybercrime helpline number on the "
         "back covers of all textbooks for the new session, along with a message on how to report online "
         "blackmail."),
        "GOV-06", "partially_implemented", id="printing_the_helpline_number_is_publicity_done"),
    pytest.param(
        "PTA sensitises internet providers on protecting children online",
        ("The Pakistan Telecommunication Authority met representatives of internet service providers and "
         "mobile operators in Islamabad to discuss the protection of children online and the operators' "
         "obligations."),
        "GOV-16", "implemented", id="an_authority_sensitising_operators_is_awareness_done"),
    pytest.param(
        "Platforms start sending child abuse reports to NCCIA",
        ("ISLAMABAD: Likee and Bigo have begun forwarding reports of child sexual abuse material found on "
         "Pakistani accounts directly to the National Cyber Crime Investigation Agency. Officials said 900"
         " referrals were received in the first month."),
        "ESP-05", "partially_implemented", id="reports_sent_to_the_agency_are_the_sharing_asked_for"),
    # a step, not the deed
    pytest.param(
        "NCCIA begins work on national abuse image bank",
        ("The National Cyber Crime Investigation Agency has started developing a national database of "
         "child abuse images, with hash values of seized material, which it hopes to connect to INTERPOL's"
         " ICSE database."),
        "GOV-03", "in_progress", id="building_begun_is_in_progress"),
    pytest.param(
        "Ministry forms committee to revise cyber security policy",
        ("The Ministry of IT has formed a committee to revise the National Cyber Security Policy so that "
         "the protection of children online becomes part of it."),
        "GOV-14", "in_progress", id="a_committee_formed_to_revise_is_a_step"),
    pytest.param(
        "Cabinet approves national policy against online child abuse",
        ("The federal cabinet on Tuesday approved the National Policy on Online Sexual Exploitation and "
         "Abuse of Children. The policy, prepared after consultations with the provinces, will be carried "
         "out through provincial action plans to be notified within a year."),
        "GOV-13", "partially_implemented", id="what_an_approved_policy_will_bring_is_not_its_content_done"),
    # new deeds and stalls
    pytest.param(
        "NCHR brings out Urdu guide to the Optional Protocol",
        ("The National Commission for Human Rights has published a guide explaining the Optional Protocol "
         "on the sale of children, child prostitution and child pornography for police and prosecutors."),
        "NHRI-03", "implemented", id="guides_published_are_the_deed"),
    pytest.param(
        "Cabinet returns child online protection policy to ministry",
        ("The federal cabinet has sent back the draft national policy on online sexual exploitation of "
         "children to the Ministry of Human Rights, asking for the provinces' views first."),
        "GOV-13", "stalled", id="a_cabinet_returning_a_policy_stalls_it"),
    # an instrument's own words
    pytest.param(
        "Notification: child protection officers to lead contact with child victims",
        ("GOVERNMENT OF KHYBER PAKHTUNKHWA. NOTIFICATION. It is hereby notified that in every case of "
         "online sexual abuse of a child, the district Child Protection Units of Khyber Pakhtunkhwa shall "
         "be the lead agency. The child shall be interviewed only by a trained child protection officer of"
         " the Unit."),
        "GOV-07", "partially_implemented", id="an_operative_notification_carries_its_content"),
    pytest.param(
        "LHC tells courts to fast-track child abuse trials",
        ("LAHORE: In a circular issued by the Registrar of the Lahore High Court, sessions judges have "
         "been asked to hear cases of child victims and witnesses on priority and to conclude them within "
         "three months."),
        "JUD-02", "partially_implemented", id="a_circulars_request_is_its_order"),
    # scope
    pytest.param(
        "NGO reaches 150 schools in Punjab with online safety sessions",
        ("A local NGO has completed awareness sessions on online risks in 150 schools of Sahiwal, Okara "
         "and Pakpattan districts, reaching students, teachers and parents."),
        "CSO-01", "implemented", id="a_list_of_districts_is_not_one_place"),
    pytest.param(
        "1991 helpline posters in every school across Karachi",
        ("The Sindh School Education Department has displayed posters of the 1991 cybercrime helpline in "
         "all government schools across Karachi, so that children know where to report online blackmail."),
        "GOV-06", "partially_implemented", id="across_one_city_confines_the_deed"),
]


@pytest.mark.parametrize("title, text, code, status", CASES)
def test_the_event_proposes_its_status(matcher, title, text, code, status):
    assert statuses(title, text, matcher).get(code) == status


# ---------------------------------------------------------------------------- a participle clause (part or all)

def test_a_participle_clause_shares_the_main_verbs_deed(matcher):
    title = "Child rights groups join hands with police and schools"
    text = ("Twelve civil society organisations on Monday launched a joint platform, signing partnership agreements "
            "with the NCCIA, the provincial child protection units, bar councils and private school networks for a "
            "coordinated response to online child abuse.")
    assert statuses(title, text, matcher).get("CSO-04") in ("implemented", "partially_implemented")


# ---------------------------------------------------------------------------- the industry heard on a bill

def test_the_industry_heard_on_a_tracked_bill_is_its_involvement_done(matcher):
    title = "Senate committee approves child cybercrime bill after hearing tech companies"
    text = ("ISLAMABAD: The Senate Standing Committee on Human Rights on Wednesday approved the Criminal Laws "
            "(Amendment) Bill, 2025 after consultations with representatives of P@SHA and social media companies on "
            "the duty to report child sexual abuse material. The report will be presented in the House next week.")
    found = statuses(title, text, matcher, feed_kind="news", published="2025-10-01")
    assert found.get("LEG-09") == "implemented"


# ---------------------------------------------------------------------------- bill stages: not the bill's news

def test_a_demand_that_the_bill_be_passed_is_no_stage(matcher):
    title = "MNA wants child online abuse bill passed quickly"
    text = ("A member of the National Assembly demanded that the Criminal Laws (Amendment) Bill, 2025 be passed from "
            "the Senate at the earliest to protect children from online sexual exploitation.")
    found = statuses(title, text, matcher, feed_kind="news", published="2025-10-01")
    assert not any(found.get(code) for code in BILL)


def test_a_resolution_s_own_mover_and_passage_are_not_the_bill_s(matcher):
    title = "Provincial Assembly of Sindh: resolution adopted"
    text = ("This House urges the Senate to pass the Criminal Laws (Amendment) Bill, 2025, as passed by the National "
            "Assembly, to protect children from sexual exploitation on the internet. Moved by Mr. Ali Khan, MPA. "
            "Passed unanimously.")
    found = statuses(title, text, matcher, feed_kind="parliament", published="2025-10-01")
    assert not any(found.get(code) for code in BILL)


def test_a_same_title_bill_on_child_begging_is_another_bill(matcher):
    title = "Senate Standing Committee on Law: agenda"
    text = ("1. Consideration of the Criminal Laws (Amendment) Bill, 2025, moved by Senator Ahmed, regarding "
            "punishment for employing children for begging. 2. Any other item.")
    found = statuses(title, text, matcher, feed_kind="parliament", published="2025-10-01")
    assert not any(found.get(code) for code in BILL)


def test_laying_a_bill_in_the_senate_is_a_stage(matcher):
    title = "Senate of Pakistan: Orders of the Day"
    text = "Laying of Bill: The Criminal Laws (Amendment) Bill, 2025, as passed by the National Assembly."
    found = statuses(title, text, matcher, feed_kind="parliament", published="2025-10-01")
    assert found.get("LEG-01") == "in_progress"


# ---------------------------------------------------------------------------- the learned model's reach

def test_no_deed_of_another_subject_from_the_model_s_words(matcher):
    title = "Balochistan Judicial Academy trains judges on banking laws"
    text = ("The Balochistan Judicial Academy concluded a five-day course for civil judges on the Financial "
            "Institutions (Recovery of Finances) Ordinance and banking disputes.")
    assert not any(statuses(title, text, matcher).values())


# ---------------------------------------------------------------------------- the new rule keys are validated

@pytest.mark.parametrize("old, new, entry", [
    ("    states: [awareness]\n", "    states: [no_such_concept]\n", "states"),
    ("    on_bill: true\n", "    on_bill: 3\n", "on_bill"),
    ("operative_text:\n  - '", "operative_text:\n  - '(", "operative_text"),
    ("instrument_frame:\n  - '", "instrument_frame:\n  - '(", "instrument_frame"),
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
