"""The review inbox by news item: cards, one-post decisions, conflicts, bad input, warnings, pages."""
import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from
from tests.matching import factories
from tracker.extensions import db
from tracker.matching import review
from tracker.matching.models import ReviewDecision, Suggestion
from tracker.matching.operations import accept_suggestion
from tracker.recommendations.models import Recommendation, StatusChange


def status_of(code: str) -> str:
    return db.session.scalar(select(Recommendation.status).where(Recommendation.code == code))


def changes_from_suggestions() -> int:
    return db.session.scalar(select(func.count(StatusChange.id)).where(StatusChange.origin == "suggestion"))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def card(seeded):
    entry = factories.item()
    db.session.commit()
    return entry.id


@pytest.fixture
def editor(client, auth, users):
    auth.login("editor")
    return client


def post_card(client, entry_id, data, *, follow=True):
    token = csrf_from(client.get("/staff/inbox").get_data(as_text=True))
    return client.post(f"/staff/inbox/items/{entry_id}", data={"csrf_token": token, **data},
                       follow_redirects=follow)


def shown(entry_id) -> list[int]:
    return [s.id for s in factories.suggestions_of(entry_id).values()]


def test_one_card_per_item_with_every_recommendation_in_plain_words(editor, card):
    html = editor.get("/staff/inbox").get_data(as_text=True)
    assert html.count('class="item-card"') == 1
    assert "Senate passes child online abuse bill" in html and "Dawn" in html and "20 Nov 2026" in html
    assert "<mark>Senate</mark>" in html
    for code in ("LEG-01", "LEG-02", "CSO-02"):
        assert f'name="accept" value="{factories.suggestions_of(card)[code].id}"' in html
    assert "strong match" in html and "possible match" in html and "weak match" in html
    assert "Would move to: In progress" in html and "Evidence only: would stay" in html
    assert "stage: Passed by the second house" in html
    assert "score" not in html.lower().replace("scorecard", "") and "proposes in_progress" not in html
    # Dismiss is the secondary action, beside the primary one, in the same form.
    assert 'value="dismiss" class="secondary"' in html and 'value="accept">Accept selected' in html


def test_waiting_count_in_the_page_and_in_the_navigation(editor, card):
    factories.item(title="Second item", proposals=(("GOV-01", 0.8, "in_progress", None),))
    db.session.commit()
    html = editor.get("/staff/inbox").get_data(as_text=True)
    assert "2 items waiting" in html and "4 recommendations to decide" in html
    assert '<span class="nav-count">2</span><span class="visually-hidden"> waiting</span>' in html
    other_page = editor.get("/staff/recommendations").get_data(as_text=True)
    assert '<span class="nav-count">2</span>' in other_page


def test_viewers_see_no_inbox_link_and_no_count(client, auth, card):
    auth.login("viewer")
    assert "nav-count" not in client.get("/staff/recommendations").get_data(as_text=True)
    assert client.get("/staff/inbox").status_code == 403


