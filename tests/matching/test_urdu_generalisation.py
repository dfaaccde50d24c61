"""The Urdu matcher's general mechanisms (issue 13): normalisation classes, urdu.yaml (loaded, validated,
merged), tense after the verb, agenda formulae, the Gazette's formula, same-title bills, recaps, scope,
crime reports, future clauses, stalls, and spans on the original text. Sentences here are written for
the tests (not taken from the labelled items)."""
import shutil
from pathlib import Path

import pytest

from tracker.matching.evaluate import UR_BLIND_DEV_FILE, evaluate, load_items, load_register
from tracker.matching.matcher import Matcher, profiles_from_register
from tracker.matching.rules import RULES_DIR, RulesError, load_rules
from tracker.matching.text import normalise, original_span, stem, tokenise

BILL_CODES = {"LEG-01", "LEG-02", "LEG-03", "LEG-04", "LEG-05", "CSO-02"}


@pytest.fixture(scope="module")
def matcher():
    return Matcher(*profiles_from_register(load_register()))


def statuses(found):
    return {m.code: m.proposed_status for m in found}


# ---- normalisation classes


@pytest.mark.parametrize("variant, same_as", [
    ("بهی تها", "بھی تھا"),  # Arabic heh for do-chashmi heh (Arabic keyboards have one heh)
    ("ہیلپ لاين", "ہیلپ لاین"),  # Arabic ye
    ("کئے گئے", "کیے گئے"),  # hamza spellings of -ئے
    ("دیئے", "دیے"),
    ("دئیے", "دیے"),
    ("لئے", "لیے"),
    ("ا\u0653ن لائن", "آن لائن"),  # alef + madda above = alef madda
    ("\ufefb", "لا"),  # a presentation form (text copied from a PDF)
    ("منظور کردیا", "منظور کر دیا"),  # a light verb joined to its auxiliary
    ("نافذ ہوگئی", "نافذ ہو گئی"),
    ("قائم کریگا", "قائم کرے گا"),  # future written as one word
    ("منظور ہونگے", "منظور ہوں گے"),
    ("منظوری دیدی", "منظوری دے دی"),
    ("منظور\u00a0کر\u202fلیا", "منظور کر لیا"),  # no-break and narrow spaces
    ("مکمل کرادیا", "مکمل کرا دیا"),
    ("كمیٹی نے بِل منظـور كیا", "کمیٹی نے بل منظور کیا"),
])
def test_spelling_variants_read_the_same(variant, same_as):
    assert normalise(variant)[0] == normalise(same_as)[0]


def test_a_split_light_verb_maps_back_to_the_original_spelling():
    original = "پی ٹی اے نے پورٹل لانچ کردیا۔"
    norm, offsets = normalise(original)
    start = norm.index("لانچ کر دیا")
    s, e = original_span(offsets, start, start + len("لانچ کر دیا"))
    assert original[s:e] == "لانچ کردیا"


def test_a_students_word_is_not_stemmed_into_a_summons():
    assert stem("طلبہ") != stem("طلب")
    assert [t.stem for t in tokenise(normalise("طلبہ")[0])] == ["طلبہ"]


# ---- urdu.yaml: loaded, merged, validated


def test_urdu_entries_are_merged_into_the_same_structures():
    rules = load_rules()
    assert "پراسیکیوٹرز" in rules.concepts["justice_prof"][1]  # a lexicon variant
    assert "continuous training" in rules.keyword_translations
    done = next(e for e in rules.events if e.name == "done")
    assert done.pattern.search(normalise("ہیلپ لائن فعال کر دی گئی")[0])  # a verb class
    assert rules.crime_report.search("ملزم گرفتار") and not rules.crime_report.search("arrested")


