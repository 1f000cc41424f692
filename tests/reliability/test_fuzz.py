"""Fuzzed project, SOP and storeops.yaml files: never a traceback, always file:line, fmt keeps meaning.

Hypothesis runs derandomized (a fixed seed per test, no example database) so CI
sees the same cases every time. The default run tries FUZZ_CASES cases in
total; `pytest -m slow` runs the same properties on five times as many.

Each case writes one file into a real stores repo and drives the CLI in-process:
- nothing crashes: no traceback, no exit 70, any --json output is strict JSON;
- a command that cannot use the file exits 2 with `error: FILE:LINE[:COL]: ...` first;
- every command that reads the file reports the same first error;
- `check` exits 0 or 1, and each problem names a line (whole-file problems excepted);
- when `check` passes, every command works on the file;
- `fmt` keeps the meaning of a valid file, and leaves a canonical one byte for byte.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import git
from reliability_support import run_fast
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storeops.repo import project_text
from storeops import sop as sop_module
from storeops import yamlio
from storeops.errors import DataError
from storeops.model import Project
from storeops.repo import parse_project

PROJECT_CASES, SOP_CASES, CONFIG_CASES, VALID_CASES = 400, 250, 250, 150
FUZZ_CASES = PROJECT_CASES + SOP_CASES + CONFIG_CASES + VALID_CASES
SLOW = 5  # the slow marker multiplies the cases

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
)

ERROR_LINE = re.compile(r"^error: (?P<file>[^:]+):(?P<line>\d+)(?::\d+)?: \S")

INTERESTING = [
    "", " ", "no", "yes", "on", "off", "null", "~", "true", "True", "2026-01-01", "2026-02-30", "2026-13-01",
    "0001-01-01", "9999-12-31", "2026-12-10T10:00:00+08:00", "2026-12-10T10:00:00", "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-12:00", "2026-12-10T25:00:00+08:00", "3d", "0d", "99999999999w", "todo", "done",
    "blocked", "skipped", "in_progress", "submitted", "rejected", "bob", "alice", "carol", "nobody", "licence",
    "bank", "video", "review", "brand", "finance", "legal", "ops", "admin", "amazon", "us", "de", "mini",
    "mini@2026.1", "amazon-us@2026.1", "other", "video-face-mismatch", "../etc/passwd", "/etc/passwd", "a" * 300,
    "[bold red]x[/]", "\x1b[31mred", "line\nbreak", "\u2028", "\x85", "Asia/Shanghai", "UTC", "Mars/Olympus",
    "en", "zh", "attachments/mini-us/x.pdf", "attachments/mini-us/../../../etc/passwd", "food",
    "-----BEGIN AGE ENCRYPTED FILE-----\nx\n-----END AGE ENCRYPTED FILE-----\n",
    0, 1, -1, 3, 10**30, -(10**30), 2**63, 1e308, 0.5, float("inf"), True, False, None,
]

STRINGS = [x for x in INTERESTING if isinstance(x, str)]
NUMBERS = [x for x in INTERESTING if isinstance(x, int) and not isinstance(x, bool)] + [36500, 36501, 9999]


def _near(value):
    if isinstance(value, bool):
        return st.booleans() | st.sampled_from(["true", "yes", 1])
    if isinstance(value, int):
        return st.sampled_from(NUMBERS) | st.integers()
    if isinstance(value, str):
        return st.sampled_from(STRINGS) | st.text(max_size=12) | st.just(value + value)
    if value is None:
        return st.sampled_from(STRINGS + NUMBERS)
    return VALUES


SCALARS = st.one_of(
    st.sampled_from(INTERESTING),
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(max_size=12),
)
KEYS = st.one_of(st.text(max_size=8), st.sampled_from(
    ["id", "state", "tasks", "due", "title", "en", "zh", "depends_on", "documents", "people", "name", "email",
     "roles", "policies", "notes", "approvals", "at", "by", "role", "sites", "version", "appointment"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                      max_leaves=8)

SNIPPETS = [
    ": ", "- ", "\t", "  ", "&a ", "*a", "!!binary aGVsbG8=", "!!python/object/apply:os.system ['true']", "? ",
    "{", "}", "[", "]", "'", '"', "\n", "\r\n", "\r", "\ufeff", "\x00", "\x07", "\x1b", "\x85", "\u2028",
    "%YAML 1.1\n---\n", "---\n", "...\n", "!!int ", "!!float ", "!!bool ", "!!timestamp ", "!!set ", "!!omap ",
    "!!str ", "!!null ", "!!map ", "!!seq ", '"\\ud800"', '"\\x00"', "<<: ", "# ", "|", ">", "|-", "@", "`", "%",
    "!local ", "&", "*", ",", "é", "中", "\U0001f600", "0x1F", "1e400", "-.inf", ".nan", "0o17",
]


# ---- mutations ----

def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _get(node, path):
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated_data(draw, base):
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _get(data, path[:-1])
        action = draw(st.sampled_from(["tweak"] * 4 + ["replace", "replace", "delete", "add", "copy", "swap"]))
        if action == "tweak":  # a value of the same kind: near-valid files reach the code behind the parser
            parent[path[-1]] = draw(_near(parent[path[-1]]))
        elif action == "replace":
            parent[path[-1]] = draw(VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(KEYS)] = draw(VALUES)
        elif action == "add":
            parent.insert(draw(st.integers(0, len(parent))), draw(VALUES))
        elif action == "copy":
            parent[path[-1]] = copy.deepcopy(_get(data, draw(st.sampled_from(paths))))
        elif isinstance(parent, list) and len(parent) > 1:
            i, j = draw(st.integers(0, len(parent) - 1)), draw(st.integers(0, len(parent) - 1))
            parent[i], parent[j] = parent[j], parent[i]
    return data


def _dump_any(data) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def mutated_text(draw, text: str):
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["insert", "insert", "delete", "duplicate-line", "truncate", "replace-line"]))
        at = draw(st.integers(0, len(text)))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(SNIPPETS) | st.text(max_size=3)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif action == "truncate":
            text = text[:at]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, max(len(lines) - 1, 0)))
            if action == "duplicate-line":
                lines.insert(i, lines[i])
            else:
                indent = lines[i][: len(lines[i]) - len(lines[i].lstrip(" "))]
                snippet = draw(st.sampled_from(SNIPPETS) | st.text(max_size=6))
                lines[i] = indent + snippet + draw(st.sampled_from(SNIPPETS))
            text = "\n".join(lines)
    return text


def file_contents(base_text: str) -> st.SearchStrategy[bytes]:
    """Bytes for one file: structure mutated, text mutated, bytes mutated, or anything at all."""
    base = yamlio.loads(base_text)
    as_bytes = st.text().map(lambda t: t.encode("utf-8", "surrogatepass"))
    return st.one_of(
        mutated_data(base).map(lambda d: _dump_any(d).encode()),
        mutated_data(base).map(lambda d: yamlio.dumps(d).encode()),
        mutated_text(base_text).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.tuples(st.integers(0, len(base_text)), st.binary(min_size=1, max_size=4)).map(
            lambda c: base_text.encode()[:c[0]] + c[1] + base_text.encode()[c[0]:]),
        VALUES.map(lambda d: _dump_any(d).encode()),
        as_bytes,
    )


# ---- running and judging commands ----

def _strict_json(text: str):
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def cli(stores: Path, *args: str, codes=(0, 2)):
    result = run_fast("-C", str(stores), *args)
    shown = f"storeops {' '.join(args)} → {result.exit_code}\n{result.stdout}{result.stderr}"
    assert result.exception is None, shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    assert result.exit_code in codes, shown
    if result.exit_code == 0 and "--json" in args:
        _strict_json(result.stdout)
    if result.exit_code == 2:
        first = result.stderr.splitlines()[0]
        assert first.startswith("error: ") and "\x1b" not in result.stderr, shown
    return result


def file_error(result, sources: tuple[str, ...]) -> str | None:
    """The first error line when it is about one of `sources` (and names its line), else None."""
    if result.exit_code != 2:
        return None
    first = result.stderr.splitlines()[0]
    match = ERROR_LINE.match(first)
    if match and match.group("file") in sources:
        return first
    return None


def assert_file_error(result, sources: tuple[str, ...]) -> str:
    first = result.stderr.splitlines()[0] if result.stderr else ""
    assert result.exit_code == 2 and file_error(result, sources), \
        f"expected `error: FILE:LINE: ...` for {sources}, got exit {result.exit_code}: {first!r}"
    return first


def check_problems(stores: Path) -> list[dict]:
    result = cli(stores, "check", "--json", codes=(0, 1))
    payload = _strict_json(result.stdout)
    assert payload["ok"] == (result.exit_code == 0)
    for problem in payload["problems"]:
        assert problem["line"] or problem["code"] == "fmt", problem
        assert (stores / problem["path"]).exists() or problem["path"].endswith("(built-in)"), problem
    return payload["problems"]


def write(path: Path, content: bytes) -> None:
    path.write_bytes(content)


# ---- fixtures ----

@pytest.fixture
def fuzz_repo(stores, mini, tmp_path, monkeypatch):
    """The test repo without the eleven built-in SOPs (parsed by every command): the fuzzed files are the team's."""
    builtin = tmp_path / "builtin-sop"
    builtin.mkdir()
    (builtin / "templates").symlink_to(sop_module.builtin_dir() / "templates")
    monkeypatch.setattr(sop_module, "builtin_dir", lambda: builtin)
    git(stores, "commit", "-qm", "fuzz base", "--allow-empty")
    return stores


