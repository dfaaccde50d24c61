"""Wires the digests domain into the app: blueprint, CLI, scheduled jobs, models."""
from flask import Flask


def init_app(app: Flask) -> None:
    pass
