"""Urdu news phrasing (round 4): how Urdu papers and the Assembly's notices word decisive events, bill
stages, stalls, negations and hedges. Sentences are written for the tests (not taken from labelled items);
each group is one general mechanism (normalisation, a verb class, an event or stage pattern)."""
import pytest

from tracker.matching.evaluate import load_register
from tracker.matching.matcher import Matcher, profiles_from_register
from tracker.matching.rules import load_rules
from tracker.matching.text import normalise

PLAN = "بچوں کے آن لائن جنسی استحصال کی روک تھام کے لیے قومی ایکشن پلان"
DONE = {"implemented", "partially_implemented"}


@pytest.fixture(scope="module")
def matcher():
    return Matcher(*profiles_from_register(load_register()))


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def plan_status(matcher, sentence):
    found = matcher.match("خبر", sentence.format(plan=PLAN), published="2026-05-01")
    return {m.code: m.proposed_status for m in found}.get("GOV-13", "no match")


# ---- normalisation: a compound's two words written joined


@pytest.mark.parametrize("joined, spaced", [
    ("نافذالعمل", "نافذ العمل"), ("زیرغور", "زیر غور"), ("زیرالتوا", "زیر التوا"),
    ("زائدالمیعاد", "زائد المیعاد"),
])
def test_a_joined_compound_reads_as_its_two_words(joined, spaced):
    assert normalise(joined)[0] == normalise(spaced)[0]


@pytest.mark.parametrize("word", ["زیرو", "اطلاق", "نافذ"])
def test_other_words_are_not_split(word):
    assert normalise(word)[0] == word


# ---- decisive events in the papers' words


@pytest.mark.parametrize("sentence", [
    "وفاقی کابینہ نے {plan} کی منظوری دیدی۔",
    "{plan} ملک بھر میں نافذالعمل ہو گیا۔",
    "{plan} پر عملدرآمد شروع ہو گیا۔",
    "{plan} کا اطلاق ہو گیا۔",
    "وزیر اعظم نے {plan} کا اجراء کر دیا۔",
    "وزیر اعظم نے {plan} متعارف کرا دیا۔",
    "{plan} منظور کرلیا گیا۔",
    # approval as a noun, in the passive or obtained
    "{plan} کی منظوری دے دی گئی۔",
    "کابینہ سے {plan} کی منظوری حاصل کر لی گئی۔",
    # a causative in the passive
    "{plan} متعارف کروا دیا گیا۔",
    # brought into being
    "{plan} کا نفاذ عمل میں لایا گیا۔",
])
def test_an_urdu_deed_is_implemented_or_partial(matcher, sentence):
    assert plan_status(matcher, sentence) in DONE


@pytest.mark.parametrize("sentence", [
    "وزارت {plan} کو حتمی شکل دے رہی ہے۔",
    "{plan} کو حتمی شکل دی جا رہی ہے۔",
    "حکومت نے {plan} کا اعلان کر دیا۔",
    "وزارت نے {plan} کا مسودہ تیار کر لیا۔",
])
def test_an_announcement_or_a_draft_being_finalised_is_in_progress(matcher, sentence):
    assert plan_status(matcher, sentence) == "in_progress"


@pytest.mark.parametrize("sentence", [
    "{plan} التوا میں ڈال دیا گیا۔",
    "{plan} سرد خانے کی نذر ہو گیا۔",
    "{plan} کھٹائی میں پڑ گیا۔",
    "{plan} مؤخر کر دیا گیا۔",
])
def test_a_shelved_plan_is_stalled(matcher, sentence):
    assert plan_status(matcher, sentence) == "stalled"


@pytest.mark.parametrize("sentence", [
    "پولیس نے ملزمان کے خلاف کارروائی عمل میں لائی گئی۔",
    "ایف آئی اے نے نازیبا ویڈیوز پھیلانے والے ملزم کی گرفتاری عمل میں لائی گئی۔",
])
def test_an_action_against_suspects_is_not_a_body_brought_into_being(rules, sentence):
    done = next(e for e in rules.events if e.name == "done").pattern
    assert not done.search(normalise(sentence)[0])


