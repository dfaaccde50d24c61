"""Wires the digests domain into the app: blueprint, CLI, scheduled jobs, models."""
import os

from flask import Flask
from flask_babel import lazy_gettext as _l

# Settings of this domain, from the environment (config.py stays the other domains' business).
DEFAULTS = {
    "TRACKER_DIGEST_DAILY_AT": ("TRACKER_DIGEST_DAILY_AT", "07:00"),     # Asia/Karachi (display zone)
    "TRACKER_DIGEST_WEEKLY_AT": ("TRACKER_DIGEST_WEEKLY_AT", "07:00"),
    "TRACKER_DIGEST_WEEKLY_DAY": ("TRACKER_DIGEST_WEEKLY_DAY", "mon"),
    "TRACKER_DIGEST_RETRY_MINUTES": ("TRACKER_DIGEST_RETRY_MINUTES", "1"),
    "TRACKER_DIGEST_SETTLE_SECONDS": ("TRACKER_DIGEST_SETTLE_SECONDS", "60"),
    "TRACKER_SUBSCRIBE_RATE_LIMIT": ("TRACKER_SUBSCRIBE_RATE_LIMIT", "5 per minute; 30 per hour"),
}
NUMERIC = {"TRACKER_DIGEST_RETRY_MINUTES": float, "TRACKER_DIGEST_SETTLE_SECONDS": int}


def init_app(app: Flask) -> None:
    from tracker.digests import models as _models  # noqa: F401  (mapped before mappers configure)
    from tracker.digests.cli import digests_cli
    from tracker.digests.jobs import jobs
    from tracker.digests.routes import bp

    for key, (env, default) in DEFAULTS.items():
        if key not in app.config:
            value = os.environ.get(env, default)
            app.config[key] = NUMERIC[key](value) if key in NUMERIC else value
    from tracker.digests.mailer import readable_message
    app.jinja_env.filters["readable_mail"] = readable_message
    app.register_blueprint(bp)
    app.cli.add_command(digests_cli)
    app.extensions.setdefault("tracker_jobs", []).append(jobs)
    app.jinja_env.globals.setdefault("staff_nav", []).append(("digests.outbox", _l("Outbox"), "preview_digests"))
