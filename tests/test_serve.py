"""storeops serve: the site on 127.0.0.1 only, rebuilt when a project changes."""

import os
import re
import subprocess
import sys
import time
import urllib.request

from conftest import run_cli


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_serve_previews_the_site_and_rebuilds_on_change(stores, project):
    proc = subprocess.Popen([sys.executable, "-m", "storeops", "serve", "--port", "0"], cwd=stores,
                            env=dict(os.environ, NO_COLOR="1"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        base = f"http://127.0.0.1:{match.group(1)}/"
        board = _get(base + "index.html")
        assert "acme-us" in board and "later-store" not in board
        assert "ACME Home US" in _get(base + "projects/acme-us.html")
        result = run_cli("-C", str(stores), "new", "amazon-us", "--store", "Later Store", "--owner", "bob",
                         "--id", "later-store")
        assert result.exit_code == 0, result.stderr
        assert proc.stderr.readline().strip() == "rebuilt"
        assert "later-store" in _get(base + "index.html")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_refuses_a_bad_port(stores):
    result = run_cli("-C", str(stores), "serve", "--port", "70000")
    assert result.exit_code == 2 and "not a port" in result.stderr
