"""Load the register file into the database, idempotently.

A second run with the same file changes nothing. A changed file updates texts and links but never a
status: statuses only change through the append-only history.
"""
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db import utcnow
from tracker.recommendations import statuses
from tracker.recommendations.models import (Bill, Body, Instrument, Recommendation, Stakeholder, StatusChange,
                                            Theme)

REGISTER_FILE = Path(__file__).resolve().parents[2] / "feeds" / "register.yaml"
# The Urdu translations live beside the register, keyed by code/slug/name (see docs/urdu.md).
URDU_SECTIONS = {"recommendations": "code", "stakeholders": "slug", "themes": "slug", "bodies": None}
# Sections whose Urdu is looked up when a page is rendered (the database keeps these in English only):
# each instrument's name and the texts about Pakistan's status (fields: the English field names), each
# bill's title. Checked here like the others; see tracker/recommendations/urdu.py.
URDU_INSTRUMENT_FIELDS = ("name", "status_text", "reporting_text")
# The note of a status the brief itself gives (its words in the quotes): stored in English, as the brief was
# published; pages show the quotation marked as English under their own words (`quoted_from_brief`).
SEED_NOTE = "As stated in the NCRC policy brief: “{}”"


class RegisterError(ValueError):
    pass


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    split: list[str] = field(default_factory=list)  # superseded by a split on this run

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired or self.split)


