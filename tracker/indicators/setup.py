"""Wires the indicators domain into the app: blueprints, the `seed` hook, template helpers."""
import click
from flask import Flask

from tracker.extensions import db
from tracker.indicators.urdu import check_indicators_urdu, indicator_urdu


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
    from tracker.api.openapi import register_api_blueprint
    from tracker.indicators import queries
    from tracker.indicators.formatting import format_value
    from tracker.indicators.routes import api_bp, bp
    from tracker.recommendations.queries import history_of

    app.register_blueprint(bp)
    register_api_blueprint(app, api_bp)  # after tracker.api's Api exists: one document for /api/v1
    app.extensions.setdefault("tracker_seed_hooks", []).append(seed_hook)
    app.jinja_env.filters["indicator_value"] = format_value
    # For the partials on a recommendation's page (its indicators, and where a split item came from).
    app.jinja_env.globals["indicators_for"] = lambda rec: queries.indicators_for_recommendation(db.session, rec)
    app.jinja_env.globals["latest_point"] = queries.latest_point
    app.jinja_env.globals["history_of"] = lambda rec: history_of(db.session, rec)
    # Urdu pages show the indicators' Urdu (feeds/indicators.ur.yaml), marked as a translation; checked now,
    # so a missing or stray translation stops start-up with the file, indicator and field named.
    check_indicators_urdu()
    app.jinja_env.globals["indicator_text"] = indicator_text
    app.jinja_env.globals["indicator_plain"] = indicator_plain


def indicator_text(ind, field: str, mark: bool = True, index: int | None = None):
    """HTML: the field in the page's language (Urdu marked as a translation)."""
    from tracker.i18n import translated
    english = getattr(ind, field) if index is None else ind.other_figures[index].get("label")
    return translated(english, indicator_urdu(ind.slug, field, index), mark)


def indicator_plain(ind, field: str) -> str:
    """Plain text (for <title>, attributes, the chart's SVG text)."""
    from tracker.i18n import localized
    return localized(getattr(ind, field), indicator_urdu(ind.slug, field))
