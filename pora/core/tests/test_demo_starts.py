"""`pora demo` on a fresh SQLite database serves the login page and the published figures."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo_server(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "PORA_TESTING", "DJANGO_SETTINGS_MODULE"}}
    env["PORA_VAR_DIR"] = str(tmp_path)
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
