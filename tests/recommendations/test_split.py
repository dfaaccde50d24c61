"""The register audit's splits (GOV-02, GOV-15) applied by `seed` to a database that already has them, with
history: nothing recorded is lost or duplicated, the parts start where the whole stood, and it runs once."""
import copy

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.recommendations.models import Recommendation, StatusChange
from tracker.recommendations.operations import ChangeRequest, change_status
from tracker.recommendations.seeding import RegisterError, load_register_file, seed_register

import pytest

PARTS = {"GOV-02": ["GOV-18", "GOV-19", "GOV-20"], "GOV-15": ["GOV-21", "GOV-22"]}


def register_before_audit(data: dict) -> dict:
    """The register as it was before the split: the retired items listed, their parts not."""
    old = copy.deepcopy(data)
    retired = {r["code"]: r for r in old.pop("retired")}
    recs = []
    for row in old["recommendations"]:
        if row.get("split_from"):
            whole = retired.pop(row["split_from"], None)
            if whole:
                recs.append({k: v for k, v in whole.items() if k not in ("split_into", "reason")}
                            | {"keywords": ["placeholder one", "placeholder two"]})
            continue
        recs.append(row)
    old["recommendations"] = recs
    return old


def by_code(code: str) -> Recommendation:
    return db.session.scalar(select(Recommendation).where(Recommendation.code == code))


def history(code: str) -> list[StatusChange]:
    return list(db.session.scalars(by_code(code).history.select().order_by(StatusChange.id)))


@pytest.fixture
def before_audit(app, users):
    data = load_register_file()
    seed_register(db.session, register_before_audit(data))
    db.session.commit()
    for code, steps in (("GOV-02", ["not_started", "in_progress"]), ("GOV-15", ["in_progress"])):
        for status in steps:
            rec = by_code(code)
            change_status(db.session, rec, ChangeRequest(status, f"{code} {status} before the audit",
                                                         version=rec.version), author_id=users["editor"].id)
        db.session.commit()
    return data


def test_split_keeps_history_once_and_parts_start_where_the_whole_stood(before_audit):
    total_before = db.session.scalar(select(func.count(StatusChange.id)))
    old_notes = {code: [c.note for c in history(code)] for code in PARTS}

    report = seed_register(db.session, before_audit)
    db.session.commit()

    assert sorted(report.split) == ["GOV-02", "GOV-15"]
    for code, parts in PARTS.items():
        whole = by_code(code)
        assert not whole.in_register and whole.status == "superseded"
        changes = history(code)
        # Every earlier change is still there, on the old item, once; one more entry records the split.
        assert [c.note for c in changes[:-1]] == old_notes[code]
        assert changes[-1].origin == "split" and changes[-1].to_status == "superseded"
        assert all(p in changes[-1].note for p in parts)
        for part in parts:
            rec = by_code(part)
            assert rec.in_register and rec.split_from.code == code
            assert rec.status == "in_progress"  # where the whole stood
            assert history(part) == []           # its earlier history is the old item's, not a copy
    assert {r.code for r in by_code("GOV-02").split_parts} == set(PARTS["GOV-02"])
    assert db.session.scalar(select(func.count(StatusChange.id))) == total_before + 2


def test_split_seed_is_idempotent(before_audit):
    seed_register(db.session, before_audit)
    db.session.commit()
    state = [(r.code, r.version, r.status, r.in_register) for r in
             db.session.scalars(select(Recommendation).order_by(Recommendation.code))]
    changes = db.session.scalar(select(func.count(StatusChange.id)))
    report = seed_register(db.session, before_audit)
    db.session.commit()
    assert not report.changed
    assert [(r.code, r.version, r.status, r.in_register) for r in
            db.session.scalars(select(Recommendation).order_by(Recommendation.code))] == state
    assert db.session.scalar(select(func.count(StatusChange.id))) == changes


def test_fresh_database_gets_the_same_shape(seeded):
    for code, parts in PARTS.items():
        whole = by_code(code)
        assert whole.status == "superseded" and not whole.in_register
        assert [c.origin for c in history(code)] == ["split"]
        assert all(by_code(p).status == "not_assessed" and by_code(p).split_from_id == whole.id for p in parts)


def test_pages_say_which_item_an_old_change_came_from(before_audit, client):
    seed_register(db.session, before_audit)
    db.session.commit()
    page = client.get("/recommendations/GOV-19").get_data(as_text=True)
    assert "GOV-02 in_progress before the audit" in page
    assert 'href="/recommendations/GOV-02"' in page
    old = client.get("/recommendations/GOV-02")
    assert old.status_code == 200
    text = old.get_data(as_text=True)
    assert all(f'href="/recommendations/{p}"' in text for p in PARTS["GOV-02"])
    # The superseded item is out of the scorecard and the API list.
    listed = client.get("/api/v1/recommendations").get_json()["recommendations"]
    assert "GOV-02" not in {r["code"] for r in listed} and "GOV-18" in {r["code"] for r in listed}


def test_cso01_audience_is_not_an_actor(seeded, client):
    rec = by_code("CSO-01")
    assert "Schools" not in {b.name for b in rec.bodies}
    assert "Schools" in rec.audiences.splitlines()
    data = client.get("/api/v1/recommendations/CSO-01").get_json()
    assert "Schools" in data["audiences"] and "Schools" not in data["responsible_bodies"]
    assert client.get("/api/v1/recommendations/GOV-18").get_json()["split_from"] == "GOV-02"


def test_instrument_statuses_say_what_the_seeds_say(seeded, client):
    html = client.get("/recommendations/LEG-01").get_data(as_text=True)
    assert "not stated" in html and "not ratified" not in html  # Lanzarote: the seeds do not say
    html = client.get("/recommendations/INT-04").get_data(as_text=True)
    assert "not adopted" in html and "Pakistan has not adopted the Budapest Convention." in html


def test_bad_split_data_names_the_file_and_entry(app):
    data = load_register_file()
    data["recommendations"][0] = {**data["recommendations"][0], "split_from": "GOV-03"}
    with pytest.raises(RegisterError, match=r"register.yaml, CHI-01: split_from GOV-03"):
        seed_register(db.session, data)


def test_a_split_item_takes_no_more_status_changes(seeded):
    from tracker.recommendations.operations import InvalidChange
    rec = by_code("GOV-15")
    with pytest.raises(InvalidChange, match="split into GOV-21, GOV-22"):
        change_status(db.session, rec, ChangeRequest("in_progress", "late news", version=rec.version), author_id=None)
