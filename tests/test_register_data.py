"""Validates feeds/register.yaml against its schema and against the NCRC briefs it quotes.

Structural checks always run. Checks that quote the briefs need the seed documents, found at
<workspace>/shared/seeds; they are skipped (with the reason) when the seeds are not there.
Only pyyaml and the standard library are used.
"""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "feeds" / "register.yaml"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BRIEF_FILE = SEEDS / "000_3300d2ac8ff7dd40.txt"  # NCRC policy brief "Child Online Protection"
STANDARDS_FILE = SEEDS / "002_5a6ae120d4040401.txt"  # International Human Rights Standards - COP

STAKEHOLDERS = {  # slug -> code prefix, in the brief's order
    "children": "CHI",
    "parents": "PAR",
    "electronic-service-providers": "ESP",
    "government": "GOV",
    "legislature": "LEG",
    "international-cooperation": "INT",
    "judiciary": "JUD",
    "nhris": "NHRI",
    "civil-society": "CSO",
}
THEMES = ["policy-governance", "criminal-justice", "victim", "societal", "industry", "communication-media"]
INSTRUMENTS = ["crc", "gc25", "opsc", "opcp", "ilo182", "trafficking-protocol", "ecosoc-2011-33", "budapest",
               "lanzarote", "rio-pact", "sdg-16-2"]
# "not_adopted": the seeds' own word for the Budapest Convention; "not_stated": neither seed says (Lanzarote).
PAKISTAN_STATUSES = {"ratified", "not_ratified", "not_adopted", "not_stated", "not_applicable", "committed"}
# Mirrors tracker/recommendations/statuses.py (kept literal so this test needs no app imports).
STATUSES = {"not_assessed", "not_started", "in_progress", "stalled", "partially_implemented", "implemented",
            "superseded"}
BILL_STAGES = {"introduced", "referred_to_committee", "committee_report", "passed_first_house",
               "passed_second_house", "assent", "gazette_notification", "lapsed", "withdrawn"}
