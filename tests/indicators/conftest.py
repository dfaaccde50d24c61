import pytest

from tracker.extensions import db
from tracker.indicators.seeding import load_indicators_file, seed_indicators


@pytest.fixture
def indicators(seeded):
    seed_indicators(db.session, load_indicators_file())
    db.session.commit()
    return seeded
