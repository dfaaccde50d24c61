"""An accept and a dismiss of one suggestion racing on PostgreSQL: one wins, the other gets 409.

Each request runs in its own thread with its own app context, session and connection. A barrier holds
both just before their first write, so both have read the suggestion as pending: exactly the interleaving
that let both answer 200 when the decision was a read followed by an unconditional write.
"""
import os
import threading

import pytest
from sqlalchemy import event, func, select

from tests.api.test_suggestions_api import bearer, suggestion  # noqa: F401
from tracker.extensions import db
from tracker.matching.models import Suggestion
from tracker.recommendations.models import Recommendation, StatusChange

pytestmark = pytest.mark.skipif(os.environ.get("TRACKER_TEST_BACKEND") != "postgres",
                                reason="a real race needs PostgreSQL's row locks (SQLite serialises writers)")
# The decision's writes (not, say, a token's last-used time, which each caller writes on its own row).
DECISION_WRITES = ("UPDATE suggestions", "INSERT INTO status_changes", "UPDATE recommendations")


@pytest.fixture
def meet_before_first_write():
    """Makes the threads that opt in wait for each other before their decision's first write."""
    barrier = threading.Barrier(2, timeout=30)  # a timeout only so a regression fails instead of hanging
    local = threading.local()

    def before(conn, cursor, statement, parameters, context, executemany):
        if getattr(local, "waiting", False) and statement.lstrip().startswith(DECISION_WRITES):
            local.waiting = False
            barrier.wait()

    event.listen(db.engine, "before_cursor_execute", before)
    yield local
    event.remove(db.engine, "before_cursor_execute", before)


def test_accept_and_dismiss_race_exactly_one_wins(app, suggestion, tokens,  # noqa: F811
                                                 meet_before_first_write):
    answers: dict[str, int] = {}
    errors: dict[str, str] = {}

    def decide(decision: str, role: str) -> None:
        meet_before_first_write.waiting = True
        client = app.test_client()  # each request pushes its own app context: its own session here
        response = client.post(f"/api/v1/suggestions/{suggestion}/{decision}", headers=bearer(tokens[role]))
        answers[decision] = response.status_code
        if response.status_code != 200:
            errors[decision] = response.get_json()["error"]

    # Two people (two tokens): each request writes only its own token's row before the decision.
    callers = (("accept", "editor"), ("dismiss", "admin"))
    threads = [threading.Thread(target=decide, args=caller) for caller in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers.values()) == [200, 409], answers
    [winner] = [d for d, code in answers.items() if code == 200]
    [loser] = [d for d, code in answers.items() if code == 409]
    assert "already" in errors[loser]
    db.session.expire_all()
    state = db.session.get(Suggestion, suggestion).state
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "LEG-01"))
    changes = db.session.scalar(select(func.count(StatusChange.id)).where(StatusChange.origin == "suggestion"))
    if winner == "accept":
        assert (state, rec.status, changes) == ("accepted", "in_progress", 1)
    else:
        assert (state, rec.status, changes) == ("dismissed", "stalled", 0)
