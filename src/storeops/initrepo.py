"""`storeops init`: make a folder a stores repo."""

from __future__ import annotations

from pathlib import Path

from storeops import gitcmd
from storeops.config import DEFAULT_POLICIES, LANGUAGES, Config, Person, check_timezone
from storeops.errors import UsageError
from storeops.model import PERSON_RE, FieldError
from storeops.repo import (ATTACHMENTS_DIR, CONFIG_FILE, PROJECTS_DIR, SCHEMA_COPY_DIR, SOP_DIR, atomic_write,
                           config_text)

GITATTRIBUTES = """\
# storeops: encrypted documents are binary; project files merge field by field
*.age binary
projects/*.yaml merge=storeops text eol=lf
storeops.yaml text eol=lf
"""

KEEP = {
    PROJECTS_DIR: "One YAML file per store-opening project, written by storeops.\n",
    ATTACHMENTS_DIR: "Documents per project; sensitive ones are age-encrypted (.age).\n",
    SOP_DIR: "Your team's own SOP templates; a file here overrides the built-in SOP with the same id.\n",
}


def person_name_from(git_name: str, email: str) -> str:
    """A person name (no spaces) from the git identity: 'Alice Wong' → 'alice'."""
    candidates = [git_name.split()[0] if git_name.split() else "", email.split("@")[0]]
    for candidate in candidates:
        name = "".join(c for c in candidate.lower() if c.isalnum() or c in "._-").strip("._-")
        if name and PERSON_RE.match(name):
            return name
    return "admin"


def install_schemas(root: Path) -> list[str]:
    """Copy the JSON Schemas into the stores repo, for editors; returns the paths written."""
    from storeops.resources import data_dir

    source = data_dir("schemas")
    written = []
    for schema_file in sorted(source.rglob("*.schema.json")):
        rel = schema_file.relative_to(source).as_posix()
        atomic_write(root / SCHEMA_COPY_DIR / rel, schema_file.read_text("utf-8"))
        written.append(f"{SCHEMA_COPY_DIR}/{rel}")
    return written


def initial_files(config: Config) -> dict[str, bytes]:
    """What `init` commits in a new folder, as bytes by path (for a history built with git fast-import)."""
    from storeops.resources import data_dir

    files = {CONFIG_FILE: config_text(config).encode("utf-8"), ".gitattributes": GITATTRIBUTES.encode("utf-8")}
    source = data_dir("schemas")
    for schema_file in sorted(source.rglob("*.schema.json")):
        files[f"{SCHEMA_COPY_DIR}/{schema_file.relative_to(source).as_posix()}"] = schema_file.read_bytes()
    for folder, readme in KEEP.items():
        files[f"{folder}/README.md"] = readme.encode("utf-8")
    return files


def new_git_repo(path: Path) -> None:
    """A new, empty git repository at `path` for a history to be imported (refuses an existing repo or stores repo)."""
    from storeops.merge import register_driver

    path = path.resolve()
    if (path / CONFIG_FILE).exists():
        raise UsageError(f"{path} is already a stores repo ({CONFIG_FILE} exists)",
                         hint="nothing to do; `storeops check` verifies it")
    if (path / ".git").exists():
        raise UsageError(f"{path} is already a git repository", hint="the example needs a new folder")
    path.mkdir(parents=True, exist_ok=True)
    gitcmd.run(path, "init", "--quiet", "--initial-branch=main")
    register_driver(path)


def init_repo(path: Path, *, team: str | None, timezone: str, language: str,
              people: list[Person] | None = None, commit_env: dict | None = None) -> Config:
    """Write storeops.yaml and the folders, make it a git repo if needed, and commit."""
    path = path.resolve()
    if (path / CONFIG_FILE).exists():
        raise UsageError(f"{path} is already a stores repo ({CONFIG_FILE} exists)",
                         hint="nothing to do; `storeops check` verifies it")
    if language not in LANGUAGES:
        raise UsageError(f"--language {language!r} is not one of {', '.join(LANGUAGES)}")
    try:
        check_timezone(timezone)
    except FieldError as error:
        raise UsageError(f"--timezone: {error.message}") from None
    if people is None:  # before touching the disk: no identity, nothing written
        existing = next(p for p in (path, *path.parents) if p.exists())
        ident = gitcmd.identity(existing)
        people = [Person(name=person_name_from(ident.name, ident.email), email=ident.email, roles=("admin", "lead"))]
    path.mkdir(parents=True, exist_ok=True)
    if not gitcmd.is_work_tree(path) or gitcmd.toplevel(path).resolve() != path:
        # like `git init DIR` (also inside another repo); main, as the forge workflows expect
        gitcmd.run(path, "init", "--quiet", "--initial-branch=main")
    config = Config(team=team or path.name, timezone=timezone, language=language, people=tuple(people),
                    policies=dict(DEFAULT_POLICIES))
    written = [CONFIG_FILE, ".gitattributes"]
    atomic_write(path / CONFIG_FILE, config_text(config))
    written += install_schemas(path)
    attributes = path / ".gitattributes"
    existing = attributes.read_text("utf-8") if attributes.exists() else ""
    if "merge=storeops" not in existing:
        atomic_write(attributes, existing + ("\n" if existing and not existing.endswith("\n") else "") + GITATTRIBUTES)
    for folder, readme in KEEP.items():
        (path / folder).mkdir(exist_ok=True)
        readme_path = path / folder / "README.md"
        if not readme_path.exists():
            atomic_write(readme_path, readme)
            written.append(f"{folder}/README.md")
    from storeops.gitcmd import commit_message
    from storeops.merge import register_driver

    register_driver(path)  # .gitattributes names the driver; each clone's config says what it is
    gitcmd.commit_paths(path, written, commit_message(f"init stores repo for {config.team}", "init"), env=commit_env)
    return config
