"""Decisions become data: recorded on every path, kept after the entry is gone, exported in the evaluation
set's format and scored by the evaluation command."""
import pytest
import yaml
from sqlalchemy import select

from tests.api.test_suggestions_api import bearer
from tests.matching import factories
from tracker.extensions import db
from tracker.feeds.models import Entry, Feed
from tracker.matching import evaluate, presentation
from tracker.matching.decisions import decisions_as_evaluation_items, item_key
from tracker.matching.models import ReviewDecision, Suggestion
from tracker.matching.review import AcceptChoice, ItemDecision, decide_item


@pytest.fixture
def items(seeded, users):
    """Three items: two decided (one accepted in part, one all dismissed), one still waiting."""
    bill = factories.item()
    noise = factories.item(title="Cricket: Pakistan beat New Zealand", text="A six off the last ball.",
                           proposals=(("GOV-01", 0.4, None, None), ("LEG-01", 0.2, None, None)))
    waiting = factories.item(title="Still waiting", proposals=(("GOV-02", 0.7, "in_progress", None),))
    db.session.commit()
    ids = factories.suggestions_of(bill.id)
    decide_item(db.session, ItemDecision(bill.id, tuple(s.id for s in ids.values()), (
        AcceptChoice(ids["LEG-01"].id, "in_progress"), AcceptChoice(ids["LEG-02"].id, ""))), user=users["editor"])
    decide_item(db.session, ItemDecision(noise.id, tuple(s.id for s in factories.suggestions_of(noise.id).values())),
                user=users["editor"])
    db.session.commit()
    return {"bill": bill.id, "noise": noise.id, "waiting": waiting.id}


def test_api_decisions_are_recorded_too(client, seeded, tokens):
    entry = factories.item(proposals=(("LEG-01", 0.93, "in_progress", "passed_second_house"),
                                      ("LEG-02", 0.6, "in_progress", None)))
    db.session.commit()
    ids = factories.suggestions_of(entry.id)
    assert client.post(f"/api/v1/suggestions/{ids['LEG-01'].id}/accept", headers=bearer(tokens["editor"]),
                       json={"status": "partially_implemented"}).status_code == 200
    assert client.post(f"/api/v1/suggestions/{ids['LEG-02'].id}/dismiss",
                       headers=bearer(tokens["editor"])).status_code == 200
    rows = {d.recommendation_code: d for d in db.session.scalars(select(ReviewDecision))}
    assert rows["LEG-01"].decision == "accepted" and rows["LEG-01"].accepted_status == "partially_implemented"
    assert (rows["LEG-01"].proposed_status, rows["LEG-01"].proposed_stage, rows["LEG-01"].score) == \
        ("in_progress", "passed_second_house", 0.93)
    assert rows["LEG-02"].decision == "dismissed" and rows["LEG-02"].decided_by_email == "editor@ncrc.example.org"
    assert rows["LEG-01"].item_title == "Senate passes child online abuse bill" and rows["LEG-01"].feed_kind == "news"
    # a refused repeat records nothing more
    assert client.post(f"/api/v1/suggestions/{ids['LEG-02'].id}/dismiss",
                       headers=bearer(tokens["editor"])).status_code == 409
    assert len(list(db.session.scalars(select(ReviewDecision)))) == 2


def test_decisions_outlive_the_entry_and_its_feed(items):
    db.session.delete(db.session.scalar(select(Feed).where(Feed.name == "Dawn")))
    db.session.commit()
    assert db.session.scalar(select(Entry).where(Entry.id == items["bill"])) is None
    assert db.session.scalars(select(Suggestion)).all() == []
    kept = db.session.scalars(select(ReviewDecision)).all()
    assert len(kept) == 5 and {d.entry_id for d in kept} == {None} and {d.suggestion_id for d in kept} == {None}
    exported, waiting = decisions_as_evaluation_items(db.session)
    assert len(exported) == 2 and waiting == 0


def test_export_in_the_evaluation_format(items):
    exported, waiting = decisions_as_evaluation_items(db.session)
    assert waiting == 0  # the waiting item has no decision yet, so it is simply not there
    by_title = {i["title"]: i for i in exported}
    assert set(by_title) == {"Senate passes child online abuse bill", "Cricket: Pakistan beat New Zealand"}
    bill = by_title["Senate passes child online abuse bill"]
    assert bill["split"] == "decisions" and bill["feed_kind"] == "news" and bill["text"] == factories.BILL_TEXT
    # LEG-01 moved to in_progress; LEG-02 was accepted keeping its status (evidence only); CSO-02 dismissed
    assert bill["expected"] == [{"code": "LEG-01", "status": "in_progress"}, {"code": "LEG-02", "status": None}]
    assert bill["dismissed"] == ["CSO-02"]
    assert by_title["Cricket: Pakistan beat New Zealand"]["expected"] == []  # a distractor
    assert bill["id"] == "dec-" + item_key(bill["link"], bill["title"], bill["text"])


