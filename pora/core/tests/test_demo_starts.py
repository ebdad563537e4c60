"""`pora demo` on a fresh SQLite database serves the login page and the published figures."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from pora.lodging.tests.test_readme_example import readme_check_in_example


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _user_environment(var_dir) -> dict[str, str]:
    """A terminal of someone trying the demo: none of the test run's settings."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "PORA_TESTING", "DJANGO_SETTINGS_MODULE", "DEBUG",
                        "SECRET_KEY", "SECRET_KEY_FILE"}}
    env["PORA_VAR_DIR"] = str(var_dir)
    return env


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("demo")
    port = _free_port()
    env = _user_environment(tmp_path)
    with open(tmp_path / "demo.log", "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "pora.cli", "demo", "--port", str(port)],
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                urllib.request.urlopen(base + "/masuk/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        try:
            yield base, tmp_path
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_demo_serves_login_and_officer_sees_published_figures(demo_server):
    base, var_dir = demo_server
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    login_page = opener.open(base + "/masuk/", timeout=10).read().decode()
    assert 'name="username"' in login_page, (var_dir / "demo.log").read_text()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    form = urllib.parse.urlencode({"username": "petugas", "password": "uji-coba-pora-2024",
                                   "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(base + "/masuk/", data=form,
                                     headers={"Referer": base + "/masuk/"})
    dashboard = opener.open(request, timeout=30).read().decode()
    # The demo opens on its reference date, 1 February 2024, in Indonesian number format.
    assert "8.870 ITAS, 1.881 ITAP, 468 ITK" in dashboard
    assert "1 Februari 2024" in dashboard
    assert (var_dir / "pora.sqlite3").exists()


def test_a_pora_command_beside_the_demo_works_as_the_readme_shows(demo_server):
    """In a second terminal: the README's `pora token create`, then its curl check-in."""
    base, var_dir = demo_server
    # The token command as the README shows it (its program is this interpreter's pora).
    _program, *arguments = readme_check_in_example(token="", now=dt.datetime.now(dt.UTC)
                                                  ).token_command
    created = subprocess.run([sys.executable, "-m", "pora.cli", *arguments],
                             env=_user_environment(var_dir), capture_output=True, text=True,
                             timeout=120, check=False)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert re.fullmatch(r"\S{20,}", token), created.stdout
    example = readme_check_in_example(token=token, now=dt.datetime.now(dt.UTC))
    url = base + urllib.parse.urlsplit(example.url).path
    request = urllib.request.Request(url, data=example.body.encode(), method=example.method,
                                     headers=example.headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        answer = json.loads(response.read())
    assert answer["surname"] == "ERIKSSON" and answer["room"] == "1207"