def test_a_body_brought_into_being_is_a_deed(rules):
    done = next(e for e in rules.events if e.name == "done").pattern
    assert done.search(normalise("چائلڈ پروٹیکشن اتھارٹی وجود میں آ گئی۔")[0])
    assert done.search(normalise("کمیشن کا قیام عمل میں لایا گیا۔")[0])
    assert not done.search(normalise("کمیشن کا قیام عمل میں لایا جائے گا۔")[0])


def test_merely_pending_is_not_shelved(rules):
    stopped = next(e for e in rules.events if e.name == "stopped").pattern
    assert not stopped.search(normalise("معاملہ زیرالتوا میں ہے اور کمیٹی غور کر رہی ہے۔")[0])


@pytest.mark.parametrize("sentence", [
    "{plan} تاحال نافذ نہیں کیا جا سکا۔",
    "{plan} ابھی تک منظور نہیں ہوا۔",
    "کابینہ نے {plan} منظور نہیں کیا۔",
    "{plan} کی منظوری اب تک نہیں دی گئی۔",
    "{plan} کی منظوری متوقع ہے۔",
    "{plan} جلد منظور ہونے کا امکان ہے۔",
    "ماہرین نے {plan} فوری نافذ کرنے پر زور دیا۔",
    "ماہرین نے {plan} نافذ کرنے کا مطالبہ کیا۔",
    # a negation after a verbless start
    "{plan} پر عملدرآمد کا آغاز نہیں ہو سکا۔",
    "{plan} پر عملدرآمد شروع نہ ہو سکا۔",
    "{plan} نافذ نہ ہو سکا۔",
    "{plan} کو تاحال کابینہ کی منظوری نہیں مل سکی۔",
])
def test_a_negation_or_a_hedge_states_no_deed(matcher, sentence):
    assert plan_status(matcher, sentence) not in DONE | {"stalled"}


# ---- bill stages in the Assembly's words


@pytest.mark.parametrize("sentence, stage", [
    ("قومی اسمبلی نے بل کثرت رائے سے منظور کر لیا۔", "passed"),
    ("بل ایوان زیریں سے منظور ہو گیا۔", "passed"),
    ("ایوان بالا نے بل منظور کرلیا۔", "passed"),
    ("حکومت نے بل قومی اسمبلی سے منظور کرا لیا۔", "passed"),
    ("بل قائمہ کمیٹی کے سپرد کر دیا گیا۔", "referred_to_committee"),
    ("بل ایوان زیریں میں متعارف کرایا گیا۔", "introduced"),
    ("قائمہ کمیٹی نے بل کی منظوری دے دی۔", "committee_report"),
    ("ایکٹ نافذالعمل ہو گیا۔", "gazette_notification"),
])
def test_an_urdu_stage_phrase_is_read(rules, sentence, stage):
    text = normalise(sentence)[0]
    assert stage in {s.stage for s in rules.stages if not s.feed_kinds and s.pattern.search(text)}


@pytest.mark.parametrize("sentence", [
    "بل کی منظوری متوقع ہے۔",
    "بل قومی اسمبلی سے منظور نہیں ہو سکا۔",
    "بل تاحال منظور نہیں کیا جا سکا۔",
    "بل سینیٹ سے منظور ہونے کا امکان ہے۔",
    "حکومت بل قومی اسمبلی سے منظور کرانے کی کوشش کرے گی۔",
])
def test_an_urdu_negated_or_expected_stage_is_no_stage(rules, sentence):
    text = normalise(sentence)[0]
    assert not {s.stage for s in rules.stages if not s.feed_kinds and s.pattern.search(text)}


# ---- a consultation is a step, unless the deed came after it


def test_a_consultation_begun_is_in_progress_but_a_deed_after_it_is_done(matcher):
    assert plan_status(matcher, "وزارت نے {plan} پر صوبوں سے مشاورت شروع کر دی۔") == "in_progress"
    assert plan_status(matcher, "{plan} کا مسودہ تیار، صوبوں سے مشاورت شروع") == "in_progress"
    assert plan_status(matcher, "صوبوں سے مشاورت کے بعد {plan} نافذ کر دیا گیا۔") in DONE
    assert plan_status(matcher, "صوبوں سے مشاورت کے بعد {plan} جاری کر دیا گیا۔") in DONE


