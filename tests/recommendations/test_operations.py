import pytest
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.recommendations.models import Recommendation, StatusChange
from tracker.recommendations.operations import ChangeRequest, InvalidChange, StaleVersion, change_status


def _rec(code="GOV-01") -> Recommendation:
    return db.session.scalar(select(Recommendation).where(Recommendation.code == code))


def _snapshot():
    return ([(r.code, r.status, r.version) for r in db.session.scalars(select(Recommendation))],
            db.session.scalar(select(func.count(StatusChange.id))))


def test_change_appends_history_and_bumps_version(seeded, users):
    rec = _rec()
    change = change_status(db.session, rec, ChangeRequest("in_progress", "  FIA budget raised  ",
                                                          "https://example.org/budget", rec.version),
                           author_id=users["editor"].id)
    db.session.commit()
    assert (rec.status, rec.version) == ("in_progress", 2)
    assert (change.from_status, change.to_status, change.note, change.origin) == \
        ("not_assessed", "in_progress", "FIA budget raised", "manual")
    assert change.evidence_url == "https://example.org/budget"


@pytest.mark.parametrize("req, field, words", [
    (ChangeRequest("done", "x", None, 1), "status", "Unknown status"),
    (ChangeRequest(None, "x", None, 1), "status", "Unknown status"),
    (ChangeRequest("implemented", "   ", None, 1), "note", "note is required"),
    (ChangeRequest("implemented", None, None, 1), "note", "note is required"),
    (ChangeRequest("implemented", "n" * 5001, None, 1), "note", "too long"),
    (ChangeRequest("implemented", "ok", "javascript:alert(1)", 1), "evidence_url", "http"),
    (ChangeRequest("implemented", "ok", "ftp://example.org/x", 1), "evidence_url", "http"),
    (ChangeRequest("implemented", "ok", "https://", 1), "evidence_url", "http"),
    (ChangeRequest("implemented", "ok", "https://exa mple.org", 1), "evidence_url", "http"),
    (ChangeRequest("implemented", "ok", "https://example.org/" + "a" * 2000, 1), "evidence_url", "too long"),
    (ChangeRequest("implemented", "ok", None, "one"), "version", "version"),
])
def test_bad_input_is_refused_and_nothing_changes(seeded, users, req, field, words):
    before = _snapshot()
    with pytest.raises(InvalidChange) as err:
        change_status(db.session, _rec(), req, author_id=users["editor"].id)
    db.session.rollback()
    assert err.value.field == field
    assert words.lower() in str(err.value).lower()
    assert _snapshot() == before


def test_stale_version_is_refused(seeded, users):
    rec = _rec()
    change_status(db.session, rec, ChangeRequest("in_progress", "first", None, 1), author_id=users["editor"].id)
    db.session.commit()
    before = _snapshot()
    with pytest.raises(StaleVersion) as err:
        change_status(db.session, rec, ChangeRequest("implemented", "second, from an old page", None, 1),
                      author_id=users["admin"].id)
    db.session.rollback()
    assert "changed by someone else" in str(err.value)
    assert _snapshot() == before


@pytest.mark.parametrize("note", ["\u200b", " \u200b\u200c\u200d ", "\u2060\ufeff", "\u200f\u200e", "\u3000"])
def test_a_note_of_only_invisible_characters_is_refused(seeded, users, note):
    """Issue 8 item 12: "note required" must not be passed by a zero-width space."""
    rec = _rec()
    before = _snapshot()
    with pytest.raises(InvalidChange) as refused:
        change_status(db.session, rec, ChangeRequest("in_progress", note, None, rec.version),
                      author_id=users["editor"].id)
    assert refused.value.field == "note"
    db.session.rollback()
    assert _snapshot() == before


def test_a_note_of_only_invisible_characters_is_a_400_in_the_api(client, seeded, tokens):
    response = client.post("/api/v1/recommendations/GOV-01/status",
                           headers={"Authorization": f"Bearer {tokens['editor']}"},
                           json={"status": "in_progress", "note": "\u200b", "version": 1})
    assert response.status_code == 400 and "note" in response.get_json()["error"].lower()