def test_accept_two_of_three_in_one_post(editor, card):
    ids = factories.suggestions_of(card)
    response = post_card(editor, card, {
        "action": "accept", "shown": shown(card), "accept": [ids["LEG-01"].id, ids["LEG-02"].id],
        f"status-{ids['LEG-01'].id}": "in_progress", f"note-{ids['LEG-01'].id}": "Senate vote on the record.",
        f"status-{ids['LEG-02'].id}": "partially_implemented", f"status-{ids['CSO-02'].id}": "implemented"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Recorded on LEG-01, LEG-02" in html and "1 other recommendation dismissed" in html
    assert "Nothing to review" in html and "0 items waiting" in html
    states = {code: s.state for code, s in factories.suggestions_of(card).items()}
    assert states == {"LEG-01": "accepted", "LEG-02": "accepted", "CSO-02": "dismissed"}
    assert (status_of("LEG-01"), status_of("LEG-02")) == ("in_progress", "partially_implemented")
    notes = dict(db.session.execute(select(StatusChange.suggestion_id, StatusChange.note)
                                    .where(StatusChange.origin == "suggestion")).all())
    assert notes[ids["LEG-01"].id] == "Senate vote on the record."
    assert "Senate passes child online abuse bill" in notes[ids["LEG-02"].id]  # the default note
    recorded = {d.recommendation_code: (d.decision, d.accepted_status, d.decided_by_email)
                for d in db.session.scalars(select(ReviewDecision))}
    assert recorded == {"LEG-01": ("accepted", "in_progress", "editor@ncrc.example.org"),
                        "LEG-02": ("accepted", "partially_implemented", "editor@ncrc.example.org"),
                        "CSO-02": ("dismissed", None, "editor@ncrc.example.org")}


def test_accept_keeping_the_status_adds_evidence_only(editor, card):
    ids = factories.suggestions_of(card)
    before = status_of("LEG-01")
    post_card(editor, card, {"action": "accept", "shown": shown(card), "accept": ids["LEG-01"].id,
                             f"status-{ids['LEG-01'].id}": ""})
    assert status_of("LEG-01") == before
    change = db.session.scalar(select(StatusChange).where(StatusChange.suggestion_id == ids["LEG-01"].id))
    assert (change.from_status, change.to_status) == (before, before)
    d = db.session.scalar(select(ReviewDecision).where(ReviewDecision.recommendation_code == "LEG-01"))
    assert d.accepted_status == d.status_before == before


def test_dismiss_the_whole_item(editor, card):
    response = post_card(editor, card, {"action": "dismiss", "shown": shown(card),
                                        "accept": shown(card)[0]})  # ticks do not matter for a dismissal
    assert "Dismissed “Senate passes child online abuse bill”" in response.get_data(as_text=True)
    assert {s.state for s in factories.suggestions_of(card).values()} == {"dismissed"}
    assert changes_from_suggestions() == 0
    assert sorted(db.session.scalars(select(ReviewDecision.decision))) == ["dismissed"] * 3


def test_already_decided_by_someone_else_is_refused_and_nothing_is_half_done(editor, card, users):
    ids = factories.suggestions_of(card)
    page = editor.get("/staff/inbox").get_data(as_text=True)
    # Another reviewer accepts LEG-02 through the API while this page is open.
    review.accept_and_record(db.session, ids["LEG-02"].id, user=users["admin"])
    db.session.commit()
    response = editor.post(f"/staff/inbox/items/{card}", data={
        "csrf_token": csrf_from(page), "action": "accept", "shown": shown(card),
        "accept": [ids["LEG-01"].id, ids["LEG-02"].id]})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "LEG-02 on this item was already accepted by admin@ncrc.example.org" in html
    assert "Nothing was recorded for this item" in html and f'id="item-{card}-error"' in html
    states = {code: s.state for code, s in factories.suggestions_of(card).items()}
    assert states == {"LEG-01": "pending", "LEG-02": "accepted", "CSO-02": "pending"}
    assert count(ReviewDecision) == 1  # the other reviewer's only
    # The card is shown as it now is: the two still waiting.
    assert f'name="accept" value="{ids["LEG-01"].id}"' in html and f'value="{ids["LEG-02"].id}"' not in html


def test_a_conflict_half_way_rolls_back_what_was_done_before_it(editor, card, monkeypatch):
    ids = factories.suggestions_of(card)
    calls = []

    def second_one_loses(session, suggestion_id, **kwargs):
        calls.append(suggestion_id)
        if len(calls) == 2:  # someone decided it between our check and our write
            from tracker.errors import Conflict
            raise Conflict(f"Suggestion {suggestion_id} was already accepted.")
        return accept_suggestion(session, suggestion_id, **kwargs)
    monkeypatch.setattr(review, "accept_suggestion", second_one_loses)
    before = status_of("LEG-01")
    response = post_card(editor, card, {"action": "accept", "shown": shown(card),
                                        "accept": [ids["LEG-01"].id, ids["LEG-02"].id]}, follow=False)
    assert response.status_code == 409
    assert "Someone else decided on this item at the same moment" in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(calls) == 2 and status_of("LEG-01") == before
    assert {s.state for s in factories.suggestions_of(card).values()} == {"pending"}
    assert changes_from_suggestions() == 0 and count(ReviewDecision) == 0


def test_a_suggestion_added_after_the_page_was_opened_is_not_decided_blind(editor, card):
    old = shown(card)
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "GOV-01"))
    db.session.add(Suggestion(entry_id=card, recommendation_id=rec.id, score=0.5, rationale="late"))
    db.session.commit()
    response = post_card(editor, card, {"action": "dismiss", "shown": old}, follow=False)
    assert response.status_code == 409 and "GOV-01 was added to this item" in response.get_data(as_text=True)
    assert {s.state for s in factories.suggestions_of(card).values()} == {"pending"}


