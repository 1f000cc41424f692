"""storeops sop list / show / templates: the SOP library."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from storeops.cli.common import WIDE_OPTION, JSON_OPTION, complete_project, language, open_repo, state, user_path

sop_app = typer.Typer(help="Browse SOP templates: built-in plus your team's sop/ folder.\n\nExample: storeops sop list",
                      no_args_is_help=True)


def _library(ctx):
    """SOPs visible here: the team's own when inside a stores repo, else built-ins."""
    from storeops.errors import EnvError
    from storeops.repo import find_root
    from storeops.sop import load_library

    try:
        root = find_root(state(ctx).directory or Path.cwd())
    except EnvError:
        root = None
    return load_library(root), root


@sop_app.command("list")
def list_sops(ctx: typer.Context, as_json: bool = JSON_OPTION, wide: bool = WIDE_OPTION) -> None:
    """List SOP templates.

    Example:
      storeops sop list --json
    """
    from storeops import render
    from storeops.labels import word

    library, _root = _library(ctx)
    lang = language(ctx)
    rows = [{"id": s.id, "version": s.version, "platform": s.platform, "sites": s.sites,
             "reviewed": s.data.get("reviewed"), "origin": s.origin, "title": s.data.get("title"),
             "tasks": len(s.tasks)} for s in library.values()]
    if as_json:
        render.emit_json({"sops": rows})
        return
    render.table([word(k, lang) for k in ("id", "version", "platform", "sites", "reviewed", "tasks", "origin", "title")],
                 [[r["id"], r["version"], r["platform"], ",".join(r["sites"]), r["reviewed"], r["tasks"], r["origin"],
                   library[r["id"]].title(lang)] for r in rows],
                 drop=[6, 4, 5, 1, 3, 2], shrink=(7,), dates=(4,))


@sop_app.command("show")
def show(ctx: typer.Context, sop_id: str = typer.Argument(..., metavar="SOP_ID"), as_json: bool = JSON_OPTION,
         wide: bool = WIDE_OPTION) -> None:
    """Show an SOP's tasks, gates, documents and rejection reasons.

    Example:
      storeops sop show amazon-us
    """
    from storeops import render
    from storeops.labels import word
    from storeops.messages import say
    from storeops.sop import changing_categories, get_sop

    library, _root = _library(ctx)
    sop = get_sop(library, sop_id)
    lang = language(ctx)
    if as_json:
        render.emit_json({"sop": sop.data, "origin": sop.origin, "source": sop.source,
                          "categories": changing_categories(sop)})
        return
    changing = changing_categories(sop)
    render.fields([(word("id", lang), sop.pin), (word("title", lang), sop.title(lang)),
                   (word("platform", lang), sop.platform), (word("sites", lang), ", ".join(sop.sites)),
                   (word("reviewed", lang), sop.data.get("reviewed")),
                   (word("compliance", lang), ", ".join(sop.data.get("compliance", [])) or "-"),
                   (word("categories_changing", lang),
                    _categories_text(changing)),
                   (word("source", lang), say(sop.source, lang))])
    render.out()
    rows = []
    for t in sop.tasks:
        flags = [f"approval:{t['requires_approval']}"] if t.get("requires_approval") else []
        flags += ["appointment"] if t.get("appointment") else []
        flags += [f"external/{t.get('check_every', '-')}"] if t.get("external") else []
        flags += ["optional"] if t.get("optional") else []
        flags += ["only " + ",".join(t["when_category"])] if t.get("when_category") else []
        docs = ", ".join(d["id"] + ("🔒" if d.get("sensitive") else "") for d in t.get("documents", []))
        rows.append([t["id"], (t.get("title") or {}).get(lang, ""), t.get("role", ""), t.get("duration", ""),
                     ", ".join(t.get("depends_on", [])) or "-", " ".join(flags), docs])
    render.table([word(k, lang) for k in ("task", "title", "role", "takes", "depends", "flags", "documents")], rows,
                 drop=[5, 3, 4, 6, 2], shrink=(1, 6))
    reasons = sop.data.get("rejection_reasons", [])
    if reasons:
        render.out()
        render.out(render.prose(word("rejection_reasons", lang) + ": " + ", ".join(r["code"] for r in reasons)))


