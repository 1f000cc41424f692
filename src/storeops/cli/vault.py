"""storeops keygen / attach / open / rekey / export: documents and keys."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from storeops.cli.common import JSON_OPTION, open_repo, user_path


def keygen(
    ctx: typer.Context,
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="PATH",
                                          help="Where to write it (default: ~/.config/storeops/identity.txt)."),
    force: bool = typer.Option(False, "--force",
                               help="Replace an existing identity (you lose what only it could open)."),
) -> None:
    """Make your age identity and print its public key.

    The identity is written with mode 0600; an existing one is never replaced
    without --force. Give the printed `age1...` line to an admin, who adds it
    with `storeops person key`.

    Example:
      storeops keygen
    """
    from storeops import render, vault

    path, public = vault.keygen(user_path(ctx, output) if output else None, force)
    render.out(public)
    render.message(f"wrote your identity to {path} (keep it private, back it up)")
    if output is not None and path != vault.default_identity_path():
        render.message(f"storeops finds it when you set STOREOPS_IDENTITY={path.resolve()}")
    render.message(f"next: storeops person key {_me(ctx) or 'NAME'} --age-recipient {public}")


def _me(ctx: typer.Context) -> str | None:
    from storeops.errors import StoreopsError

    try:
        from storeops.actions import actor

        person = actor(open_repo(ctx)).person
        return person.name if person else None
    except StoreopsError:
        return None  # keygen works outside a stores repo too


def attach(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT", help="Project id."),
    file: Path = typer.Argument(..., metavar="FILE", help="The document (an age-encrypted file is re-encrypted)."),
    task: Optional[str] = typer.Option(None, "--task", metavar="TASK", help="The task the document belongs to."),
    doc: Optional[str] = typer.Option(None, "--doc", metavar="DOC_ID",
                                      help="The document's id (a new id with --task adds a document)."),
    issued: Optional[str] = typer.Option(None, "--issued", metavar="DATE", help="Issue date, YYYY-MM-DD."),
    sensitive: Optional[bool] = typer.Option(
        None, "--sensitive/--plain", help="Encrypt or not (default: what the SOP says; new documents are sensitive)."),
    readers: Optional[str] = typer.Option(
        None, "--readers", metavar="ROLE|PERSON,...",
        help="Who may decrypt: roles, people, `owner` (default: owner, the task's roles, admin)."),
) -> None:
    """Attach a document to a project, encrypted if sensitive.

    The file is copied under attachments/PROJECT/. Sensitive files are encrypted in memory to their readers' keys and stored
    as `.age`; the plaintext never enters the repository. Records the file,
    issue date, sha256 and readers on the document, in one commit. Attaching
    again replaces the file (git history keeps the old one).

    Examples:
      storeops attach acme-amazon-us ~/scans/statement.pdf --doc bank-statement --issued 2026-11-20
      storeops attach acme-amazon-us licence.pdf --task business-license --readers finance,alice
    """
    from storeops import render
    from storeops.documents import attach as attach_document

    result = attach_document(open_repo(ctx), project_id, user_path(ctx, file), task_id=task, doc_id=doc, issued=issued,
                             sensitive=sensitive, readers=readers)
    for warning in result.warnings:
        render.warn(render.clean(warning))
    verb = "replaced" if result.replaced else "attached"
    how = f"encrypted for {', '.join(result.encrypted_to)}" if result.doc.file.endswith(".age") else "plain"
    render.message(f"{verb} {result.project.id}/{result.task.id}/{result.doc.id}: {result.doc.file} ({how})")


def open_document(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT", help="Project id."),
    doc_id: str = typer.Argument(..., metavar="DOC", help="Document id."),
    task: Optional[str] = typer.Option(None, "--task", metavar="TASK", help="When DOC is in several tasks."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="PATH",
                                          help="Write the plaintext here (outside the stores repo)."),
    to_stdout: bool = typer.Option(False, "--stdout", help="Write the plaintext to stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite PATH if it exists."),
) -> None:
    """Decrypt a document for one of its readers.

    Others get a refusal (exit 3) naming who can read it. The plaintext goes
    to -o PATH (mode 0600, never inside the stores repo) or to stdout.

    Examples:
      storeops open acme-amazon-us bank-statement -o ~/Desktop/statement.pdf
      storeops open acme-amazon-us business-license-scan --stdout | less
    """
    from storeops import render
    from storeops.documents import open_document as decrypt_document
    from storeops.errors import UsageError

    if output is not None and to_stdout:
        raise UsageError("give -o PATH or --stdout, not both")
    output = user_path(ctx, output) if output is not None else None
    repo = open_repo(ctx)
    if output is None and not to_stdout and sys.stdout.isatty():
        raise UsageError("where should the plaintext go?", hint="pass -o PATH or --stdout")
    if output is not None:
        _check_output(repo, output, force)
    opened = decrypt_document(repo, project_id, doc_id, task)
    for warning in opened.warnings:
        render.warn(render.clean(warning))
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(opened.data)
        sys.stdout.buffer.flush()
        return
    _write_private(output, opened.data, force)
    render.message(f"wrote {project_id}/{opened.doc.id} to {output}")


def _check_output(repo, output: Path, force: bool) -> None:
    from storeops.errors import UsageError

    target = output.expanduser().resolve()
    if target.is_relative_to(repo.root.resolve()):
        raise UsageError(f"{output} is inside the stores repo",
                         hint="write plaintext outside it (it could be committed), or use --stdout")
    if target.exists() and not force:
        raise UsageError(f"{output} already exists", hint="pass --force to overwrite it")


def _write_private(output: Path, data: bytes, force: bool) -> None:
    import os

    from storeops.errors import EnvError

    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(output.expanduser(), flags, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as error:
        raise EnvError(f"{output}: cannot write ({error.strerror})") from None


def rekey(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help="Only show what would be re-encrypted, to whom."),
    identity: List[Path] = typer.Option([], "--identity", "-i", metavar="PATH",
                                        help="Another identity file (or folder of them) to decrypt with, "
                                             "e.g. your old key; repeat for several."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Re-encrypt every attachment and secret to today's readers.

    All in one commit. Run it after people, keys or roles change: roles are resolved to today's
    holders and people who left are dropped, so they cannot decrypt anything
    at HEAD. You need identities that can open every item (after replacing
    your key: the old one and the new one, `--identity OLD`); what they cannot
    open is listed (exit 3) for one of its readers to rekey.

    Examples:
      storeops rekey --dry-run
      storeops rekey --identity ~/old-identity.txt
    """
    from storeops import render, vault
    from storeops.rekey import rekey as rekey_all

    keyring = vault.Keyring(extra=[user_path(ctx, p) for p in identity]) if identity else None
    report = rekey_all(open_repo(ctx), dry_run=dry_run, progress=_progress if render.fancy(sys.stderr) else None,
                       keyring=keyring)
    if as_json:
        render.emit_json({"dry_run": dry_run, "commit": report.commit,
                          "rekeyed": [{"item": label, "readers": list(people)} for label, people in report.rekeyed],
                          "unreadable": [{"item": label, "reason": why} for label, why in report.unreadable],
                          "warnings": report.warnings})
    else:
        for label, people in report.rekeyed:
            render.out(render.clean(f"{label} → {', '.join(people)}"))
        for warning in report.warnings:
            render.warn(render.clean(warning))
        for label, why in report.unreadable:
            render.warn(render.clean(f"not rekeyed: {label}: {why}"))
        done = len(report.rekeyed)
        if dry_run:
            render.message(f"would re-encrypt {done} item(s); nothing written")
        elif report.commit:
            render.message(f"re-encrypted {done} item(s) in commit {report.commit[:10]}")
        else:
            render.message("nothing to re-encrypt")
    if report.unreadable:
        raise typer.Exit(3)


