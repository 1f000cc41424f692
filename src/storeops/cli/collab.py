"""storeops sync / doctor / forge / merge-file: working together through git and a forge."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from storeops.cli.common import JSON_OPTION, language, open_repo


def sync(
    ctx: typer.Context,
    remote: Optional[str] = typer.Option(None, "--remote", metavar="NAME",
                                         help="Remote to sync with (default: the upstream, or origin)."),
    use_merge: bool = typer.Option(False, "--merge", help="Merge the remote's commits instead of rebasing yours."),
) -> None:
    """Fetch, rebase your commits on the team's, and push.

    Project files are merged field by field. On a conflict (the same field changed two ways) nothing is lost: your
    branch and work tree stay exactly as they were, the conflicting project,
    task and field are named, and the exit code is 1.

    Example:
      storeops sync
    """
    from storeops import render
    from storeops.sync import sync as run_sync

    result = run_sync(open_repo(ctx), remote, "merge" if use_merge else "rebase")
    if result.driver_registered:
        render.message("registered the storeops merge driver for this clone")
    target = f"{result.remote}/{result.branch}"
    if result.conflicts:
        render.error(f"sync stopped: your commits and {target} change the same thing")
        for line in result.conflicts:
            render.message(f"  {render.clean(line)}")
        render.message("nothing was lost: your commits and work tree are as they were; the remote's commits are "
                       f"in {target}")
        render.message(f"hint: agree on the value, then: git merge {target}, fix the lines between <<<<<<< and "
                       ">>>>>>> in the files named, git add them, git commit, and storeops sync again", "dim")
        if any("attachments/" in line and "CONFLICT" in line for line in result.conflicts):
            # ciphertext has no lines to pick from; the file and its recorded sha256 must come from one side
            render.message("hint: an attachment is encrypted, keep one side whole: git checkout --ours FILE "
                           "(yours) or --theirs FILE (the remote's), and the same side's sha256 in the project "
                           "file", "dim")
        raise typer.Exit(1)
    parts = [f"pulled {result.pulled} commit(s)" if result.pulled else "nothing to pull",
             f"pushed {result.pushed} commit(s)" if result.pushed else "nothing to push"]
    render.message(f"synced with {target}: " + ", ".join(parts))


def doctor(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Check this clone's setup and fix what git does not carry.

    That is the merge driver's config and the pre-commit guard. Run it once after `git clone`: .gitattributes is versioned, but git's
    config that says what the `storeops` merge driver is, is not, and git
    copies no hooks, so the guard against committing plaintext is missing.

    Example:
      storeops doctor
    """
    from storeops import render
    from storeops.doctor import doctor as run_doctor

    findings = run_doctor(open_repo(ctx))
    if as_json:
        render.emit_json({"ok": all(f.status != "problem" for f in findings),
                          "checks": [f.to_dict() for f in findings]})
    else:
        from storeops.labels import word
        from storeops.messages import say
        from storeops.textcells import cell_width

        lang = language(ctx)
        labels = {f.status: word(f"doctor_{f.status}", lang) for f in findings}
        width = max((cell_width(label) for label in labels.values()), default=0)
        for finding in findings:
            label = labels[finding.status]
            render.out(f"{label}{' ' * (width - cell_width(label))}  {render.clean(say(finding.message, lang))}")
    if any(f.status == "problem" for f in findings):
        raise typer.Exit(1)


def forge(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="github|gitlab"),
    force: bool = typer.Option(False, "--force", help="Replace existing files that differ."),
    install: Optional[str] = typer.Option(
        None, "--install", metavar="SPEC",
        help="Any pip requirement CI installs storeops with (default: how this storeops was installed: "
             "storeops==VERSION from an index, storeops @ git+URL@COMMIT from git), e.g. "
             "'storeops @ git+https://github.com/ORG/storeops@COMMIT'."),
    pages: bool = typer.Option(False, "--pages", help="github: also a workflow that builds `storeops site` on every "
                                                      "push to main and publishes it with GitHub Pages."),
) -> None:
    """Write CI for pull requests and a CODEOWNERS by role.

    CI runs check, check --base and a diff summary; everything lands in one commit.
    github: .github/workflows/storeops.yml and .github/CODEOWNERS.
    gitlab: .gitlab/storeops.gitlab-ci.yml (included from .gitlab-ci.yml) and .gitlab/CODEOWNERS.
    CI installs storeops the way this one was installed; from a local folder or an
    editable checkout it cannot, so then pass --install.

    Examples:
      storeops forge github
      storeops forge github --force --install "storeops @ git+https://github.com/acme/storeops@4f9e4e1"
      storeops forge github --pages --install "storeops @ git+https://github.com/acme/storeops@4f9e4e1"
    """
    from storeops import install_spec, render
    from storeops.forge import write_forge

    spec = install_spec.resolve(install)
    written = write_forge(open_repo(ctx), name, force, spec, pages)
    for path in written:
        render.out(path)
    if written:
        render.message(f"CI installs storeops with: {install_spec.pip_install_line(spec)} "
                       "(--force --install SPEC to change it)")
        render.message("edit the CODEOWNERS placeholders (@your-org/team-ROLE) and uncomment the lines; "
                       "see docs/review.md")
    else:
        render.message("already up to date")


def merge_file(
    base: Path = typer.Argument(..., metavar="BASE", help="%O: the common ancestor's version."),
    ours: Path = typer.Argument(..., metavar="OURS", help="%A: our version; the result is written here."),
    theirs: Path = typer.Argument(..., metavar="THEIRS", help="%B: their version."),
    shown: Optional[str] = typer.Argument(None, metavar="PATH", help="%P: the file's path, for messages."),
) -> None:
    """Merge project files field by field (git runs it).

    The git merge driver, registered by init, doctor and sync. Merges field by field; on a conflict writes conflict markers around the
    conflicting lines only, names project, task and field, and exits 1.

    Example:
      storeops merge-file base.yaml ours.yaml theirs.yaml projects/acme-amazon-us.yaml
    """
    import sys

    from storeops.merge import merge_file as run_merge

    conflicts = run_merge(base, ours, theirs, shown or str(ours))
    from storeops.labels import word
    from storeops.messages import current, say

    for line in conflicts:
        sys.stderr.write(f"storeops: {word('conflict', current())}: {say(line)}\n")
    if conflicts:
        raise typer.Exit(1)


ORDER = 70


def register(app: typer.Typer) -> None:
    app.command("sync")(sync)
    app.command("doctor")(doctor)
    app.command("forge")(forge)
    app.command("merge-file")(merge_file)