def _cases(n: int, slow: bool) -> int:
    return n * SLOW if slow else n


# ---- the properties ----

def project_properties(stores: Path, content: bytes) -> None:
    path = stores / "projects" / "mini-us.yaml"
    source = ("projects/mini-us.yaml",)
    write(path, content)
    # committed as a hand edit would be: storeops refuses to fold uncommitted edits into its own commit
    git(stores, "commit", "-qam", "fuzzed", "--no-verify", "--allow-empty")
    listing = cli(stores, "status", "--json", codes=(0, 1))
    detail = cli(stores, "status", "mini-us")
    advance = cli(stores, "advance", "mini-us", "licence", "--to", "blocked")
    formatted = cli(stores, "fmt", "--check", codes=(0, 1, 2))
    problems = check_problems(stores)
    if listing.exit_code == 1:
        # the listing skipped the file and named it (stderr and `problems`); asked for by name it is an error
        assert [p["path"] for p in _strict_json(listing.stdout)["problems"]] == list(source)
        skipped = listing.stderr.splitlines()[0]
        assert skipped.startswith(source[0] + ":") and skipped.endswith("(skipped; run storeops check)"), skipped
        first = assert_file_error(detail, source)
        # every reader of the file reports the same first error
        assert advance.stderr.splitlines()[0] == first
        assert formatted.exit_code == 1 and formatted.stderr.splitlines()[0].startswith(source[0] + ":")
        assert problems, "check passed a file that status skips"
    elif advance.exit_code == 2 and file_error(advance, source):
        # advance validates what it writes: the file broke the schema, and check says so
        assert any(p["path"] == source[0] for p in problems)
    if not problems:
        assert listing.exit_code == detail.exit_code == formatted.exit_code == 0
        assert advance.exit_code == 0 or not file_error(advance, source)


