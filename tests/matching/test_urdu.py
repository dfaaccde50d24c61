"""Urdu items: normalisation with offsets, tokens, spans on the ORIGINAL text, a bill stage, distractors,
rules and sources validated, and the evaluation reporting the Urdu split beside the English."""
import shutil
import textwrap
from pathlib import Path

import pytest

import yaml

from tracker.feeds.operations import SOURCES_FILE, SourcesFileError, load_sources_file
from tracker.matching.evaluate import UR_DEV_FILE, evaluate, load_items, load_register, main
from tracker.matching.matcher import Matcher, profiles_from_register
from tracker.matching.rules import RULES_DIR, RulesError, load_rules
from tracker.matching.text import has_arabic_script, normalise, original_span, stem, tokenise

BILL_CODES = {"LEG-01", "LEG-02", "LEG-03", "LEG-04", "LEG-05", "CSO-02"}


@pytest.fixture(scope="module")
def matcher():
    return Matcher(*profiles_from_register(load_register()))


# ---- normalisation and tokens


@pytest.mark.parametrize("variant, folded", [
    ("قومى اسمبلى", "قومی اسمبلی"),  # alef maksura -> ye
    ("ايف آئي اے", "ایف آئی اے"),  # Arabic ye -> Urdu ye
    ("كميٹی", "کمیٹی"),  # Arabic kaf -> keheh
    ("مسوده", "مسودہ"),  # Arabic heh -> heh goal
    ("وزارتِ قانون", "وزارت قانون"),  # zer (izafat) dropped
    ("بچّوں", "بچوں"),  # tashdeed dropped
    ("مَنظُور", "منظور"),  # zabar, pesh dropped
    ("منظـــور", "منظور"),  # tatweel dropped
    ("صدر\u200dمملکت", "صدرمملکت"),  # zero-width joiner dropped
    ("انویسٹی\u200cگیشن", "انویسٹی گیشن"),  # zero-width non-joiner: the space it stands for
    ("بل ۲۰۲۲", "بل 2022"),  # Urdu digits
    ("بل ٢٠٢٢", "بل 2022"),  # Arabic-Indic digits
    ("صلوٰۃ", "صلوۃ"),  # superscript alef dropped
    ("ۂ", "ہ"),  # heh with hamza
])
def test_letter_variants_diacritics_and_digits_normalise(variant, folded):
    assert normalise(variant)[0] == folded


def test_english_text_is_returned_unchanged():
    text = "The Senate passed the Criminal Laws (Amendment) Bill, 2022."
    assert normalise(text) == (text, list(range(len(text) + 1)))
    assert not has_arabic_script(text) and has_arabic_script("بل")


def test_offsets_map_normalised_spans_back_to_the_original():
    original = "قائمہ کمیٹی نے بِل مَنظُور کر لیا۔"
    norm, offsets = normalise(original)
    start = norm.index("منظور کر لیا")
    s, e = original_span(offsets, start, start + len("منظور کر لیا"))
    assert original[s:e] == "مَنظُور کر لیا"


def test_urdu_tokens_drop_function_words_and_share_a_stem_across_inflection():
    toks = tokenise(normalise("بچوں کے جنسی استحصال کا مواد")[0])
    assert [t.stem for t in toks] == [stem("بچوں"), "جنسی", "استحصال", "مواد"]
    assert stem("بچوں") == stem("بچے") == stem("بچہ")
    assert stem("اداروں") == stem("ادارے") == stem("ادارہ")
    assert stem("ویڈیوز") == stem("ویڈیو")
    assert stem("reporting") == "report"  # the English stemmer is untouched


# ---- the matcher on Urdu text


def test_urdu_bill_stage_proposes_in_progress_for_every_tracking_recommendation(matcher):
    title = "بچوں کے آن لائن جنسی استحصال کے خلاف بل قومی اسمبلی میں دوبارہ پیش"
    text = ("وزیر قانون نے فوجداری قوانین (ترمیمی) بل 2022 قومی اسمبلی میں دوبارہ پیش کر دیا۔ بل میں آن لائن "
            "گرومنگ اور سیکسٹارشن کو جرم قرار دیا گیا ہے۔")
    got = {m.code: m for m in matcher.match(title, text, published="2026-02-10")}
    assert set(got) == BILL_CODES
    assert {m.proposed_status for m in got.values()} == {"in_progress"}
    assert got["LEG-02"].stage == "introduced"


