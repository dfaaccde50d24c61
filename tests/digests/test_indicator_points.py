"""A data point staff add reaches public subscribers of the stakeholders its indicator bears on, once."""
from tests.digests.conftest import run, subscribe_directly
from tracker.extensions import db
from tracker.indicators.models import Indicator
from tracker.indicators.operations import PointInput, add_point
from tracker.indicators.seeding import load_indicators_file, seed_indicators


def add(slug: str, period: str, value: float):
    ind = db.session.scalar(db.select(Indicator).where(Indicator.slug == slug))
    point = add_point(db.session, ind, PointInput(period, value, "FIA annual report", "https://www.fia.gov.pk/r"),
                      author_id=None)
    db.session.commit()
    return point


def body(msg, subtype: str) -> str:
    return msg.get_body(preferencelist=(subtype,)).get_content()


def test_new_points_go_to_subscribers_of_related_stakeholders(mail_app, seeded, smtp_server):
    seed_indicators(db.session, load_indicators_file())
    db.session.commit()
    everyone = subscribe_directly("all@example.org")
    government = subscribe_directly("gov@example.org", stakeholders="government")
    subscribe_directly("judges@example.org", stakeholders="judiciary")
    assert run().queued == {"daily": 0}  # the brief's own points are not news

    point = add("fia-ocsea-firs", "2023", 71)  # bears on GOV-01, GOV-11 (government) and LEG-04
    report = run()
    assert report.delivery.sent == 2
    assert smtp_server.messages_to("judges@example.org") == []
    msg, = smtp_server.messages_to("gov@example.org")
    assert msg["Subject"] == "NCRC tracker: 1 new indicator figure"
    text, html = body(msg, "plain"), body(msg, "html")
    assert "FIRs registered by the FIA" in text and "2023: 71 FIRs" in text
    assert "http://tracker.test/indicators/fia-ocsea-firs" in text
    assert 'href="http://tracker.test/indicators/fia-ocsea-firs"' in html
    for sub in (everyone, government):
        db.session.refresh(sub)
        assert sub.last_point_id == point.id
    run(days=1)  # nothing new: not sent again
    assert len(smtp_server.received) == 2
