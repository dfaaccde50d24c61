"""Urdu news phrasing (round 7): mechanisms found on the fourth set of Urdu dev items written blind. Every
sentence here is written for the test, in words of its own (not taken from a labelled item); each group is
one general mechanism of Urdu news."""
import pytest

from tracker.matching.bills import other_subject
from tracker.matching.evaluate import load_register
from tracker.matching.lexicon import RULES
from tracker.matching.matcher import Matcher, profiles_from_register
from tracker.matching.text import normalise

BILL_CODES = ("LEG-01", "LEG-02", "LEG-03", "LEG-04", "LEG-05", "CSO-02")


@pytest.fixture(scope="module")
def matcher():
    return Matcher(*profiles_from_register(load_register()))


def statuses(matcher, title, text, published="2026-04-20", feed_kind="news"):
    return {m.code: m.proposed_status for m in matcher.match(title, text, feed_kind=feed_kind, published=published)}


def n(text):
    return normalise(text)[0]


# ---- other subjects of a same-title bill are whole words ("ونی" is inside "یونیورسٹی", "دیت" inside "دیتے")


def test_other_subjects_are_whole_words():
    assert not other_subject(n("ایوان نے جامعہ کراچی اور وفاقی اردو یونیورسٹی کے بلز پر بحث کی۔"))
    assert not other_subject(n("کمیٹی نے بل کی منظوری دیتے ہوئے رپورٹ پیش کرنے کی سفارش کی۔"))
    assert other_subject(n("ونی کی رسم کے خاتمے کا بل"))
    assert other_subject(n("قتل خطا پر دیت کی رقم بڑھانے کا بل"))
    # the false-FIR and perjury bills that share the tracked bill's title
    assert other_subject(n("جھوٹی ایف آئی آر درج کرانے پر سزا بڑھانے کا بل"))
    assert other_subject(n("عدالت میں جھوٹی گواہی دینے والوں کے خلاف ترمیمی بل"))


def test_a_listing_with_a_university_bill_still_reads_the_tracked_bill(matcher):
    got = statuses(matcher, "قومی اسمبلی: ایوان میں پیش کیے گئے بلز",
                   "قومی اسمبلی سیکرٹریٹ۔ درج ذیل بلز ایوان کی میز پر رکھے گئے اور سپیکر نے انہیں متعلقہ قائمہ کمیٹیوں کو "
                   "بھجوا دیا: پشاور ٹیکنیکل یونیورسٹی (ترمیمی) بل، 2026؛ فوجداری قوانین (ترمیمی) بل، 2026۔",
                   feed_kind="parliament")
    assert {got.get(c) for c in BILL_CODES} == {"in_progress"}


# ---- a listing of bills that lapsed (plural verb; the constitutional period counted in days)


def test_a_plural_lapse_and_a_period_in_days_are_a_lapse():
    stage = {s.stage: s for s in RULES.stages}["lapsed"].pattern
    assert stage.search(n("درج ذیل بلز غیر مؤثر ہو گئے ہیں"))
    assert stage.search(n("بل مقررہ نوے دن کے اندر منظور نہ ہو سکا"))
    assert not stage.search(n("بل غیر مؤثر ہو گئے تھے"))


def test_a_senate_notice_of_lapsed_bills(matcher):
    got = statuses(matcher, "ایوان بالا: مدت پوری ہونے پر ختم ہونے والے بلز",
                   "سینیٹ سیکرٹریٹ کی اطلاع کے مطابق قومی اسمبلی سے آنے والے درج ذیل بلز آئین کے آرٹیکل 70 کے تحت مقررہ نوے "
                   "دن کے اندر منظور نہ ہو سکے اور غیر مؤثر ہو گئے: فوجداری قوانین (ترمیمی) بل، 2026۔",
                   published="2026-09-02", feed_kind="parliament")
    assert got.get("LEG-02") == "stalled"


# ---- the Gazette's notice of an Act: "has received the assent of the President and is published for
# general information"


def test_the_gazettes_notice_of_an_act(matcher):
    got = statuses(matcher, "گزٹ آف پاکستان (غیر معمولی)",
                   "مجلس شوریٰ کا درج ذیل ایکٹ 2 مارچ 2026 کو صدر مملکت کی منظوری حاصل کر چکا ہے اور عام اطلاع کے لیے شائع "
                   "کیا جاتا ہے: فوجداری قوانین (ترمیمی) ایکٹ، 2026۔", published="2026-03-05", feed_kind="gazette")
    assert got.get("LEG-01") == "implemented"
    assert got.get("LEG-03") == "partially_implemented"