def test_urdu_assent_implements_the_passage_ask_and_partially_the_others(matcher):
    text = "صدر مملکت نے فوجداری قوانین (ترمیمی) بل 2022 پر دستخط کر دیے جس سے آن لائن گرومنگ اور سیکسٹارشن قابل سزا جرم بن گئے۔"
    got = {m.code: m for m in matcher.match("صدر مملکت کے دستخط", text, published="2026-04-10")}
    assert got["LEG-01"].proposed_status == "implemented"
    assert got["LEG-02"].proposed_status == "partially_implemented"


def test_highlights_index_the_original_text_with_its_diacritics(matcher):
    text = ("وزیرِ قانون نے فَوجداری قوانین (ترمیمی) بِل سینیٹ میں پیش کِیا۔ بِل میں بچّوں کی فحش ویڈیوز "
            "اور آن لائن گرومنگ پر سخت سزا رکھی گئی ہے۔")
    found = matcher.match("بچّوں کے تحفظ کا بِل سینیٹ میں پیش", text, published="2026-02-12")
    assert {m.code for m in found} == BILL_CODES
    quoted = [text[s:e] for s, e in found[0].highlights]
    assert "پیش کِیا" in quoted  # the stage phrase, diacritic and all
    assert any("فَوجداری" in q for q in quoted)  # the bill's name as printed
    assert any("گرومنگ" in q for q in quoted)


def test_rationale_quotes_the_item_as_printed(matcher):
    text = ("ایف آئی اے سائبر کرائم ونگ نے 200 نئے تفتیش کار بھرتی کر لیے اور ونگ کے لیے 50 کروڑ روپے کا اضافی "
            "بجٹ مختص کر دیا تاکہ بچّوں کے خلاف سائبر جرائم کی تحقیقات ہو سکیں۔")
    got = {m.code: m for m in matcher.match("سائبر کرائم ونگ میں بھرتیاں", text)}
    assert got["GOV-01"].proposed_status == "implemented"
    assert "بچّوں" in got["GOV-01"].rationale


def test_future_urdu_news_never_proposes_implemented(matcher):
    text = ("ایف آئی اے حکام کے مطابق بچوں کے آن لائن استحصال کی شکایات کے لیے 1991 ہیلپ لائن کی آن لائن چیٹ "
            "سروس کا افتتاح اگلے ماہ کیا جائے گا۔")
    got = matcher.match("ہیلپ لائن کی چیٹ سروس", text)
    assert got and all(m.proposed_status in (None, "in_progress") for m in got)


def test_urdu_same_title_bill_on_another_subject_proposes_nothing(matcher):
    text = ("سینیٹ نے غیرت کے نام پر قتل کی سزاؤں میں اضافے کے لیے فوجداری قوانین (ترمیمی) بل منظور کر لیا۔ "
            "بل کے تحت ایسے مقدمات میں راضی نامہ نہیں ہو سکے گا۔")
    assert matcher.match("غیرت کے نام پر قتل کے خلاف بل منظور", text, published="2026-03-01") == []


def test_urdu_individual_crime_report_is_not_matched(matcher):
    text = ("قصور پولیس نے 10 سالہ بچی سے زیادتی کے ملزم کو گرفتار کر لیا۔ پولیس کے مطابق ملزم متاثرہ بچی "
            "کا پڑوسی ہے اور اس کے خلاف مقدمہ درج کر لیا گیا ہے۔")
    assert not any(m.proposed_status for m in matcher.match("بچی سے زیادتی کا ملزم گرفتار", text))


# ---- rules and sources are validated; Urdu entries are normalised on load


def test_urdu_rule_entries_are_normalised_on_load(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    lexicon = rules / "lexicon.yaml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace(
        '      - "ccw"\n', '      - "ccw"\n      - "سائبر كرائم سَركل"\n', 1), encoding="utf-8")
    assert "سائبر کرائم سرکل" in load_rules(rules).concepts["ccw"][1]


