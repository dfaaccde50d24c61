"""Wires the indicators domain into the app: blueprints, the `seed` hook, template helpers."""
import click
from flask import Flask

from tracker.extensions import db


def seed_hook(session) -> None:
    from tracker.indicators.seeding import IndicatorDataError, load_indicators_file, seed_indicators
    try:
        report = seed_indicators(session, load_indicators_file())
    except IndicatorDataError as exc:
        session.rollback()
        raise click.ClickException(str(exc)) from None
    click.echo(f"indicators: {len(report.created)} created, {len(report.updated)} updated, "
               f"{len(report.points_added)} data points added")


def init_app(app: Flask) -> None:
    from tracker.indicators import queries
    from tracker.indicators.formatting import format_value
    from tracker.indicators.routes import api_bp, bp
    from tracker.recommendations.queries import history_of

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.extensions.setdefault("tracker_seed_hooks", []).append(seed_hook)
    app.jinja_env.filters["indicator_value"] = format_value
    # For the partials on a recommendation's page (its indicators, and where a split item came from).
    app.jinja_env.globals["indicators_for"] = lambda rec: queries.indicators_for_recommendation(db.session, rec)
    app.jinja_env.globals["latest_point"] = queries.latest_point
    app.jinja_env.globals["history_of"] = lambda rec: history_of(db.session, rec)