@pytest.mark.parametrize("data, message", [
    ({"action": "publish"}, "Choose"),
    ({"action": "accept"}, "Tick the recommendations to accept"),
    ({"action": "accept", "accept": "abc"}, "does not exist"),
    ({"action": "accept", "accept": "99999999"}, "is not part of this item"),
    ({"action": "accept", "accept": "FIRST", "status-FIRST": "done"}, "Unknown status"),
    ({"action": "accept", "accept": "FIRST", "note-FIRST": "x" * 5001}, "Note is too long"),
    ({"action": "accept", "accept": "FIRST", "note-FIRST": "bad \x00 byte"}, "cannot be stored"),
    ({"action": "dismiss", "shown": ""}, "does not exist"),
])
def test_bad_input_is_a_clear_400_and_changes_nothing(editor, card, data, message):
    first = str(shown(card)[0])
    data = {k.replace("FIRST", first): (v.replace("FIRST", first) if isinstance(v, str) else v)
            for k, v in data.items()}
    data.setdefault("shown", shown(card))
    response = post_card(editor, card, data, follow=False)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert {s.state for s in factories.suggestions_of(card).values()} == {"pending"}
    assert changes_from_suggestions() == 0 and count(ReviewDecision) == 0


def test_unknown_item_is_404_and_another_items_suggestion_is_refused(editor, card):
    other = factories.item(title="Another item", proposals=(("GOV-01", 0.8, "in_progress", None),))
    db.session.commit()
    missing = post_card(editor, 987654, {"action": "dismiss", "shown": "1"}, follow=False)
    assert missing.status_code == 404 and "There is no item 987654 in the inbox." in missing.get_data(as_text=True)
    mixed = post_card(editor, card, {"action": "dismiss", "shown": shown(card) + shown(other.id)}, follow=False)
    assert mixed.status_code == 400 and "is not part of this item" in mixed.get_data(as_text=True)
    assert count(ReviewDecision) == 0


def test_failing_feeds_are_a_visible_warning(editor, seeded):
    html = editor.get("/staff/inbox").get_data(as_text=True)
    assert "feeds-failing" not in html
    factories.feed("Gazette of Pakistan", "gazette", error_count=3, last_error="HTTP 503 from the server")
    db.session.commit()
    html = editor.get("/staff/inbox").get_data(as_text=True)
    assert 'id="feeds-failing"' in html and "1 feed is failing" in html
    assert "Gazette of Pakistan" in html and "3 failures in a row" in html and "HTTP 503" in html


def test_the_inbox_is_paginated_and_costs_the_same_queries_for_any_page_size(editor, seeded, count_queries):
    for n in range(25):
        factories.item(title=f"Item number {n:02d}", proposals=(("GOV-01", 0.8, "in_progress", None),
                                                                 ("LEG-01", 0.5, None, None)))
    db.session.commit()
    with count_queries() as queries_for_20:
        first = editor.get("/staff/inbox").get_data(as_text=True)
    assert first.count('class="item-card"') == 20 and "Page 1 of 2" in first
    assert "Item number 24" in first and "Item number 04" not in first  # newest first
    second = editor.get("/staff/inbox?page=2").get_data(as_text=True)
    assert second.count('class="item-card"') == 5 and "Item number 00" in second
    assert editor.get("/staff/inbox?page=999").get_data(as_text=True).count('class="item-card"') == 5
    assert editor.get("/staff/inbox?page=abc").status_code == 200
    with count_queries() as queries_for_5:
        editor.get("/staff/inbox?page=2")
    assert queries_for_20() == queries_for_5()  # no query per card


# ---- the "same title as the tracked bill" flag: confirmed, and the stage recorded, on accept ----