# ---- the house as subject, the verb at the sentence's end: a long title between them

LONG_BILL = "بچوں کی آن لائن گرومنگ کو جرم قرار دینے والا فوجداری قوانین (ترمیمی) بل 2026"


@pytest.mark.parametrize("sentence, stage", [
    ("ایوان بالا نے {bill} متفقہ طور پر منظور کر لیا۔", "passed"),
    ("ایوان زیریں نے {bill} کی منظوری دیدی۔", "passed"),
    ("قائمہ کمیٹی برائے قانون و انصاف نے {bill} کی منظوری دے دی۔", "committee_report"),
])
def test_a_long_title_between_the_house_and_its_verb_is_still_the_stage(matcher, sentence, stage):
    found = [m for m in matcher.match("خبر", sentence.format(bill=LONG_BILL), published="2026-05-01")
             if m.code == "LEG-01"]
    assert found and all(m.stage and m.stage.startswith(stage) and m.proposed_status == "in_progress"
                         for m in found)


def test_a_long_title_with_a_negated_or_expected_verb_is_no_stage(matcher):
    for sentence in ("ایوان بالا نے {bill} تاحال منظور نہیں کیا۔", "ایوان بالا سے {bill} کی منظوری کا امکان ہے۔"):
        found = matcher.match("خبر", sentence.format(bill=LONG_BILL), published="2026-05-01")
        assert not any(m.proposed_status for m in found)


# ---- a time adverbial between "عملدرآمد" and "شروع"


@pytest.mark.parametrize("sentence, done", [
    ("معاہدے پر عملدرآمد گزشتہ ہفتے سے شروع ہو چکا ہے۔", True),
    ("قواعد پر عملدرآمد یکم جولائی سے شروع کر دیا گیا۔", True),
    ("قواعد پر عملدرآمد یکم جولائی سے شروع ہو گا۔", False),
    ("قواعد پر عملدرآمد یکم جولائی سے شروع کیا جائے گا۔", False),
])
def test_implementation_begun_after_a_time_adverbial(rules, sentence, done):
    pattern = next(e for e in rules.events if e.name == "done").pattern
    assert bool(pattern.search(normalise(sentence)[0])) is done


# ---- hard distractors in the papers' words: no status, whatever their verbs


@pytest.mark.parametrize("sentence", [
    "ایف آئی اے نے خاتون کو سوشل میڈیا پر ہراساں کرنے والے ملزم کو گرفتار کر لیا۔",
    "عدالت نے خاتون کی نازیبا تصاویر وائرل کرنے کے مقدمے میں ملزم کو تین سال قید کی سزا سنا دی۔",
    "پی ٹی اے نے ملک بھر میں غیر رجسٹرڈ موبائل فونز بلاک کرنے کی پالیسی نافذ کر دی۔",
    "ایف آئی اے سائبر کرائم ونگ نے مالیاتی فراڈ کی شکایات کے لیے نیا پورٹل لانچ کر دیا۔",
    "قومی اسمبلی نے فوجداری قوانین (ترمیمی) بل منظور کر لیا جس کا مقصد منشیات کی اسمگلنگ کی سزائیں سخت کرنا ہے۔",
    "وفاقی کابینہ نے نئی ٹیلی کام پالیسی کی منظوری دیدی جس کے تحت فائیو جی اسپیکٹرم کی نیلامی ہوگی۔",
    "پولیس نے کمسن بچی سے زیادتی کے ملزم کو گرفتار کر کے مقدمہ درج کر لیا۔",
    "وزارت آئی ٹی نے فری لانسرز کے لیے ڈیجیٹل اسکلز پروگرام کا اجراء کر دیا۔",
])
def test_an_urdu_distractor_proposes_no_status(matcher, sentence):
    assert not any(m.proposed_status for m in matcher.match("خبر", sentence, published="2026-05-01"))