def sop_properties(stores: Path, content: bytes) -> None:
    source = ("sop/mini.yaml",)
    write(stores / "sop" / "mini.yaml", content)
    listing = cli(stores, "sop", "list", "--json")
    shown = cli(stores, "sop", "show", "mini", "--json")
    created = cli(stores, "new", "mini", "--store", "Fuzz Shop", "--owner", "bob", "--id", "fuzz-shop")
    cli(stores, "status", "mini-us", "licence")
    problems = check_problems(stores)
    if listing.exit_code == 2:
        first = assert_file_error(listing, source)
        assert shown.stderr.splitlines()[0] == first
        assert created.stderr.splitlines()[0] == first
        assert any(p["path"] == source[0] for p in problems), "check passed an SOP that sop list refuses"
    sop_problems = [p for p in problems if p["path"] == source[0]]
    if not sop_problems:
        assert listing.exit_code == 0
        assert shown.exit_code == 0 or "unknown SOP 'mini'" in shown.stderr
    if created.exit_code == 0:
        # a project made from an SOP that passes check passes check itself
        if not sop_problems:
            assert not [p for p in check_problems(stores) if p["path"] == "projects/fuzz-shop.yaml"]
        git(stores, "rm", "-q", "projects/fuzz-shop.yaml")
        git(stores, "commit", "-qm", "drop fuzz-shop")


def config_properties(stores: Path, content: bytes) -> None:
    source = ("storeops.yaml",)
    write(stores / "storeops.yaml", content)
    listing = cli(stores, "status")
    people = cli(stores, "person", "list", "--json")
    advance = cli(stores, "advance", "mini-us", "licence", "--to", "blocked")
    cli(stores, "sop", "list", codes=(0,))
    problems = check_problems(stores)
    if listing.exit_code == 2:
        first = assert_file_error(listing, source)
        assert people.stderr.splitlines()[0] == first
        assert advance.stderr.splitlines()[0] == first
        assert any(p["path"] == source[0] for p in problems), "check passed a storeops.yaml that status refuses"
    if not [p for p in problems if p["path"] == source[0]]:
        assert listing.exit_code == people.exit_code == 0


