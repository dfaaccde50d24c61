import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    pass


def _secret_key(instance_path: Path) -> str:
    key = os.environ.get("TRACKER_SECRET_KEY")
    if key:
        return key
    if os.environ.get("TRACKER_ENV") == "production":
        raise ConfigError("TRACKER_SECRET_KEY must be set in production")
    # Dev only: generated once so sessions survive restarts of `make run`.
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _optional_int(name: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def load_config(instance_path: Path) -> dict:
    instance_path.mkdir(parents=True, exist_ok=True)
    base_url = os.environ.get("TRACKER_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "TRACKER_DATABASE_URL", f"sqlite:///{instance_path / 'tracker.sqlite3'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "TRACKER_BASE_URL": base_url,
        "TRACKER_SMTP_URL": os.environ.get("TRACKER_SMTP_URL") or None,
        "TRACKER_MAIL_FROM": os.environ.get("TRACKER_MAIL_FROM", "tracker@localhost"),
        "TRACKER_ALLOW_PRIVATE_FEEDS": os.environ.get("TRACKER_ALLOW_PRIVATE_FEEDS") == "1",
        "TRACKER_STALE_DAYS": _optional_int("TRACKER_STALE_DAYS") or 90,
        "TRACKER_DISPLAY_TZ": os.environ.get("TRACKER_DISPLAY_TZ", "Asia/Karachi"),
        "TRACKER_PARSE_PROCESSES": _optional_int("TRACKER_PARSE_PROCESSES"),
        "TRACKER_FOLLOW_LIMIT": _optional_int("TRACKER_FOLLOW_LIMIT"),  # linked documents per source per poll
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": base_url.startswith("https://"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": base_url.startswith("https://"),
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": os.environ.get("TRACKER_RATELIMIT_STORAGE", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Karachi",
        "MAX_CONTENT_LENGTH": 1024 * 1024,
    }
