"""The register's Urdu (feeds/register.ur.yaml): complete, checked on load, loaded by `seed` idempotently."""
import shutil

import pytest
import yaml
from sqlalchemy import select

from tracker.extensions import db
from tracker.recommendations.models import Body, Recommendation, Stakeholder, Theme
from tracker.recommendations.seeding import (REGISTER_FILE, RegisterError, load_register_file, seed_register,
                                             urdu_file_for)

URDU_LETTERS = set("ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیےۓۂۃ")


def test_every_item_stakeholder_theme_and_body_has_its_urdu():
    data = load_register_file()
    urdu = data["urdu"]
    codes = [r["code"] for r in data["recommendations"] + data["retired"]]
    assert len(codes) >= 75 and {"GOV-18", "GOV-19", "GOV-20", "GOV-21", "GOV-22", "INT-06"} <= set(codes)
    for code in codes:
        assert URDU_LETTERS & set(urdu["recommendations"][code]), code
    for section, key in (("stakeholders", "slug"), ("themes", "slug")):
        for row in data[section]:
            assert URDU_LETTERS & set(urdu[section][row[key]]), row[key]
    bodies = {b for r in data["recommendations"] for b in r.get("responsible_bodies") or ()}
    assert bodies <= set(urdu["bodies"])


@pytest.fixture
def register_copy(tmp_path):
    path = tmp_path / "register.yaml"
    shutil.copy(REGISTER_FILE, path)
    shutil.copy(urdu_file_for(REGISTER_FILE), urdu_file_for(path))
    return path


def _edit_urdu(path, change) -> None:
    urdu_path = urdu_file_for(path)
    data = yaml.safe_load(urdu_path.read_text(encoding="utf-8"))
    change(data)
    urdu_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("change, message", [
    (lambda d: d["recommendations"].pop("GOV-18"), "register.ur.yaml, recommendations: no Urdu text for GOV-18"),
    (lambda d: d["recommendations"].update({"GOV-99": "کچھ"}), "register.ur.yaml, recommendations: GOV-99: not in"),
    (lambda d: d["themes"].update({"victim": "  "}), "register.ur.yaml, themes: victim: the Urdu text must be"),
    (lambda d: d["bodies"].update({"PTA": "پی ٹی\x07اے"}), "register.ur.yaml, bodies: PTA: control character"),
    (lambda d: d.pop("stakeholders"), "register.ur.yaml: 'stakeholders' must map"),
    (lambda d: d.update({"titles": {}}), "register.ur.yaml: unknown section(s) titles"),
])
def test_a_faulty_urdu_file_is_refused_naming_file_and_entry(register_copy, change, message):
    _edit_urdu(register_copy, change)
    with pytest.raises(RegisterError) as exc:
        load_register_file(register_copy)
    assert message in str(exc.value)


def test_seed_loads_the_urdu_and_a_second_run_changes_nothing(app, runner):
    assert runner.invoke(args=["seed"]).exit_code == 0
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "INT-06"))
    urdu = load_register_file()["urdu"]
    assert rec.title_ur == urdu["recommendations"]["INT-06"] and rec.title != rec.title_ur
    assert db.session.scalar(select(Stakeholder).where(Stakeholder.slug == "judiciary")).name_ur == "عدالتی ادارے"
    assert db.session.scalar(select(Theme).where(Theme.slug == "industry")).name_ur == "صنعت"
    assert db.session.scalar(select(Body).where(Body.name == "PTA")).name_ur == "پی ٹی اے"
    assert all(r.title_ur for r in db.session.scalars(select(Recommendation)))
    versions = dict(db.session.execute(select(Recommendation.code, Recommendation.version)).all())
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0 and "0 created, 0 updated, 0 retired" in result.output
    db.session.expire_all()
    assert dict(db.session.execute(select(Recommendation.code, Recommendation.version)).all()) == versions


def test_a_changed_translation_updates_on_the_next_seed(app, register_copy):
    seed_register(db.session, load_register_file(register_copy))
    db.session.commit()
    _edit_urdu(register_copy, lambda d: d["recommendations"].update({"LEG-01": "نیا عنوان"}))
    report = seed_register(db.session, load_register_file(register_copy))
    db.session.commit()
    assert report.updated == ["LEG-01"]
    assert db.session.scalar(select(Recommendation.title_ur).where(Recommendation.code == "LEG-01")) == "نیا عنوان"


def test_seed_names_the_faulty_entry(app, runner, monkeypatch, register_copy):
    _edit_urdu(register_copy, lambda d: d["recommendations"].pop("CSO-07"))
    monkeypatch.setattr("tracker.recommendations.seeding.REGISTER_FILE", register_copy)
    monkeypatch.setattr("tracker.recommendations.cli.load_register_file",
                        lambda: load_register_file(register_copy))
    result = runner.invoke(args=["seed"])
    assert result.exit_code != 0 and "register.ur.yaml, recommendations: no Urdu text for CSO-07" in result.output
