"""Urdu news phrasing (round 6): mechanisms found on the third set of Urdu dev items written blind. Every
sentence here is written for the test, in words of its own (not taken from a labelled item); each group is
one general mechanism of Urdu news."""
import pytest

from tracker.matching.bills import _dated_before
from tracker.matching.evaluate import load_register
from tracker.matching.lexicon import RULES, analyse_item
from tracker.matching.matcher import Matcher, profiles_from_register
from tracker.matching.text import normalise


@pytest.fixture(scope="module")
def matcher():
    return Matcher(*profiles_from_register(load_register()))


def statuses(matcher, title, text, published="2026-04-20", feed_kind="news"):
    return {m.code: m.proposed_status for m in matcher.match(title, text, feed_kind=feed_kind, published=published)}


def n(text):
    return normalise(text)[0]


# ---- an order issued is a deed ("issued directions"); its "کہ" clause is its content; ordering someone is not


def test_an_issued_order_is_a_deed_and_its_content_is_stated(matcher):
    got = statuses(matcher, "بلوچستان کے سکولوں میں ہیلپ لائن 1991 کی تشہیر",
                   "محکمہ تعلیم بلوچستان نے صوبے کے تمام ہائی سکولوں کو ہدایات جاری کر دی ہیں کہ ایف آئی اے کی سائبر کرائم ہیلپ "
                   "لائن 1991 کے آگاہی پوسٹر کلاس رومز میں لگائے جائیں تاکہ طلبہ آن لائن ہراسانی کی شکایت کر سکیں۔")
    assert got.get("GOV-06") == "partially_implemented"  # one province's schools


def test_an_order_named_before_its_verb_is_no_appeal_but_ordering_is():
    assert not RULES.appeal.search(n("محکمے نے تمام سکولوں کو ہدایت "))  # "... ہدایت جاری کر دی"
    assert not RULES.appeal.search(n("وزیر اعلیٰ کی ہدایت پر "))  # a deed done on an order
    assert RULES.appeal.search(n("وزیر نے حکام کو ہدایت کی کہ "))
    assert RULES.appeal.search(n("عدالت نے حکم دیا کہ "))


def test_what_an_instrument_says_is_its_content():
    assert RULES.instrument_content.search(n("یادداشت پر دستخط کیے گئے جس کے تحت "))
    assert RULES.instrument_content.search(n("اتھارٹی نے کمپنیوں کو ہدایت جاری کر دی ہے کہ "))
    assert not RULES.instrument_content.search(n("حکومت نے کہا کہ "))


# ---- holding a session, a workshop or a course is the deed an awareness or training ask asks for


def test_a_session_held_is_a_deed(matcher):
    got = statuses(matcher, "ٹیلی کام کمپنیوں کے لیے سیمینار",
                   "پاکستان ٹیلی کمیونیکیشن اتھارٹی نے سیلولر موبائل آپریٹرز کے لیے بچوں کے آن لائن تحفظ اور چائلڈ "
                   "پروٹیکشن پالیسی پر سیمینار منعقد کیا۔")
    assert got.get("GOV-16") == "implemented"


def test_a_session_to_be_held_is_not(matcher):
    got = statuses(matcher, "ٹیلی کام کمپنیوں کے لیے سیمینار",
                   "پاکستان ٹیلی کمیونیکیشن اتھارٹی سیلولر موبائل آپریٹرز کے لیے بچوں کے آن لائن تحفظ اور چائلڈ "
                   "پروٹیکشن پالیسی پر اگلے ماہ سیمینار منعقد کرے گی۔")
    assert got.get("GOV-16") != "implemented"


# ---- the Gazette's performative present ("... نافذ کرتی ہے") enforces what it names


def test_the_gazettes_present_enforces(matcher):
    got = statuses(matcher, "نوٹیفکیشن",
                   "وفاقی حکومت بچوں کے آن لائن جنسی استحصال کی تحقیقات کے لیے اسٹینڈرڈ آپریٹنگ پروسیجرز نافذ کرتی ہے "
                   "جن میں تمام اداروں کی ذمہ داریاں درج ہیں۔", feed_kind="gazette")
    assert got.get("GOV-11") == "implemented"
    assert not RULES.events[0].pattern.search(n("حکومت قانون نافذ کرنے کا ارادہ رکھتی ہے"))


