"""Every `TRACKER_*` environment variable, typed, in one object read by the web process and the scheduler alike.

pydantic-settings reads and types the environment; a wrong value stops start-up with a message that names the
variable, the value given and what it accepts (`Settings.describe()` is also what docs/configuration.md
lists, and a test keeps the two in step). Code reads the values from `app.config` (see `config.py`).
"""
from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PREFIX = "TRACKER_"
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Larger than any sensible staleness, small enough that `now - days` stays a valid date on every database.
MAX_STALE_DAYS = 36500
# Never echoed in an error message: they may hold passwords.
SECRET = {"secret_key", "database_url", "smtp_url", "admin_password", "ratelimit_storage"}


class ConfigError(click.ClickException):
    """A setting is missing or wrong. A ClickException so `flask` commands print it as `Error: …` and exit 1,
    without a traceback."""

    def __init__(self, message: str):
        super().__init__(message)
        self.exit_code = 2


def _accepts(text: str, default: str) -> dict:
    # Each field says what it accepts (for error messages and the docs) and its default as a person writes it.
    return {"accepts": text, "default_doc": default}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, env_ignore_empty=True, extra="ignore",
                                      case_sensitive=False, validate_default=True)

    env: Literal["development", "production"] = Field(
        "development", description="`production` refuses to start without a secret key or with per-process "
        "rate-limit storage.", json_schema_extra=_accepts("`development` or `production`", "`development`"))
    database_url: str | None = Field(
        None, description="SQLAlchemy database URL.",
        json_schema_extra=_accepts("a SQLAlchemy URL such as `postgresql+psycopg://user:pass@host/db`",
                                   "a SQLite file in `instance/`"))
    secret_key: str | None = Field(
        None, description="Signs sessions and CSRF tokens. Required in production.",
        json_schema_extra=_accepts("any long random text", "generated once into `instance/secret_key` (dev only)"))
    base_url: str = Field(
        "http://127.0.0.1:5000", description="Absolute links in e-mails and feeds; `https://` marks cookies "
        "Secure and turns on HSTS.", json_schema_extra=_accepts("an `http://` or `https://` URL", "`http://127.0.0.1:5000`"))
    smtp_url: str | None = Field(
        None, description="Mail relay: `smtp://user:pass@host:port` (`?starttls=1`), `smtps://…`; also "
        "`?timeout=` and `?cafile=`.", json_schema_extra=_accepts("an `smtp://` or `smtps://` URL",
                                                                  "none: mail is written to the log"))
    mail_from: str = Field("tracker@localhost", description="From address of digests.",
                           json_schema_extra=_accepts("an e-mail address", "`tracker@localhost`"))
    allow_private_feeds: bool = Field(
        False, description="Lets feeds live on loopback/private addresses (tests, intranets).",
        json_schema_extra=_accepts("`1`/`true`/`yes` or `0`/`false`/`no`", "off"))
    stale_days: int = Field(
        90, ge=1, le=MAX_STALE_DAYS, description="The staff list and staff digests flag recommendations not "
        "updated for this many days.", json_schema_extra=_accepts(f"a whole number from 1 to {MAX_STALE_DAYS}", "`90`"))
    display_tz: str = Field("Asia/Karachi", description="Time zone for times shown and for the scheduler.",
                            json_schema_extra=_accepts("an IANA time zone name such as `Asia/Karachi`",
                                                       "`Asia/Karachi`"))
    ratelimit_storage: str = Field(
        "memory://", description="Where rate-limit counters live. Production needs storage shared by every "
        "worker: `redis://host:6379/0`.", json_schema_extra=_accepts(
            "a `limits` storage URI (`redis://…`, `rediss://…`, `memcached://…`; `memory://` outside production)",
            "`memory://`"))
    proxies: int = Field(0, ge=0, le=10, description="How many reverse proxies in front of the service to trust "
                         "for the client address (rate limits, logs) and scheme.",
                         json_schema_extra=_accepts("a whole number from 0 to 10", "`0`"))
    contact_url: str | None = Field(None, description="Named in the User-Agent of every fetch.",
                                    json_schema_extra=_accepts("an `http://`, `https://` or `mailto:` URL",
                                                               "the base URL"))
    host: str = Field("127.0.0.1", description="Where `make run` serves.",
                      json_schema_extra=_accepts("a host name or IP address", "`127.0.0.1`"))
    port: int = Field(5000, ge=1, le=65535, description="Where `make run` serves.",
                      json_schema_extra=_accepts("a port number from 1 to 65535", "`5000`"))
    admin_email: str = Field("admin@localhost.localdomain", description="The admin `users ensure-admin` "
                             "(and so `make run`) makes sure exists.",
                             json_schema_extra=_accepts("an e-mail address", "`admin@localhost.localdomain`"))
    admin_password: str | None = Field(None, description="That admin's password when it is first created.",
                                       json_schema_extra=_accepts("any text", "generated and printed once"))
    parse_processes: int | None = Field(
        None, ge=0, le=64, description="Worker processes that parse and match fetched feeds; `0` or `1` keeps "
        "it in-process.", json_schema_extra=_accepts("a whole number from 0 to 64", "one per core"))
    follow_limit: int = Field(
        10, ge=1, le=1000, description="Linked documents (HTML or PDF) fetched per page source per poll (`--follow`).",
        json_schema_extra=_accepts("a whole number from 1 to 1000", "`10`"))
    digest_daily_at: str = Field("07:00", description="When daily digests go out (display time zone).",
                                 json_schema_extra=_accepts("a 24-hour time `HH:MM`, such as `07:00`", "`07:00`"))
    digest_weekly_at: str = Field("07:00", description="When weekly digests go out (display time zone).",
                                  json_schema_extra=_accepts("a 24-hour time `HH:MM`, such as `07:00`", "`07:00`"))
    digest_weekly_day: str = Field("mon", description="Which day weekly digests go out.",
                                   json_schema_extra=_accepts("one of " + ", ".join(f"`{d}`" for d in WEEKDAYS),
                                                              "`mon`"))
    digest_retry_minutes: float = Field(
        1, gt=0, le=24 * 60, description="How often the outbox job sends what is due: confirmation "
        "e-mails (`/subscribe` only queues them, so one goes out within about this long of the request) and retries.",
        json_schema_extra=_accepts("a number of minutes greater than 0 (at most 1440), such as `1` or `0.5`", "`1`"))
    digest_settle_seconds: int = Field(
        60, ge=0, le=3600, description="Digests only carry events older than this, so a transaction still "
        "committing is never skipped.", json_schema_extra=_accepts("a whole number of seconds from 0 to 3600", "`60`"))
    subscribe_rate_limit: str = Field(
        "5 per minute; 30 per hour", description="Rate limit on `POST /subscribe` per client address.",
        json_schema_extra=_accepts("limits written as `N per minute; M per hour`", "`5 per minute; 30 per hour`"))

    @field_validator("base_url", mode="after")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("not an http(s) URL")
        return value.rstrip("/")

    @field_validator("contact_url", mode="after")
    @classmethod
    def _contact(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme == "mailto" and "@" in parts.path:
            return value
        if parts.scheme in ("http", "https") and parts.hostname and not any(c.isspace() for c in value):
            return value
        raise ValueError("not a URL")

    @field_validator("smtp_url", mode="after")
    @classmethod
    def _smtp(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in ("smtp", "smtps"):
            raise ValueError("not an smtp URL")
        return value

    @field_validator("display_tz", mode="after")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone") from None
        return value

    @field_validator("digest_daily_at", "digest_weekly_at", mode="after")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not HHMM.match(value.strip()):
            raise ValueError("not HH:MM")
        return value.strip()

    @field_validator("digest_weekly_day", mode="after")
    @classmethod
    def _weekday(cls, value: str) -> str:
        if value.strip().lower() not in WEEKDAYS:
            raise ValueError("not a weekday")
        return value.strip().lower()

    @field_validator("subscribe_rate_limit", mode="after")
    @classmethod
    def _limits(cls, value: str) -> str:
        from limits import parse_many
        try:
            if not parse_many(value):
                raise ValueError
        except ValueError:
            raise ValueError("not a rate limit") from None
        return value

    @field_validator("ratelimit_storage", mode="after")
    @classmethod
    def _storage(cls, value: str) -> str:
        from limits.storage import SCHEMES
        if urlsplit(value).scheme not in SCHEMES:
            raise ValueError("unknown storage")
        return value

    @model_validator(mode="after")
    def _production(self) -> "Settings":
        if self.env != "production":
            return self
        if not self.secret_key:
            raise ValueError(f"{PREFIX}SECRET_KEY must be set in production ({PREFIX}ENV=production): "
                             "long random text, e.g. `python3 -c 'import secrets; print(secrets.token_hex(32))'`.")
        if self.ratelimit_storage.startswith("memory://"):
            raise ValueError(f"{PREFIX}RATELIMIT_STORAGE is memory:// but {PREFIX}ENV=production: each worker "
                             "would count on its own and most guesses would get through. Set it to shared "
                             "storage, e.g. redis://127.0.0.1:6379/0.")
        return self

    @classmethod
    def describe(cls) -> list[tuple[str, str, str, str, str]]:
        """(variable, type, accepts, default, meaning) for every setting: the docs table."""
        rows = []
        for name, field in cls.model_fields.items():
            extra = field.json_schema_extra or {}
            rows.append((PREFIX + name.upper(), _type_name(field.annotation), extra["accepts"],
                         extra["default_doc"], field.description or ""))
        return rows


def _type_name(annotation: Any) -> str:
    text = str(annotation).replace("typing.", "")
    optional = text.endswith(" | None")
    text = text.removesuffix(" | None")
    name = {"<class 'str'>": "text", "str": "text", "<class 'int'>": "integer", "int": "integer",
            "<class 'float'>": "number", "float": "number", "<class 'bool'>": "boolean",
            "bool": "boolean"}.get(text, "choice" if text.startswith("Literal") else text)
    return f"{name}, optional" if optional else name


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """The settings from the environment (or the mapping given); ConfigError names each wrong variable."""
    try:
        if environ is None:
            return Settings()
        return _from_mapping(environ)
    except ValidationError as exc:
        raise ConfigError(_explain(exc)) from None


def _from_mapping(environ: dict[str, str]) -> Settings:
    values = {k[len(PREFIX):].lower(): v for k, v in environ.items() if k.startswith(PREFIX) and v != ""}
    known = {k: v for k, v in values.items() if k in Settings.model_fields}
    return Settings(_env_prefix="__NONE__", **known)


def _explain(exc: ValidationError) -> str:
    lines = ["The configuration is not valid:"]
    for error in exc.errors():
        if not error["loc"]:  # a check across settings (production); its message says it all
            lines.append(f"  {error['msg'].removeprefix('Value error, ')}")
            continue
        name = str(error["loc"][0])
        field = Settings.model_fields.get(name)
        accepts = (field.json_schema_extra or {}).get("accepts", "") if field else ""
        given = "(hidden)" if name in SECRET else repr(error.get("input"))
        lines.append(f"  {PREFIX}{name.upper()}={given} is not valid: it takes {accepts}.")
    return "\n".join(lines)

