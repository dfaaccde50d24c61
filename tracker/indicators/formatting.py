"""How indicator values are written on pages, in exports and in mail: in the reader's locale."""
from babel.numbers import format_compact_decimal, format_decimal
from flask_babel import get_locale


def _locale() -> str:
    try:
        return str(get_locale() or "en")
    except RuntimeError:  # outside a request or app context
        return "en"


def format_value(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return format_decimal(int(value), locale=_locale())
    return format_decimal(value, format="#,##0.##", locale=_locale())


def format_tick(value: float) -> str:
    return format_compact_decimal(value, format_type="short", fraction_digits=2, locale=_locale())


def plain_value(value: float | None):
    """For JSON and CSV: a whole number as an int, otherwise the float."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