LISTING_2024 = ("National Assembly: Orders of the Day",
                "The Criminal Laws (Amendment) Bill, 2024 (Government Bill) — introduced, referred to Standing "
                "Committee on Interior.")


@pytest.fixture
def listing(seeded):
    """A title-only parliament listing, matched by the real matcher: flagged on every bill recommendation."""
    from tracker.matching.matcher import Matcher
    from tracker.matching.operations import matcher_profiles, suggest_for_entries
    entry = factories.item(*LISTING_2024, proposals=(), source=factories.feed("NA notices", "parliament"))
    assert suggest_for_entries(db.session, Matcher(*matcher_profiles(db.session)), [entry],
                               feed_kind="parliament") >= 2
    db.session.commit()
    return entry.id


def bill_identities(year: str):
    from tracker.legislation.models import BillIdentity
    return db.session.scalars(select(BillIdentity).where(BillIdentity.year == year)).all()


def test_same_title_flag_is_shown_and_accepting_confirms_the_bill_and_its_stage_once(editor, listing):
    from tracker.legislation.models import BillStage
    ids = factories.suggestions_of(listing)
    assert {s.flags for s in ids.values()} == {review.SAME_TITLE_FLAG}
    html = editor.get("/staff/inbox").get_data(as_text=True)
    assert html.count("Same title as the tracked bill — confirm it is the same bill.") == len(ids)
    assert "weak match" in html  # a title-only listing is proposed at low confidence
    assert bill_identities("2024") == []
    post_card(editor, listing, {"action": "accept", "shown": shown(listing),
                                "accept": [ids["LEG-01"].id, ids["LEG-02"].id]})
    [identity] = bill_identities("2024")
    assert identity.confirmed and identity.origin == "suggestion"
    stages = db.session.scalars(select(BillStage).where(BillStage.origin == "suggestion")).all()
    assert [s.stage for s in stages] == [ids["LEG-01"].stage]  # two accepted, one stage recorded
    recorded = {d.recommendation_code: d.flags for d in db.session.scalars(select(ReviewDecision))}
    assert recorded["LEG-01"] == review.SAME_TITLE_FLAG  # as the machine proposed it
    assert {d for d in recorded.values()} == {review.SAME_TITLE_FLAG}


def test_dismissing_a_flagged_item_confirms_nothing(editor, listing):
    post_card(editor, listing, {"action": "dismiss", "shown": shown(listing)})
    assert bill_identities("2024") == []


def test_an_accept_that_changes_the_proposed_status_records_no_stage(editor, listing):
    from tracker.legislation.models import BillStage
    ids = factories.suggestions_of(listing)
    post_card(editor, listing, {"action": "accept", "shown": shown(listing), "accept": ids["LEG-01"].id,
                                f"status-{ids['LEG-01'].id}": ""})  # kept the status: evidence only
    assert db.session.scalars(select(BillStage).where(BillStage.origin == "suggestion")).all() == []
    assert len(bill_identities("2024")) == 1  # the identity is still confirmed: it is the same bill


@pytest.mark.parametrize("rationale, shown_as", [
    ("Keywords matched: 'helpline' ← “1991”. Event: “launched” (covers part of what it asks for) → proposes "
     "partially_implemented.",
     "Keywords matched: 'helpline' ← “1991”. Event: “launched” (covers part of what it asks for)."),
    ("About the bill. Stage: committee report (“report presented”) (no change to propose).",
     "About the bill. Stage: committee report (“report presented”)."),
    ("Learned from the labelled news: the words “hotline” are typical.", "Learned from the labelled news: the words "
     "“hotline” are typical."),
])
def test_the_reasons_leave_out_the_status_codes_the_card_states_in_words(rationale, shown_as):
    from tracker.matching.presentation import rationale_in_words
    assert rationale_in_words(rationale) == shown_as


def test_a_card_shows_the_reasons_without_status_codes(editor, card):
    suggestion = factories.suggestions_of(card)["LEG-01"]
    suggestion.rationale = "About the bill. Stage: passed (“passed”) → proposes in_progress."
    db.session.commit()
    html = editor.get("/staff/inbox").get_data(as_text=True)
    assert "About the bill. Stage: passed (“passed”)." in html and "proposes in_progress" not in html