# ---- a headline without its verb: "... ہیلپ لائنز آپس میں منسلک"


def test_a_verbless_headline_links(matcher):
    got = statuses(matcher, "سندھ میں 1121 اور 1991 کی ہیلپ لائنز منسلک",
                   "سندھ چائلڈ پروٹیکشن اتھارٹی اور این سی سی آئی اے کے درمیان بچوں کے آن لائن کیسز پر معاہدہ ہوا۔")
    assert got.get("GOV-05") == "partially_implemented"  # one province


def test_a_confined_deed_still_needs_a_specific_part_of_the_ask(matcher):
    # linking helplines is no deed of "amend the child protection laws ... to link children to services": one
    # province's event is checked for what it covers as a national one is
    got = statuses(matcher, "پنجاب میں چائلڈ پروٹیکشن بیورو اور این سی سی آئی اے کی ہیلپ لائنز منسلک",
                   "پنجاب چائلڈ پروٹیکشن اینڈ ویلفیئر بیورو اور این سی سی آئی اے کے درمیان بچوں کے آن لائن کیسز پر "
                   "مفاہمتی یادداشت پر دستخط ہو گئے۔")
    assert got.get("GOV-05") == "partially_implemented"
    assert got.get("LEG-08") is None


# ---- the federal capital's own and "the province" are a scope; the capital as a venue is not


def test_the_capitals_own_and_the_province_are_a_scope():
    scope = RULES.partial_scope
    assert scope.search(n("اسلام آباد کے سرکاری سکولوں کے اساتذہ"))
    assert scope.search(n("وفاقی دارالحکومت کے کالجوں میں"))
    assert scope.search(n("صوبے کے تمام اضلاع میں"))
    assert not scope.search(n("اسلام آباد میں منعقدہ اجلاس میں"))
    assert not scope.search(n("ہر صوبے میں"))
    assert not scope.search(n("کمپیوٹر سائنس اور آئی سی ٹی کے نصاب"))  # the subject, not the territory


# ---- a helpline's number is not a year


def test_a_helpline_number_is_not_a_year():
    assert not _dated_before(n("سائبر کرائم ہیلپ لائن 1991 کے پوسٹر"), 2025)
    assert not _dated_before(n("1991 کی ہیلپ لائن پر"), 2025)
    assert _dated_before(n("یہ ہیلپ لائن، جو 2019 میں قائم کی گئی"), 2025)


# ---- the next sentence that opens with the deed's object tells its content (not when told in the future)


def test_the_next_sentence_tells_the_deeds_content():
    nxt = RULES.content_next
    assert nxt.search(n("مہم کی ویڈیوز میں والدین کو آن لائن خطرات کے بارے میں بتایا گیا ہے۔"))
    assert not nxt.search(n("مہم میں آئندہ ماہ اساتذہ کو بھی شامل کیا جائے گا۔"))


def test_a_campaign_and_its_content(matcher):
    got = statuses(matcher, "بچوں کی آن لائن حفاظت کی آگاہی مہم",
                   "ایک غیر سرکاری تنظیم نے بچوں کی آن لائن حفاظت پر سوشل میڈیا مہم شروع کر دی ہے۔ مہم کے پیغامات میں "
                   "والدین اور بچوں کو آن لائن خطرات سے آگاہ کیا گیا ہے۔")
    assert got.get("CSO-01") == "implemented"


# ---- Urdu words for celebrities, reporting buttons, new technologies and added personnel


def test_lexicon_words():
    def concepts(text):
        return set(analyse_item("", n(text)).concepts)
    assert "media_campaign" in concepts("معروف اداکار اور نامور کرکٹرز مہم میں شامل")
    assert "media_campaign" not in concepts("نوجوان کرکٹرز کا تربیتی کیمپ")  # cricketers are not celebrities
    assert "reporting_tool" in concepts("ایپ میں رپورٹنگ بٹن")
    assert "innovation" in concepts("افسران کو ابھرتی ہوئی ٹیکنالوجیز پر تربیت")
    assert "staffing" in concepts("ہیلپ لائن پر اضافی اہلکار تعینات")
