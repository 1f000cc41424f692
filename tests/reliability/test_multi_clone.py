"""Three clones of one stores repo, a bare remote, rounds of CLI changes and `storeops sync`: nothing is lost.

Each round every clone (bob ops, carol finance, dave legal) runs a few
commands chosen from what is valid at that moment — advance, assign,
schedule, approve, reject with evidence, attach with keys — on shared
projects and on its own, then syncs: one after the other in some rounds, at
the same time (real processes) in others. Within a round the clones work on
different tasks, so nothing may conflict; every command's effect is recorded
as the exact set of fields and files it changed. At the end every clone and
the remote hold the same tree, and that tree is exactly the start plus every
recorded change: nothing dropped, nothing invented. Conflicts (one field
changed two ways) are provoked on purpose, reported with exit 1 naming
project, task and field, and resolved the way the message says.
"""

from __future__ import annotations

import json
import os
from collections import Counter
import random
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import git, run_cli
from edit_helpers import at_review, set_states
from gitflow import NAMES, acting, bare_remote, clone, use_this_checkout
from vault_fixtures import keys, write  # noqa: F401

from storeops import vault, yamlio
from storeops.model import Project
from storeops.workflow import NEXT, transition_problem

CLONES = ("bob", "carol", "dave")
SHARED = ("mini-us", "shared-review")
OWN = {f"store-{who}": who for who in CLONES}
_UNION = ("approvals", "notes", "rejections", "depends_on", "readers")


@pytest.fixture(autouse=True)
def _driver_runs_this_code(monkeypatch):
    use_this_checkout(monkeypatch)


# ---- what a tree holds, as comparable facts ----

def flatten(value, path: tuple = ()) -> dict:
    """{path: leaf} with tasks and documents keyed by id and union lists as sets: what a merge must keep."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            out.update(flatten(item, path + (key,)))
        return out
    if isinstance(value, list) and path and path[-1] in ("tasks", "documents"):
        out = {}
        for item in value:
            out.update(flatten(item, path + (item["id"],)))
        return out
    if isinstance(value, list) and path and path[-1] in _UNION:
        return {path + (json.dumps(item, sort_keys=True),): True for item in value}
    return {path: json.dumps(value, sort_keys=True)}


def snapshot(root: Path) -> dict:
    """Every project field and every other tracked file's blob id at HEAD."""
    tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    if tree not in _SNAPSHOTS:  # trees are content-addressed: the clones share most of them
        facts, projects = {}, []
        for line in git(root, "ls-tree", "-r", tree).splitlines():
            meta, rel = line.split("\t", 1)
            if rel.startswith("projects/") and rel.endswith(".yaml"):
                projects.append((rel, meta.split()[2]))
            else:
                facts[("file", rel)] = meta.split()[2]
        for rel, text in zip((rel for rel, _ in projects), blobs(root, [blob for _, blob in projects])):
            facts.update(flatten(yamlio.loads(text, rel), (rel,)))
        _SNAPSHOTS[tree] = facts
    return _SNAPSHOTS[tree]


_SNAPSHOTS: dict[str, dict] = {}


def blobs(root: Path, ids: list[str]) -> list[str]:
    """Several blobs through one `git cat-file --batch`."""
    out = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input="".join(f"{i}\n" for i in ids).encode(),
                         capture_output=True, check=True).stdout
    texts, pos = [], 0
    for _ in ids:
        end = out.index(b"\n", pos)
        size = int(out[pos:end].split()[2])
        texts.append(out[end + 1:end + 1 + size].decode("utf-8"))
        pos = end + 1 + size + 1
    return texts


