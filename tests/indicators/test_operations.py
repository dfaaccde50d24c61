"""Adding and correcting data points, and seeding the brief's: validation, history, idempotence."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from tracker.errors import Conflict
from tracker.extensions import db
from tracker.indicators.models import Indicator, IndicatorPoint, IndicatorPointRevision
from tracker.indicators.operations import (InvalidPoint, PointInput, add_point, correct_point, parse_period,
                                           parse_value)
from tracker.indicators.seeding import (IndicatorDataError, load_indicators_file, seed_indicators,
                                        validate_indicators)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
TODAY = NOW.date()


def indicator(slug="fia-ocsea-firs") -> Indicator:
    return db.session.scalar(select(Indicator).where(Indicator.slug == slug))


def good(**over) -> PointInput:
    values = dict(period="2023", value=70, source_title="FIA annual report 2023",
                  source_url="https://www.fia.gov.pk/report-2023", note="As published")
    return PointInput(**(values | over))


@pytest.mark.parametrize("raw,expected", [("2024", "2024"), ("2024-06", "2024-06"), (" 2026-11 ", "2026-11"),
                                          ("2026", "2026")])
def test_periods_accepted(raw, expected):
    assert parse_period(raw, TODAY) == expected


@pytest.mark.parametrize("raw,message", [
    ("2027", "future"), ("2026-12", "future"), ("2024-13", "month"), ("24", "not a period"),
    ("2024/06", "not a period"), ("", "required"), (None, "required"), (2024, "required"), ("1800", "1900")])
def test_bad_periods_say_what_is_wrong(raw, message):
    with pytest.raises(InvalidPoint, match=message) as exc:
        parse_period(raw, TODAY)
    assert exc.value.field == "period"


@pytest.mark.parametrize("raw,expected", [(187, 187.0), (82.9, 82.9), ("2,030,801", 2030801.0), (" 82.90 ", 82.9)])
def test_values_accepted(raw, expected):
    assert parse_value(raw) == expected


@pytest.mark.parametrize("raw", ["abc", True, None, "", float("nan"), float("inf"), [1], {"v": 1}, 1e16, "1e400"])
def test_values_refused(raw):
    with pytest.raises(InvalidPoint) as exc:
        parse_value(raw)
    assert exc.value.field == "value"


def test_api_values_must_be_json_numbers():
    with pytest.raises(InvalidPoint, match="JSON number"):
        parse_value("187", json_number=True)


def test_add_point_and_refuse_a_recorded_period(indicators, users):
    ind = indicator()
    point = add_point(db.session, ind, good(), author_id=users["editor"].id, now=NOW)
    db.session.commit()
    assert (point.period, point.value, point.from_brief) == ("2023", 70.0, False)
    with pytest.raises(InvalidPoint, match="already recorded") as exc:
        add_point(db.session, ind, good(value=71), author_id=users["editor"].id, now=NOW)
    assert exc.value.field == "period"
    db.session.rollback()
    # The brief's own 2022 figure is "a period already recorded" too.
    with pytest.raises(InvalidPoint, match="2022 is already recorded"):
        add_point(db.session, ind, good(period="2022"), author_id=None, now=NOW)


@pytest.mark.parametrize("over,field", [
    ({"source_title": ""}, "source_title"), ({"source_title": None}, "source_title"),
    ({"source_url": None}, "source_url"), ({"source_url": "ftp://x.org/a"}, "source_url"),
    ({"source_url": "not a link"}, "source_url"), ({"note": "bad\x00byte"}, "note"),
    ({"source_title": "T\x00"}, "source_title"), ({"note": "x" * 2001}, "note"),
    ({"period": "2030"}, "period"), ({"value": "lots"}, "value")])
def test_bad_input_changes_nothing(indicators, over, field):
    before = db.session.scalar(select(func.count(IndicatorPoint.id)))
    with pytest.raises(InvalidPoint) as exc:
        add_point(db.session, indicator(), good(**over), author_id=None, now=NOW)
    assert exc.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count(IndicatorPoint.id))) == before


def test_a_page_of_the_brief_may_stand_for_a_link(indicators):
    point = add_point(db.session, indicator(), good(source_url=None, source_page="p. 12"), author_id=None, now=NOW)
    assert point.source_page == "p. 12" and point.source_url is None


def test_correction_keeps_the_earlier_value(indicators, users):
    ind = indicator("fia-local-ocsea-complaints")
    point = next(p for p in ind.points if p.period == "2021")
    correct_point(db.session, point, good(value=133, source_title="FIA letter to NCRC", note="FIA confirmed 133"),
                  reason="FIA confirmed the table's figure", author_id=users["editor"].id, version=point.version,
                  now=NOW)
    db.session.commit()
    db.session.refresh(point)
    assert (point.value, point.alt_value, point.from_brief, point.period) == (133.0, None, False, "2021")
    [rev] = point.revisions
    assert (rev.value, rev.alt_value, rev.reason) == (113.0, 133.0, "FIA confirmed the table's figure")
    # A stale form, and a correction without a reason, are refused and change nothing.
    with pytest.raises(Conflict):
        correct_point(db.session, point, good(value=1), reason="r", author_id=None, version=1, now=NOW)
    with pytest.raises(InvalidPoint) as exc:
        correct_point(db.session, point, good(value=1), reason=" ", author_id=None, now=NOW)
    assert exc.value.field == "reason"
    db.session.rollback()
    assert db.session.scalar(select(func.count(IndicatorPointRevision.id))) == 1


def test_seed_is_idempotent_and_never_overrides_staff(indicators, users):
    total = db.session.scalar(select(func.count(IndicatorPoint.id)))
    assert total == 17
    assert all(p.from_brief for p in db.session.scalars(select(IndicatorPoint)))
    point = next(p for p in indicator().points if p.period == "2022")
    correct_point(db.session, point, good(value=66), reason="revised", author_id=None, now=NOW)
    db.session.commit()
    report = seed_indicators(db.session, load_indicators_file())
    db.session.commit()
    assert not report.changed
    assert db.session.scalar(select(func.count(IndicatorPoint.id))) == total
    assert next(p for p in indicator().points if p.period == "2022").value == 66.0


def test_a_corrected_file_records_the_earlier_value(indicators):
    data = load_indicators_file()
    row = next(i for i in data["indicators"] if i["slug"] == "fia-ocsea-firs")
    row["points"][0] = row["points"][0] | {"value": 54}
    report = seed_indicators(db.session, data)
    db.session.commit()
    assert report.updated == ["fia-ocsea-firs 2021"]
    point = next(p for p in indicator().points if p.period == "2021")
    assert point.value == 54.0 and [r.value for r in point.revisions] == [53.0]


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d["indicators"][0].update(kind="result"), "indicators.yaml, indicator sahil-online-ocsea-cases: kind"),
    (lambda d: d["indicators"][0]["points"][0].update(period=2021),
     "indicator sahil-online-ocsea-cases, point 2021: period"),
    (lambda d: d["indicators"][0]["points"][0].update(value="145"), "point 2021: value must be a number"),
    (lambda d: d["indicators"][0]["points"][0].pop("source_title"), "point 2021: a source is required"),
    (lambda d: d["indicators"][1].update(slug="sahil-online-ocsea-cases"), "slug must be unique"),
    (lambda d: d["indicators"][0].update(colour="red"), "unknown keys"),
])
def test_file_errors_name_the_file_and_entry(mutate, message):
    data = load_indicators_file()
    mutate(data)
    with pytest.raises(IndicatorDataError, match=message):
        validate_indicators(data, "indicators.yaml")


def test_unknown_recommendation_names_the_entry(seeded):
    data = load_indicators_file()
    data["indicators"][0]["recommendations"] = ["GOV-99"]
    with pytest.raises(IndicatorDataError, match="indicator sahil-online-ocsea-cases: unknown recommendation"):
        seed_indicators(db.session, data)


def test_seed_command_loads_indicators_twice_without_change(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "indicators: 10 created" in first.output and "17 data points added" in first.output
    second = runner.invoke(args=["seed"])
    assert "indicators: 0 created, 0 updated, 0 data points added" in second.output
