"""app.config from the one typed settings object (`tracker/settings.py`); fail fast on what production needs."""
import secrets
from pathlib import Path

from tracker.settings import ConfigError, Settings, load_settings

__all__ = ["ConfigError", "load_config", "config_from_settings"]


def _secret_key(settings: Settings, instance_path: Path) -> str:
    if settings.secret_key:
        return settings.secret_key
    # Dev only (production refuses to start without one): generated once so sessions survive restarts.
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_config(instance_path: Path, environ: dict[str, str] | None = None) -> dict:
    return config_from_settings(load_settings(environ), instance_path)


def config_from_settings(s: Settings, instance_path: Path) -> dict:
    instance_path.mkdir(parents=True, exist_ok=True)
    https = s.base_url.startswith("https://")
    return {
        "SECRET_KEY": _secret_key(s, instance_path),
        "SQLALCHEMY_DATABASE_URI": s.database_url or f"sqlite:///{instance_path / 'tracker.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "TRACKER_SETTINGS": s,
        "TRACKER_ENV": s.env,
        "TRACKER_BASE_URL": s.base_url,
        "TRACKER_CONTACT_URL": s.contact_url,  # None: the base URL (create_app fills it in after overrides)
        "TRACKER_SMTP_URL": s.smtp_url,
        "TRACKER_MAIL_FROM": s.mail_from,
        "TRACKER_ALLOW_PRIVATE_FEEDS": s.allow_private_feeds,
        "TRACKER_STALE_DAYS": s.stale_days,
        "TRACKER_DISPLAY_TZ": s.display_tz,
        "TRACKER_PARSE_PROCESSES": s.parse_processes,
        "TRACKER_PROXIES": s.proxies,
        "TRACKER_HOST": s.host,
        "TRACKER_PORT": s.port,
        "TRACKER_ADMIN_EMAIL": s.admin_email,
        "TRACKER_ADMIN_PASSWORD": s.admin_password,
        "TRACKER_DIGEST_DAILY_AT": s.digest_daily_at,
        "TRACKER_DIGEST_WEEKLY_AT": s.digest_weekly_at,
        "TRACKER_DIGEST_WEEKLY_DAY": s.digest_weekly_day,
        "TRACKER_DIGEST_RETRY_MINUTES": s.digest_retry_minutes,
        "TRACKER_DIGEST_SETTLE_SECONDS": s.digest_settle_seconds,
        "TRACKER_SUBSCRIBE_RATE_LIMIT": s.subscribe_rate_limit,
        # Passwords: Werkzeug's scrypt default. Tests set a cheap method; nothing else should.
        "TRACKER_PASSWORD_HASH_METHOD": "scrypt",
        "TRACKER_FOLLOW_LIMIT": s.follow_limit,  # linked documents per source per poll
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": https,
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": s.ratelimit_storage,
        "RATELIMIT_HEADERS_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": s.display_tz,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
    }
