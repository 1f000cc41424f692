"""What every command needs: the selected stores repo, the language, options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer

JSON_OPTION = typer.Option(False, "--json", help="Print a stable JSON object on stdout (see docs/json.md).")

# The project filters, the same on every listing command (storeops.filters gives their meaning).
PLATFORM_OPTION = typer.Option(None, "--platform", metavar="P", help="Only this platform (e.g. amazon).")
SITE_OPTION = typer.Option(None, "--site", metavar="S", help="Only this marketplace site (e.g. us, de).")
OWNER_OPTION = typer.Option(None, "--owner", metavar="PERSON", help="Only projects owned by this person.")
STATUS_OPTION = typer.Option(
    None, "--status", metavar="S", help="Only this status: preparing, under_review, approved, rejected, archived.")
SINCE_OPTION = typer.Option(None, "--since", metavar="DATE", help="Leave out projects archived before DATE.")


@dataclass
class State:
    directory: Path | None = None
    debug: bool = False


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def open_repo(ctx: typer.Context):
    from storeops.repo import StoresRepo

    repo = StoresRepo.open(state(ctx).directory or Path.cwd())
    report_recovered(repo)
    return repo


def report_recovered(repo) -> None:
    """Say on stderr what the write journal finished or undid of a killed writer's change (journal.py)."""
    import sys

    from storeops.messages import say

    for done in repo.recovered or []:
        paths = ", ".join(done.paths)
        if done.action == "forward":
            line = f"an interrupted storeops change was completed: {paths} now match the last commit"
        elif done.action == "back":
            line = f"an interrupted storeops change was undone: {paths} put back as committed"
        else:
            line = f"an interrupted storeops change was left as it is (HEAD moved since): check {paths} with git status"
        sys.stderr.write(f"storeops: {say(line)}\n")
    repo.recovered = []


def read_projects(repo, want: str = "project"):
    """Every project of `repo` that can be read (want="summary": their summary seeds), and the problems.

    Each file skipped is named at once on stderr, one line, so that the rest of the
    output can go on; the command ends with `skipped(problems)` (exit 1) and puts
    `problems` in its --json (see docs/json.md).
    """
    from storeops import loading

    values, problems = loading.summary_seeds(repo) if want == "summary" else loading.projects(repo)
    name_skipped(problems)
    return values, problems


def name_skipped(problems) -> None:
    """One stderr line per file skipped: `projects/x.yaml:10:1: start: ... (skipped; run storeops check)`."""
    from storeops import messages, render

    for problem in problems:
        render.message(f"{messages.say(str(problem))} {messages.say(SKIPPED)}", "yellow")


SKIPPED = "(skipped; run storeops check)"


def problem_list(problems) -> list[dict]:
    """The `problems` of --json: {path, line, col, message} per file skipped."""
    return [problem.to_dict() for problem in problems]


def skipped(problems) -> None:
    """Exit 1 (findings) when a file was skipped, so that cron and CI notice; the output is already written."""
    if problems:
        raise typer.Exit(1)


def user_path(ctx: typer.Context, path: Path) -> Path:
    """A path the user gave, read as git -C reads it: relative to -C DIR when given (absolute stays absolute)."""
    directory = state(ctx).directory
    return directory / path if directory is not None else path


def language(ctx: typer.Context, repo=None) -> str:
    """This run's language, the one its messages use: --lang, STOREOPS_LANG, else the team's.

    With `repo` open its storeops.yaml answers for the team; without, the repo is found as -C or
    the current folder says (outside any stores repo: English).
    """
    from storeops import messages

    if repo is not None:
        messages.team_chose(repo.config.language)
    return messages.current()


# ---- shell completion: only file names and one small parse, no heavy imports ----

def _completion_root(ctx) -> Path | None:
    from storeops.errors import StoreopsError
    from storeops.repo import find_root

    directory = ctx.find_root().params.get("directory")  # -C typed earlier on the line (no callback ran)
    try:
        return find_root(Path(directory) if directory else Path.cwd())
    except StoreopsError:
        return None


def _starting(values, incomplete: str) -> list[str]:
    return [v for v in values if v.startswith(incomplete)]


def complete_project(ctx: typer.Context, incomplete: str) -> list[str]:
    root = _completion_root(ctx)
    if root is None or not (root / "projects").is_dir():
        return []
    return _starting(sorted(p.stem for p in (root / "projects").glob("*.yaml")), incomplete)


def complete_task(ctx: typer.Context, incomplete: str) -> list[str]:
    from storeops.errors import StoreopsError
    from storeops.repo import StoresRepo

    root = _completion_root(ctx)
    project_id = ctx.params.get("project_id")
    if root is None or not project_id:
        return []
    try:
        project = StoresRepo(root).load_project(project_id)
    except StoreopsError:
        return []
    return _starting([t.id for t in project.tasks], incomplete)


def complete_person(ctx: typer.Context, incomplete: str) -> list[str]:
    from storeops.errors import StoreopsError
    from storeops.repo import StoresRepo

    root = _completion_root(ctx)
    if root is None:
        return []
    try:
        return _starting([p.name for p in StoresRepo(root).config.people], incomplete)
    except StoreopsError:
        return []


def complete_sop(ctx: typer.Context, incomplete: str) -> list[str]:
    from storeops.sop import builtin_dir

    root = _completion_root(ctx)
    names = {p.stem for p in builtin_dir().glob("*.yaml")}
    if root is not None and (root / "sop").is_dir():
        names |= {p.stem for p in (root / "sop").glob("*.yaml")}
    return _starting(sorted(names), incomplete)


def _wide(value: bool) -> bool:
    from storeops import render

    return render.show_every_column(value)


# every table-shaped command: one definition of `--wide` (the value reaches render, not the command)
WIDE_OPTION = typer.Option(False, "--wide", callback=_wide, expose_value=False, is_eager=True,
                    help="Show every column, however narrow the terminal (tables drop columns to fit).")
