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


def _is_arabic_script(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in text)


def as_written(text) -> Markup:
    """Text shown as someone wrote it (a staff note, a news title, a source's name, an address, an error
    from a server): marked with its own language where it differs from the page's, so that Latin text on an
    Urdu page is set left to right in a Latin font (and Urdu on an English page right to left)."""
    if text is None or text == "":
        return Markup("")
    text = str(text)
    urdu_text, urdu_page = _is_arabic_script(text), current_language() == "ur"
    if urdu_page and not urdu_text and any(c.isalpha() for c in text):
        return Markup('<span lang="en" dir="ltr">{}</span>').format(text)
    if urdu_text and not urdu_page:
        return Markup('<span lang="ur" dir="rtl">{}</span>').format(text)
    return escape(text)


def written_lang(text) -> Markup:
    """lang and dir attributes for a block shown as stored (an e-mail): the script it is written in."""
    if text and _is_arabic_script(str(text)):
        return Markup('lang="ur" dir="rtl"')
    return Markup('lang="en" dir="ltr"')


class Written(str):
    """A piece of an Atom entry's text shown as someone wrote it (a note, a source's title, a URL): its
    language is its script's, not the feed's."""


def written_language(text: str) -> str | None:
    if _is_arabic_script(text):
        return "ur"
    return "en" if any(c.isalpha() for c in text) else None


def feed_content(paragraphs: list[list[str]], separator: str = "\n\n") -> tuple[str, str]:
    """An Atom entry's content and its type, from paragraphs of pieces: catalogue text (in the feed's
    language) and `Written` pieces. Plain text when every piece is in the feed's language (an English note in
    an English feed); otherwise XHTML whose paragraphs and spans carry `xml:lang` where their language
    differs from the feed's (`xml:lang` on <feed>), so a reader of an Urdu feed sees the English note marked
    as English."""
    feed_lang = current_language()
    foreign = [p for para in paragraphs for p in para
               if isinstance(p, Written) and written_language(p) not in (None, feed_lang)]
    if not foreign:
        return separator.join("".join(para) for para in paragraphs), "text"
    html = []
    for para in paragraphs:
        langs = {written_language(p) if isinstance(p, Written) else feed_lang for p in para if p.strip()} - {None}
        if len(langs) == 1 and (only := langs.pop()) != feed_lang:  # the whole paragraph is as written
            html.append(Markup('<p xml:lang="{0}" dir="{1}">{2}</p>').format(only, text_direction(only),
                                                                           "".join(para)))
            continue
        inner = Markup("")
        for piece in para:
            lang = written_language(piece) if isinstance(piece, Written) else feed_lang
            if lang not in (None, feed_lang):
                inner += Markup('<span xml:lang="{0}" dir="{1}">{2}</span>').format(lang, text_direction(lang), piece)
            else:
                inner += escape(piece)
        html.append(Markup("<p>{}</p>").format(inner))
    return "".join(html), "xhtml"


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
    app.jinja_env.globals["as_written"] = as_written
    app.jinja_env.filters["as_written"] = as_written
    app.jinja_env.globals["written_lang"] = written_lang
    app.jinja_env.globals["current_language"] = current_language  # for macros, imported without context


def in_language(lang: str, text) -> str:
    """A lazy string (a status label, a definition) rendered in the given language, whatever the request's."""
    with force_locale(lang):
        return str(text)


class CatalogueTranslations:
    """WTForms' own messages ("Not a valid choice.", length and range errors ...) from this service's
    catalogue: WTForms ships no Urdu, so the messages it can show are listed in WTFORMS_MESSAGES below,
    extracted with the rest and translated in messages.po. WTForms formats them itself."""

    def gettext(self, string):
        from flask_babel import get_translations
        return get_translations().ugettext(string) if has_request_context() else string

    def ngettext(self, singular, plural, n):
        from flask_babel import get_translations
        if not has_request_context():
            return singular if n == 1 else plural
        return get_translations().ungettext(singular, plural, n)


def N_(string):  # marks a string for extraction only (babel's no-op keyword); looked up when shown
    return string


def _nl(singular, plural):  # the same for a plural pair (`-k _nl:1,2` in the Makefile)
    return singular, plural


WTFORMS_MESSAGES = (
    N_("This field is required."), N_("Invalid email address."), N_("Invalid input."), N_("Invalid URL."),
    N_("Not a valid choice."), N_("Invalid Choice: could not coerce."), N_("Choices cannot be None."),
    N_("Not a valid integer value."), N_("Not a valid decimal value."), N_("Not a valid float value."),
    N_("Not a valid date value."), N_("Not a valid datetime value."), N_("Not a valid time value."),
    N_("Number must be at least %(min)s."), N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."), N_("Date must be at least %(min)s."),
    N_("Date must be at most %(max)s."), N_("Date must be between %(min)s and %(max)s."),
    N_("Field must be equal to %(other_name)s."), N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."), N_("This field cannot be edited."),
    N_("This field is disabled and cannot have a value."), N_("CSRF token missing."), N_("CSRF failed."),
    N_("CSRF token expired."), N_("Invalid CSRF Token."),
    _nl("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long."),
    _nl("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."),
    _nl("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    _nl("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field."),
)
CATALOGUE_TRANSLATIONS = CatalogueTranslations()


def _tracker_form():
    from flask_wtf import FlaskForm

    class TrackerForm(FlaskForm):
        """Every form of the service: WTForms' own messages come from the catalogue (see above)."""

        class Meta(FlaskForm.Meta):
            def get_translations(self, form):
                return CATALOGUE_TRANSLATIONS

    return TrackerForm


TrackerForm = _tracker_form()
