"""The visible language switch (English | اردو) on every page: links to the current page with `?lang=`.

Each language is named in itself (an endonym), so these labels are not translated."""
from dataclasses import dataclass

from flask import request
from flask_babel import get_locale
from werkzeug.urls import iri_to_uri

OFFERED = (("en", "English"), ("ur", "اردو"))


@dataclass(frozen=True)
class LanguageLink:
    code: str
    label: str
    url: str
    active: bool


def url_with_lang(path: str, args, code: str) -> str:
    """`path` with its query arguments kept (repeated ones too) and `lang` set to `code`."""
    from urllib.parse import urlencode

    kept = [(key, value) for key, value in args.items(multi=True) if key != "lang"]
    return iri_to_uri(path) + "?" + urlencode([*kept, ("lang", code)])


def language_links() -> list[LanguageLink]:
    current = str(get_locale() or "en").split("_")[0]
    return [LanguageLink(code, label, url_with_lang(request.path, request.args, code), code == current)
            for code, label in OFFERED]