CODE_RE = re.compile(r"^(CHI|PAR|ESP|GOV|LEG|INT|JUD|NHRI|CSO)-\d{2}$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
GENERIC_KEYWORDS = {"child", "children", "online", "internet", "abuse", "training", "research", "awareness",
                    "law", "government", "pakistan"}
RECOMMENDATION_KEYS = {"code", "stakeholder", "title", "source_text", "context_text", "responsible_bodies",
                       "themes", "instruments", "bill", "keywords", "initial_status", "initial_note", "audiences",
                       "split_from"}
RETIRED_KEYS = {"code", "stakeholder", "title", "source_text", "responsible_bodies", "themes", "instruments",
                "split_into", "reason"}
# Every code the register has ever had: none may disappear or be reused (never renumber).
CODES_BEFORE_AUDIT = (
    [f"CHI-{i:02d}" for i in range(1, 7)] + [f"PAR-{i:02d}" for i in range(1, 6)]
    + [f"ESP-{i:02d}" for i in range(1, 9)] + [f"GOV-{i:02d}" for i in range(1, 18)]
    + [f"LEG-{i:02d}" for i in range(1, 10)] + [f"INT-{i:02d}" for i in range(1, 6)]
    + [f"JUD-{i:02d}" for i in range(1, 6)] + [f"NHRI-{i:02d}" for i in range(1, 8)]
    + [f"CSO-{i:02d}" for i in range(1, 8)])


def norm(text: str) -> str:
    return " ".join(str(text).split())


@pytest.fixture(scope="module")
def register() -> dict:
    data = yaml.safe_load(REGISTER.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    for key in ("stakeholders", "themes", "instruments", "bills", "recommendations"):
        assert isinstance(data.get(key), list), f"register has no list {key!r}"
    return data


@pytest.fixture(scope="module")
def recs(register) -> list[dict]:
    return register["recommendations"]


def _read_seed(path: Path) -> str:
    if not path.is_file():
        pytest.skip(f"seed document {path.name} not found in {SEEDS}; verbatim-quote checks need the NCRC briefs")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def brief() -> str:
    return norm(_read_seed(BRIEF_FILE))


@pytest.fixture(scope="module")
def standards() -> str:
    return norm(_read_seed(STANDARDS_FILE))


@pytest.fixture(scope="module")
def sections(brief, register) -> dict[str, str]:
    """The Recommendations section of the brief, split by the nine stakeholder headings."""
    start = brief.rindex(" Recommendations The threat that advances")
    end = brief.index(" References (1) ", start)
    text = brief[start:end]
    names = [s["name"] for s in register["stakeholders"]]
    bounds = []
    pos = 0
    for name in names:
        pos = text.index(f" {name} ", pos)
        bounds.append(pos)
    bounds.append(len(text))
    return {s["slug"]: text[bounds[i]:bounds[i + 1]] for i, s in enumerate(register["stakeholders"])}


# ---------------------------------------------------------------- structure

def test_stakeholders_are_the_nine_in_order(register):
    got = [(s["slug"], s["code_prefix"]) for s in register["stakeholders"]]
    assert got == list(STAKEHOLDERS.items())
    assert all(norm(s.get("name", "")) for s in register["stakeholders"])


def test_themes_and_instruments_are_the_expected_sets(register):
    assert [t["slug"] for t in register["themes"]] == THEMES
    assert all(t.get("name") for t in register["themes"])
    assert [i["slug"] for i in register["instruments"]] == INSTRUMENTS


def test_instruments_fields(register):
    for ins in register["instruments"]:
        assert ins.get("name") and ins.get("short_name"), ins["slug"]
        assert isinstance(ins.get("binding"), bool), ins["slug"]
        assert ins.get("pakistan_status") in PAKISTAN_STATUSES, ins["slug"]
        if "ratified_on" in ins:
            assert isinstance(ins["ratified_on"], str) and DATE_RE.match(ins["ratified_on"]), ins["slug"]
            assert ins["pakistan_status"] == "ratified", ins["slug"]
    by_slug = {i["slug"]: i for i in register["instruments"]}
    for slug in ("gc25", "ecosoc-2011-33", "rio-pact", "sdg-16-2"):
        assert by_slug[slug]["binding"] is False, slug


def test_bills(register):
    slugs = [b["slug"] for b in register["bills"]]
    assert len(slugs) == len(set(slugs))
    for bill in register["bills"]:
        assert bill.get("title") and bill.get("summary")
        assert all(isinstance(a, str) and a for a in bill.get("aliases") or [])
        assert bill.get("subject_keywords"), "subject keywords tell this bill apart from unrelated ones"
        for stage in bill.get("stages") or []:
            assert stage["stage"] in BILL_STAGES, stage
            assert stage.get("evidence_text"), stage
            if "date" in stage:
                assert isinstance(stage["date"], str) and DATE_RE.match(stage["date"]), stage


def test_recommendation_count(recs):
    assert 55 <= len(recs) <= 80, len(recs)


def test_codes_unique_well_formed_and_never_renumbered(register, recs):
    retired = register.get("retired") or []
    codes = [r["code"] for r in recs] + [r["code"] for r in retired]
    assert len(codes) == len(set(codes)), "duplicate codes (a retired code may not be reused)"
    numbers: dict[str, set[int]] = {}
    for r in [*recs, *retired]:
        assert CODE_RE.match(r["code"]), r["code"]
        prefix, number = r["code"].split("-")
        assert STAKEHOLDERS.get(r["stakeholder"]) == prefix, f"{r['code']} filed under {r['stakeholder']}"
        numbers.setdefault(prefix, set()).add(int(number))
    # New items take the next free number: each stakeholder's numbers, retired ones included, have no gap.
    for prefix, got in numbers.items():
        assert got == set(range(1, max(got) + 1)), f"{prefix}: numbers have a gap: {sorted(got)}"
    assert set(CODES_BEFORE_AUDIT) <= set(codes), "a code disappeared"


def test_retired_codes_and_splits(register, recs):
    retired = {r["code"]: r for r in register.get("retired") or []}
    active = {r["code"]: r for r in recs}
    for code, old in retired.items():
        assert set(old) <= RETIRED_KEYS, f"{code}: unknown keys {set(old) - RETIRED_KEYS}"
        assert old.get("reason"), f"{code}: say why it was retired"
        for part in old.get("split_into") or []:
            assert part in active, f"{code} split into unknown {part}"
            assert active[part].get("split_from") == code, f"{part} must name {code} as split_from"
    for r in recs:
        if r.get("split_from"):
            assert r["code"] in (retired[r["split_from"]].get("split_into") or []), r["code"]


def test_audit_splits_gov02_and_gov15(register, recs):
    retired = {r["code"]: r for r in register["retired"]}
    assert retired["GOV-02"]["split_into"] == ["GOV-18", "GOV-19", "GOV-20"]  # research, tools, training
    assert retired["GOV-15"]["split_into"] == ["GOV-21", "GOV-22"]            # curriculum, teacher training
    by_code = {r["code"]: r for r in recs}
    assert "Schools" not in by_code["CSO-01"]["responsible_bodies"]  # schools are its audience, not its actor
    assert "Schools" in by_code["CSO-01"]["audiences"]
    instruments = {i["slug"]: i for i in register["instruments"]}
    assert instruments["budapest"]["pakistan_status"] == "not_adopted"
    assert instruments["lanzarote"]["pakistan_status"] == "not_stated"


def test_recommendations_reference_known_things(register, recs):
    recs = [*recs, *(register.get("retired") or [])]
    themes = {t["slug"] for t in register["themes"]}
    instruments = {i["slug"] for i in register["instruments"]}
    bills = {b["slug"] for b in register["bills"]}
    for r in recs:
        assert set(r) <= RECOMMENDATION_KEYS | RETIRED_KEYS, f"{r['code']}: unknown keys"
        assert r["stakeholder"] in STAKEHOLDERS, r["code"]
        assert r.get("themes"), f"{r['code']} has no theme"
        assert set(r["themes"]) <= themes, r["code"]
        assert set(r.get("instruments") or []) <= instruments, r["code"]
        assert r.get("bill") is None or r["bill"] in bills, r["code"]
        assert all(isinstance(b, str) and b.strip() == b and b for b in r.get("responsible_bodies") or []), r["code"]
        # Listed in register order, as the app stores the links, so re-seeding an unchanged file is a no-op.
        assert r["themes"] == sorted(r["themes"], key=THEMES.index), f"{r['code']}: themes out of register order"
        got = r.get("instruments") or []
        assert got == sorted(got, key=INSTRUMENTS.index), f"{r['code']}: instruments out of register order"


def test_titles_and_keywords(recs):
    for r in recs:
        assert isinstance(r["title"], str) and 0 < len(r["title"]) <= 90, r["code"]
        kws = r.get("keywords") or []
        assert 4 <= len(kws) <= 12, f"{r['code']} has {len(kws)} keywords"
        assert len({k.lower() for k in kws}) == len(kws), f"{r['code']} repeats a keyword"
        assert not {k.lower() for k in kws} & GENERIC_KEYWORDS, f"{r['code']} uses a generic keyword"


def test_statuses(recs):
    for r in recs:
        status = r.get("initial_status", "not_assessed")
        assert status in STATUSES, r["code"]
        if status == "not_assessed":
            assert not r.get("initial_note"), f"{r['code']}: a note without a status"
        else:
            assert r.get("initial_note"), f"{r['code']}: status {status} needs the brief's own words as a note"


# ---------------------------------------------------------------- quotations (need the seeds)

def test_stakeholder_names_are_the_brief_headings(register, sections):
    # sections() already fails if a heading is missing from the Recommendations section
    assert len(sections) == len(STAKEHOLDERS)


def test_source_texts_are_verbatim_in_their_own_section_and_in_order(recs, sections):
    last: dict[str, int] = {}
    for r in recs:
        text = norm(r["source_text"])
        section = sections[r["stakeholder"]]
        where = section.find(text, last.get(r["stakeholder"], 0))
        assert where >= 0, (f"{r['code']}: source_text not verbatim in the brief's "
                            f"'{r['stakeholder']}' recommendations (or out of order): {text[:80]}")
        last[r["stakeholder"]] = where


def test_retired_source_texts_are_verbatim(register, brief):
    for r in register.get("retired") or []:
        assert norm(r["source_text"]) in brief, r["code"]


def test_international_cooperation_sentence_is_an_item(recs):
    # "In order to prosecute and investigate OCSEA cases across national borders, the government must rely
    # heavily on extraterritorial jurisdiction clauses and informal and formal channels of cooperation with
    # law enforcement agencies."
    items = [r for r in recs if "extraterritorial jurisdiction clauses" in norm(r["source_text"])]
    assert [r["stakeholder"] for r in items] == ["international-cooperation"]


def test_other_quoted_texts_are_verbatim(register, recs, brief):
    for r in recs:
        for key in ("context_text", "initial_note"):
            if r.get(key):
                assert norm(r[key]) in brief, f"{r['code']}: {key} not verbatim: {norm(r[key])[:80]}"
    for theme in register["themes"]:
        if theme.get("description"):
            assert norm(theme["description"]) in brief, theme["slug"]
    for bill in register["bills"]:
        for text in [bill["title"], bill["summary"], *(bill.get("aliases") or []), *(bill.get("amends") or []),
                     *(s["evidence_text"] for s in bill.get("stages") or [])]:
            assert norm(text) in brief, f"{bill['slug']}: not verbatim: {norm(text)[:80]}"


def test_instrument_texts_are_verbatim(register, brief, standards):
    for ins in register["instruments"]:
        for key in ("status_text", "reporting_text", "reservations"):
            if ins.get(key):
                text = norm(ins[key])
                assert text in standards or text in brief, f"{ins['slug']}: {key} not verbatim: {text[:80]}"


# ---------------------------------------------------------------- indicators (feeds/indicators.yaml)

INDICATORS = ROOT / "feeds" / "indicators.yaml"


@pytest.fixture(scope="module")
def indicators() -> dict[str, dict]:
    data = yaml.safe_load(INDICATORS.read_text(encoding="utf-8"))
    return {i["slug"]: i for i in data["indicators"]}


def _forms(value) -> set[str]:
    """How the brief may write a figure: 2,030,801 or 4441 or 82.90."""
    if float(value).is_integer():
        return {f"{int(value):,}", str(int(value))}
    return {f"{value:.2f}", f"{value:.1f}", str(value)}


def test_indicator_quotes_are_verbatim_and_contain_their_figures(indicators, brief, register):
    codes = {r["code"] for r in register["recommendations"]}
    for slug, ind in indicators.items():
        assert set(ind.get("recommendations") or []) <= codes, slug
        for key in ("caution_quote",):
            if ind.get(key):
                assert norm(ind[key]) in brief, f"{slug}: {key} not verbatim"
        for fig in ind.get("other_figures") or []:
            assert norm(fig["quote"]) in brief, f"{slug}: figure quote not verbatim"
            assert any(f in norm(fig["quote"]) for f in _forms(fig["value"])), f"{slug}: {fig['value']} not in quote"
        for p in ind.get("points") or []:
            assert norm(p["quote"]) in brief, f"{slug} {p['period']}: quote not verbatim: {norm(p['quote'])[:80]}"
            assert any(f in norm(p["quote"]) for f in _forms(p["value"])), f"{slug} {p['period']}: value not in quote"
            if "alt_value" in p:
                assert norm(p["alt_quote"]) in brief
                assert any(f in norm(p["alt_quote"]) for f in _forms(p["alt_value"])), slug


def _point(indicators, slug, period) -> dict:
    return next(p for p in indicators[slug]["points"] if p["period"] == period)


# Every figure the issue names, each with the brief's sentence (or table row) it comes from, quoted here.
BRIEF_FIGURES = [
    ("sahil-online-ocsea-cases", "2021", 145,
     "In its Cruel Numbers 2021 report, Sahil, a non-governmental organisation that works against child sexual "
     "abuse, reports that cases of online child sexual exploitation and abuse are on the rise, with 145 cases "
     "reported in 2021 (21)."),
    ("drf-helpline-new-cases", "2021", 4441,
     "In 2021, the Digital Rights Foundation’s Cyber Harassment Helpline received 4441 new cases (22)."),
    ("drf-helpline-child-cases", "2021", 184, "Children were targeted in 184 cases (4%) (23)."),
    ("cybertipline-reports-pakistan", "2021", 2030801,
     "CountryNo. of Cases Reported (2021) India4,699,515 Philippines3,188,793 Pakistan2,030,801"),
    ("cybertipline-reports-pakistan", "2019", 1158390, "Pakistan1,158,3901,288,51311.231038"),
    ("cybertipline-reports-pakistan", "2020", 1288513, "Pakistan1,158,3901,288,51311.231038"),
    ("cybertipline-csam-reports-worldwide", "2019", 16939877,
     "CSAM (possession, manufacture, and distribution) 16,939,87721,669,26429,309,106"),
    ("cybertipline-csam-reports-worldwide", "2020", 21669264,
     "CSAM (possession, manufacture, and distribution) 16,939,87721,669,26429,309,106"),
    ("cybertipline-csam-reports-worldwide", "2021", 29309106,
     "CSAM (possession, manufacture, and distribution) 16,939,87721,669,26429,309,106"),
    ("fia-local-ocsea-complaints", "2021", 113,
     "In contrast, only 343 local cases reported to the FIA in five years (32), 113 cases in year 2021 and 187 "
     "cases in year 2022 (FIA)."),
    ("fia-local-ocsea-complaints", "2022", 187,
     "In contrast, only 343 local cases reported to the FIA in five years (32), 113 cases in year 2021 and 187 "
     "cases in year 2022 (FIA)."),
    ("fia-ocsea-firs", "2021", 53,
     "In 2021, FIA registered 53 FIRs and 65 accused were arrested while in 2022, a total number of 65 FIRs were "
     "registered and 69 accused were arrested (FIA 2023)."),
    ("fia-ocsea-firs", "2022", 65,
     "In 2021, FIA registered 53 FIRs and 65 accused were arrested while in 2022, a total number of 65 FIRs were "
     "registered and 69 accused were arrested (FIA 2023)."),
    ("fia-ocsea-accused-arrested", "2021", 65,
     "In 2021, FIA registered 53 FIRs and 65 accused were arrested while in 2022, a total number of 65 FIRs were "
     "registered and 69 accused were arrested (FIA 2023)."),
    ("fia-ocsea-accused-arrested", "2022", 69,
     "In 2021, FIA registered 53 FIRs and 65 accused were arrested while in 2022, a total number of 65 FIRs were "
     "registered and 69 accused were arrested (FIA 2023)."),
    ("internet-users", "2022", 82.90,
     "At the start of 2022, internet penetration in Pakistan stood at 36.5% of the total population, i.e. 82.90 "
     "million internet users with 71.70 million active social media users (1)."),
    ("social-media-users", "2022", 71.70,
     "At the start of 2022, internet penetration in Pakistan stood at 36.5% of the total population, i.e. 82.90 "
     "million internet users with 71.70 million active social media users (1)."),
]


@pytest.mark.parametrize("slug,period,value,sentence", BRIEF_FIGURES,
                         ids=[f"{s}-{p}" for s, p, _v, _t in BRIEF_FIGURES])
def test_every_figure_of_the_brief_is_present(indicators, brief, slug, period, value, sentence):
    assert norm(sentence) in brief, "the sentence quoted in this test is not the brief's"
    point = _point(indicators, slug, period)
    assert point["value"] == value
    assert any(f in norm(sentence) for f in _forms(value))


def test_fia_2021_complaints_keep_both_of_the_briefs_figures(indicators, brief):
    # Text: "113 cases in year 2021 and 187 cases in year 2022 (FIA)."
    # Table: "Pakistan YearLocal Complaints 2021133 2022187 Source: FIA"
    assert "Pakistan YearLocal Complaints 2021133 2022187 Source: FIA" in brief
    point = _point(indicators, "fia-local-ocsea-complaints", "2021")
    assert (point["value"], point["alt_value"]) == (113, 133)
    assert "113" in point["note"] and "133" in point["note"]  # the discrepancy is said, not chosen silently


def test_fia_five_year_total_is_present(indicators, brief):
    # "In contrast, only 343 local cases reported to the FIA in five years (32), ..."
    figures = indicators["fia-local-ocsea-complaints"]["other_figures"]
    assert [f["value"] for f in figures] == [343]
    assert "only 343 local cases reported to the FIA in five years (32)" in brief


def test_cybertipline_caution_is_the_briefs_own(indicators, brief):
    caution = "These figures are not indicative of the extent of child sexual abuse in any particular country."
    assert caution in brief
    assert norm(indicators["cybertipline-reports-pakistan"]["caution_quote"]) == caution


def test_indicators_bear_on_the_recommendations_the_issue_names(indicators):
    assert {"GOV-01", "GOV-04"} <= set(indicators["fia-local-ocsea-complaints"]["recommendations"])
    assert "GOV-01" in indicators["fia-ocsea-firs"]["recommendations"]
    assert {"ESP-05", "LEG-03"} <= set(indicators["cybertipline-reports-pakistan"]["recommendations"])
    assert {i["kind"] for s, i in indicators.items() if s in ("internet-users", "social-media-users")} == {"context"}
