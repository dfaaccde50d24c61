"""Round 6: bill tracking. Each test states a class of wording in words of its own (not copied from any
evaluation file): title-only listings (an agenda's "Consideration of", a returned bill reconsidered, leave to
introduce, a referral in Urdu), stages phrased past the rules (a bill's description before its lapse, "did not
vote on it within", a pluperfect recalled stage, "moved the ... Bill", "passing the ... law", "passage by
Parliament of", an Act's preamble), other bills of the same title glossed in brackets, resolutions, the cabinet
approving the draft (Urdu), and the learned model kept off items naming another law.
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


# ---------------------------------------------------------------------------- title-only listings

def test_a_committee_agenda_considering_the_title_is_under_consideration(matcher):
    text = ("The Standing Committee on Interior will meet on Monday, 3rd March, 2026 in Committee Room No. 2, "
            "Parliament House. Agenda: 1. Briefing by the Ministry on visas. 2. Consideration of the Criminal Laws "
            "(Amendment) Bill, 2026 (Bill No. 12 of 2026). 3. Any other item.")
    found = matcher.match("Committee on Interior — agenda", text, feed_kind="parliament", published="2026-02-27")
    assert bill_matches(found).keys() == BILL_CODES and statuses(found) == {"in_progress"}


def test_a_returned_bill_reconsidered_by_a_joint_sitting_is_in_progress(matcher):
    text = ("JOINT SITTING. ORDERS OF THE DAY. BILLS RETURNED BY THE PRESIDENT: 1. MINISTER FOR LAW to move that the "
            "Criminal Laws (Amendment) Bill, 2026, as returned by the President, be reconsidered.")
    found = matcher.match("Joint Sitting — Orders of the Day", text, feed_kind="parliament", published="2026-05-02")
    assert statuses(found) == {"in_progress"}


def test_a_bracketed_gloss_makes_a_same_title_listing_another_bill(matcher):
    text = ("ORDERS OF THE DAY. 3. MR. X, MNA, to introduce a Bill further to amend the Pakistan Penal Code, 1860 "
            "[The Criminal Laws (Amendment) Bill, 2026] (amendment of section 489-F, relating to dishonoured "
            "payments), moved by Mr. X. 4. MR. Y to present the report of the Committee on Finance.")
    assert not bill_matches(matcher.match("National Assembly — Orders of the Day", text, feed_kind="parliament",
                                          published="2026-03-10"))


def test_an_urdu_agenda_asking_leave_to_introduce_is_the_introduction(matcher):
    text = ("3۔ سینیٹر محترمہ فلاں تحریک پیش کریں گی کہ فوجداری قوانین (ترمیمی) بل، 2026 پیش کرنے کی اجازت دی جائے۔ "
            "4۔ سینیٹر فلاں تحریک پیش کریں گے کہ کمپنیز (ترمیمی) بل، 2026 پیش کرنے کی اجازت دی جائے۔")
    found = matcher.match("سینیٹ: ایوان کی کارروائی کا ایجنڈا", text, feed_kind="parliament", published="2026-02-02")
    assert statuses(found) == {"in_progress"}
    assert {m.stage for m in bill_matches(found).values()} == {"introduced"}


def test_an_urdu_notice_sending_bills_to_committees_is_a_referral(matcher):
    text = ("چیئرمین سینیٹ نے درج ذیل بل متعلقہ قائمہ کمیٹیوں کو بھجوا دیے ہیں: فوجداری قوانین (ترمیمی) بل، 2026 — "
            "قائمہ کمیٹی برائے قانون و انصاف؛ بینکنگ (ترمیمی) بل، 2026 — قائمہ کمیٹی برائے خزانہ۔")
    found = matcher.match("سینیٹ سیکرٹریٹ کا اعلامیہ", text, feed_kind="parliament", published="2026-02-20")
    assert {m.stage for m in bill_matches(found).values()} == {"referred_to_committee"}


# ---------------------------------------------------------------------------- stages

def test_a_bills_description_does_not_hedge_its_lapse(matcher):
    text = ("A bill that would make the sextortion of minors a crime has lapsed again, officials said on Friday, as "
            "the upper house did not vote on it within the time the constitution allows.")
    found = matcher.match("Child sextortion bill lapses", text, published="2026-08-14")
    assert statuses(found) == {"stalled"}


def test_a_pluperfect_stage_is_background_and_moving_it_afresh_is_a_new_passage(matcher):
    text = ("The interior minister on Tuesday moved the Criminal Laws (Amendment) Bill, 2026 in the National Assembly "
            "to punish the online grooming of children, and the Speaker referred it to the law committee. It lapsed "
            "in May after the Senate had passed it, so the government decided to move it afresh.")
    found = matcher.match("Grooming bill moved in NA", text, published="2026-09-02")
    assert statuses(found) == {"in_progress"}
    assert {m.stage for m in bill_matches(found).values()} == {"referred_to_committee"}


def test_a_lapsed_bill_named_with_an_adjective_is_no_lapse(matcher):
    text = ("The law minister said the government would bring the bill against online grooming of children back "
            "to the Senate next month.")
    found = matcher.match("Lapsed online grooming bill to return, says minister", text, published="2026-06-01")
    assert bill_matches(found) and statuses(found) == {None}


def test_called_upon_to_reintroduce_is_an_appeal(matcher):
    text = ("Child rights groups on Monday called upon the government to reintroduce the legislation against online "
            "grooming of children, which lapsed last year.")
    found = matcher.match("Groups want child grooming bill back", text, published="2026-04-06")
    assert bill_matches(found) and statuses(found) == {None}


def test_passing_the_subject_law_is_the_bill_passed(matcher):
    text = ("The adviser thanked the Senate for passing the anti-sextortion law for children, and said the Ministry "
            "had worked on it with civil society.")
    found = matcher.match("Adviser thanks Senate", text, feed_kind="press_release", published="2026-03-03")
    assert bill_matches(found).keys() == BILL_CODES and statuses(found) == {"in_progress"}


def test_the_passage_by_parliament_of_the_peca_amendments_is_a_stage(matcher):
    text = ("The Ministry welcomed the passage by Parliament of the amendments to the Prevention of Electronic "
            "Crimes Act, 2016 against the online sexual exploitation of children.")
    found = matcher.match("Ministry welcomes amendments", text, feed_kind="press_release", published="2026-03-03")
    assert bill_matches(found).keys() == BILL_CODES and statuses(found) == {"in_progress"}


def test_an_acts_preamble_on_the_bills_subject_makes_its_gazette_notice_the_bill(matcher):
    text = ("The following Act of Majlis-e-Shoora (Parliament) received the assent of the President and is hereby "
            "published for general information: ACT NO. IX OF 2026. An Act further to amend the Prevention of "
            "Electronic Crimes Act, 2016. WHEREAS it is expedient to provide for the offences of grooming and "
            "sextortion of children;")
    found = bill_matches(matcher.match("The Gazette of Pakistan, Extraordinary", text, feed_kind="gazette",
                                       published="2026-07-01"))
    assert found["LEG-01"].proposed_status == "implemented"
    assert found["LEG-02"].proposed_status == "partially_implemented"


def test_an_amending_act_on_another_subject_gets_no_bill_codes(matcher):
    text = ("The following Act received the assent of the President and is hereby published: ACT NO. II OF 2026. "
            "An Act further to amend the Prevention of Electronic Crimes Act, 2016. WHEREAS it is expedient to "
            "regulate online lending apps and the recovery of loans;")
    assert not bill_matches(matcher.match("Gazette — Prevention of Electronic Crimes (Amendment) Act, 2026", text,
                                          feed_kind="gazette", published="2026-07-01"))


def test_a_resolution_moved_is_not_the_bills_introduction(matcher):
    text = ("The Senate on Thursday adopted a resolution, moved by a treasury senator, asking the government to bring "
            "the bill against online grooming of children before the house.")
    found = matcher.match("Senate resolution on grooming bill", text, published="2026-05-08")
    assert statuses(found) <= {None}


def test_a_title_only_appeal_headlined_about_a_child_bill_is_evidence(matcher):
    text = ("Parents' groups asked senators to vote for the Criminal Laws (Amendment) Bill, 2026 before the session "
            "ends. 'Our children cannot wait,' a spokesperson said.")
    found = matcher.match("Parents press for children's protection bill", text, published="2026-04-20")
    assert bill_matches(found).keys() == BILL_CODES and statuses(found) == {None}


# ---------------------------------------------------------------------------- Urdu stages

def test_the_cabinet_approving_the_draft_bill_is_in_progress_in_urdu(matcher):
    text = ("وفاقی کابینہ نے بچوں کی آن لائن گرومنگ کو جرم قرار دینے والے فوجداری قوانین (ترمیمی) بل کے مسودے کی "
            "منظوری دے دی۔")
    found = matcher.match("کابینہ نے بل کا مسودہ منظور کر لیا", text, published="2026-01-15")
    assert statuses(found) == {"in_progress"}


def test_a_provincial_resolution_is_not_the_bills_introduction_in_urdu(matcher):
    text = ("سندھ اسمبلی نے وفاق سے بچوں کے آن لائن تحفظ کا بل منظور کرنے کا مطالبہ کیا۔ قرارداد اپوزیشن رکن نے "
            "پیش کی جس میں کہا گیا کہ بچوں کو ورغلانے کے واقعات بڑھ رہے ہیں۔")
    found = matcher.match("قرارداد: بچوں کے آن لائن تحفظ کا بل", text, published="2026-03-09")
    assert statuses(found) <= {None}


def test_a_bill_in_this_regard_takes_the_previous_sentences_subject_in_urdu(matcher):
    text = ("ماہرین نے کہا کہ بچوں کی آن لائن گرومنگ کے واقعات بڑھ رہے ہیں۔ تین برس قبل قومی اسمبلی نے اس حوالے سے "
            "ایک بل منظور کیا تھا جو بعد ازاں سینیٹ میں زائد المیعاد ہو گیا۔")
    found = matcher.match("سیمینار: ڈیجیٹل دنیا اور بچے", text, published="2026-11-20")
    assert bill_matches(found).keys() == BILL_CODES and statuses(found) == {None}


def test_a_lapse_of_the_bill_named_with_a_later_year_is_news_in_urdu(matcher):
    text = ("قومی اسمبلی سے منظور ہونے والا فوجداری قوانین (ترمیمی) بل 2026 سینیٹ میں مقررہ مدت میں منظور نہ ہونے کے "
            "باعث غیر مؤثر ہو گیا۔ 2022 میں بھی ایسا ہی ہوا تھا۔")
    found = matcher.match("بچوں کے آن لائن تحفظ کا بل پھر ختم", text, published="2026-10-01")
    assert statuses(found) == {"stalled"}