def test_a_multi_word_bill_word_is_refused_naming_file_and_entry(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    stages = rules / "stages.yaml"
    stages.write_text(stages.read_text(encoding="utf-8").replace('  - "بل"\n', '  - "مسودہ قانون"\n'),
                      encoding="utf-8")
    with pytest.raises(RulesError, match=r"stages\.yaml: .*bill_words\[0\]: expected a single word"):
        load_rules(rules)


def test_urdu_sources_are_shipped_marked_for_a_check_on_first_poll():
    sources = {s.name: s for s in load_sources_file()}  # validates every entry, language included
    rows = yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))["sources"]
    urdu = [row["name"] for row in rows if row.get("language") == "ur"]
    for outlet in ("BBC Urdu", "Express", "Jang", "Dawn News Urdu", "Geo"):
        assert any(outlet in name for name in urdu)
    assert all(sources[name].needs_check for name in urdu)


def test_a_source_with_an_unknown_language_is_refused_naming_the_entry(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent("""\
        sources:
          - name: Somewhere
            url: https://example.org/feed
            language: urdu
        """), encoding="utf-8")
    with pytest.raises(SourcesFileError, match=r"entry 1 \(Somewhere\): language must be one of en, ur"):
        load_sources_file(path)


# ---- evaluation


def test_urdu_dev_items_are_enough_and_a_third_are_distractors():
    items = load_items(UR_DEV_FILE, "dev")
    assert len(items) >= 50
    assert all(i.get("language") == "ur" for i in items)
    assert sum(1 for i in items if not i["expected"]) * 3 >= len(items)


def test_urdu_dev_figures_hold(tmp_path):
    result = evaluate(load_items(UR_DEV_FILE, "dev"), load_register(), name="dev (Urdu)")["matcher"]
    assert result["precision"] >= 0.9 and result["recall"] >= 0.9
    assert result["bill_right"] == result["bill_items"] > 0
    assert result["distractor_status"] == 0 and result["quiet_implemented"] == 0


def test_evaluate_prints_urdu_beside_english_and_reads_the_urdu_test_only_when_present(tmp_path, capsys):
    missing = tmp_path / "none.yaml"
    assert main(["--split", "all", "--test-items", str(missing), "--ur-test-items", str(missing)]) == 0
    out = capsys.readouterr().out
    assert "split=dev " in out and "split=dev (Urdu)" in out and "test (Urdu)" not in out
    blind = tmp_path / "blind_ur.yaml"
    blind.write_text(Path(UR_DEV_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--split", "test", "--test-items", str(missing), "--ur-test-items", str(blind)]) == 0
    assert "split=test (Urdu)" in capsys.readouterr().out


def test_urdu_patterns_are_searched_only_in_urdu_text():
    from tracker.matching.rules import _regex
    rx = _regex("t.yaml", "p", [r"\bpassed\b", r"منظور کر لیا"])
    assert rx.search("The Senate passed it") and rx.search("سینیٹ نے بل منظور کر لیا")
    assert rx.latin.pattern == r"(?:\bpassed\b)"  # English text never tries the Urdu alternatives
    assert not _regex("t.yaml", "p", [r"منظور"]).search("approved")  # an Urdu-only rule is inert on English


def test_a_pattern_mixing_scripts_still_reads_english():
    from tracker.matching.rules import _regex
    houses = _regex("t.yaml", "houses", [r"\b(national assembly|lower house|قومی اسمبلی)\b"])
    assert houses.search("the National Assembly passed it") and houses.search("قومی اسمبلی نے")


def test_bill_names_must_be_a_mapping_of_slug_to_names(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    stages = rules / "stages.yaml"
    source = stages.read_text(encoding="utf-8")
    stages.write_text(source[:source.index("bill_names:")] + 'bill_names: ["فوجداری قوانین بل"]\n', encoding="utf-8")
    with pytest.raises(RulesError, match=r"stages\.yaml: .*bill_names: expected a mapping"):
        load_rules(rules)
