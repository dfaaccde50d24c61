"""An item's deed, found for one recommendation, covers part of the other asks the item bears on."""
import dataclasses

import pytest

from tracker.matching.evaluate import load_register
from tracker.matching.matcher import Match, Matcher, _share_the_deed, profiles_from_register


def match(code, status=None, rationale="Keywords matched: …", **kw):
    return Match(code, 0.8, status, None, rationale, (), **kw)


def test_a_recommendation_without_its_own_event_takes_part_of_the_items_deed():
    found = {"GOV-21": match("GOV-21", "implemented", "… Event: “approved a revised syllabus” (covers what it asks for)"),
             "CHI-01": match("CHI-01")}
    shared = _share_the_deed(found, {})
    assert shared["GOV-21"] == found["GOV-21"]
    assert shared["CHI-01"].proposed_status == "partially_implemented"
    assert "“approved a revised syllabus” (found for GOV-21)" in shared["CHI-01"].rationale


@pytest.mark.parametrize("status", ["in_progress", "stalled"])
def test_only_a_deed_done_is_shared(status):
    found = {"GOV-13": match("GOV-13", status), "GOV-14": match("GOV-14")}
    assert _share_the_deed(found, {})["GOV-14"].proposed_status is None


def test_a_status_of_its_own_and_a_bill_match_are_left_alone():
    found = {"GOV-04": match("GOV-04", "implemented"), "GOV-05": match("GOV-05", "in_progress"),
             "LEG-01": match("LEG-01", None, bill="criminal-laws-amendment-2022")}
    shared = _share_the_deed(found, {})
    assert shared["GOV-05"].proposed_status == "in_progress"
    assert shared["LEG-01"].proposed_status is None


@pytest.mark.parametrize("now", ["partially_implemented", "implemented"])
def test_a_recommendation_already_partly_or_wholly_done_is_not_proposed_a_part(now):
    found = {"GOV-21": match("GOV-21", "implemented", "… Event: “approved a revised syllabus”"),
             "CHI-01": match("CHI-01")}
    assert _share_the_deed(found, {"CHI-01": now})["CHI-01"].proposed_status is None


@pytest.fixture(scope="module")
def matcher():
    recs, bills = profiles_from_register(load_register())
    return Matcher([dataclasses.replace(r, status="not_assessed") for r in recs], bills)


def test_an_item_of_hedged_news_shares_nothing(matcher):
    title = "Ministry to set up child abuse image database, train investigators"
    text = ("The Ministry of Interior will set up a national database of child sexual abuse images next year and "
            "plans to train NCCIA investigators in victim identification, the minister said on Monday.")
    assert not any(m.proposed_status in ("implemented", "partially_implemented") for m in matcher.match(title, text))
