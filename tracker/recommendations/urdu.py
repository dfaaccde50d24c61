"""Urdu texts of the register that pages look up when rendered: instruments and bills.

The database keeps instruments and bills in English only; their Urdu lives beside the register in
feeds/register.ur.yaml (checked by `load_urdu_file` with the rest of that file) and is read once per process.
"""
from __future__ import annotations

from functools import lru_cache

from tracker.recommendations.seeding import load_register_file


@lru_cache(maxsize=1)
def _register_urdu() -> dict:
    return load_register_file().get("urdu") or {}


def check_register_urdu() -> None:
    _register_urdu()


def instrument_urdu(slug: str, field: str = "name") -> str | None:
    return (_register_urdu().get("instruments", {}).get(slug) or {}).get(field)


def bill_urdu(slug: str) -> str | None:
    return _register_urdu().get("bills", {}).get(slug)