@pytest.mark.parametrize("slow", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["ci", "slow"])
def test_fuzzed_project_files(fuzz_repo, slow):
    base = (fuzz_repo / "projects" / "mini-us.yaml").read_text()

    @settings(FUZZ, max_examples=_cases(PROJECT_CASES, slow))
    @given(file_contents(base))
    def case(content):
        project_properties(fuzz_repo, content)

    case()


@pytest.mark.parametrize("slow", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["ci", "slow"])
def test_fuzzed_sop_files(fuzz_repo, slow):
    base = (fuzz_repo / "sop" / "mini.yaml").read_text()

    @settings(FUZZ, max_examples=_cases(SOP_CASES, slow))
    @given(file_contents(base))
    def case(content):
        sop_properties(fuzz_repo, content)

    case()


@pytest.mark.parametrize("slow", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["ci", "slow"])
def test_fuzzed_config_files(fuzz_repo, slow):
    base = (fuzz_repo / "storeops.yaml").read_text()

    @settings(FUZZ, max_examples=_cases(CONFIG_CASES, slow))
    @given(file_contents(base))
    def case(content):
        config_properties(fuzz_repo, content)

    case()


# ---- valid files: fmt keeps meaning and canonical bytes ----

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
# a valid project's dates lie in the years 2000-2100 (issue 14: date arithmetic stays far from date.max)
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)).map(lambda d: d.isoformat())


@st.composite
def valid_projects(draw, base: dict):
    data = copy.deepcopy(base)
    data["store"] = draw(TEXT)
    data["entity"] = draw(st.none() | TEXT)
    data["category"] = draw(st.none() | st.sampled_from(["home-kitchen", "food", "toys"]))
    data["start"] = draw(DATES)
    data["target"] = draw(st.none() | DATES)
    data["account"]["login_email"] = draw(st.none() | TEXT)
    data["isolation"]["network"] = draw(st.none() | TEXT)
    data["compliance"] = draw(st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
                                              st.none() | TEXT, max_size=3))
    if draw(st.booleans()):
        data["notes"] = draw(TEXT)
    for task in data["tasks"]:
        task["due"] = draw(st.none() | DATES)
        task["title"] = draw(st.none() | st.fixed_dictionaries({"en": TEXT, "zh": TEXT}))
        if draw(st.booleans()):
            task["notes"] = [{"at": draw(DATES), "by": "bob", "text": draw(TEXT)}]
    data["rejections"] = draw(st.lists(st.fixed_dictionaries({
        "at": DATES, "task": st.just("review"), "reason": st.just("other"), "message": st.none() | TEXT,
        "evidence": st.none()}), max_size=2))
    return data


def _parses(text: str) -> bool:
    try:
        parse_project(text, "x")
    except DataError:
        return False
    return True


@pytest.mark.parametrize("slow", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["ci", "slow"])
def test_valid_project_files_round_trip_through_fmt(fuzz_repo, slow):
    path = fuzz_repo / "projects" / "mini-us.yaml"
    base = yamlio.load(path)

    @settings(FUZZ, max_examples=_cases(VALID_CASES, slow))
    @given(st.tuples(valid_projects(base), st.sampled_from(["canonical", "json", "pyyaml"])))
    def case(drawn):
        data, style = drawn
        model = Project.from_dict(data)
        canonical = project_text(model)
        assert parse_project(canonical, "x") == model  # the canonical writer loses nothing
        as_json = json.dumps(data, ensure_ascii=True, indent=1)
        if style == "json" and ("\x7f" in as_json or "\\ud8" in as_json or "\\ud9" in as_json
                                or "\\uda" in as_json or "\\udb" in as_json):
            style = "pyyaml"  # raw DEL and surrogate-pair escapes are JSON but not YAML: not storeops's doing
        text = {"canonical": canonical, "json": as_json, "pyyaml": _dump_any(data)}[style]
        if style == "pyyaml" and not _parses(text):
            text = canonical  # PyYAML writes YAML 1.1: 0E0 unquoted is text there, a number in YAML 1.2
        if style == "json":
            assert parse_project(text, "x") == model
        # (PyYAML's own writer may write U+0085 raw, which YAML then reads as a line break)
        expected = project_text(parse_project(text, "x"))
        path.write_text(text, encoding="utf-8")
        cli(fuzz_repo, "status", "mini-us", codes=(0,))
        cli(fuzz_repo, "fmt", codes=(0,))
        assert path.read_text(encoding="utf-8") == expected  # canonical stays byte for byte; others become it
        cli(fuzz_repo, "fmt", "--check", codes=(0,))
        # the file was a hand edit: fmt rewrites it in place and leaves the commit to its author
        assert git(fuzz_repo, "log", "-1", "--format=%s").strip() == "fuzz base"

    case()
