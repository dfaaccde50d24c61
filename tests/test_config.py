import pytest

from tracker.config import ConfigError, load_config


def test_production_needs_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_ENV", "production")
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="TRACKER_SECRET_KEY"):
        load_config(tmp_path)


def test_bad_numbers_name_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_PARSE_PROCESSES", "two")
    with pytest.raises(ConfigError, match="TRACKER_PARSE_PROCESSES='two' is not valid: it takes a whole number"):
        load_config(tmp_path)


def test_https_base_url_makes_cookies_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_BASE_URL", "https://tracker.example.org/")
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] and config["TRACKER_BASE_URL"] == "https://tracker.example.org"


# One typed settings object: every variable checked at start-up, each error naming the variable and what it takes.
import os  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from tracker.settings import Settings, load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("variable, value, accepts", [
    ("TRACKER_DIGEST_RETRY_MINUTES", "two", "a number of minutes greater than 0"),
    ("TRACKER_DIGEST_DAILY_AT", "7am", "a 24-hour time `HH:MM`"),
    ("TRACKER_DIGEST_WEEKLY_AT", "25:00", "a 24-hour time `HH:MM`"),
    ("TRACKER_DIGEST_WEEKLY_DAY", "someday", "one of `mon`"),
    ("TRACKER_STALE_DAYS", "0", "a whole number from 1 to"),
    ("TRACKER_PORT", "99999", "a port number from 1 to 65535"),
    ("TRACKER_PROXIES", "-1", "a whole number from 0 to 10"),
    ("TRACKER_DISPLAY_TZ", "Mars/Olympus", "an IANA time zone name"),
    ("TRACKER_SUBSCRIBE_RATE_LIMIT", "lots", "limits written as"),
    ("TRACKER_BASE_URL", "tracker.example.org", "an `http://` or `https://` URL"),
    ("TRACKER_ENV", "prod", "`development` or `production`"),
    ("TRACKER_ALLOW_PRIVATE_FEEDS", "maybe", "`1`/`true`/`yes`"),
])
def test_each_wrong_setting_names_the_variable_and_what_it_accepts(variable, value, accepts):
    with pytest.raises(ConfigError) as caught:
        load_settings({variable: value})
    assert f"{variable}={value!r} is not valid: it takes {accepts}" in caught.value.message


def test_secrets_are_not_echoed_in_errors():
    with pytest.raises(ConfigError) as caught:
        load_settings({"TRACKER_SMTP_URL": "http://user:hunter2@relay"})
    assert "hunter2" not in caught.value.message and "TRACKER_SMTP_URL=(hidden)" in caught.value.message


def test_production_refuses_per_process_rate_limit_storage():
    with pytest.raises(ConfigError, match="TRACKER_RATELIMIT_STORAGE is memory:// but TRACKER_ENV=production"):
        load_settings({"TRACKER_ENV": "production", "TRACKER_SECRET_KEY": "k"})
    settings = load_settings({"TRACKER_ENV": "production", "TRACKER_SECRET_KEY": "k",
                              "TRACKER_RATELIMIT_STORAGE": "redis://127.0.0.1:6379/0"})
    assert settings.ratelimit_storage == "redis://127.0.0.1:6379/0"


def test_new_settings_reach_app_config(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_BASE_URL", "https://tracker.example.org/")
    monkeypatch.setenv("TRACKER_PROXIES", "2")
    config = load_config(tmp_path)
    assert config["TRACKER_CONTACT_URL"] is None  # create_app fills in the base URL (see the next test)
    assert config["TRACKER_PROXIES"] == 2 and config["TRACKER_PORT"] == 5000
    assert config["TRACKER_STALE_DAYS"] == 90 and config["TRACKER_DIGEST_RETRY_MINUTES"] == 1.0
    monkeypatch.setenv("TRACKER_CONTACT_URL", "mailto:webmaster@ncrc.gov.pk")
    assert load_config(tmp_path)["TRACKER_CONTACT_URL"] == "mailto:webmaster@ncrc.gov.pk"


def test_contact_url_defaults_to_the_base_url(app, monkeypatch):
    assert app.config["TRACKER_CONTACT_URL"] == app.config["TRACKER_BASE_URL"] == "http://tracker.test"
    monkeypatch.setenv("TRACKER_CONTACT_URL", "mailto:webmaster@ncrc.gov.pk")
    from tests.conftest import make_app
    assert make_app(app.config["SQLALCHEMY_DATABASE_URI"]).config["TRACKER_CONTACT_URL"] == \
        "mailto:webmaster@ncrc.gov.pk"


def _run(args: list[str], **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True,
                          text=True, timeout=120)


def test_flask_commands_print_the_settings_error_and_exit_non_zero(tmp_path):
    # The scheduler used to start and crash at its first daily run; `seed` used to print a traceback.
    for command in (["scheduler"], ["seed"]):
        result = _run(["-m", "flask", "--app", "tracker", *command], TRACKER_DIGEST_DAILY_AT="7am",
                      TRACKER_DIGEST_RETRY_MINUTES="two",
                      TRACKER_DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
        assert result.returncode != 0
        assert "TRACKER_DIGEST_DAILY_AT='7am' is not valid" in result.stderr
        assert "TRACKER_DIGEST_RETRY_MINUTES='two' is not valid" in result.stderr
        assert "Traceback" not in result.stderr


def test_make_runs_dev_server_checks_settings_before_starting_anything():
    result = _run(["-m", "tracker.devserver"], TRACKER_PORT="99999")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "TRACKER_PORT='99999' is not valid: it takes a port number from 1 to 65535" in result.stderr
    assert "serving on" not in result.stdout


def test_docs_list_every_setting_with_its_default():
    doc = (ROOT / "docs" / "configuration.md").read_text()
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(TRACKER_[A-Z_]+)` \|.*$", doc, re.M)}
    for variable, _type, _accepts, default, _meaning in Settings.describe():
        assert variable in rows, f"{variable} missing from docs/configuration.md"
        assert default in rows[variable]
    assert "docs/configuration.md" in (ROOT / "README.md").read_text()
