"""The Urdu kept beside data the database holds in English only: complete, checked on load (errors name the
file, the entry and the field), and shown on Urdu pages marked as a translation."""
import shutil

import pytest
import yaml

from tracker.glossary import GlossaryError, load_glossary
from tracker.indicators.seeding import INDICATORS_FILE, IndicatorDataError, load_indicators_file
from tracker.indicators.urdu import URDU_FILE, load_indicators_urdu
from tracker.recommendations.seeding import REGISTER_FILE, RegisterError, load_register_file, urdu_file_for
from tracker.scorecard.brief import BRIEF_FILE, BriefError, load_brief

URDU_LETTERS = set("ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیےۓۂۃ")


def test_every_indicator_instrument_bill_abbreviation_has_its_urdu():
    english = load_indicators_file()
    urdu = load_indicators_urdu()
    for row in english["indicators"]:
        for field in ("name", "measures", "unit", "can_tell", "cannot_tell"):
            assert URDU_LETTERS & set(urdu[row["slug"]][field]), (row["slug"], field)
        assert len(urdu[row["slug"]]["other_figures"]) == len(row.get("other_figures") or [])
    register = load_register_file()
    for row in register["instruments"]:
        texts = register["urdu"]["instruments"][row["slug"]]
        assert URDU_LETTERS & set(texts["name"])
        assert {f for f in ("status_text", "reporting_text") if row.get(f)} <= set(texts)
    assert set(register["urdu"]["bills"]) == {b["slug"] for b in register["bills"]}
    assert all(URDU_LETTERS & set(a.expansion_ur) for a in load_glossary())
    assert URDU_LETTERS & set(load_brief().urdu["title"])


def _indicators_urdu_with(tmp_path, change):
    data = yaml.safe_load(URDU_FILE.read_text(encoding="utf-8"))
    change(data["indicators"])
    path = tmp_path / "indicators.ur.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, expected", [
    (lambda d: d.pop("internet-users"), "indicator internet-users: no Urdu texts"),
    (lambda d: d["internet-users"].pop("unit"), "indicator internet-users, unit: the Urdu text must be non-empty"),
    (lambda d: d.update({"no-such": {"name": "x"}}), "indicator no-such: not in indicators.yaml"),
    (lambda d: d["internet-users"].update({"colour": "x"}), "indicator internet-users: unknown fields ['colour']"),
    (lambda d: d["internet-users"].update({"other_figures": []}), "internet-users, other_figures: one Urdu label"),
    (lambda d: d["internet-users"].update({"name": "بری\x07بات"}), "internet-users, name: control character"),
])
def test_indicators_urdu_is_checked(tmp_path, change, expected):
    with pytest.raises(IndicatorDataError) as err:
        load_indicators_urdu(_indicators_urdu_with(tmp_path, change))
    assert "indicators.ur.yaml" in str(err.value) and expected in str(err.value)


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["instruments"].pop("crc"), "instruments: no Urdu texts for crc"),
    (lambda d: d["instruments"]["opsc"].pop("reporting_text"), "instruments: opsc: no Urdu reporting_text"),
    (lambda d: d["instruments"]["crc"].update({"note": "x"}), "instruments: crc: unknown field(s) note"),
    (lambda d: d["instruments"].update({"nope": {"name": "x"}}), "instruments: nope: not in register.yaml"),
    (lambda d: d["bills"].clear(), "bills: no Urdu title for criminal-laws-amendment-2022"),
    (lambda d: d["bills"].update({"criminal-laws-amendment-2022": " "}), "the Urdu text must be non-empty"),
])
def test_register_urdu_instruments_and_bills_are_checked(tmp_path, change, expected):
    path = tmp_path / "register.yaml"
    shutil.copy(REGISTER_FILE, path)
    urdu = yaml.safe_load(urdu_file_for(REGISTER_FILE).read_text(encoding="utf-8"))
    change(urdu)
    urdu_file_for(path).write_text(yaml.safe_dump(urdu, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegisterError) as err:
        load_register_file(path)
    assert "register.ur.yaml" in str(err.value) and expected in str(err.value)


def test_glossary_and_brief_urdu_are_checked(tmp_path):
    data = yaml.safe_load((BRIEF_FILE.parent / "glossary.yaml").read_text(encoding="utf-8"))
    del data["abbreviations"][1]["expansion_ur"]
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"entry 2 \(CSAM\): needs an 'expansion_ur'"):
        load_glossary(glossary)
    brief = yaml.safe_load(BRIEF_FILE.read_text(encoding="utf-8"))
    brief["urdu"]["subtitle"] = "x"
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BriefError, match="urdu: 'subtitle' is not one of"):
        load_brief(path)


def test_urdu_pages_show_the_data_in_urdu_marked_as_translation(client, seeded):
    from tracker.extensions import db
    from tracker.indicators.seeding import seed_indicators
    seed_indicators(db.session, load_indicators_file())
    db.session.commit()
    client.set_cookie("lang", "ur")
    page = client.get("/indicators/internet-users").get_data(as_text=True)
    assert '<span lang="ur">پاکستان میں انٹرنیٹ صارفین</span> <small class="translation" lang="ur">ترجمہ</small>' in page
    assert '<span lang="en" dir="ltr">DataReportal (Digital 2022 Pakistan)</span>' in page
    page = client.get("/recommendations/LEG-01").get_data(as_text=True)
    assert "فوجداری قوانین (ترمیمی) بل، 2022" in page and "قومی اسمبلی" in page and "سینیٹ" in page
    assert '<strong lang="en" dir="ltr">Lanzarote Convention</strong>' in page and "لانزاروٹے" in page
    english = client.get("/recommendations/LEG-01?lang=en").get_data(as_text=True)
    assert "Criminal Laws (Amendment) Bill, 2022" in english and "قومی اسمبلی" not in english
    assert "National Assembly" in english
