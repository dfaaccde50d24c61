"""One validator for web addresses people type: feed and page sources, evidence links.

An address is checked completely when it is added (scheme, host, port range, characters, what the HTTP
client will accept), so nothing stored can make a later poll or page die on it.
"""
import ipaddress
import unicodedata
from urllib.parse import urlsplit

import httpx
from flask_babel import gettext as _

from tracker.errors import InvalidInput

MAX_ADDRESS = 2000


def validate_web_address(raw: object, *, field: str | None = None, what: str | None = None) -> str:
    """The address, stripped; raises InvalidInput (naming `field`) with a message for a person."""
    what = what or _("Address")
    if not isinstance(raw, str):
        raise InvalidInput(_("%(what)s must be text.", what=what), field)
    url = raw.strip()
    if not url:
        raise InvalidInput(_("%(what)s is required.", what=what), field)
    if len(url) > MAX_ADDRESS:
        raise InvalidInput(_("%(what)s is too long (at most %(n)s characters).", what=what, n=MAX_ADDRESS), field)
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in url):
        raise InvalidInput(_("%(what)s must be a complete http:// or https:// address, without spaces or "
                             "invisible control characters.", what=what), field)
    complete = _("%(what)s must be a complete http:// or https:// address.", what=what)
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port outside 0–65535 or not a number
    except ValueError:
        if _bad_port(url):
            raise InvalidInput(_("%(what)s has a port outside 1–65535.", what=what), field) from None
        raise InvalidInput(complete, field) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(complete, field)
    if port == 0:
        raise InvalidInput(_("%(what)s has a port outside 1–65535.", what=what), field)
    if not _host_is_valid(parts.hostname):
        raise InvalidInput(_("%(what)s has a host name that is not valid.", what=what), field)
    try:
        httpx.URL(url)  # what the client will be asked to fetch must parse the same way there
    except (httpx.InvalidURL, ValueError):
        raise InvalidInput(complete, field) from None
    return url


def _bad_port(url: str) -> bool:
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return False
    host_port = netloc.rsplit("@", 1)[-1]
    port = host_port.rsplit("]", 1)[-1].rpartition(":")[2] if ":" in host_port.rsplit("]", 1)[-1] else ""
    return port.isdigit()


def _host_is_valid(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    return all(0 < len(label) <= 63 and all(c.isalnum() or c in "-_" for c in label) for label in labels) \
        and len(ascii_host) <= 253
