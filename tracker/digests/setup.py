"""Wires the digests domain into the app: blueprint, CLI, scheduled jobs, models."""
from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from tracker.digests import models as _models  # noqa: F401  (mapped before mappers configure)
    from tracker.digests.cli import digests_cli
    from tracker.digests.jobs import jobs
    from tracker.digests.routes import bp

    # Its settings (TRACKER_DIGEST_*, TRACKER_SUBSCRIBE_RATE_LIMIT) are typed and checked in tracker/settings.py.
    from tracker.digests.mailer import readable_message
    app.jinja_env.filters["readable_mail"] = readable_message
    app.register_blueprint(bp)
    app.cli.add_command(digests_cli)
    app.extensions.setdefault("tracker_jobs", []).append(jobs)
    app.jinja_env.globals.setdefault("staff_nav", []).append(("digests.outbox", _l("Outbox"), "preview_digests"))
