"""Shell completion for every argument and option, by what it names.

One table instead of an `autocompletion=` on each parameter: a parameter's
metavar (PROJECT, TASK, PERSON, DOC, CODE, STATE, ...) or, failing that, its
option name (`--owner`, `--platform`, `--status`) says what it holds; a
metavar like `text|json|csv` lists its own choices. Values come from the
stores repo that `-C PATH`, typed earlier on the line, points at.
Completion must never fail a shell: anything unreadable completes nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.core import TyperArgument, TyperOption


def _click(module: str = "") -> Any:
    """The click typer runs on: recent typer releases carry their own copy (typer._click), older ones use click."""
    package = next(c.__module__ for c in TyperOption.__mro__ if c.__name__ == "Parameter").rsplit(".", 1)[0]
    return importlib.import_module(package + (f".{module}" if module else ""))

_BY_METAVAR = {
    "PROJECT": "project", "TASK": "task", "PERSON": "person", "SOP_ID": "sop", "DOC": "doc", "DOC_ID": "doc",
    "CODE": "code", "STATE": "state", "ROLE": "role", "CATEGORY": "category", "ROLE|PERSON,...": "reader",
}
_BY_OPTION = {
    "--owner": "person", "--author": "person", "--to": "person", "--platform": "platform", "--status": "status",
    "--role": "role", "--doc": "doc", "--reason": "code", "--category": "category", "--sop": "sop",
    "--site": "site", "--task": "task", "--project": "project",
}
# arguments named NAME that mean someone already on the team (person add NAME is a new name)
_EXISTING_PERSON = {("person", "remove"), ("person", "key"), ("handover", None)}


def complete(param, ctx, incomplete: str) -> list[str] | None:
    """The values for `param`, or None when this table knows nothing of it (click's own rules apply)."""
    kind = _kind(param, ctx)
    if kind is None:
        return None
    if kind.startswith("choices:"):
        values = kind.removeprefix("choices:").split("|")
    else:
        try:
            values = _SOURCES[kind](_Line(ctx))
        except Exception:  # noqa: BLE001 - a broken repo completes nothing rather than breaking the shell
            values = []
    if kind == "reader" and "," in incomplete:  # a comma-separated list: complete its last item
        head, _, incomplete = incomplete.rpartition(",")
        return [f"{head},{v}" for v in values if v.startswith(incomplete)]
    return [v for v in values if v.startswith(incomplete)]


def _kind(param, ctx) -> str | None:
    metavar = getattr(param, "metavar", None)
    if metavar in _BY_METAVAR:
        return _BY_METAVAR[metavar]
    for name in getattr(param, "opts", []):
        if name in _BY_OPTION:
            return _BY_OPTION[name]
    if metavar == "NAME" and isinstance(param, TyperArgument):
        path = _command_path(ctx)
        if path in _EXISTING_PERSON or (path[0], None) in _EXISTING_PERSON:
            return "person"
    if metavar and "|" in metavar and all(part.replace("-", "").isalnum() for part in metavar.split("|")):
        return "choices:" + metavar
    return None


def _command_path(ctx) -> tuple[str, str | None]:
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    names.reverse()
    return (names[0] if names else "", names[1] if len(names) > 1 else None)


class _Line:
    """What the command line typed so far gives: the repo (-C), the project and its SOP."""

    def __init__(self, ctx):
        self.ctx = ctx
        directory = ctx.find_root().params.get("directory")
        self.start = Path(directory) if directory else Path.cwd()

    @property
    def root(self) -> Path:
        from storeops.repo import find_root

        return find_root(self.start)

    @property
    def repo(self):
        from storeops.repo import StoresRepo

        return StoresRepo(self.root)

    def project(self):
        """The project typed earlier: click's parse when it has one, else the first word naming a project
        (while an option's value is being completed, click has not parsed the arguments before it)."""
        project_id = self.ctx.params.get("project_id")
        if not project_id:
            known = set(_projects(self))
            project_id = next((word for word in _typed_words() if word in known), None)
        return self.repo.load_project(project_id) if project_id else None

    def library(self) -> dict:
        from storeops.sop import load_library

        return load_library(self.root)


def _typed_words() -> list[str]:
    """The command line being completed, as bash (COMP_WORDS) or zsh/fish (typer's variable) hand it over."""
    import os
    import shlex

    line = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS") or ""
    try:
        return shlex.split(line)
    except ValueError:  # an open quote: the words so far
        return line.split()


def _projects(line: _Line) -> list[str]:
    return sorted(p.stem for p in (line.root / "projects").glob("*.yaml"))


def _tasks(line: _Line) -> list[str]:
    project = line.project()
    return [t.id for t in project.tasks] if project else []


def _people(line: _Line) -> list[str]:
    return [p.name for p in line.repo.config.people]


def _sops(line: _Line) -> list[str]:
    return sorted(line.library())


def _documents(line: _Line) -> list[str]:
    """The documents the project's tasks name (attached or not)."""
    project = line.project()
    return sorted({d.id for t in project.tasks for d in t.documents}) if project else []


def _codes(line: _Line) -> list[str]:
    project = line.project()
    sops = line.library()
    chosen = [sops[project.sop_id]] if project and project.sop_id in sops else sops.values()
    return sorted({r["code"] for sop in chosen for r in sop.data.get("rejection_reasons", [])})


def _platforms(line: _Line) -> list[str]:
    sops = line.library()
    return sorted({s.platform for s in sops.values()} | set(sops))


def _sites(line: _Line) -> list[str]:
    return sorted({site for s in line.library().values() for site in s.sites})


def _categories(line: _Line) -> list[str]:
    found = {c for s in line.library().values() for t in s.tasks for c in t.get("when_category", [])}
    try:
        found |= set(getattr(line.repo.config, "categories", None) or [])
    except Exception:  # noqa: BLE001 - outside a repo: the SOPs' categories alone
        pass
    return sorted(found)


def _states(line: _Line) -> list[str]:
    from storeops.model import STATES

    return list(STATES)


def _statuses(line: _Line) -> list[str]:
    from storeops.model import STATUSES

    return list(STATUSES)


def _roles(line: _Line) -> list[str]:
    from storeops.model import ROLES

    return list(ROLES)


def _readers(line: _Line) -> list[str]:
    return ["owner"] + _roles(line) + _people(line)


_SOURCES: dict[str, Callable[[_Line], list[str]]] = {
    "project": _projects, "task": _tasks, "person": _people, "sop": _sops, "doc": _documents, "code": _codes,
    "platform": _platforms, "site": _sites, "category": _categories, "state": _states, "status": _statuses,
    "role": _roles, "reader": _readers,
}



SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _shell(value: str) -> str:
    """The shell named, or (given alone) the one running storeops."""
    if value != "auto":
        return value
    from typer._completion_shared import _get_shell_name

    return _get_shell_name() or "bash"


def script_for(argv: list[str]) -> str | None:
    """`storeops --show-completion SHELL`: the named shell's script (typer's own flag takes no value
    when it can detect the shell, so `--show-completion zsh` printed bash's)."""
    if len(argv) == 2 and argv[0] == "--show-completion" and argv[1] in SHELLS:
        from typer._completion_shared import get_completion_script

        return get_completion_script(prog_name="storeops", complete_var="_STOREOPS_COMPLETE", shell=argv[1])
    return None


def install_for(argv: list[str]) -> str | None:
    """`storeops --install-completion SHELL`: install the named shell's script; what was done."""
    if len(argv) == 2 and argv[0] == "--install-completion" and argv[1] in SHELLS:
        from typer._completion_shared import install as typer_install

        shell, path = typer_install(shell=argv[1], prog_name="storeops", complete_var="_STOREOPS_COMPLETE")
        return f"{shell} completion installed in {path}; it takes effect in a new terminal"
    return None


def install() -> None:
    """Every typer parameter completes through `complete` unless it names its own `autocompletion=`."""
    CompletionItem = _click("shell_completion").CompletionItem  # noqa: N806 - a class

    for cls in (TyperArgument, TyperOption):
        original = cls.shell_complete

        def shell_complete(self, ctx, incomplete, _original=original):
            found = None if self._custom_shell_complete is not None else complete(self, ctx, incomplete)
            if found is None:
                return _original(self, ctx, incomplete)
            return [CompletionItem(value) for value in found]

        cls.shell_complete = shell_complete