def test_the_rules_load_without_urdu_yaml(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    (rules / "urdu.yaml").unlink()
    loaded = load_rules(rules)
    assert loaded.crime_report is None and not loaded.keyword_translations


@pytest.mark.parametrize("change, message", [
    ("\nbogus: []\n", r"urdu\.yaml: (line \d+: )?bogus: unknown section"),
    ("\nconcepts:\n  no_such_concept: [کچھ]\n",
     r"urdu\.yaml: (line \d+: )?concepts\.no_such_concept: concept 'no_such_concept'"),
    ("\nstages:\n  signed: ['دستخط']\n", r"urdu\.yaml: (line \d+: )?stages\.signed: unknown stage"),
    ("\ncrime_report:\n  - '(?:گرفتار'\n", r"urdu\.yaml: (line \d+: )?crime_report\[0\]: bad regular expression"),
    ("\nverb_classes:\n  x:\n    event: done\n    predicates: [نافذ]\n    future: maybe\n",
     r"urdu\.yaml: (line \d+: )?verb_classes\.x\.future: expected in_progress or none"),
])
def test_a_bad_urdu_entry_is_refused_naming_file_entry_and_problem(tmp_path, change, message):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    path = rules / "urdu.yaml"
    text = path.read_text(encoding="utf-8")
    if change.startswith("\nconcepts:"):
        text = text.replace("\nconcepts:\n", change, 1)
    elif change.startswith("\nstages:"):
        text = text.replace("\nstages:\n", change, 1)
    elif change.startswith("\nverb_classes:"):
        text = text.replace("\nverb_classes:\n", change, 1)
    elif change.startswith("\ncrime_report:"):
        text = text.replace("\ncrime_report:\n", change.rstrip("\n") + "\n", 1)
    else:
        text += change
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError, match=message):
        load_rules(rules)


def test_every_keyword_translation_names_a_register_keyword():
    keywords = {k.strip().lower() for r in load_register()["recommendations"] for k in r.get("keywords") or ()}
    assert set(load_rules().keyword_translations) <= keywords


# ---- tense after the verb


@pytest.mark.parametrize("verb, expected", [
    ("شروع کر دی ہے", {"implemented", "partially_implemented"}),
    ("شروع کردی گئی ہے", {"implemented", "partially_implemented"}),
    ("شروع کی جائے گی", {"in_progress"}),
    ("شروع کرے گی", {"in_progress"}),
    ("شروع کی جا رہی ہے", {"in_progress"}),
    ("شروع کر دی جائے گی", {"in_progress"}),
    ("فعال ہو جائے گی", {"in_progress"}),
    ("شروع کی گئی تھی", {None}),
])
def test_the_tense_after_the_verb_decides_the_status(matcher, verb, expected):
    text = f"ایف آئی اے نے 1991 ہیلپ لائن پر بچوں کی آن لائن شکایات کے لیے واٹس ایپ چیٹ سروس {verb}۔"
    got = statuses(matcher.match("ہیلپ لائن 1991 کی نئی سروس", text, published="2026-05-01"))
    assert got.get("GOV-04", "no match") in expected


def test_a_passive_future_is_not_read_as_its_perfective_prefix(matcher):
    text = ("وزارت داخلہ کے مطابق بچوں کے آن لائن استحصال کی تفتیش کے لیے ایس او پیز صوبوں سے مشاورت کے بعد "
            "جاری کیے جائیں گے۔")
    assert statuses(matcher.match("تفتیش کے ایس او پیز", text)).get("GOV-11") in (None, "in_progress")


def test_a_process_purpose_makes_a_step_not_the_deed(matcher):
    text = ("وزارت آئی ٹی نے قومی سائبر سکیورٹی پالیسی پر نظرثانی کے لیے کمیٹی تشکیل دے دی تاکہ اس میں بچوں "
            "کے آن لائن تحفظ کا باب شامل ہو سکے۔")
    assert statuses(matcher.match("سائبر سکیورٹی پالیسی", text))["GOV-14"] == "in_progress"


def test_a_stalled_plan_is_stalled(matcher):
    text = ("حکومت نے بچوں کے جنسی استحصال کی تصاویر کا قومی ڈیٹا بیس بنانے کا منصوبہ بجٹ کی کمی کے باعث "
            "روک دیا ہے۔")
    assert statuses(matcher.match("قومی ڈیٹا بیس کا منصوبہ", text))["GOV-03"] == "stalled"


def test_a_future_clause_after_the_event_leaves_it_partial(matcher):
    text = ("وفاقی کابینہ نے بچوں کے آن لائن استحصال پر قومی پالیسی منظور کر لی جبکہ صوبے اپنے صوبائی ایکشن "
            "پلان بعد میں تیار کریں گے۔")
    assert statuses(matcher.match("قومی پالیسی منظور", text))["GOV-13"] == "partially_implemented"


