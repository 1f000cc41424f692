"""storeops site: the static dashboard. Plain checks here; tests marked `browser` load it in headless Chromium."""

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import git, run_cli

SECRET = "Hunter2-Passw0rd-7788"
XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("site") / "demo"
    assert run_cli("init", "--example", str(root)).exit_code == 0
    result = run_cli("-C", str(root), "secret", "set", "acme-amazon-us", "seller_password", input=SECRET + "\n")
    assert result.exit_code == 0, result.stderr
    result = run_cli("-C", str(root), "new", "amazon-us", "--store", XSS, "--owner", "bob", "--id", "xss-store")
    assert result.exit_code == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def built(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "site"
    result = run_cli("-C", str(demo), "site", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def built_zh(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "site-zh"
    assert run_cli("-C", str(demo), "site", "-o", str(out), "--lang", "zh").exit_code == 0
    return out


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_link_is_relative_and_resolves(built):
    checked = 0
    for page in _pages(built):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            assert not re.match(r"^[a-z]+:|^/", link), (page, link)
            target = (page.parent / unquote(link.split("#")[0])).resolve()
            assert target.is_file(), (page, link)
            checked += 1
    assert checked > 100


def test_every_project_has_a_page_linked_from_the_board(demo, built):
    projects = json.loads(run_cli("-C", str(demo), "status", "--json").stdout)["projects"]
    board = (built / "index.html").read_text(encoding="utf-8")
    for p in projects:
        assert (built / "projects" / f"{p['id']}.html").is_file()
        assert f'href="projects/{p["id"]}.html"' in board
    assert board.count('class="card') == len(projects)


def test_filter_pages_exist_without_javascript(built):
    amazon = (built / "board-platform-amazon.html").read_text(encoding="utf-8")
    assert "acme-amazon-us" in amazon and "acme-walmart-us" not in amazon
    bob = (built / "board-owner-bob.html").read_text(encoding="utf-8")
    assert "acme-amazon-de" in bob and "acme-amazon-us.html" not in bob


def test_no_secret_value_hint_or_document_bytes_anywhere(demo, built, built_zh):
    hint = json.loads(run_cli("-C", str(demo), "secret", "list", "acme-amazon-us", "--json").stdout)
    hints = [s["hint"] for s in hint["secrets"]]
    assert hints and all(hints)
    forbidden = [SECRET, *hints, "SPECIMEN", "%PDF", "AGE ENCRYPTED", "age-encryption.org", "AGE-SECRET-KEY"]
    for out in (built, built_zh):
        for path in out.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for bad in forbidden:
                    assert bad.encode() not in data, (path, bad)
    assert not list(built.rglob("*.pdf")) and not list(built.rglob("*.age"))


def test_user_text_is_escaped(built):
    for page in _pages(built):
        assert XSS not in page.read_text(encoding="utf-8"), page
    card = (built / "projects" / "xss-store.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card


def test_rebuild_replaces_the_folder_and_refuses_a_foreign_one(demo, tmp_path):
    out = tmp_path / "site"
    assert run_cli("-C", str(demo), "site", "-o", str(out)).exit_code == 0
    (out / "stale.html").write_text("old")
    assert run_cli("-C", str(demo), "site", "-o", str(out)).exit_code == 0
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folders left behind
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    result = run_cli("-C", str(demo), "site", "-o", str(mine))
    assert result.exit_code == 2 and "not built by storeops site" in result.stderr
    assert (mine / "notes.txt").read_text() == "keep"


def test_zh_build_uses_chinese_status_labels(built_zh):
    board = (built_zh / "index.html").read_text(encoding="utf-8")
    for label in ("待提交", "审核中", "已通过", "被拒", "已归档"):
        assert label in board
    assert '<html lang="zh-CN">' in board


def test_due_and_reports_pages_have_charts_and_numbers(built):
    due = (built / "due.html").read_text(encoding="utf-8")
    assert "<h2" in due and "acme-" in due
    reports = (built / "reports.html").read_text(encoding="utf-8")
    assert reports.count("<svg") >= 3 and "video-face-mismatch" in reports


# ---- in a real browser ----

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120)


def _dom(tmp_path: Path, page: Path) -> str:
    result = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")


@pytest.mark.browser
@needs_chromium
def test_browser_shows_the_board_columns_and_cards(demo, built, tmp_path):
    dom = _dom(tmp_path, built / "index.html")
    columns = re.findall(r'<section class="column" data-status="(\w+)"><h2>([^<]+)', dom)
    assert [c[0] for c in columns] == ["preparing", "under_review", "approved", "rejected", "archived"]
    projects = json.loads(run_cli("-C", str(demo), "status", "--json").stdout)["projects"]
    assert len(re.findall(r'<a class="card', dom)) == len(projects)
    assert "&lt;script&gt;" in dom and "<script>alert" not in dom
    # the optional script ran: the filter box is shown
    assert re.search(r'<input class="q" type="search" style="" placeholder', dom)


@pytest.mark.browser
@needs_chromium
def test_browser_shows_a_project_task_table_and_timeline(built, tmp_path):
    dom = _dom(tmp_path, built / "projects" / "acme-tiktok-uk.html")
    tables = re.findall(r"<table>.*?</table>", dom, re.S)
    task_table = next(t for t in tables if "business-license" in t and "platform-review" in t)
    assert len(re.findall(r"<tr>", task_table)) >= 10
    assert re.search(r'<div class="scroll timeline"><svg[^>]*>.*?<rect', dom, re.S)
    assert "video-face-mismatch" in dom


@pytest.mark.browser
@needs_chromium
def test_browser_zh_board_and_a_screenshot(built_zh, tmp_path):
    dom = _dom(tmp_path, built_zh / "index.html")
    labels = re.findall(r'<section class="column" data-status="\w+"><h2>([^<]+?) <', dom)
    assert labels == ["待提交", "审核中", "已通过", "被拒", "已归档"]
    shot = tmp_path / "board.png"
    result = _chromium(tmp_path, "--window-size=1400,1000", f"--screenshot={shot}", (built_zh / "index.html").as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_an_empty_team_gets_a_site_too(stores, tmp_path):
    result = run_cli("-C", str(stores), "site", "-o", str(tmp_path / "s"))
    assert result.exit_code == 0, result.stderr
    assert "(0)" in (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "s" / "due.html").is_file() and (tmp_path / "s" / "reports.html").is_file()
