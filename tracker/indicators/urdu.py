"""The indicators' Urdu (feeds/indicators.ur.yaml), beside the English in feeds/indicators.yaml.

The database keeps the English texts the seed loads; the Urdu ones are read from the file once per process
and looked up by slug when a page is rendered in Urdu. The file is checked against indicators.yaml when the
app starts (`check_indicators_urdu`), so a missing or stray translation stops start-up with a message naming
the file, the indicator and the field. Quotations and the names of English sources stay English.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from tracker.indicators.seeding import INDICATORS_FILE, IndicatorDataError, load_indicators_file

URDU_FILE = INDICATORS_FILE.with_name("indicators.ur.yaml")
FIELDS = ("name", "measures", "unit", "can_tell", "cannot_tell")


def load_indicators_urdu(path: Path = URDU_FILE, english: dict | None = None) -> dict[str, dict]:
    english = english if english is not None else load_indicators_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IndicatorDataError(f"cannot read {path.name}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), dict):
        raise IndicatorDataError(f"{path.name}: needs a mapping 'indicators' (slug: its Urdu fields)")
    rows = {row["slug"]: row for row in english["indicators"]}
    entries = data["indicators"]
    for slug in entries:
        if slug not in rows:
            raise IndicatorDataError(f"{path.name}, indicator {slug}: not in {INDICATORS_FILE.name}")
    out: dict[str, dict] = {}
    for slug, row in rows.items():
        where = f"{path.name}, indicator {slug}"
        entry = entries.get(slug)
        if not isinstance(entry, dict):
            raise IndicatorDataError(f"{where}: no Urdu texts")
        if unknown := set(entry) - set(FIELDS) - {"other_figures"}:
            raise IndicatorDataError(f"{where}: unknown fields {sorted(unknown)}")
        for name in FIELDS:
            _check_text(entry.get(name), f"{where}, {name}")
        labels = entry.get("other_figures") or []
        if not isinstance(labels, list) or len(labels) != len(row.get("other_figures") or []):
            raise IndicatorDataError(f"{where}, other_figures: one Urdu label per figure in {INDICATORS_FILE.name}")
        for n, label in enumerate(labels, 1):
            _check_text(label, f"{where}, other_figures #{n}")
        out[slug] = {**{name: entry[name].strip() for name in FIELDS},
                     "other_figures": [label.strip() for label in labels]}
    return out


def _check_text(text, where: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise IndicatorDataError(f"{where}: the Urdu text must be non-empty text")
    if any(ord(c) < 32 and c not in "\n" for c in text):
        raise IndicatorDataError(f"{where}: control character in the Urdu text")


@lru_cache(maxsize=1)
def indicators_urdu() -> dict[str, dict]:
    return load_indicators_urdu()


def check_indicators_urdu() -> None:
    indicators_urdu()


def indicator_urdu(slug: str, field: str, index: int | None = None) -> str | None:
    """The Urdu of one field of an indicator (None for an indicator staff added without a translation)."""
    entry = indicators_urdu().get(slug)
    if entry is None:
        return None
    value = entry.get(field)
    if index is not None:
        return value[index] if isinstance(value, list) and index < len(value) else None
    return value
