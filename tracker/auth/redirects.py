"""Where to go after logging in: only a path on this site, judged as a browser would read it.

A browser's URL parser (WHATWG) drops tab, newline and carriage return anywhere in a URL, strips leading
and trailing control characters and spaces, and reads a backslash as a slash in http(s) URLs; so
"/\\t/evil.example" and "/\\\\evil.example" both mean "//evil.example", another site. The target is
normalised the same way first and then must be a path: starting with one "/", with no scheme and no host.
"""
from urllib.parse import urlsplit

_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))


def same_site_path(target: object) -> str | None:
    """The path to redirect to, or None when `target` is not a same-site path."""
    if not isinstance(target, str) or len(target) > 2000:
        return None
    path = target.strip(_C0_OR_SPACE).translate(_TAB_OR_NEWLINE)
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
        return None
    try:
        parts = urlsplit(path)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return path
