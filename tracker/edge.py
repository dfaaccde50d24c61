"""What every request passes through before a route sees it, and the headers every response leaves with.

Input the database cannot store is refused here, once, for every route (anonymous ones included), with a
400 that says what and where: PostgreSQL refuses NUL characters and lone surrogates in text that SQLite
stores, and Python's JSON parser recurses once per level, so deep nesting would end in a RecursionError.
Numbers too large for the database never reach it: `<int:…>` in a route accepts 32-bit values only, and
query integers go through `int_arg`.
"""
from __future__ import annotations

import re
from itertools import accumulate
from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

from tracker.errors import InvalidInput

MAX_JSON_DEPTH = 32
MAX_DB_INT = 2**31 - 1  # PostgreSQL INTEGER: ids, versions; page numbers and day counts are bounded lower
# NUL, and the UTF-16 surrogate halves, which are not characters and cannot be encoded in UTF-8.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# A string, or an unterminated one to the end: always a match at a quote, so the scan never restarts inside a
# string (quadratic time on `"\"\"\"…`).
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]")


def unstorable_reason(text: str) -> str | None:
    found = UNSTORABLE.search(text)
    if not found:
        return None
    if found.group() == "\x00":
        return _("a NUL character (\\0)")
    return _("an unpaired surrogate (\\u%(code)04x)", code=ord(found.group()))


def _check_text(text: str, where: str) -> None:
    reason = unstorable_reason(text)
    if reason:
        raise InvalidInput(_("The request was refused: %(where)s contains %(what)s, which cannot be stored. "
                             "Remove it and try again.", where=where, what=reason))


def _check_json_value(value: object, where: str) -> None:
    stack = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            _check_text(item, path)
        elif isinstance(item, dict):
            for key, child in item.items():
                _check_text(key, path)
                stack.append((child, f"{path}.{key}"[:80]))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(item))


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest, without parsing (so without recursing)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if not brackets:
        return 0
    return max(accumulate(1 if c in "[{" else -1 for c in brackets))


class BoundedJSONProvider(DefaultJSONProvider):
    """`request.get_json()` refuses nesting deeper than MAX_JSON_DEPTH with a 400 instead of recursing."""

    def loads(self, s, **kwargs):
        text = s.decode("utf-8", "replace") if isinstance(s, (bytes, bytearray)) else s
        if json_depth(text) > MAX_JSON_DEPTH:
            raise InvalidInput(_("The JSON body nests more than %(n)s levels deep.", n=MAX_JSON_DEPTH))
        return super().loads(s, **kwargs)


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` matches 0 … 2**31-1 only: a larger number is no row of ours (404), not a database error."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min,
                         max=MAX_DB_INT if max is None else max, signed=signed)


def int_arg(name: str, default: int | None, *, low: int = 1, high: int = MAX_DB_INT) -> int | None:
    """A whole-number query parameter: absent or not a number gives `default`; out of range is a 400."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if len(raw) <= 20 else None
    except ValueError:
        return default
    if value is None or not low <= value <= high:
        raise InvalidInput(_("“%(name)s” must be a whole number from %(low)s to %(high)s.",
                             name=name, low=low, high=high), name)
    return value


def url_with_args(endpoint: str, **overrides) -> str:
    """This page's query string carried to `endpoint` (with `overrides`), as a query string only: never as
    url_for() keywords, where `_method`, `_anchor` or `endpoint` from a visitor would break the build."""
    args = MultiDict(request.args)
    for key, value in overrides.items():
        args.setlist(key, [value])
    base = url_for(endpoint)
    query = urlencode(list(args.items(multi=True)))
    return f"{base}?{query}" if query else base


def refuse_unstorable_input() -> None:
    """before_request: the path, query string, form fields and JSON body, for every route."""
    _check_text(request.path, _("the address"))
    for key, value in request.args.items(multi=True):
        _check_text(key, _("the query string"))
        _check_text(value, _("the query parameter “%(name)s”", name=key[:40]))
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in request.form.items(multi=True):
            _check_text(key, _("the form"))
            _check_text(value, _("the form field “%(name)s”", name=key[:40]))
    if request.is_json and request.content_length != 0:
        body = request.get_json(silent=True)  # parsed once and cached; malformed JSON is the route's to report
        if body is not None:
            _check_json_value(body, _("the JSON body"))


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    # Everything is served from here: no CDN, no inline script or style.
    headers.setdefault("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                       "script-src 'self'; frame-ancestors 'none'; form-action 'self'")
    # HSTS only where the public address is https (a plain-http dev server must stay reachable).
    if current_app.config.get("TRACKER_BASE_URL", "").startswith("https://"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    app.json = BoundedJSONProvider(app)
    app.url_map.converters["int"] = BoundedIntConverter
    # First of all before_request functions (CSRF, rate limits and the routes read the same input).
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unstorable_input)
    app.after_request(set_security_headers)
    app.jinja_env.globals["url_with_args"] = url_with_args