def load_register_file(path: Path = REGISTER_FILE) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegisterError(f"cannot read register {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise RegisterError(f"register {path} is not a mapping")
    for key in ("stakeholders", "themes", "instruments", "recommendations"):
        if not isinstance(data.get(key), list):
            raise RegisterError(f"register {path} has no list '{key}'")
    urdu_path = urdu_file_for(path)
    data["urdu"] = load_urdu_file(urdu_path, data) if urdu_path.exists() else None
    return data


def urdu_file_for(path: Path) -> Path:
    return path.with_name(path.stem + ".ur" + path.suffix)


def _register_keys(data: dict) -> dict[str, set[str]]:
    items = list(data["recommendations"]) + list(data.get("retired") or [])
    return {
        "recommendations": {r["code"] for r in items},
        "stakeholders": {r["slug"] for r in data["stakeholders"]},
        "themes": {r["slug"] for r in data["themes"]},
        "bodies": {name for r in items for name in r.get("responsible_bodies") or ()},
    }


def load_urdu_file(path: Path, data: dict) -> dict[str, dict[str, str]]:
    """The Urdu file, checked against the register: every item, stakeholder, theme and body has a
    non-empty Urdu text, and nothing names an entry the register lacks. Errors name the file and entry."""
    try:
        urdu = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegisterError(f"cannot read {path.name}: {exc}") from exc
    if not isinstance(urdu, dict):
        raise RegisterError(f"{path.name}: expected a mapping of sections {sorted(URDU_SECTIONS)}")
    expected = _register_keys(data)
    out: dict[str, dict[str, str]] = {}
    for section in URDU_SECTIONS:
        entries = urdu.get(section)
        if not isinstance(entries, dict):
            raise RegisterError(f"{path.name}: '{section}' must map each {section[:-1]} to its Urdu text")
        for key, text in entries.items():
            if str(key) not in expected[section]:
                raise RegisterError(f"{path.name}, {section}: {key}: not in {REGISTER_FILE.name}")
            if not isinstance(text, str) or not text.strip():
                raise RegisterError(f"{path.name}, {section}: {key}: the Urdu text must be non-empty text")
            if any(ord(c) < 32 for c in text):
                raise RegisterError(f"{path.name}, {section}: {key}: control character in the Urdu text")
        missing = sorted(expected[section] - {str(k) for k in entries})
        if missing:
            raise RegisterError(f"{path.name}, {section}: no Urdu text for {', '.join(missing)}")
        out[section] = {str(k): v.strip() for k, v in entries.items()}
    out["instruments"] = _urdu_instruments(path, urdu.get("instruments"), data)
    out["bills"] = _urdu_bills(path, urdu.get("bills"), data)
    unknown = sorted(set(urdu) - set(URDU_SECTIONS) - {"instruments", "bills"})
    if unknown:
        raise RegisterError(f"{path.name}: unknown section(s) {', '.join(unknown)}")
    return out


def _urdu_text(path: Path, where: str, text) -> str:
    if not isinstance(text, str) or not text.strip():
        raise RegisterError(f"{path.name}, {where}: the Urdu text must be non-empty text")
    if any(ord(c) < 32 for c in text):
        raise RegisterError(f"{path.name}, {where}: control character in the Urdu text")
    return text.strip()


def _urdu_instruments(path: Path, entries, data: dict) -> dict[str, dict[str, str]]:
    """Every instrument has its Urdu name, and an Urdu text for each text the register gives about it."""
    if not isinstance(entries, dict):
        raise RegisterError(f"{path.name}: 'instruments' must map each instrument's slug to its Urdu texts")
    english = {row["slug"]: row for row in data["instruments"]}
    out = {}
    for slug in entries:
        if slug not in english:
            raise RegisterError(f"{path.name}, instruments: {slug}: not in {REGISTER_FILE.name}")
    for slug, row in english.items():
        entry = entries.get(slug)
        if not isinstance(entry, dict):
            raise RegisterError(f"{path.name}, instruments: no Urdu texts for {slug}")
        if unknown := sorted(set(entry) - set(URDU_INSTRUMENT_FIELDS)):
            raise RegisterError(f"{path.name}, instruments: {slug}: unknown field(s) {', '.join(unknown)}")
        wanted = [f for f in URDU_INSTRUMENT_FIELDS if row.get(f)]
        if missing := [f for f in wanted if f not in entry]:
            raise RegisterError(f"{path.name}, instruments: {slug}: no Urdu {', '.join(missing)}")
        out[slug] = {f: _urdu_text(path, f"instruments: {slug}: {f}", entry[f]) for f in entry}
    return out


def _urdu_bills(path: Path, entries, data: dict) -> dict[str, str]:
    if not isinstance(entries, dict):
        raise RegisterError(f"{path.name}: 'bills' must map each bill's slug to its Urdu title")
    english = {row["slug"] for row in data.get("bills") or []}
    if stray := sorted(set(entries) - english):
        raise RegisterError(f"{path.name}, bills: {stray[0]}: not in {REGISTER_FILE.name}")
    if missing := sorted(english - set(entries)):
        raise RegisterError(f"{path.name}, bills: no Urdu title for {', '.join(missing)}")
    return {slug: _urdu_text(path, f"bills: {slug}", title) for slug, title in entries.items()}


def _assign(obj, values: dict, report_changed: list[bool]) -> None:
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            report_changed[0] = True


def _upsert(session: Session, model, key: str, rows: list[dict], columns) -> dict:
    existing = {getattr(o, key): o for o in session.scalars(select(model))}
    changed = [False]
    for position, row in enumerate(rows):
        values = columns(row, position)
        obj = existing.get(row[key])
        if obj is None:
            obj = model(**{key: row[key]}, **values)
            session.add(obj)
            existing[row[key]] = obj
            changed[0] = True
        else:
            _assign(obj, values, changed)
    return existing


def _lines(values) -> str:
    return "\n".join(values or ())


def seed_register(session: Session, data: dict) -> SeedReport:
    report = SeedReport()
    urdu = data.get("urdu") or {}
    ur_stakeholders, ur_themes = urdu.get("stakeholders", {}), urdu.get("themes", {})
    ur_bodies, ur_titles = urdu.get("bodies", {}), urdu.get("recommendations", {})
    stakeholders = _upsert(session, Stakeholder, "slug", data["stakeholders"], lambda r, i: {
        "name": r["name"], "name_ur": ur_stakeholders.get(r["slug"]), "code_prefix": r["code_prefix"],
        "position": i})
    themes = _upsert(session, Theme, "slug", data["themes"], lambda r, i: {
        "name": r["name"], "name_ur": ur_themes.get(r["slug"]), "description": r.get("description")})
    instruments = _upsert(session, Instrument, "slug", data["instruments"], lambda r, i: {
        "name": r["name"], "short_name": r["short_name"], "binding": bool(r.get("binding", True)),
        "pakistan_status": r["pakistan_status"], "ratified_on": _opt_str(r.get("ratified_on")),
        "status_text": r.get("status_text"), "reporting_text": r.get("reporting_text"),
        "reservations": r.get("reservations"), "position": i})
    bills = _upsert(session, Bill, "slug", data.get("bills") or [], lambda r, i: {
        "title": r["title"], "summary": r.get("summary"), "aliases": _lines(r.get("aliases")),
        "subject_keywords": _lines(r.get("subject_keywords"))})
    bodies = {b.name: b for b in session.scalars(select(Body))}
    session.flush()
    from tracker.legislation.operations import seed_bill_state  # the bills' recorded stages and identity
    for row in data.get("bills") or []:
        seed_bill_state(session, bills[row["slug"]], row)

    recs = {r.code: r for r in session.scalars(select(Recommendation))}
    retired_rows = data.get("retired") or []
    _check_splits(data["recommendations"], retired_rows)

    def row_values(row: dict, position: int, in_register: bool) -> tuple[dict, dict]:
        code = row["code"]
        for name in row.get("responsible_bodies") or ():
            if name not in bodies:
                bodies[name] = Body(name=name)
                session.add(bodies[name])
            if bodies[name].name_ur != ur_bodies.get(name):
                bodies[name].name_ur = ur_bodies.get(name)
        try:
            values = {
                "position": position, "title": row["title"], "title_ur": ur_titles.get(code), "source_text": row["source_text"].strip(),
                "context_text": (row.get("context_text") or "").strip() or None,
                "keywords": _lines(row.get("keywords")), "audiences": _lines(row.get("audiences")),
                "stakeholder": stakeholders[row["stakeholder"]],
                "bill": bills[row["bill"]] if row.get("bill") else None,
                "split_from": recs[row["split_from"]] if row.get("split_from") else None,
                "in_register": in_register,
            }
            links = {
                "bodies": sorted((bodies[n] for n in row.get("responsible_bodies") or ()), key=lambda b: b.name),
                "themes": [themes[t] for t in row.get("themes") or ()],
                "instruments": [instruments[s] for s in row.get("instruments") or ()],
            }
        except KeyError as exc:
            raise RegisterError(f"register.yaml, {code}: unknown reference {exc}") from exc
        return values, links

    # Retired items first, so the parts of a split can point at them (created too on a fresh database, so
    # old links resolve the same everywhere); their status before this run is what the parts start from.
    status_before = {}
    for row in retired_rows:
        values, links = row_values(row, len(data["recommendations"]), in_register=False)
        rec = recs.get(row["code"])
        if rec is None:
            recs[row["code"]] = rec = _create_recommendation(session, {"code": row["code"]}, values, links)
            session.flush()
        else:
            _update_recommendation(rec, values, links)
        status_before[row["code"]] = rec.status

    listed = {row["code"] for row in retired_rows}
    for position, row in enumerate(data["recommendations"]):
        code = row["code"]
        listed.add(code)
        values, links = row_values(row, position, in_register=True)
        rec = recs.get(code)
        if rec is None:
            inherited = status_before.get(row.get("split_from"))
            if inherited not in (None, "not_assessed", "superseded"):
                # A part starts where the whole stood; the changes that led there stay on the old item.
                row = {**row, "initial_status": inherited, "initial_note": None}
            rec = _create_recommendation(session, row, values, links, record_initial=not row.get("split_from"))
            recs[code] = rec
            report.created.append(code)
        elif _update_recommendation(rec, values, links):
            report.updated.append(code)
    session.flush()
    for row in retired_rows:
        if row.get("split_into") and _supersede_by_split(session, recs[row["code"]], row):
            report.split.append(row["code"])
    for code, rec in recs.items():
        if code not in listed and rec.in_register:
            rec.in_register = False
            report.retired.append(code)
    session.flush()
    return report


def _check_splits(rows: list[dict], retired_rows: list[dict]) -> None:
    retired = {r["code"]: r for r in retired_rows}
    listed = {r["code"] for r in rows}
    for row in retired_rows:
        if row["code"] in listed:
            raise RegisterError(f"register.yaml, {row['code']}: listed both as an item and as retired")
        for part in row.get("split_into") or ():
            if part not in listed:
                raise RegisterError(f"register.yaml, {row['code']}: split_into names unknown item {part}")
    for row in rows:
        old = row.get("split_from")
        if old and row["code"] not in (retired.get(old, {}).get("split_into") or ()):
            raise RegisterError(f"register.yaml, {row['code']}: split_from {old} is not a retired item "
                                f"split into it")


def _supersede_by_split(session: Session, rec: Recommendation, row: dict) -> bool:
    """Once: the old item becomes superseded, with one history entry naming its parts (idempotent)."""
    if rec.status == "superseded":
        return False
    now = utcnow()
    parts = ", ".join(row["split_into"])
    note = f"Split into {parts}. {(row.get('reason') or '').strip()}".strip()
    session.add(StatusChange(recommendation_id=rec.id, from_status=rec.status, to_status="superseded",
                             note=note, origin="split", created_at=now))
    rec.status, rec.updated_at = "superseded", now
    return True


def _opt_str(value) -> str | None:
    return None if value is None else str(value)


def _create_recommendation(session: Session, row: dict, values: dict, links: dict, *,
                           record_initial: bool = True) -> Recommendation:
    initial = row.get("initial_status") or "not_assessed"
    if initial not in statuses.VALUES:
        raise RegisterError(f"register.yaml, {row['code']}: unknown initial_status {initial!r}")
    now = utcnow()
    rec = Recommendation(code=row["code"], status=initial, created_at=now, updated_at=now, **values, **links)
    session.add(rec)
    if initial != "not_assessed" and record_initial:
        session.flush()
        # The brief itself is the evidence for a non-default starting status.
        note = (row.get("initial_note") or "").strip()
        session.add(StatusChange(recommendation_id=rec.id, from_status="not_assessed", to_status=initial,
                                 note=SEED_NOTE.format(note), origin="seed",
                                 created_at=now))
    return rec


def quoted_from_brief(change: StatusChange) -> str | None:
    """The brief's own words a status from the brief quotes (None for any other change, or an edited note)."""
    prefix, suffix = SEED_NOTE.split("{}")
    note = change.note or ""
    if change.origin != "seed" or not (note.startswith(prefix) and note.endswith(suffix)):
        return None
    return note[len(prefix):len(note) - len(suffix)]


def _update_recommendation(rec: Recommendation, values: dict, links: dict) -> bool:
    changed = [False]
    _assign(rec, values, changed)
    for name, objs in links.items():
        # Compared as sets: the file's order of themes or bodies carries no meaning.
        current = getattr(rec, name)
        if {id(o) for o in current} != {id(o) for o in objs}:
            setattr(rec, name, objs)
            changed[0] = True
    return changed[0]
