"""Accounts tests send each request as production does: in an application context of its own, so with its
own database session and its own `g` (Flask-Login's cached user, Flask-WTF's CSRF token). The shared `app`
fixture keeps one context open, which a request would otherwise reuse: a session that is not committed
would then look committed, and a user loaded by one request would be served to the next."""
import contextvars

import pytest
from flask.testing import FlaskClient


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        # An empty contextvars context has no app context pushed: Flask pushes a fresh one for the request.
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()
