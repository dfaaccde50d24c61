"""Tracks the NCRC child online protection recommendations: register, statuses, feeds, digests."""
import logging
from pathlib import Path

from flask import Flask, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.config import load_config
from tracker.db import tune_sqlite_connection
from tracker.errors import Conflict, DomainError
from tracker.extensions import babel, csrf, db, limiter, login_manager, migrate

app_log = logging.getLogger("tracker")
from tracker.i18n import RTL_LANGUAGES, SUPPORTED_LANGUAGES, text_direction  # noqa: F401


def create_app(config: dict | None = None) -> Flask:
    root = Path(__file__).resolve().parent.parent
    app = Flask(__name__, instance_relative_config=True, template_folder=str(root / "templates"),
                static_folder=str(root / "static"))
    app.config.update(load_config(Path(app.instance_path)))
    if config:
        app.config.update(config)
    app.config["TRACKER_CONTACT_URL"] = app.config.get("TRACKER_CONTACT_URL") or app.config["TRACKER_BASE_URL"]
    _trust_proxies(app)
    from tracker import edge, request_log
    edge.init_app(app)  # before the blueprints: it bounds the `<int:…>` converter their routes use
    request_log.init_app(app)  # after edge: its request id is set before anything can refuse the request

    db.init_app(app)
    with app.app_context():
        event.listen(db.engine, "connect", tune_sqlite_connection)
    migrate.init_app(app, db, directory=str(root / "migrations"), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    from tracker import i18n
    i18n.init_app(app)

    _import_models()
    _register_blueprints(app)
    _register_cli(app)
    from tracker.digests import setup as digests_setup
    digests_setup.init_app(app)
    from tracker.indicators import setup as indicators_setup
    indicators_setup.init_app(app)
    _register_template_helpers(app)
    from tracker import typeface
    typeface.init_app(app)
    _register_error_pages(app)
    from tracker import transactions
    transactions.init_app(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind TRACKER_PROXIES reverse proxies, the client address (rate limits, logs) and scheme are the ones
    those proxies saw; with 0, X-Forwarded-* headers from anyone are ignored."""
    proxies = app.config.get("TRACKER_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0, x_prefix=0)


def _select_locale() -> str:
    # ?lang= (remembered in a cookie), the cookie, then Accept-Language; English outside a request.
    from tracker.i18n import select_locale
    return select_locale()


def _import_models() -> None:
    # Every mapped class must be imported before the mappers configure.
    from tracker import leases as _leases  # noqa: F401
    from tracker.auth import models as _auth  # noqa: F401
    from tracker.feeds import models as _feeds  # noqa: F401
    from tracker.indicators import models as _indicators  # noqa: F401
    from tracker.legislation import models as _legislation  # noqa: F401
    from tracker.matching import models as _matching  # noqa: F401
    from tracker.recommendations import models as _recs  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from tracker.auth.routes import bp as auth_bp
    from tracker.feeds.routes import bp as feeds_bp
    from tracker.health import bp as health_bp
    from tracker.matching.routes import bp as inbox_bp
    from tracker.recommendations.routes import bp as staff_bp
    from tracker.scorecard.routes import bp as scorecard_bp

    for bp in (scorecard_bp, auth_bp, staff_bp, inbox_bp, feeds_bp, health_bp):
        app.register_blueprint(bp)
    from tracker.api import openapi  # flask-smorest registers /api/v1 and builds its OpenAPI document
    openapi.init_app(app)
    app.jinja_env.globals["staff_nav"] = [("inbox.index", _l("Review inbox"), "review"),
                                          ("feeds.index", _l("Feeds"), "manage_feeds")]


def _register_cli(app: Flask) -> None:
    from tracker.auth.cli import users_cli
    from tracker.feeds import jobs as feed_jobs
    from tracker.feeds.cli import feeds_cli, seed_sources_hook
    from tracker.matching.cli import matching_cli
    from tracker.recommendations.cli import seed_command
    from tracker.scheduler import scheduler_command

    app.cli.add_command(seed_command)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(feeds_cli)
    app.cli.add_command(matching_cli)
    # Each domain contributes to `seed` and to the scheduler without those modules knowing the domains.
    app.extensions["tracker_seed_hooks"] = [seed_sources_hook]
    from tracker.recommendations import evidence
    app.extensions["tracker_jobs"] = [feed_jobs.jobs, evidence.jobs]
    evidence.init_app(app)
    app.cli.add_command(users_cli)


def _register_template_helpers(app: Flask) -> None:
    from tracker.display import as_quote, highlight, linkify, local_date, local_time, number
    from tracker.glossary import abbr_filter
    from tracker.recommendations.evidence import publisher_from_url
    from tracker.recommendations import statuses
    from tracker.recommendations.statuses import status_label
    from tracker.scorecard.brief import SOURCE_BRIEF

    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.filters["linkify"] = linkify
    app.jinja_env.filters["as_quote"] = as_quote
    app.jinja_env.filters["abbr"] = abbr_filter
    app.jinja_env.filters["number"] = number
    app.jinja_env.globals["status_label"] = status_label
    app.jinja_env.globals["highlight"] = highlight
    app.jinja_env.globals["publisher_from_url"] = publisher_from_url
    app.jinja_env.globals["brief_date"] = SOURCE_BRIEF.published
    from tracker.recommendations.seeding import quoted_from_brief
    app.jinja_env.globals["quoted_from_brief"] = quoted_from_brief
    app.jinja_env.globals["status_module"] = statuses
    from tracker.legislation.words import house_label, stage_label
    from tracker.recommendations.urdu import bill_urdu, check_register_urdu, instrument_urdu
    from tracker.i18n import translated
    check_register_urdu()  # a missing or stray Urdu text stops start-up, naming the file and entry
    app.jinja_env.globals["stage_label"] = stage_label
    from tracker.auth.models import ROLE_LABELS
    from tracker.feeds.models import FEED_KIND_LABELS
    app.jinja_env.globals["role_label"] = lambda role: ROLE_LABELS.get(role, role)
    app.jinja_env.globals["feed_kind_label"] = lambda kind: FEED_KIND_LABELS.get(kind, kind)
    app.jinja_env.globals["house_label"] = house_label
    app.jinja_env.globals["instrument_text"] = lambda i, field, mark=True: translated(
        getattr(i, field), instrument_urdu(i.slug, field), mark)
    app.jinja_env.globals["bill_title"] = lambda bill: translated(bill.title, bill_urdu(bill.slug))

    @app.context_processor
    def inject_locale():
        lang = str(get_locale() or "en")
        return {"lang": lang, "text_dir": text_direction(lang)}


def _register_error_pages(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        if request.path.startswith("/api/"):
            from tracker.auth.decorators import api_error
            return api_error("CSRF token missing or invalid: send it in the X-CSRFToken header, "
                             "or use an API token.", 400)
        return render_template("errors/error.html", code=400,
                               message=_l("The form's security token is missing or expired. "
                                          "Go back, reload the page and submit again.")), 400

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(SQLAlchemyError, _database_error)
    # A versioned UPDATE that matched no row: someone else saved first.
    app.register_error_handler(StaleDataError, lambda exc: _domain_error(Conflict(
        _l("This was changed by someone else at the same moment. Reload and try again."))))


HTTP_ERROR_MESSAGES = {
    400: _l("The request could not be understood. Check the address or the form and try again."),
    403: _l("You do not have permission to open this page."),
    404: _l("There is no page at this address. Check it, or start again from the scorecard."),
    405: _l("This address does not accept that kind of request."),
    413: _l("What was sent is too large."),
    429: _l("Too many requests in a short time. Wait a minute and try again."),
}


def _error_page(exc):
    # The page itself may query (the signed-in user, the menu): never on a transaction that failed.
    db.session.rollback()
    code = getattr(exc, "code", 500) or 500
    message = getattr(exc, "description", None) or "Something went wrong."
    if code == 500:
        from tracker.request_log import current_request_id
        message = str(_l("Something went wrong on our side. If it happens again, tell us the request id "
                         "%(id)s.", id=current_request_id()))
    if request.path.startswith("/api/"):
        from tracker.auth.decorators import api_error
        return api_error(message, code)
    if message == getattr(type(exc), "description", None) and code in HTTP_ERROR_MESSAGES:
        message = HTTP_ERROR_MESSAGES[code]  # Werkzeug's English wording, said in the page's language
    return render_template("errors/error.html", code=code, message=message), code


def _domain_error(exc: DomainError):
    db.session.rollback()
    message = str(exc.message)
    if request.path.startswith("/api/"):
        from tracker.auth.decorators import api_error
        return api_error(message, exc.status)
    return render_template("errors/error.html", code=exc.status, message=message), exc.status


def _database_error(exc: SQLAlchemyError):
    """A database error that escaped a route: roll back first, so the error page (which may query) works."""
    db.session.rollback()
    app_log.error("database error", exc_info=exc)
    return _error_page(InternalServerError(original_exception=exc))