def test_one_province_is_partial_but_a_dateline_is_not(matcher):
    text = "محکمہ تعلیم نے 5 ہزار اساتذہ کو بچوں کے آن لائن تحفظ کی تربیت فراہم کر دی۔"
    national = statuses(matcher.match("اساتذہ کی تربیت مکمل", "لاہور: " + text))
    provincial = statuses(matcher.match("اساتذہ کی تربیت مکمل", "لاہور: پنجاب کے " + text))
    assert national["GOV-22"] == "implemented" and provincial["GOV-22"] == "partially_implemented"


def test_an_urdu_crime_report_is_not_evidence(matcher):
    text = ("پولیس نے بچوں کی نازیبا ویڈیوز بنا کر سوشل میڈیا پر پھیلانے والے ملزم کو گرفتار کر کے مقدمہ "
            "درج کر لیا۔")
    assert matcher.match("نازیبا ویڈیوز کا ملزم گرفتار", text) == []


# ---- the bill


def test_an_agenda_states_the_stage_in_the_future_but_news_does_not(matcher):
    text = "آئٹم نمبر 4: وزیر قانون فوجداری قوانین (ترمیمی) بل، 2026 پیش کریں گے۔"
    agenda = matcher.match("قومی اسمبلی: آرڈرز آف دی ڈے", text, feed_kind="parliament", published="2026-03-02")
    assert {m.code for m in agenda} == BILL_CODES and set(statuses(agenda).values()) == {"in_progress"}
    news = matcher.match("قومی اسمبلی", text, feed_kind="news", published="2026-03-02")
    assert not any(m.proposed_status for m in news)


def test_the_gazette_formula_is_the_act_published(matcher):
    text = ("مجلس شوریٰ کے درج ذیل ایکٹ کو صدر مملکت کی منظوری حاصل ہوئی اور بذریعہ ہذا عام اطلاع کے لیے شائع "
            "کیا جاتا ہے: فوجداری قوانین (ترمیمی) ایکٹ، 2026۔")
    got = statuses(matcher.match("گزٹ آف پاکستان", text, feed_kind="gazette", published="2026-05-02"))
    assert got["LEG-01"] == "implemented" and got["LEG-04"] == "partially_implemented"


def test_a_same_title_bill_stating_another_subject_is_not_the_tracked_bill(matcher):
    text = ("قومی اسمبلی نے فوجداری قوانین (ترمیمی) بل، 2026 منظور کر لیا جس کے تحت منشیات فروشوں کی سزا "
            "بڑھا دی گئی ہے۔")
    assert matcher.match("فوجداری قوانین ترمیمی بل منظور", text, published="2026-03-01") == []


def test_a_recap_of_the_recorded_lapse_is_evidence_only(matcher):
    text = ("فوجداری قوانین (ترمیمی) بل، جو بچوں کی آن لائن گرومنگ کو جرم قرار دیتا تھا، 2022 میں قومی اسمبلی "
            "سے منظور ہوا۔ بعد میں سینیٹ میں مدت پوری ہونے پر بل غیر مؤثر ہو گیا۔")
    got = matcher.match("بل کا کیا بنا؟", text, published="2025-01-10")
    assert {m.code for m in got} == BILL_CODES and not any(m.proposed_status for m in got)


def test_a_lapse_again_is_news(matcher):
    text = "فوجداری قوانین (ترمیمی) بل، جس میں آن لائن گرومنگ جرم قرار دی گئی ہے، دوسری بار غیر مؤثر ہو گیا۔"
    got = statuses(matcher.match("بل پھر ختم", text, published="2026-09-10"))
    assert got["LEG-02"] == "stalled"


def test_the_bill_stage_highlight_is_the_original_spelling(matcher):
    text = "سينيٹ نے فوجداري قوانين (ترميمي) بل منظور کرليا جس ميں بچوں کی آن لائن گرومنگ جرم قرار دی گئی۔"
    got = matcher.match("بل منظور", text, published="2026-03-03")
    quoted = [text[s:e] for s, e in got[0].highlights]
    assert any("منظور کرليا" in q for q in quoted)


# ---- the blind Urdu dev items


