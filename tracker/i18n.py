"""Which language a request is served in, and how the register's Urdu texts reach pages and the API.

Order: `?lang=` on any URL (remembered in the `lang` cookie), then that cookie, then `Accept-Language`
on a first visit, then English. Outside a request (CLI, jobs) the language is English unless a caller
forces one (e-mails use flask_babel.force_locale with the recipient's language).
"""
from flask import Flask, current_app, has_request_context, request
from flask_babel import force_locale, get_locale, refresh
from flask_babel import gettext as _
from markupsafe import Markup, escape

SUPPORTED_LANGUAGES = ("en", "ur")
RTL_LANGUAGES = {"ur", "ar", "fa", "ps", "sd"}
LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    if not has_request_context():
        return "en"
    asked = request.args.get("lang")
    if asked in SUPPORTED_LANGUAGES:
        return asked
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in SUPPORTED_LANGUAGES:
        return cookie
    return request.accept_languages.best_match(SUPPORTED_LANGUAGES) or "en"


def current_language() -> str:
    """The language of what is being rendered: the request's, or the one forced (e-mails)."""
    return str(get_locale() or "en").split("_")[0]


def text_direction(lang: str) -> str:
    return "rtl" if lang.split("_")[0] in RTL_LANGUAGES else "ltr"


def localized(english: str | None, urdu: str | None) -> str | None:
    """Plain text in the current language (for <title>, attributes, e-mail text): Urdu when it exists."""
    return urdu if current_language() == "ur" and urdu else english


def translation_mark() -> Markup:
    return Markup('<small class="translation" lang="ur">{}</small>').format(_("translation"))


def translated(english: str | None, urdu: str | None, mark: bool = True) -> Markup:
    """HTML for a register text: in Urdu, the translation marked as one (the brief is English).
    mark=False for items of a list that carries one mark after it."""
    if current_language() == "ur" and urdu:
        text = Markup('<span lang="ur">{}</span>').format(urdu)
        return text + Markup(" ") + translation_mark() if mark else text
    return escape(english or "")


def _remember_language(response):
    lang = request.args.get("lang")
    if lang not in SUPPORTED_LANGUAGES:
        return response
    # The API answers in the language asked for each request; it keeps no cookie of its own.
    if request.cookies.get(LANG_COOKIE) != lang and not request.path.startswith("/api/"):
        response.set_cookie(LANG_COOKIE, lang, max_age=LANG_COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
        # A response that sets a cookie is this reader's: no shared cache may keep it.
        response.cache_control.public = False
        response.cache_control.private = True
    return response


def _choose_afresh() -> None:
    # Flask-Babel caches the locale on `g`, which lives as long as the app context: where one context
    # serves several requests (tests, a CLI command that renders), each request must choose again.
    refresh()


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _choose_afresh)
    app.after_request(_remember_language)
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["translated"] = translated
    app.jinja_env.globals["translation_mark"] = translation_mark


def in_language(lang: str, text) -> str:
    """A lazy string (a status label, a definition) rendered in the given language, whatever the request's."""
    with force_locale(lang):
        return str(text)