def _progress(items):
    from rich.console import Console
    from rich.progress import track

    # on stderr: stdout carries the item list, which may be piped
    return track(items, description="re-encrypting", transient=True, console=Console(stderr=True))


def export(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT", help="Project id."),
    output: Path = typer.Option(..., "--output", "-o", metavar="PATH",
                                help="New folder or .zip file (outside the repo)."),
    decrypt: bool = typer.Option(False, "--decrypt", help="Decrypt the documents you are a reader of."),
    fmt: str = typer.Option("dir", "--format", metavar="dir|zip", help="A folder or a zip file."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Export a project's document package for submission or audit.

    Documents (still encrypted unless --decrypt, and then only those you may
    read), manifest.json and index.md with issue dates, validity, sha256
    hashes and rejection evidence. Secrets appear as hints only.

    Examples:
      storeops export acme-amazon-us -o ~/audit/acme-us
      storeops export acme-amazon-us -o ~/submit/acme-us.zip --format zip --decrypt
    """
    from storeops import render
    from storeops.export import export as export_project

    result = export_project(open_repo(ctx), project_id, user_path(ctx, output), decrypt=decrypt, fmt=fmt)
    if as_json:
        render.emit_json({"path": str(result.path), "manifest": result.manifest})
        return
    if result.kept_encrypted:
        render.warn(f"kept encrypted (you are not a reader, or your identity cannot open them): "
                    f"{', '.join(result.kept_encrypted)}")
    if result.missing:
        render.warn(f"not attached yet: {', '.join(result.missing)}")
    extra = f", {result.decrypted} decrypted" if decrypt else ""
    render.message(f"exported {result.documents} document(s){extra} to {render.clean(result.path)}")


ORDER = 70


def register(app: typer.Typer) -> None:
    app.command("keygen")(keygen)
    app.command("attach")(attach)
    app.command("open")(open_document)
    app.command("rekey")(rekey)
    app.command("export")(export)
