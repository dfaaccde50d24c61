"""The glossary of abbreviations (feeds/glossary.yaml) and <abbr> on an abbreviation's first use on a page."""
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from flask import g, has_request_context
from markupsafe import Markup, escape

GLOSSARY_FILE = Path(__file__).resolve().parents[2] / "feeds" / "glossary.yaml"
SOURCES = ("brief", "general")


class GlossaryError(ValueError):
    pass


@dataclass(frozen=True)
class Abbreviation:
    abbr: str
    expansion: str
    forms: tuple[str, ...]
    source: str
    expansion_ur: str = ""  # the tracker's Urdu of the expansion, shown on Urdu pages as a translation


def load_glossary(path: Path = GLOSSARY_FILE) -> tuple[Abbreviation, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GlossaryError(f"cannot read glossary {path}: {exc}") from exc
    entries = data.get("abbreviations") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise GlossaryError(f"{path}: expected a list under 'abbreviations'")
    seen, out = set(), []
    for i, entry in enumerate(entries, 1):
        where = f"{path}, entry {i}"
        if not isinstance(entry, dict) or not isinstance(entry.get("abbr"), str) or not entry["abbr"].strip():
            raise GlossaryError(f"{where}: needs an 'abbr'")
        abbr = entry["abbr"].strip()
        where = f"{path}, entry {i} ({abbr})"
        if abbr in seen:
            raise GlossaryError(f"{where}: listed twice")
        if not isinstance(entry.get("expansion"), str) or not entry["expansion"].strip():
            raise GlossaryError(f"{where}: needs an 'expansion'")
        if entry.get("source") not in SOURCES:
            raise GlossaryError(f"{where}: 'source' must be one of {', '.join(SOURCES)}")
        forms = entry.get("forms") or []
        if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
            raise GlossaryError(f"{where}: 'forms' must be a list of spellings")
        urdu = entry.get("expansion_ur")
        if not isinstance(urdu, str) or not urdu.strip() or any(ord(c) < 32 for c in urdu.strip()):
            raise GlossaryError(f"{where}: needs an 'expansion_ur' (its Urdu, one line of text)")
        seen.add(abbr)
        out.append(Abbreviation(abbr, entry["expansion"].strip(), tuple(f.strip() for f in forms), entry["source"],
                                urdu.strip()))
    return tuple(out)


@lru_cache(maxsize=1)
def glossary() -> tuple[Abbreviation, ...]:
    return load_glossary()


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, Abbreviation]]:
    by_form = {}
    for a in glossary():
        for form in (a.abbr, *a.forms):
            by_form[form] = a
    words = sorted(by_form, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b"), by_form


def mark_abbreviations(text: str | None, seen: set[str] | None = None) -> Markup:
    """Escapes text and wraps each abbreviation's first use (per `seen`, one page) in <abbr title=...>."""
    text = text or ""
    seen = set() if seen is None else seen
    pattern, by_form = _pattern()
    out, pos = [], 0
    for match in pattern.finditer(text):
        entry = by_form[match.group(1)]
        if entry.abbr in seen:
            continue
        seen.add(entry.abbr)
        out.append(escape(text[pos:match.start()]))
        out.append(Markup('<abbr title="{}">{}</abbr>').format(entry.expansion, match.group(1)))
        pos = match.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def abbr_filter(text: str | None) -> Markup:
    """Jinja filter: first use on this page (the request) only."""
    if not has_request_context():
        return mark_abbreviations(text)
    if not hasattr(g, "abbreviations_seen"):
        g.abbreviations_seen = set()
    return mark_abbreviations(text, g.abbreviations_seen)