@sop_app.command("templates")
def templates(
    ctx: typer.Context,
    sop_id: str = typer.Argument(..., metavar="SOP_ID"),
    copy_to: Optional[Path] = typer.Option(None, "--copy-to", metavar="DIR", help="Copy the template files into DIR."),
    project_id: Optional[str] = typer.Option(None, "--project", metavar="PROJECT", autocompletion=complete_project,
                                             help="Fill the copies' {{placeholders}} from this project and storeops.yaml."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List or copy the document templates an SOP uses.

    With --project the copies are filled in: store, platform, site, entity,
    date from the project; legal representative, address and the rest from
    the entity's entry under `entities:` in storeops.yaml. What is not known
    is left as [[MISSING: name]].

    Examples:
      storeops sop templates amazon-us --copy-to ./letters
      storeops sop templates amazon-us --copy-to ./letters --project acme-amazon-us
    """
    import shutil

    from storeops import render
    from storeops.errors import UsageError
    from storeops.sop import get_sop, template_names, templates_dir

    if project_id is not None and copy_to is None:
        raise UsageError("--project fills copies: it needs --copy-to DIR",
                         hint=f"storeops sop templates {sop_id} --copy-to ./letters --project {project_id}")
    library, root = _library(ctx)
    sop = get_sop(library, sop_id)
    names = template_names(sop)
    found = []
    for name in names:
        team_file = root / "sop" / "templates" / name if root else None
        source = team_file if team_file and team_file.is_file() else templates_dir() / name
        found.append((name, source))
    if copy_to is not None:
        copy_to = user_path(ctx, copy_to)
        if project_id is not None:
            _fill_copies(ctx, project_id, found, copy_to)
            return
        copy_to.mkdir(parents=True, exist_ok=True)
        for name, source in found:
            shutil.copyfile(source, copy_to / name)
        render.message(f"copied {len(found)} template(s) to {copy_to}")
        return
    if as_json:
        render.emit_json({"sop": sop.id, "templates": [{"name": n, "path": str(p)} for n, p in found]})
        return
    for name, source in found:
        render.out(f"{name}\t{source}")


def _fill_copies(ctx, project_id: str, found: list[tuple[str, Path]], copy_to: Path) -> None:
    from storeops import render
    from storeops.actions import today
    from storeops.letters import fill, values
    from storeops.repo import atomic_write

    repo = open_repo(ctx)
    project = repo.load_project(project_id)
    known = values(project, repo.config, today(repo.config))
    filled = [(name, *fill(source.read_text(encoding="utf-8"), known)) for name, source in found]
    copy_to.mkdir(parents=True, exist_ok=True)
    for name, text, _ in filled:
        atomic_write(copy_to / name, text)
    render.message(f"copied {len(found)} template(s) to {copy_to}, filled from {project.id}")
    gaps = [(name, missing) for name, _, missing in filled if missing]
    for name, missing in gaps:
        render.warn(f"{name}: not filled: {', '.join(missing)} (marked [[MISSING: ...]])")
    if gaps:
        if project.entity and repo.config.entity(project.entity):
            render.hint(f"add them to the entities: entry {project.entity!r} in storeops.yaml")
        elif project.entity:
            render.hint(f"describe {project.entity!r} under entities: in storeops.yaml (name, legal_rep, address, ...)")
        else:
            render.hint(f"{project.id} names no entity: add `entity:` to its file, then describe it under entities: in storeops.yaml")


@sop_app.command("copy")
def copy(
    ctx: typer.Context,
    sop_id: str = typer.Argument(..., metavar="SOP_ID"),
    new_id: Optional[str] = typer.Option(None, "--as", metavar="NEW_ID", help="Id of the copy (default: the same, "
                                         "which overrides the built-in)."),
) -> None:
    """Copy an SOP into your sop/ folder to customise it.

    One commit; a copy under the same id overrides the built-in SOP.

    Examples:
      storeops sop copy amazon-us
      storeops sop copy amazon-us --as amazon-us-brand
    """
    from storeops import actions, render
    from storeops.cli.common import open_repo

    rel = actions.copy_sop(open_repo(ctx), sop_id, new_id)
    render.message(f"wrote {rel}; edit it, bump `version`, then run `storeops check`")


ORDER = 80


def register(app: typer.Typer) -> None:
    app.add_typer(sop_app, name="sop")


def _categories_text(changing: dict[str, list[str]]) -> str:
    """Categories grouped by the tasks they add: `cosmetics, food (+compliance-review)`."""
    groups: dict[tuple, list[str]] = {}
    for category, tasks in changing.items():
        groups.setdefault(tuple(tasks), []).append(category)
    return "; ".join(f"{', '.join(cats)} (+{', '.join(tasks)})" for tasks, cats in groups.items()) or "-"
