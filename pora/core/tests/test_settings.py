"""Settings fail fast with a message naming the bad variable (STYLE lesson 7).

Each case imports ``pora.settings`` in a fresh interpreter with a controlled environment,
as a server would at start-up.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k3y-for-tests-" + "Zq8vR2pL7wXy4NbT6mHc9sJd3fKg5aQe1uWo0iYr"  # 54 characters
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "pora.imigrasi.go.id"}
# Only what an interpreter needs passes through from the environment running the tests;
# everything else (PORA_TESTING, DATABASE_URL, DJANGO_ALLOW_ASYNC_UNSAFE…) stays out.
PASS_THROUGH = ("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "SYSTEMROOT")


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k in PASS_THROUGH}
    clean["PORA_VAR_DIR"] = str(tmp_path)
    clean.update(env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=120, check=False)


def import_settings(tmp_path: Path, code: str = "", **env: str) -> subprocess.CompletedProcess:
    return run(["-c", f"import pora.settings as s\n{code}"], tmp_path, **env)


def last_line(result: subprocess.CompletedProcess) -> str:
    return result.stderr.strip().splitlines()[-1]


def test_production_environment_imports_cleanly(tmp_path):
    result = import_settings(tmp_path, "print(s.DEBUG, s.ALLOWED_HOSTS, s.LANGUAGE_CODE)",
                             **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['pora.imigrasi.go.id'] id"


BAD_VALUES = [
    # variable, value, words the message must contain
    ("DEBUG", "maybe", ["DEBUG='maybe'", "boolean"]),
    ("PORA_PAGE_SIZE", "abc", ["PORA_PAGE_SIZE='abc'", "whole number"]),
    ("PORA_PAGE_SIZE", "2", ["PORA_PAGE_SIZE='2'", "at least 5"]),
    ("PORA_LOGIN_FAILURE_LIMIT", "0", ["PORA_LOGIN_FAILURE_LIMIT='0'", "at least 1"]),
    ("PORA_HTTPS", "si", ["PORA_HTTPS='si'", "boolean"]),
    ("DATABASE_URL", "nonsense://x", ["DATABASE_URL", "nonsense"]),
    ("TIME_ZONE", "Mars/Base", ["TIME_ZONE='Mars/Base'", "time zone"]),
    ("SECRET_KEY", "short-key", ["SECRET_KEY", "at least 50 characters"]),
    ("LANGUAGE_CODE", "fr", ["LANGUAGE_CODE='fr'", "id, en"]),
    ("DATABASE_MIGRATE_URL", "sqlite:///owner.sqlite3",
     ["DATABASE_MIGRATE_URL", "postgres://"]),
    ("PORA_CHECK_DB_ROLE", "perhaps", ["PORA_CHECK_DB_ROLE='perhaps'", "boolean"]),
    ("PORA_SEAL_SECONDS", "0", ["PORA_SEAL_SECONDS='0'", "at least 1"]),
    ("PORA_DEMO_TODAY", "1-2-2024", ["PORA_DEMO_TODAY='1-2-2024'", "YYYY-MM-DD"]),
    # A production server never runs on the demo's calendar.
    ("PORA_DEMO_TODAY", "2024-02-01", ["PORA_DEMO_TODAY", "demo only", "DEBUG=true"]),
]


@pytest.mark.parametrize(("name", "value", "words"), BAD_VALUES,
                         ids=[f"{n}={v}" for n, v, _w in BAD_VALUES])
def test_a_bad_value_stops_start_up_with_a_message_naming_the_variable(tmp_path, name, value,
                                                                       words):
    result = import_settings(tmp_path, **{**PRODUCTION, name: value})
    assert result.returncode != 0
    message = last_line(result)
    assert message.startswith("django.core.exceptions.ImproperlyConfigured: "), message
    for word in words:
        assert word in message, message


def test_missing_secret_key_with_debug_off_stops_start_up(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = import_settings(tmp_path, **env)
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off" in last_line(result)


def test_debug_on_runs_without_a_secret_key(tmp_path):
    result = import_settings(tmp_path, "print(s.DEBUG, len(s.SECRET_KEY) >= 50)", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"


def test_secret_key_is_read_from_secret_key_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(GOOD_KEY[::-1] + "\n", encoding="utf-8")
    env = {**PRODUCTION, "SECRET_KEY": "ignored-when-a-file-is-given", "SECRET_KEY_FILE":
           str(key_file)}
    result = import_settings(tmp_path, "print(s.SECRET_KEY)", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == GOOD_KEY[::-1]


def test_an_unreadable_secret_key_file_names_the_variable(tmp_path):
    env = {**PRODUCTION, "SECRET_KEY_FILE": str(tmp_path / "missing")}
    result = import_settings(tmp_path, **env)
    assert result.returncode != 0
    assert "SECRET_KEY_FILE=" in last_line(result)
    assert "cannot be read" in last_line(result)


def test_a_short_key_in_the_secret_key_file_is_refused(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("too-short", encoding="utf-8")
    result = import_settings(tmp_path, **{**PRODUCTION, "SECRET_KEY_FILE": str(key_file)})
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in last_line(result)


def test_database_url_is_read_from_its_file(tmp_path):
    url_file = tmp_path / "database_url"
    url_file.write_text("postgres://pora:rahasia@db.internal:5432/pora\n", encoding="utf-8")
    code = "d = s.DATABASES['default']; print(d['ENGINE'], d['HOST'], d['NAME'], d['USER'])"
    result = import_settings(tmp_path, code, **PRODUCTION, DATABASE_URL_FILE=str(url_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "db.internal", "pora",
                                     "pora"]


def test_production_defaults_are_secure(tmp_path):
    code = ("print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
            "s.SECURE_HSTS_SECONDS, s.X_FRAME_OPTIONS)")
    result = import_settings(tmp_path, code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "31536000", "DENY"]


def test_check_deploy_reports_no_warnings_in_production(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path,
                 DJANGO_SETTINGS_MODULE="pora.settings", **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout, output
    assert "WARNINGS" not in output


APP_URL = "postgres://pora_app:rahasia@db.internal:5432/pora"


def test_the_owner_role_is_read_for_migrations(tmp_path):
    code = "d = s.PORA_MIGRATE_DATABASE; print(d['USER'], d['NAME'], s.PORA_CHECK_DB_ROLE)"
    result = import_settings(tmp_path, code, **PRODUCTION, DATABASE_URL=APP_URL,
                             DATABASE_MIGRATE_URL="postgres://pora_owner:x@db.internal:5432/pora")
    assert result.returncode == 0, result.stderr
    # In production the start-up check of the application's role is on by default.
    assert result.stdout.split() == ["pora_owner", "pora", "True"]


@pytest.mark.parametrize(("url", "words"), [
    ("postgres://pora_owner:x@db.internal:5432/lain", "same server and database"),
    ("postgres://pora_owner:x@other.host:5432/pora", "same server and database"),
    ("postgres://pora_app:x@db.internal:5432/pora", "another role"),
])
def test_the_owner_role_must_be_another_role_on_the_same_database(tmp_path, url, words):
    result = import_settings(tmp_path, **PRODUCTION, DATABASE_URL=APP_URL,
                             DATABASE_MIGRATE_URL=url)
    assert result.returncode != 0
    assert "DATABASE_MIGRATE_URL" in last_line(result) and words in last_line(result)


def test_the_role_check_is_off_in_debug(tmp_path):
    result = import_settings(tmp_path, "print(s.PORA_CHECK_DB_ROLE)", DEBUG="true")
    assert result.stdout.strip() == "False", result.stderr


# ----------------------------------------------------------------- the `pora` command


def pora(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    # The interpreter running the tests has pora installed: never `pora` from PATH.
    return run(["-m", "pora.cli", *args], tmp_path, **env)


@pytest.mark.parametrize(("args", "env", "message"), [
    (["token", "create", "--lodging", "Hotel Pluit Bay"], {},
     ("pora: SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off; "
      "`pora demo` sets DEBUG=true for a local trial.")),
    (["check"], {**PRODUCTION, "DEBUG": "maybe"},
     "pora: DEBUG='maybe' is not a boolean (use true/false, 1/0, yes/no)"),
    (["serve"], {**PRODUCTION, "PORA_PAGE_SIZE": "2"}, "pora: PORA_PAGE_SIZE='2' must be at least 5"),
], ids=["no-secret-key", "bad-debug", "bad-page-size"])
def test_a_missing_or_bad_setting_prints_its_one_line_and_exits_2(tmp_path, args, env,
                                                                    message):
    result = pora(args, tmp_path, **env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""


def test_a_command_in_a_demo_data_folder_runs_with_the_demo_settings(tmp_path):
    from pora.cli import DEMO_SETTINGS, _demo_settings_write

    _demo_settings_write(tmp_path, {"DEBUG": "true"})  # as `pora demo` leaves it
    assert (tmp_path / DEMO_SETTINGS).exists()
    result = pora(["check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "DEBUG=true" in result.stderr  # said, not silent
    # What the environment sets wins over the demo's file.
    assert pora(["check"], tmp_path, DEBUG="false").returncode == 2
    # The production server never runs with a demo's settings.
    served = pora(["serve"], tmp_path)
    assert served.returncode == 2
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set" in served.stderr
