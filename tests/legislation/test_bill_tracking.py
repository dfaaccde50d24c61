"""Bill tracking with a database: seeded stages, a title-only listing flagged, its identity confirmed,
the next listing matched with confidence, stages recorded and shown on the public page."""
import json
from datetime import datetime, timezone

from sqlalchemy import select

from tracker.extensions import db
from tracker.feeds.models import Entry, Feed
from tracker.legislation.models import BillIdentity, BillStage
from tracker.legislation.operations import confirm_bill_identity, record_bill_stage, stage_from_suggestion
from tracker.legislation.queries import bill_profiles, stage_history
from tracker.matching.matcher import Matcher
from tracker.matching.models import Suggestion
from tracker.matching.operations import matcher_profiles, suggest_for_entries
from tracker.recommendations.models import Bill

SLUG = "criminal-laws-amendment-2022"
LISTING_2024 = ("National Assembly: Orders of the Day",
                "The Criminal Laws (Amendment) Bill, 2024 (Government Bill) — introduced, referred to Standing "
                "Committee on Interior.")


def _entry(title, text, n=1):
    feed = db.session.scalars(select(Feed)).first()
    if feed is None:
        feed = Feed(name="NA notices", url="https://na.example/feed")
        db.session.add(feed)
        db.session.flush()
    entry = Entry(feed_id=feed.id, dedup_key=f"k{n}", title=title, text=text, content_hash=f"h{n}",
                  link=f"https://na.example/{n}", published=datetime(2025, 3, 10, tzinfo=timezone.utc))
    db.session.add(entry)
    db.session.flush()
    return entry


def _bill():
    return db.session.scalars(select(Bill).where(Bill.slug == SLUG)).one()


def test_seed_records_the_registers_stages_and_identity(seeded):
    bill = _bill()
    stages = stage_history(db.session, bill.id)
    assert [(s.stage, s.occurred_on, s.house) for s in stages] == [
        ("passed_first_house", "2022", "National Assembly"), ("lapsed", None, "Senate")]
    identity = db.session.scalars(select(BillIdentity).where(BillIdentity.bill_id == bill.id)).one()
    assert (identity.year, identity.confirmed) == ("2022", True)
    profile = next(p for p in bill_profiles(db.session) if p.slug == SLUG)
    assert [s.stage for s in profile.stages] == ["passed_first_house", "lapsed"]


def test_title_only_listing_is_flagged_then_confirmed_then_matched_with_confidence(seeded):
    matcher = Matcher(*matcher_profiles(db.session))
    entry = _entry(*LISTING_2024)
    assert suggest_for_entries(db.session, matcher, [entry]) == 6
    suggestion = db.session.scalars(select(Suggestion).where(Suggestion.entry_id == entry.id)).first()
    assert suggestion.flags == "same_title_unconfirmed"
    assert suggestion.score < 0.5 and suggestion.stage == "referred_to_committee"
    assert json.loads(suggestion.identity)["year"] == "2024"
    assert "confirm it is the same bill" in suggestion.rationale

    identity = confirm_bill_identity(db.session, suggestion)
    assert (identity.year, identity.confirmed, identity.origin) == ("2024", True, "suggestion")
    assert confirm_bill_identity(db.session, suggestion).id == identity.id  # idempotent

    again = Matcher(*matcher_profiles(db.session))
    later = again.match("Senate: bills passed", "The House passed the Criminal Laws (Amendment) Bill, 2024, "
                        "as passed by the National Assembly.", feed_kind="parliament")
    assert later and all(not m.flags and m.score > 0.9 for m in later)
    assert {m.stage for m in later} == {"passed_second_house"}


def test_accepted_stage_is_recorded_and_a_retabled_lapsed_bill_starts_a_new_passage(seeded):
    matcher = Matcher(*matcher_profiles(db.session))
    entry = _entry("Bill on online grooming of children re-tabled in National Assembly",
                   "The Criminal Laws (Amendment) Bill on online grooming and sextortion of children was "
                   "re-tabled in the National Assembly on Monday.")
    suggest_for_entries(db.session, matcher, [entry])
    suggestion = db.session.scalars(select(Suggestion).where(Suggestion.entry_id == entry.id)).first()
    assert suggestion.stage == "introduced" and suggestion.bill_slug == SLUG
    stage = stage_from_suggestion(db.session, suggestion)
    assert (stage.stage, stage.passage, stage.occurred_on, stage.origin) == ("introduced", 2, "2025-03-10",
                                                                             "suggestion")
    assert stage_from_suggestion(db.session, suggestion).id == stage.id  # accepting twice records once
    record_bill_stage(db.session, _bill(), "passed_first_house", occurred_on="2025-04-01", house="National Assembly")
    # in the new passage the NA passed it: the Senate's passage is by the second house
    fresh = Matcher(*matcher_profiles(db.session))
    got = fresh.match("Senate passes bill on child sexual abuse material",
                      "The Senate on Tuesday passed the Criminal Laws (Amendment) Bill on online grooming and "
                      "child sexual abuse material.", published="2025-05-01")
    assert {m.stage for m in got} == {"passed_second_house"}


def test_record_bill_stage_refuses_bad_input(seeded):
    import pytest
    from tracker.errors import InvalidInput
    with pytest.raises(InvalidInput):
        record_bill_stage(db.session, _bill(), "signed_by_king")
    with pytest.raises(InvalidInput):
        record_bill_stage(db.session, _bill(), "assent", occurred_on="last May")
    assert db.session.scalars(select(BillStage).where(BillStage.origin == "staff")).first() is None


def test_public_page_shows_the_bills_stage_history(seeded, client):
    page = client.get("/recommendations/LEG-01")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "The bill&#39;s stages" in html or "The bill's stages" in html
    assert "Passed by the first house" in html and "Lapsed" in html


def test_a_recorded_stage_reaches_the_cached_public_page(seeded, client):
    first = client.get("/recommendations/LEG-02")
    assert "Introduced" not in first.get_data(as_text=True)
    record_bill_stage(db.session, _bill(), "introduced", occurred_on="2025-01-14", house="National Assembly")
    db.session.commit()
    again = client.get("/recommendations/LEG-02", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    html = again.get_data(as_text=True)
    assert "Introduced" in html and "2025-01-14" in html and "passage 2" in html
