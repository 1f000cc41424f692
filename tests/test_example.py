"""storeops init --example: the demo the README's first command shows."""

import json
from datetime import date

import pytest
from conftest import example_repo, git, run_cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return example_repo(tmp_path_factory, "ex")


def test_example_has_every_status_on_many_platforms(demo):
    projects = json.loads(run_cli("-C", str(demo), "status", "--json").stdout)["projects"]
    assert len(projects) >= 8
    assert len({p["platform"] for p in projects}) >= 5
    assert {p["status"] for p in projects} == {"preparing", "under_review", "approved", "rejected", "archived"}
    assert any(p["overdue"] for p in projects)


def test_example_has_an_appointment_in_the_next_days(demo):
    today = date.fromisoformat(json.loads(run_cli("-C", str(demo), "status", "--json").stdout)["today"])
    upcoming = []
    for pid in json.loads(run_cli("-C", str(demo), "status", "--json").stdout)["projects"]:
        detail = json.loads(run_cli("-C", str(demo), "status", pid["id"], "--json").stdout)["project"]
        for task in detail["tasks"]:
            if task["appointment"]:
                upcoming.append((date.fromisoformat(task["appointment"][:10]) - today).days)
    assert any(0 <= days <= 3 for days in upcoming)


def test_example_team_holds_every_gate_role(demo):
    people = json.loads(run_cli("-C", str(demo), "person", "list", "--json").stdout)["people"]
    roles = {r for p in people for r in p["roles"]}
    assert {"ops", "finance", "legal", "lead"} <= roles


def test_example_history_has_several_authors_and_dates(demo):
    lines = git(demo, "log", "--format=%ae %ad", "--date=short").splitlines()
    assert len(lines) > 50
    assert len({l.split()[0] for l in lines}) >= 4
    assert len({l.split()[1] for l in lines}) >= 15
    assert git(demo, "status", "--porcelain") == ""


def test_example_passes_check(demo):
    result = run_cli("-C", str(demo), "check")
    assert result.exit_code == 0, result.stdout


def test_example_refuses_an_existing_stores_repo(demo):
    assert run_cli("init", "--example", str(demo)).exit_code == 2


def _tasks(demo):
    for project in json.loads(run_cli("-C", str(demo), "status", "--json").stdout)["projects"]:
        detail = json.loads(run_cli("-C", str(demo), "status", project["id"], "--json").stdout)["project"]
        for task in detail["tasks"]:
            yield project["id"], task


def test_example_done_tasks_have_their_documents_attached(demo):
    done = [(pid, task) for pid, task in _tasks(demo) if task["state"] == "done" and task["documents"]]
    assert len(done) >= 20
    for pid, task in done:
        for doc in task["documents"]:
            assert doc["file"] and (demo / doc["file"]).is_file(), f"{pid}/{task['id']}/{doc['id']}"
            assert doc["file"].endswith(".pdf.age" if doc["sensitive"] else ".pdf")
            assert doc["issued"] and doc["sha256"]


def test_example_documents_open_with_a_demo_team_key(demo, monkeypatch, tmp_path):
    keys = demo / ".git" / "storeops-example-keys"
    assert {"alice.txt", "bob.txt", "carol.txt", "dave.txt", "erin.txt"} <= {p.name for p in keys.iterdir()}
    assert (keys / "alice.txt").stat().st_mode & 0o077 == 0
    assert git(demo, "ls-files", "--others", "--exclude-standard") == ""
    monkeypatch.setenv("STOREOPS_IDENTITY", str(keys / "alice.txt"))
    for who in ("AUTHOR", "COMMITTER"):  # act as the demo's alice
        monkeypatch.setenv(f"GIT_{who}_NAME", "Alice")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "alice@acme.example")
    out = tmp_path / "statement.pdf"
    result = run_cli("-C", str(demo), "open", "acme-amazon-us", "bank-statement", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-1.4") and b"SPECIMEN" in out.read_bytes()


def test_specimen_pdf_cross_reference_points_at_its_objects():
    from storeops.example import specimen_pdf

    pdf = specimen_pdf(["SPECIMEN (fake)", "second line"])
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[start:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in pdf[start:].split(b"\n")[3:8]]
    assert [pdf[o:].split(b"\n")[0] for o in offsets] == [f"{n} 0 obj".encode() for n in range(1, 6)]
    assert b"(SPECIMEN \\(fake\\)) '" in pdf


def test_example_uses_your_own_age_key_when_you_have_one(tmp_path, monkeypatch):
    from storeops import vault

    identity, public = vault.keygen(tmp_path / "mine.txt", force=False)
    monkeypatch.setenv("STOREOPS_IDENTITY", str(identity))
    root = tmp_path / "demo"
    result = run_cli("init", "--example", str(root))
    assert result.exit_code == 0, result.stderr
    assert "you joined its team with your own age key" in result.stderr
    assert f"age: {public}" in (root / "storeops.yaml").read_text()
    opened = run_cli("-C", str(root), "open", "acme-amazon-us", "bank-statement", "--stdout")
    assert opened.exit_code == 0 and "SPECIMEN" in opened.stdout


def test_example_tells_you_how_to_open_its_documents(tmp_path, monkeypatch):
    result = run_cli("init", "--example", str(tmp_path / "demo"))
    line = result.stderr.splitlines()[-1]
    assert line.startswith("your demo key is in ")
    key = line.split("STOREOPS_IDENTITY=", 1)[1].split()[0]
    assert key.endswith("/storeops-example-keys/you.txt")  # alice is taken by the demo team
    monkeypatch.setenv("STOREOPS_IDENTITY", key)
    opened = run_cli("-C", str(tmp_path / "demo"), "open", "acme-amazon-us", "bank-statement", "--stdout")
    assert opened.exit_code == 0 and "SPECIMEN" in opened.stdout


def test_example_refuses_an_existing_git_repository(tmp_path):
    git(tmp_path, "init", "-q", str(tmp_path / "repo"))
    result = run_cli("init", "--example", str(tmp_path / "repo"))
    assert result.exit_code == 2 and "already a git repository" in result.stderr
    zh = run_cli("--lang", "zh", "init", "--example", str(tmp_path / "repo"))
    assert "已经是 git 仓库" in zh.stderr
