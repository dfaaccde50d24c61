"""What the tracker knows about its source brief (feeds/brief.yaml, from the brief's own text only)."""
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

BRIEF_FILE = Path(__file__).resolve().parents[2] / "feeds" / "brief.yaml"
REQUIRED = ("title", "kind", "publisher", "where_to_read", "recommendations_section")


class BriefError(ValueError):
    pass


@dataclass(frozen=True)
class SourceBrief:
    title: str
    kind: str
    publisher: str
    published: date | None  # None: the brief states no date, and none is invented
    latest_reference: str | None
    where_to_read: str
    contact_email: str | None
    recommendations_section: str
    # The tracker's Urdu of the texts above (feeds/brief.yaml, `urdu:`), keyed by the same names.
    urdu: dict | None = None


URDU_KEYS = ("title", "kind", "publisher", "latest_reference", "where_to_read", "recommendations_section")


def _urdu(path: Path, data: dict) -> dict | None:
    urdu = data.get("urdu")
    if urdu is None:
        return None
    if not isinstance(urdu, dict):
        raise BriefError(f"{path}: 'urdu' must map {', '.join(URDU_KEYS)} to their Urdu text")
    for key, text in urdu.items():
        if key not in URDU_KEYS:
            raise BriefError(f"{path}: urdu: '{key}' is not one of {', '.join(URDU_KEYS)}")
        if not isinstance(text, str) or not text.strip() or any(ord(c) < 32 for c in text.strip()):
            raise BriefError(f"{path}: urdu: '{key}' must be non-empty text without control characters")
    return {key: " ".join(text.split()) for key, text in urdu.items()}


def load_brief(path: Path = BRIEF_FILE) -> SourceBrief:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BriefError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise BriefError(f"{path}: expected a mapping")
    for key in REQUIRED:
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise BriefError(f"{path}: '{key}' is required text")
    published = data.get("published")
    if published is not None and not isinstance(published, date):
        raise BriefError(f"{path}: 'published' must be a date (YYYY-MM-DD) or empty")
    return SourceBrief(data["title"].strip(), data["kind"].strip(), data["publisher"].strip(), published,
                       (data.get("latest_reference") or "").strip() or None, " ".join(data["where_to_read"].split()),
                       data.get("contact_email"), data["recommendations_section"].strip(), _urdu(path, data))


SOURCE_BRIEF = load_brief()
