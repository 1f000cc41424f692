"""`storeops export`: a project's document package for submission or audit.

The package holds the documents (ciphertext as stored, or plaintext with
--decrypt for the documents the exporter may read), manifest.json and a
readable index.md with issue dates, validity, hashes and rejection evidence.
Secrets appear as hints only: their values are for `storeops secret get`.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from storeops import __version__, vault
from storeops.actions import actor, today
from storeops.errors import EnvError, UsageError
from storeops.model import Project
from storeops.repo import StoresRepo, refuse_links
from storeops.workflow import project_status

FORMATS = ("dir", "zip")


@dataclass(frozen=True)
class Exported:
    path: Path
    documents: int
    decrypted: int
    kept_encrypted: tuple[str, ...]   # sensitive documents the exporter may not or cannot read
    missing: tuple[str, ...]
    manifest: dict


def _check_target(repo: StoresRepo, out: Path, fmt: str) -> Path:
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    out = out.expanduser().resolve()
    if out.is_relative_to(repo.root.resolve()):
        raise UsageError(f"{out} is inside the stores repo",
                         hint="export outside it: a package there could be committed by accident")
    if fmt == "zip" and out.exists():
        raise UsageError(f"{out} already exists", hint="choose a new file name")
    if fmt == "dir" and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} exists and is not an empty folder", hint="choose a new folder")
    return out


def _validity(issued: date | None, expires: date | None, on: date) -> str:
    if issued is None:
        return "unknown"
    if expires is None:
        return "valid"
    return "expired" if expires < on else "valid"


def build(repo: StoresRepo, project: Project, decrypt: bool, keyring: vault.Keyring | None = None
          ) -> tuple[dict, dict[str, bytes], list[str], list[str]]:
    """(manifest, package files, kept encrypted, missing) — nothing written yet."""
    config = repo.config
    on = today(config)
    who = actor(repo)
    keyring = keyring or vault.Keyring()
    files: dict[str, bytes] = {}
    kept, missing, documents = [], [], []
    for task in project.tasks:
        for doc in task.documents:
            readers = vault.document_readers(project, task, doc) if doc.sensitive or (
                doc.file or "").endswith(vault.SUFFIX) else ()
            entry = {
                "task": task.id, "id": doc.id, "title": doc.title, "sensitive": doc.sensitive,
                "optional": doc.optional, "source": doc.file, "file": None, "encrypted": False,
                "issued": doc.issued.isoformat() if doc.issued else None, "valid_days": doc.valid_days,
                "expires": doc.expires().isoformat() if doc.expires() else None,
                "validity": _validity(doc.issued, doc.expires(), on) if doc.file else "missing",
                "sha256": doc.sha256, "sha256_verified": None,
                "readers": [p.name for p in vault.reader_people(config, readers, project.owner)],
            }
            documents.append(entry)
            needed = not (doc.optional or task.optional or task.state == "skipped")
            if not doc.file:
                if needed:
                    missing.append(f"{task.id}/{doc.id}")
                else:
                    entry["validity"] = "not needed"
                continue
            refuse_links(repo.root, [doc.file])
            try:
                data = (repo.root / doc.file).read_bytes()
            except OSError:
                entry["validity"] = "missing"
                missing.append(f"{task.id}/{doc.id}")
                continue
            name = Path(doc.file).name
            if vault.is_age(data):
                plaintext = (_try_decrypt(config, who, readers, project.owner, data, keyring, doc.file)
                             if decrypt else None)
                if plaintext is None:
                    entry["encrypted"] = True
                    if decrypt:
                        kept.append(f"{task.id}/{doc.id}")
                else:
                    data, name = plaintext, name.removesuffix(vault.SUFFIX)
            if not entry["encrypted"] and doc.sha256:
                entry["sha256_verified"] = vault.sha256(data) == doc.sha256
            entry["file"] = f"documents/{task.id}/{name}"
            files[entry["file"]] = data
    rejections = []
    for i, rejection in enumerate(project.rejections):
        item = {**rejection.to_dict(), "evidence_file": None, "evidence_encrypted": False}
        if rejection.evidence:
            refuse_links(repo.root, [rejection.evidence])
            try:
                data = (repo.root / rejection.evidence).read_bytes()
            except OSError:
                data = None
            if data is not None:
                name = Path(rejection.evidence).name
                if vault.is_age(data) and decrypt:
                    plaintext = _try_decrypt(config, who, vault.evidence_readers(project, rejection), project.owner,
                                             data, keyring, rejection.evidence)
                    if plaintext is not None:
                        data, name = plaintext, name.removesuffix(vault.SUFFIX)
                item["evidence_encrypted"] = vault.is_age(data)
                item["evidence_file"] = f"evidence/{i + 1}-{name}"
                files[item["evidence_file"]] = data
        rejections.append(item)
    manifest = {
        "version": 1,
        "generator": f"storeops {__version__}",
        "exported_at": datetime.now(ZoneInfo(config.timezone)).replace(microsecond=0).isoformat(),
        "exported_by": who.name,
        "decrypted": decrypt,
        "project": {"id": project.id, "store": project.store, "entity": project.entity,
                    "platform": project.platform, "site": project.site, "sop": project.sop,
                    "owner": project.owner, "status": project_status(project), "today": on.isoformat()},
        "documents": documents,
        "rejections": rejections,
        "secrets": [{"key": k, "hint": v.get("hint") or "****"} for k, v in sorted(project.secrets.items())],
    }
    return manifest, files, kept, missing


def _try_decrypt(config, who, readers, owner, data, keyring, what) -> bytes | None:
    """Plaintext for a reader whose identity works; None keeps the file encrypted in the package."""
    if who.person is None or who.person.name not in {p.name for p in vault.reader_people(config, readers, owner)}:
        return None
    try:
        return vault.decrypt(data, keyring.identities, what)
    except EnvError:
        return None


def index_markdown(manifest: dict, lang: str = "en") -> str:
    p = manifest["project"]
    lines = [
        f"# {p['store']} — {p['platform']} {p['site']}",
        "",
        f"Project `{p['id']}` ({p['sop']}), owner {p['owner']}, status {p['status']}.",
        f"Exported {manifest['exported_at']} by {manifest['exported_by']} with {manifest['generator']}; "
        + ("documents decrypted where the exporter is a reader." if manifest["decrypted"]
           else "sensitive documents are age-encrypted (.age)."),
        "",
        "## Documents",
        "",
        "| task | document | issued | valid until | validity | file | sha256 |",
        "|---|---|---|---|---|---|---|",
    ]
    for d in manifest["documents"]:
        checked = {True: " ✓", False: " ✗ MISMATCH", None: ""}[d["sha256_verified"]]
        file = f"[{d['file']}]({d['file']})" + (" 🔒" if d["encrypted"] else "") if d["file"] else "—"
        lines.append(f"| {_cell(d['task'])} | {_cell(_title(d, lang))} | {d['issued'] or '—'} "
                     f"| {d['expires'] or '—'} "
                     f"| {d['validity']} | {file} | {('`' + d['sha256'] + '`' + checked) if d['sha256'] else '—'} |")
    lines += ["", "## Rejections", ""]
    if not manifest["rejections"]:
        lines.append("None.")
    for r in manifest["rejections"]:
        evidence = f" Evidence: [{r['evidence_file']}]({r['evidence_file']})" if r["evidence_file"] else ""
        lines.append(f"- {r['at']} {r['task'] or ''} `{r['reason']}`: {_cell(r['message'] or '')}.{evidence}")
    if manifest["secrets"]:
        lines += ["", "## Secrets (hints only)", ""]
        lines += [f"- {s['key']}: {s['hint']}" for s in manifest["secrets"]]
    return "\n".join(lines) + "\n"


def _title(d: dict, lang: str) -> str:
    title = (d["title"] or {}).get(lang) or (d["title"] or {}).get("en")
    return f"{d['id']} ({title})" if title else d["id"]


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def export(repo: StoresRepo, project_id: str, out: Path, decrypt: bool = False, fmt: str = "dir",
           keyring: vault.Keyring | None = None) -> Exported:
    out = _check_target(repo, out, fmt)
    project = repo.load_project(project_id)
    manifest, files, kept, missing = build(repo, project, decrypt, keyring)
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files["index.md"] = index_markdown(manifest, repo.config.language).encode("utf-8")
    _write(out, files, fmt, private=decrypt)
    decrypted = sum(1 for d in manifest["documents"] if d["file"] and not d["encrypted"] and d["sensitive"])
    return Exported(out, sum(1 for d in manifest["documents"] if d["file"]), decrypted if decrypt else 0,
                    tuple(kept), tuple(missing), manifest)


def _write(out: Path, files: dict[str, bytes], fmt: str, private: bool) -> None:
    # a decrypted package holds plaintext: readable by its owner only
    file_mode, dir_mode = (0o600, 0o700) if private else (0o644, 0o755)
    try:
        if fmt == "zip":
            out.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode)
            with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                for rel, data in sorted(files.items()):
                    archive.writestr(rel, data)
            return
        out.mkdir(parents=True, exist_ok=True, mode=dir_mode)
        for rel, data in sorted(files.items()):
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True, mode=dir_mode)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, file_mode)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
    except OSError as error:
        raise EnvError(f"{out}: cannot write the package ({error.strerror})") from None
