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