@pytest.mark.skipif(not Path(UR_BLIND_DEV_FILE).exists(), reason="no blind Urdu dev items")
def test_blind_urdu_dev_figures_hold():
    result = evaluate(load_items(UR_BLIND_DEV_FILE, "dev"), load_register(), name="dev (Urdu, blind)")["matcher"]
    assert result["precision"] >= 0.9 and result["recall"] >= 0.85
    assert result["bill_right"] == result["bill_items"] > 0
    assert result["distractor_status"] == 0 and result["quiet_implemented"] == 0


def test_sent_to_the_president_is_passage_by_both_houses(matcher):
    text = "سینیٹ سے منظوری کے بعد بچوں کی آن لائن گرومنگ کے خلاف بل دستخط کے لیے صدر مملکت کو بھجوا دیا گیا۔"
    got = matcher.match("بل صدر کو ارسال", text, published="2026-05-01")
    assert {m.stage for m in got} == {"passed_second_house"}
    assert {m.proposed_status for m in got} == {"in_progress"}


def test_the_bill_named_by_a_paraphrase_of_its_title(matcher):
    text = "کریمنل لاز (امینڈمنٹ) بل 2026 ایوان میں پیش کر دیا گیا۔"
    got = matcher.match("ایوان کی کارروائی", text, feed_kind="parliament", published="2026-05-01")
    assert {m.code for m in got} == BILL_CODES and "same_title_unconfirmed" in got[0].flags


def test_a_headline_without_its_verb_states_the_deed(matcher):
    text = "دونوں اداروں نے بچوں کے آن لائن استحصال کی روک تھام کے لیے تعاون بڑھانے پر اتفاق کیا۔"
    got = statuses(matcher.match("ایف آئی اے اور یونیسف کے درمیان بچوں کے آن لائن تحفظ پر معاہدے پر دستخط", text))
    assert got.get("INT-05") in ("implemented", "partially_implemented")


def test_a_provincial_assembly_bill_is_not_a_stage_of_the_tracked_bill(matcher):
    text = "پنجاب اسمبلی نے بچوں کے آن لائن تحفظ کا بل منظور کر لیا جس کے تحت صوبے میں نئی اتھارٹی قائم ہو گی۔"
    assert not any(m.proposed_status for m in matcher.match("پنجاب اسمبلی", text, published="2026-05-01"))


def test_an_infinitive_is_not_a_passage(matcher):
    text = "وزیر قانون نے کہا ہے کہ بچوں کے خلاف سائبر جرائم کا بل سینیٹ سے منظور کرانے کی پوری کوشش کریں گے۔"
    assert not any(m.proposed_status for m in matcher.match("وزیر کا بیان", text, published="2026-05-01"))


def test_an_attributive_participle_or_an_increase_that_happened_is_no_deed(matcher):
    text = ("ایف آئی اے سائبر کرائم ونگ کی جانب سے شروع کی گئی 1991 ہیلپ لائن کی آن لائن چیٹ سروس پر بچوں کی "
            "شکایات میں اضافہ ہو گیا ہے۔")
    got = statuses(matcher.match("شکایات میں اضافہ", text))
    assert "GOV-04" in got and not any(got.values())
    text = "حکومت نے بچوں کے آن لائن تحفظ کے لیے ایف آئی اے سائبر کرائم ونگ کے بجٹ میں اضافہ کر دیا۔"
    assert statuses(matcher.match("بجٹ میں اضافہ", text))["GOV-01"] in ("implemented", "partially_implemented")


def test_a_listing_amending_the_bill_is_still_the_bill(matcher):
    text = "قائمہ کمیٹی برائے قانون و انصاف نے فوجداری قوانین (ترمیمی) بل، 2026 میں ترامیم منظور کر لیں۔"
    got = matcher.match("قومی اسمبلی", text, feed_kind="parliament", published="2026-05-02")
    assert {m.code for m in got} == BILL_CODES and {m.proposed_status for m in got} == {"in_progress"}


def test_an_urdu_complement_between_object_and_noun_still_makes_a_compound(matcher):
    text = ("وفاقی وزیر تعلیم نے کہا ہے کہ وزارت اگلے سال اساتذہ کو بچوں کے آن لائن تحفظ کی تربیت دینے کا "
            "منصوبہ بنا رہی ہے۔")
    assert statuses(matcher.match("اساتذہ کے لیے نیا منصوبہ", text)).get("GOV-22") in (None, "in_progress")
    assert "GOV-22" in statuses(matcher.match("اساتذہ کے لیے نیا منصوبہ", text))
