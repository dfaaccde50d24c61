from sqlalchemy import func, select

from tracker.extensions import db
from tracker.recommendations.models import Recommendation, Stakeholder, StatusChange
from tracker.recommendations.seeding import load_register_file, seed_register

CONTRACT_SLUGS = {"children", "parents", "electronic-service-providers", "government", "legislature",
                  "international-cooperation", "judiciary", "nhris", "civil-society"}


def test_seed_loads_the_whole_register(seeded):
    slugs = set(db.session.scalars(select(Stakeholder.slug)))
    assert slugs == CONTRACT_SLUGS
    count = db.session.scalar(select(func.count(Recommendation.id)).where(Recommendation.in_register.is_(True)))
    assert 55 <= count <= 80
    per_group = dict(db.session.execute(select(Stakeholder.slug, func.count(Recommendation.id))
                                        .join(Recommendation).group_by(Stakeholder.slug)).all())
    assert set(per_group) == CONTRACT_SLUGS  # every group has recommendations


def test_bill_recommendation_starts_stalled_with_the_brief_as_evidence(seeded):
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "LEG-01"))
    assert rec.status == "stalled"
    change = db.session.scalars(rec.history.select()).one()
    assert change.origin == "seed" and change.from_status == "not_assessed"
    assert "lapsed" in change.note and "Senate" in change.note


def test_second_seed_changes_nothing(seeded):
    before = [(r.code, r.version, r.updated_at, r.status) for r in
              db.session.scalars(select(Recommendation).order_by(Recommendation.code))]
    history = db.session.scalar(select(func.count(StatusChange.id)))
    report = seed_register(db.session, load_register_file())
    db.session.commit()
    assert not report.changed
    after = [(r.code, r.version, r.updated_at, r.status) for r in
             db.session.scalars(select(Recommendation).order_by(Recommendation.code))]
    assert after == before
    assert db.session.scalar(select(func.count(StatusChange.id))) == history


def test_changed_register_updates_text_and_keeps_history(seeded, users):
    from tracker.recommendations.operations import ChangeRequest, change_status
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "GOV-01"))
    change_status(db.session, rec, ChangeRequest("in_progress", "Budget approved", None, rec.version),
                  author_id=users["editor"].id)
    db.session.commit()
    data = load_register_file()
    target = next(r for r in data["recommendations"] if r["code"] == "GOV-01")
    target["title"] = "A retitled recommendation"
    dropped = data["recommendations"].pop()  # the file no longer lists the last one
    report = seed_register(db.session, data)
    db.session.commit()
    assert report.updated == ["GOV-01"] and report.retired == [dropped["code"]]
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "GOV-01"))
    assert rec.title == "A retitled recommendation"
    assert rec.status == "in_progress"  # a status is never overwritten by the file
    assert [c.note for c in db.session.scalars(rec.history.select())] == ["Budget approved"]
    gone = db.session.scalar(select(Recommendation).where(Recommendation.code == dropped["code"]))
    assert gone is not None and gone.in_register is False


def test_seed_command_is_idempotent(runner, app):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "0 updated" in first.output and " created" in first.output
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0
    assert "register: 0 created, 0 updated, 0 retired" in second.output
