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
                       data.get("contact_email"), data["recommendations_section"].strip())


SOURCE_BRIEF = load_brief()
