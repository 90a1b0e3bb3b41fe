"""One configuration (issue 11): every setting in jobnet/config.py, from defaults, a TOML file and
the environment (the later wins), checked with an error that names the setting; no other module
reads the environment; the README's table is the definition's own."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from jobnet.config import FIELDS, SETTINGS, Settings, markdown_table
from jobnet.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_then_the_toml_file_then_the_environment(tmp_path: Path) -> None:
    toml = tmp_path / "jobnet.toml"
    toml.write_text('port = 8081\nrate_citizen = "10/60"\nauth_disabled = true\nrecovery_seconds = 5\n')
    s = Settings.from_env({"JOBNET_CONFIG": str(toml), "JOBNET_PORT": "8082"})
    assert (s.port, s.rate_citizen, s.auth_disabled, s.recovery_seconds) == (8082, "10/60", True, 5.0)
    assert Settings.from_env({}) == Settings()
    assert Settings().recovery_seconds == 60.0  # one default, the same from code and from the environment


@pytest.mark.parametrize("env, message", [
    ({"JOBNET_PORT": "abc"}, "JOBNET_PORT: 'abc' must be a whole number"),
    ({"JOBNET_PORT": "70000"}, "JOBNET_PORT: 70000 must be a port number"),
    ({"JOBNET_AUTH": "maybe"}, "JOBNET_AUTH: 'maybe' must be on or off"),
    ({"JOBNET_VALIDATE_RESPONSES": "yes"}, "JOBNET_VALIDATE_RESPONSES: 'yes' must be 0 or 1"),
    ({"JOBNET_RATE_CLIENT": "many"}, "JOBNET_RATE_CLIENT: 'many' must be COUNT/SECONDS"),
    ({"JOBNET_RATE_CITIZEN": "0/60"}, "JOBNET_RATE_CITIZEN: '0/60' must be COUNT/SECONDS"),
    ({"JOBNET_REQUEST_TIMEOUT": "0"}, "JOBNET_REQUEST_TIMEOUT: 0.0 must be more than 0 seconds"),
    ({"JOBNET_LOG_LEVEL": "LOUD"}, "JOBNET_LOG_LEVEL: 'LOUD' must be one of"),
    ({"JOBNET_PUBLIC_URL": "ftp://x"}, "JOBNET_PUBLIC_URL: 'ftp://x' must be an http:// or https:// URL"),
    ({"JOBNET_WORKERS": "0"}, "JOBNET_WORKERS: 0 must be at least 1"),
])
def test_a_wrong_value_names_the_setting_and_what_is_wrong(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        Settings.from_env(env)


def test_the_toml_file_is_checked_too(tmp_path: Path) -> None:
    toml = tmp_path / "jobnet.toml"
    toml.write_text("prot = 8081\n")
    with pytest.raises(ConfigError, match="unknown setting 'prot'"):
        Settings.from_env({"JOBNET_CONFIG": str(toml)})
    toml.write_text('port = "high"\n')
    with pytest.raises(ConfigError, match="port: 'high' must be a whole number"):
        Settings.from_env({"JOBNET_CONFIG": str(toml)})
    with pytest.raises(ConfigError, match="JOBNET_CONFIG: cannot read"):
        Settings.from_env({"JOBNET_CONFIG": str(tmp_path / "missing.toml")})


def test_every_field_has_its_variable_and_secrets_are_masked() -> None:
    assert {f.name for f in FIELDS} == set(SETTINGS)
    assert len({s.env for s in SETTINGS.values()}) == len(SETTINGS)
    shown = dict((env, value) for env, value, _ in Settings(log_key="hemmelig").describe())
    assert shown["JOBNET_LOG_KEY"] == "***" and "hemmelig" not in str(list(Settings(log_key="hemmelig").describe()))


def test_the_readme_has_the_table_of_settings() -> None:
    assert markdown_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_no_module_but_the_configuration_reads_the_environment() -> None:
    allowed = {"jobnet/config.py": "the one place",
               "jobnet/serve.py": "writes the metrics directory into the environment the workers inherit",
               "jobnet/devpg.py": "passes the environment on to PostgreSQL's tools",
               "jobnet/scaleout.py": "passes the environment on to the instances and the demo loader it starts"}
    readers = sorted(str(p.relative_to(ROOT)) for folder in ("jobnet", "handlers") for p in (ROOT / folder).rglob("*.py")
                     if re.search(r"os\.environ|getenv\(", p.read_text(encoding="utf-8")))
    assert set(readers) <= set(allowed), set(readers) - set(allowed)


def test_the_database_is_a_file_or_a_postgresql_url_whose_password_is_masked() -> None:
    assert Settings.from_env({"JOBNET_DB": "var/x.db"}).database == Path("var/x.db")
    url = "postgresql://jobnet:hemmelig@db.example:5432/jobnet"
    settings = Settings.from_env({"JOBNET_DB": url})
    assert settings.database == url
    shown = dict((env, value) for env, value, _ in settings.describe())
    assert shown["JOBNET_DB"] == "postgresql://jobnet:***@db.example:5432/jobnet"
    with pytest.raises(ConfigError, match="JOBNET_DB"):
        Settings.from_env({"JOBNET_DB": ""})
    with pytest.raises(ConfigError, match="JOBNET_DB_POOL"):
        Settings.from_env({"JOBNET_DB_POOL": "0"})
