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