def changes(before: dict, after: dict) -> dict:
    return {k: after.get(k) for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def project(root: Path, project_id: str) -> Project:
    return Project.from_dict(yamlio.load(root / "projects" / f"{project_id}.yaml"))


# ---- the team ----

@dataclass
class Op:
    who: str
    kind: str
    args: tuple
    subject: str = ""
    changed: dict = field(default_factory=dict)


@dataclass
class Team:
    remote: Path
    clones: dict[str, Path]
    tmp: Path
    start: dict                                   # snapshot every clone began from
    ops: list[Op] = field(default_factory=list)
    syncs: int = 0

    def run(self, who: str, kind: str, *args: str) -> Op:
        """One command in `who`'s clone; records exactly what its commit changed."""
        root = self.clones[who]
        before, was = snapshot(root), head(root)
        with acting(who):
            result = run_cli("-C", str(root), *args)
        assert result.exit_code == 0, f"{who}: storeops {' '.join(args)}\n{result.stderr}"
        assert git(root, "rev-list", "--count", f"{was}..HEAD").strip() == "1"  # one command, one commit
        op = Op(who, kind, args, git(root, "log", "-1", "--format=%s").strip(), changes(before, snapshot(root)))
        assert op.changed, f"{op.subject} changed nothing"
        self.ops.append(op)
        return op

    def sync(self, who: str):
        with acting(who):
            result = run_cli("-C", str(self.clones[who]), "sync")
        self.syncs += 1
        return result

    def sync_at_once(self, names) -> dict[str, subprocess.CompletedProcess]:
        """`storeops sync` in several clones at the same moment, as separate processes."""
        procs = {}
        for who in names:
            env = dict(os.environ, GIT_AUTHOR_NAME=NAMES[who], GIT_COMMITTER_NAME=NAMES[who],
                       GIT_AUTHOR_EMAIL=f"{who}@example.com", GIT_COMMITTER_EMAIL=f"{who}@example.com")
            procs[who] = subprocess.Popen([sys.executable, "-m", "storeops", "sync"], cwd=self.clones[who], env=env,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        done = {}
        for who, proc in procs.items():
            out, err = proc.communicate(timeout=120)
            done[who] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        self.syncs += len(names)
        return done

    def catch_up(self) -> None:
        """The clones behind the remote sync until every clone is at the remote's head."""
        for _ in range(2):
            tip = git(self.remote, "rev-parse", "main").strip()
            for who in CLONES:
                if head(self.clones[who]) != tip:
                    result = self.sync(who)
                    assert result.exit_code == 0, f"{who}: {result.stderr}"
        tip = git(self.remote, "rev-parse", "main").strip()
        assert {who: head(root) for who, root in self.clones.items()} == {who: tip for who in CLONES}


@pytest.fixture
def team(stores, mini, keys, tmp_path) -> Team:
    """mini-us (owner bob, bank waiting for finance) and shared-review (at the platform's review), a bare
    remote, three clones."""
    result = run_cli("-C", str(stores), "new", "mini", "--store", "Shared Review", "--owner", "alice",
                     "--id", "shared-review", "--start", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    at_review(stores, "shared-review")
    set_states(stores, mini, {"licence": "done", "bank": "submitted"})  # carol's review is due from round 1
    remote = bare_remote(stores, tmp_path)
    clones = {}
    for who in CLONES:
        clones[who] = clone(remote, tmp_path / who)
        assert run_cli("-C", str(clones[who]), "doctor").exit_code == 0
    return Team(remote, clones, tmp_path, snapshot(clones["bob"]))


# ---- choosing valid work ----

# what each kind of command changes in a task; clones share a task in a round, never a group of its fields
GROUPS = ("state", "assignee", "due", "documents")   # advance/approve/reject, assign, schedule, attach


def cell_holder(project_id: str, task, index: int, group: str, round_no: int) -> str | None:
    """Who may touch this group of this task's fields this round: one clone, so no conflict by design."""
    if group == "state" and task.requires_approval == "finance" and task.state == "submitted":
        return "carol" if task.assignee != "carol" else None   # the only finance holder reviews
    if project_id in OWN:
        return OWN[project_id]
    return CLONES[(index + GROUPS.index(group) + round_no + SHARED.index(project_id)) % len(CLONES)]


def candidates(team: Team, who: str, proj: Project, task, group: str, round_no: int) -> list[tuple]:
    found = []
    if group == "state":
        if (task.requires_approval == "finance" and task.state == "submitted" and who == "carol"
                and task.assignee != "carol" and not any(a.by == "carol" for a in task.approvals)):
            return [("approve", "approve", proj.id, task.id, "--note", f"r{round_no} carol checked the statement")]
        if task.external and task.state == "submitted":
            shot = write(team.tmp, f"notice-{proj.id}-r{round_no}.png", f"notice r{round_no} {proj.id}".encode())
            found.append(("reject", "reject", proj.id, "--task", task.id, "--reason", "other",
                          "--message", f"r{round_no}: documents unclear", "--evidence", str(shot)))
        step = NEXT.get(task.state)
        if step and transition_problem(proj, task, step) is None:
            found.append(("advance", "advance", proj.id, task.id, "--note",
                          f"r{round_no} {who}: {task.state} → {step}"))
    elif group == "documents":
        for doc in task.documents:
            scan = write(team.tmp, f"{proj.id}-{doc.id}-r{round_no}.pdf",
                         f"%PDF {proj.id}/{doc.id} round {round_no} by {who}".encode())
            found.append(("attach", "attach", proj.id, str(scan), "--task", task.id, "--doc", doc.id,
                          "--issued", "2026-11-20"))
    elif group == "assignee" and task.state not in ("submitted", "done"):  # a review in flight keeps its author
        people = [p for p in ("alice", "bob", "dave", "carol") if p != task.assignee
                  and not (task.requires_approval == "finance" and p == "carol")]
        found.append(("assign", "assign", proj.id, task.id, people[round_no % len(people)]))
    elif group == "due":
        due = date(2026, 12, 1) + timedelta(days=round_no * 3 + len(task.id))
        if due != task.due:
            found.append(("schedule", "schedule", proj.id, task.id, "--due", due.isoformat()))
    return found


def plan_round(team: Team, round_no: int, per_clone: int, rng: random.Random) -> dict[str, list[tuple]]:
    """Each clone's commands for this round, on fields no other clone touches this round."""
    root = team.clones["bob"]  # all clones are equal at a round's start
    order = CLONES[round_no % 3:] + CLONES[:round_no % 3]
    hot, forced = hot_task(team, root, round_no, order)
    work: dict[str, list[tuple]] = {who: [] for who in CLONES}
    for project_id in sorted(p.stem for p in (root / "projects").glob("*.yaml")):
        proj = project(root, project_id)
        for index, task in enumerate(proj.tasks):
            if (project_id, task.id) == hot:
                continue
            for group in GROUPS:
                who = cell_holder(project_id, task, index, group, round_no)
                if who is not None:
                    work[who] += candidates(team, who, proj, task, group, round_no)
    plans = {}
    for who, options in work.items():
        rng.shuffle(options)
        # progress first (reviews are rare: a task waits for them), then any kind of change
        options.sort(key=lambda c: RANK[c[0]])
        rest = options[per_clone - 1:]
        plans[who] = forced[who] + (options[:per_clone - 1] + rng.sample(rest, min(1, len(rest))))[len(forced[who]):]
    return plans


def hot_task(team: Team, root: Path, round_no: int, order: tuple) -> tuple[tuple | None, dict]:
    """One shared task all three clones change this round, each a different field — two of them the same
    step (the same state, two notes) every other round: merges inside one task, notes as a union."""
    forced: dict[str, list[tuple]] = {who: [] for who in CLONES}
    for project_id in SHARED[round_no % 2:] + SHARED[:round_no % 2]:
        proj = project(root, project_id)
        for task in proj.tasks:
            step = NEXT.get(task.state)
            if step is None or transition_problem(proj, task, step) or task.state == "submitted":
                continue
            first, second, third = order
            forced[first].append(("advance", "advance", project_id, task.id, "--note", f"r{round_no} {first} on it"))
            if round_no % 2 == 0:
                forced[second].append(("advance", "advance", project_id, task.id, "--note",
                                       f"r{round_no} {second} on it too"))
            elif task.state not in ("submitted", "done"):
                forced[second].append(("assign", "assign", project_id, task.id,
                                       "alice" if task.assignee != "alice" else "dave"))
            due = date(2027, 1, 1) + timedelta(days=round_no)
            forced[third].append(("schedule", "schedule", project_id, task.id, "--due", due.isoformat()))
            return (project_id, task.id), forced
    return None, forced


RANK = {"approve": 0, "reject": 0, "advance": 1, "attach": 2, "assign": 2, "schedule": 2}


def play(team: Team, rounds: int, per_clone: int, concurrent_rounds: set[int], seed: int = 8) -> None:
    rng = random.Random(seed)
    for who in CLONES:  # round 0: each clone opens its own project
        team.run(who, "new", "new", "mini", "--store", f"{who.title()} Store", "--owner", who,
                 "--id", f"store-{who}", "--start", "2026-11-02")
        assert team.sync(who).exit_code == 0
    team.catch_up()
    for round_no in range(1, rounds + 1):
        plans = plan_round(team, round_no, per_clone, rng)
        order = CLONES[round_no % 3:] + CLONES[:round_no % 3]
        if round_no in concurrent_rounds:
            for who in order:
                for kind, *args in plans[who]:
                    team.run(who, kind, *args)
            together = order[:2] if round_no % 4 == 2 else order   # two (the third catches up after), or all three
            for who, proc in team.sync_at_once(together).items():
                assert proc.returncode == 0, f"{who}: {proc.stderr}"
        else:
            for who in order:                       # round-robin: work, then sync, the next one merges
                for kind, *args in plans[who]:
                    team.run(who, kind, *args)
                result = team.sync(who)
                assert result.exit_code == 0, f"{who}: {result.stderr}"
        team.catch_up()


def expected(team: Team) -> dict:
    facts = dict(team.start)
    for op in team.ops:
        for key, value in op.changed.items():
            if value is None:
                facts.pop(key, None)
            else:
                facts[key] = value
    return facts


def assert_nothing_lost(team: Team) -> None:
    want = expected(team)
    tree = git(team.remote, "rev-parse", "main^{tree}").strip()
    subjects = git(team.remote, "log", "--format=%s", "main").splitlines()
    for who, root in team.clones.items():
        assert git(root, "rev-parse", "HEAD^{tree}").strip() == tree, who
        got = snapshot(root)
        missing = {k: v for k, v in want.items() if got.get(k) != v}
        extra = {k: v for k, v in got.items() if k not in want}
        assert (missing, extra) == ({}, {}), who
        assert run_cli("-C", str(root), "check").exit_code == 0, who
        assert subprocess.run(["git", "-C", str(root), "fsck", "--strict", "--no-progress"],
                              capture_output=True, text=True).returncode == 0, who
        assert git(root, "status", "--porcelain") == ""
    assert subprocess.run(["git", "-C", str(team.remote), "fsck", "--strict", "--no-progress"],
                          capture_output=True).returncode == 0
    # every command's commit arrived (rebased: found by its subject)
    wanted = Counter(op.subject for op in team.ops)
    assert {s: n for s, n in wanted.items() if Counter(subjects)[s] < n} == {}


def assert_attachments_open(team: Team, keys) -> int:
    """Every encrypted file at the end decrypts (as alice, admin) to the bytes its document records."""
    root = team.clones["dave"]
    identities = vault.load_identities(keys.paths["alice"])
    opened = 0
    for path in sorted((root / "projects").glob("*.yaml")):
        for task in project(root, path.stem).tasks:
            for doc in task.documents:
                if doc.file:
                    plain = vault.decrypt((root / doc.file).read_bytes(), identities, doc.file)
                    assert vault.sha256(plain) == doc.sha256 and plain.startswith(b"%PDF ")
                    opened += 1
    return opened


def test_five_rounds_of_three_clones_lose_nothing(team, keys):
    play(team, rounds=5, per_clone=3, concurrent_rounds={2, 4})
    assert_nothing_lost(team)
    assert {op.kind for op in team.ops} == {"new", "advance", "assign", "schedule", "approve", "reject", "attach"}
    assert len(team.ops) >= 3 + 5 * 3 * 3
    assert assert_attachments_open(team, keys) >= 2


@pytest.mark.slow
def test_many_rounds_of_three_clones_syncing_at_once_lose_nothing(team, keys):
    play(team, rounds=16, per_clone=5, concurrent_rounds=set(range(1, 17)), seed=80)
    assert len(team.ops) >= 3 + 16 * 3 * 3
    assert_nothing_lost(team)
    assert_attachments_open(team, keys)


# ---- conflicts: reported, resolved as the message says, nothing dropped ----

def resolve(root: Path, who: str, keep: dict[str, str], whole: dict[str, str] | None = None) -> None:
    """What the hint says: git merge origin/main, fix the lines between the markers, git add, git commit.

    `keep` maps a conflicting file to the side kept ("ours" or "theirs") between each pair of markers;
    `whole` a binary file to the side kept whole (git checkout --ours/--theirs)."""
    with acting(who):
        merged = subprocess.run(["git", "-C", str(root), "merge", "origin/main"], capture_output=True, text=True)
        assert merged.returncode == 1, merged.stdout + merged.stderr
        for rel, side in (whole or {}).items():
            git(root, "checkout", f"--{side}", "--", rel)
            git(root, "add", rel)
        for rel, side in keep.items():
            path = root / rel
            kept, mine = [], None
            for line in path.read_text().splitlines(keepends=True):
                if line.startswith("<<<<<<< "):
                    mine = True
                elif line.startswith("=======") and mine is not None:
                    mine = False
                elif line.startswith(">>>>>>> "):
                    mine = None
                elif mine is None or mine == (side == "ours"):
                    kept.append(line)
            path.write_text("".join(kept))
            git(root, "add", rel)
        git(root, "commit", "-q", "--no-edit")


def test_the_same_fields_changed_in_two_clones_are_reported_and_resolved_without_loss(team):
    carol = team.clones["carol"]
    team.run("bob", "schedule", "schedule", "mini-us", "video", "--due", "2027-01-05")
    team.run("bob", "assign", "assign", "shared-review", "brand", "alice")     # no conflict
    team.run("bob", "schedule", "schedule", "shared-review", "licence", "--due", "2026-12-01")
    assert team.sync("bob").exit_code == 0
    team.run("carol", "schedule", "schedule", "mini-us", "video", "--due", "2027-01-07")
    team.run("carol", "assign", "assign", "mini-us", "brand", "bob")           # no conflict
    team.run("carol", "schedule", "schedule", "shared-review", "licence", "--due", "2026-12-02")
    before = head(carol)
    result = team.sync("carol")
    assert result.exit_code == 1
    assert "error: sync stopped: your commits and origin/main change the same thing" in result.stderr
    assert ("projects/mini-us.yaml: mini-us: task video, due: the remote 2027-01-05, yours 2027-01-07 "
            "(was 2026-11-") in result.stderr
    assert ("projects/shared-review.yaml: shared-review: task licence, due: the remote 2026-12-01, "
            "yours 2026-12-02 (was 2026-11-") in result.stderr
    assert "nothing was lost" in result.stderr and "git merge origin/main" in result.stderr
    assert head(carol) == before and git(carol, "status", "--porcelain") == ""

    # carol keeps her video date and bob's licence date; meanwhile dave pushes; carol syncs again
    resolve(carol, "carol", {"projects/mini-us.yaml": "ours", "projects/shared-review.yaml": "theirs"})
    team.run("dave", "schedule", "schedule", "mini-us", "brand", "--due", "2026-12-24")
    assert team.sync("dave").exit_code == 0
    result = team.sync("carol")
    assert result.exit_code == 0, result.stderr
    # merged, not rebased (a rebase would drop the resolution): her 3 commits, her merge, the merge of dave's
    assert "pulled 1 commit(s), pushed 5 commit(s)" in result.stderr
    team.catch_up()
    for who, root in team.clones.items():
        video = project(root, "mini-us").task("video")
        assert video.due == date(2027, 1, 7), who
        assert project(root, "shared-review").task("licence").due == date(2026, 12, 1), who
        assert project(root, "mini-us").task("brand").assignee == "bob"
        assert project(root, "mini-us").task("brand").due == date(2026, 12, 24)
        assert project(root, "shared-review").task("brand").assignee == "alice"
        assert run_cli("-C", str(root), "check").exit_code == 0
        assert subprocess.run(["git", "-C", str(root), "fsck", "--strict"], capture_output=True).returncode == 0
    subjects = git(team.remote, "log", "--format=%s", "main").splitlines()
    assert all(subjects.count(op.subject) == 1 for op in team.ops)


def test_two_clones_syncing_the_same_field_at_once_one_wins_the_other_is_told(team):
    team.run("bob", "schedule", "schedule", "mini-us", "bank", "--due", "2026-12-11")
    team.run("bob", "advance", "advance", "mini-us", "brand", "--note", "bob started")  # same task as dave's
    team.run("dave", "schedule", "schedule", "mini-us", "bank", "--due", "2026-12-12")
    team.run("dave", "assign", "assign", "mini-us", "brand", "alice")
    outcome = team.sync_at_once(["bob", "dave"])
    assert sorted(p.returncode for p in outcome.values()) == [0, 1]
    loser = next(who for who, p in outcome.items() if p.returncode == 1)
    winner = next(who for who in outcome if who != loser)
    dates = {"bob": "2026-12-11", "dave": "2026-12-12"}
    assert (f"projects/mini-us.yaml: mini-us: task bank, due: the remote {dates[winner]}, yours {dates[loser]}"
            in outcome[loser].stderr)
    root = team.clones[loser]
    assert git(root, "status", "--porcelain") == ""
    resolve(root, loser, {"projects/mini-us.yaml": "ours"})  # the loser's date wins after talking it over
    assert team.sync(loser).exit_code == 0
    team.catch_up()
    for root in team.clones.values():
        proj = project(root, "mini-us")
        assert proj.task("bank").due.isoformat() == dates[loser]
        brand = proj.task("brand")
        assert (brand.state, [n.text for n in brand.notes], brand.assignee) == ("in_progress", ["bob started"], "alice")
        assert run_cli("-C", str(root), "check").exit_code == 0


def test_sync_refuses_to_push_a_merge_committed_with_its_conflict_markers(team):
    carol = team.clones["carol"]
    team.run("bob", "schedule", "schedule", "mini-us", "video", "--due", "2027-01-05")
    assert team.sync("bob").exit_code == 0
    team.run("carol", "schedule", "schedule", "mini-us", "video", "--due", "2027-01-07")
    assert team.sync("carol").exit_code == 1
    with acting("carol"):  # the hasty way out: add everything as it is
        assert subprocess.run(["git", "-C", str(carol), "merge", "origin/main"], capture_output=True).returncode == 1
        git(carol, "add", "-A")
        git(carol, "commit", "-q", "--no-edit")
    tip = git(team.remote, "rev-parse", "main")
    result = team.sync("carol")
    assert result.exit_code == 2
    line = (carol / "projects" / "mini-us.yaml").read_text().splitlines().index("<<<<<<< ours") + 1
    assert result.stderr.splitlines()[0] == (f"error: projects/mini-us.yaml:{line}: conflict markers committed "
                                             "(<<<<<<< ... >>>>>>>); nothing was pushed")
    assert git(team.remote, "rev-parse", "main") == tip
    resolve_committed = (carol / "projects" / "mini-us.yaml").read_text()
    start = resolve_committed.index("<<<<<<< ours\n")
    end = resolve_committed.index(">>>>>>> theirs\n") + len(">>>>>>> theirs\n")
    (carol / "projects" / "mini-us.yaml").write_text(resolve_committed[:start] + "  due: 2027-01-07\n"
                                                     + resolve_committed[end:])
    with acting("carol"):
        git(carol, "commit", "-qam", "mini-us: keep carol's video date")
    assert team.sync("carol").exit_code == 0
    team.catch_up()
    assert project(team.clones["bob"], "mini-us").task("video").due == date(2027, 1, 7)


BOB_SCAN, CAROL_SCAN = b"%PDF licence scanned by bob", b"%PDF licence scanned by carol"


def test_one_document_attached_in_two_clones_is_a_conflict_resolved_with_one_side_whole(team, keys):
    carol = team.clones["carol"]
    team.run("bob", "attach", "attach", "mini-us", str(write(team.tmp, "bob.pdf", BOB_SCAN)),
             "--doc", "licence-scan")
    assert team.sync("bob").exit_code == 0
    team.run("carol", "attach", "attach", "mini-us", str(write(team.tmp, "carol.pdf", CAROL_SCAN)),
             "--doc", "licence-scan")
    team.run("carol", "schedule", "schedule", "mini-us", "video", "--due", "2027-01-09")   # no conflict
    result = team.sync("carol")
    assert result.exit_code == 1
    assert ("projects/mini-us.yaml: mini-us: task licence, document licence-scan, sha256: the remote "
            f"{vault.sha256(BOB_SCAN)}, yours {vault.sha256(CAROL_SCAN)} (was none)") in result.stderr
    assert "CONFLICT (add/add): Merge conflict in attachments/mini-us/licence-scan.pdf.age" in result.stderr
    assert "git checkout --ours FILE (yours) or --theirs FILE (the remote's)" in result.stderr

    resolve(carol, "carol", {"projects/mini-us.yaml": "ours"}, whole={"attachments/mini-us/licence-scan.pdf.age":
                                                                        "ours"})
    assert team.sync("carol").exit_code == 0
    team.catch_up()
    identities = vault.load_identities(keys.paths["alice"])
    for root in team.clones.values():
        proj = project(root, "mini-us")
        doc = proj.task("licence").document("licence-scan")
        plain = vault.decrypt((root / doc.file).read_bytes(), identities, doc.file)
        assert plain == CAROL_SCAN and vault.sha256(plain) == doc.sha256
        assert proj.task("video").due == date(2027, 1, 9)


def test_a_merge_that_breaks_a_workflow_rule_is_a_conflict_too(team):
    """No field changed two ways, but bank done on carol's approval + bank reassigned to carol = a gate
    without a valid approval. Sync stops; keeping one side's version resolves it; check passes."""
    team.run("carol", "approve", "approve", "mini-us", "bank")
    team.catch_up()
    team.run("bob", "advance", "advance", "mini-us", "bank", "--note", "statement approved")
    assert team.sync("bob").exit_code == 0
    team.run("dave", "assign", "assign", "mini-us", "bank", "carol")
    team.run("dave", "schedule", "schedule", "mini-us", "brand", "--due", "2026-12-20")   # no conflict
    result = team.sync("dave")
    assert result.exit_code == 1
    assert ("projects/mini-us.yaml: mini-us: task bank: once merged, bank is done without an approval by "
            "finance from someone other than the assignee (the remote changed bank.notes, bank.state; yours "
            "changed bank.assignee); keep one side's version") in result.stderr
    resolve(team.clones["dave"], "dave", {"projects/mini-us.yaml": "theirs"})   # the remote's bank, done
    assert team.sync("dave").exit_code == 0
    team.catch_up()
    for root in team.clones.values():
        bank = project(root, "mini-us").task("bank")
        assert (bank.state, bank.assignee, [n.text for n in bank.notes]) == ("done", "bob", ["statement approved"])
        assert project(root, "mini-us").task("brand").due == date(2026, 12, 20)
        assert run_cli("-C", str(root), "check").exit_code == 0


def test_reopening_a_task_while_another_clone_starts_its_dependent_is_a_conflict(team):
    team.run("carol", "approve", "approve", "mini-us", "bank")
    team.catch_up()
    team.run("bob", "advance", "advance", "mini-us", "bank")
    assert team.sync("bob").exit_code == 0
    team.catch_up()
    team.run("bob", "advance", "advance", "mini-us", "video")
    assert team.sync("bob").exit_code == 0
    team.run("dave", "advance", "advance", "mini-us", "licence", "--to", "in_progress", "--note", "wrong scan")
    result = team.sync("dave")
    assert result.exit_code == 1
    assert ("mini-us: task video: once merged, video is in_progress but its dependency licence is not done "
            "(the remote changed video.state; yours changed licence.notes, licence.state)") in result.stderr
    # bank, done before licence was reopened, already breaks the rule on dave's side alone: not the merge's doing
    assert "task bank: once merged" not in result.stderr