def test_an_item_partly_decided_is_held_back_until_it_is_complete(items, users):
    from tracker.matching.review import accept_and_record
    late = factories.item(title="Partly decided", proposals=(("GOV-01", 0.8, "in_progress", None),
                                                             ("GOV-02", 0.8, "in_progress", None)))
    db.session.commit()
    accept_and_record(db.session, factories.suggestions_of(late.id)["GOV-01"].id, user=users["editor"])
    db.session.commit()
    exported, waiting = decisions_as_evaluation_items(db.session)
    assert waiting == 1 and "Partly decided" not in {i["title"] for i in exported}


def test_cli_export_then_evaluate_the_file(items, runner, tmp_path, capsys):
    out = tmp_path / "decisions.yaml"
    result = runner.invoke(args=["matching", "export-decisions", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "exported 2 items (1 distractors)" in result.output
    loaded = evaluate.load_items(out)  # the evaluation set's own loader accepts it
    assert [i["split"] for i in loaded] == ["decisions", "decisions"]
    assert {i["published"] for i in loaded} == {"2026-11-20"}
    scores = evaluate.evaluate(loaded, evaluate.load_register(), name="decisions")
    assert scores["items"] == 2 and 0.0 <= scores["matcher"]["precision"] <= 1.0 and "recall" in scores["baseline"]
    assert evaluate.main(["--decisions", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "split=decisions (decisions.yaml)  items=2" in printed and "split=dev" not in printed
    stdout = runner.invoke(args=["matching", "export-decisions"])
    assert stdout.exit_code == 0 and "split: decisions" in stdout.output


def test_cli_export_to_an_unwritable_place_is_a_clear_error(items, runner, tmp_path):
    result = runner.invoke(args=["matching", "export-decisions", "--output", str(tmp_path / "no" / "such.yaml")])
    assert result.exit_code != 0 and "cannot write" in result.output


def test_cli_export_with_no_decisions_writes_an_empty_list(seeded, runner, tmp_path):
    out = tmp_path / "none.yaml"
    assert runner.invoke(args=["matching", "export-decisions", "--output", str(out)]).exit_code == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == []
    assert evaluate.main(["--decisions", str(out)]) == 0


@pytest.mark.parametrize("content, problem", [
    ("{not: a list}", "expected a list"),
    ("- [1, 2]", "expected a mapping"),
    ("- {id: x, title: t}", "text is required"),
    ("- {id: x, title: [", "while parsing"),
])
def test_evaluate_names_the_problem_in_a_bad_decisions_file(tmp_path, capsys, content, problem):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    assert evaluate.main(["--decisions", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and problem in err
    assert evaluate.main(["--decisions", str(tmp_path / "missing.yaml")]) == 2
    assert "missing.yaml" in capsys.readouterr().err


# ---- plain words and excerpts (pure) ----

@pytest.mark.parametrize("score, key", [(0.95, "strong"), (0.75, "strong"), (0.6, "possible"), (0.45, "possible"),
                                        (0.44, "weak"), (0.0, "weak")])
def test_strength_words_from_the_score(app, score, key):
    assert presentation.match_strength(score).key == key
    assert presentation.match_strength(score).label == f"{key} match"


def test_proposal_words(app):
    assert presentation.proposal_in_words("in_progress", "not_started") == \
        "Would move to: In progress (now Not started)"
    assert presentation.proposal_in_words(None, "stalled") == "Evidence only: would stay Stalled"
    assert presentation.proposal_in_words("stalled", "stalled") == "Evidence only: would stay Stalled"


def test_a_long_text_is_cut_to_the_passages_around_the_matches():
    text = "a" * 3000 + "MATCH" + "b" * 3000 + "OTHER" + "c" * 3000
    spans = [(3000, 3005), (6005, 6010)]
    passages = presentation.excerpt(text, spans, limit=600, context=100)
    assert sum(len(p.text) for p in passages) <= 600 + 4 * len("…")
    marked = [p.text[a:b] for p in passages for a, b in p.spans]
    assert marked == ["MATCH", "OTHER"]
    assert all(p.text.startswith("…") for p in passages)
    short = presentation.excerpt("short text", [(0, 5)])
    assert [(p.text, p.spans) for p in short] == [("short text", ((0, 5),))]
    opening = presentation.excerpt("x" * 5000, [], limit=100)
    assert len(opening) == 1 and opening[0].text.endswith("…") and len(opening[0].text) == 101