def test_a_same_title_act_about_false_firs_is_not_the_tracked_bill(matcher):
    got = statuses(matcher, "گزٹ آف پاکستان (غیر معمولی)",
                   "مجلس شوریٰ کا درج ذیل ایکٹ صدر کی منظوری حاصل کر چکا ہے اور عام اطلاع کے لیے شائع کیا جاتا ہے: فوجداری "
                   "قوانین (ترمیمی) ایکٹ، 2026 — ایک ایکٹ تاکہ جھوٹی ایف آئی آر کی سزا بڑھانے کے لیے تعزیرات پاکستان میں ترمیم "
                   "کی جائے۔", published="2026-03-05", feed_kind="gazette")
    assert not any(got.get(c) for c in BILL_CODES)


# ---- a passage welcomed as the premise of an appeal is not the item's news


def test_a_welcomed_passage_before_an_appeal_is_no_stage(matcher):
    got = statuses(matcher, "بچوں کے حقوق کی تنظیموں کی سینیٹ سے بل کی جلد منظوری کی اپیل",
                   "بچوں کے حقوق کی تنظیموں نے قومی اسمبلی سے فوجداری قوانین (ترمیمی) بل 2026 کی منظوری کو خوش آئند قرار "
                   "دیتے ہوئے سینیٹ سے اپیل کی ہے کہ بچوں کے خلاف آن لائن جرائم کی روک تھام کے لیے بل جلد منظور کیا جائے۔")
    assert "LEG-01" in got and not any(got.get(c) for c in BILL_CODES)


def test_a_welcomed_passage_on_its_own_is_still_the_stage(matcher):
    got = statuses(matcher, "وزارت کا بل کی منظوری کا خیرمقدم",
                   "وزارت انسانی حقوق کے مطابق قومی اسمبلی سے فوجداری قوانین (ترمیمی) بل 2026 کی منظوری بچوں کے خلاف آن "
                   "لائن جرائم کی روک تھام کی جانب اہم قدم ہے۔")
    assert got.get("LEG-02") == "in_progress"


# ---- a High Court's directive to the subordinate courts is its rules; cases of child victims or witnesses


def test_a_high_courts_directive_to_subordinate_courts(matcher):
    got = statuses(matcher, "سندھ ہائیکورٹ کا بچوں سے متعلق مقدمات جلد نمٹانے کا ہدایت نامہ",
                   "سندھ ہائیکورٹ نے صوبے کی ماتحت عدالتوں کو ہدایت نامہ جاری کر دیا ہے کہ جن مقدمات میں بچے متاثرہ فریق یا "
                   "گواہ ہوں ان میں غیر ضروری التوا نہ دیا جائے اور روزانہ کی بنیاد پر سماعت کی جائے۔")
    assert got.get("JUD-01") == "partially_implemented"
    assert got.get("JUD-02") == "partially_implemented"


def test_a_directive_is_issued_not_asked_for():
    assert not RULES.appeal.search(n("عدالت نے ماتحت عدالتوں کو ہدایت نامہ "))


# ---- a school grade names its pupils


def test_a_school_grade_is_a_child_term(matcher):
    got = statuses(matcher, "پنجاب کی درسی کتب میں سائبر تحفظ کا سبق",
                   "پنجاب کریکولم بورڈ نے ساتویں جماعت کی کمپیوٹر کی کتاب میں آن لائن خطرات اور سائبر بلیئنگ سے بچاؤ کا نیا سبق "
                   "شامل کر دیا ہے۔")
    assert got.get("GOV-21") == "partially_implemented"


# ---- CSAM as images "based on" the abuse; detection as automatic matching and blocking; one big company is one


def test_one_company_blocking_abuse_images_automatically(matcher):
    got = statuses(matcher, "موبائل کمپنی نے بچوں کے استحصال کی تصاویر خودکار طور پر بلاک کرنے کا نظام لگا دیا",
                   "ملک کی ایک بڑی موبائل کمپنی نے اپنے ڈیٹا نیٹ ورک پر بچوں کے جنسی استحصال پر مبنی تصاویر کی ہیش میچنگ کے "
                   "ذریعے خودکار شناخت کا نظام نصب کر دیا ہے۔")
    assert got.get("ESP-06") == "partially_implemented"


def test_big_companies_in_the_plural_are_the_industry():
    assert RULES.industry_wide.search(n("ملک کی بڑی موبائل کمپنیوں نے"))
    assert not RULES.industry_wide.search(n("ملک کی ایک بڑی موبائل کمپنی نے"))
