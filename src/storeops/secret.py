"""A project's secrets: inline armored age in the project file, shown only as hints.

The value comes from the caller (a hidden prompt or stdin, never argv) and is
encrypted before the project file is written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from storeops import vault
from storeops.actions import _writable, actor, save_project
from storeops.errors import EnvError, UsageError, did_you_mean
from storeops.model import KEY_RE, Project
from storeops.repo import StoresRepo


@dataclass(frozen=True)
class SecretSet:
    key: str
    hint: str
    replaced: bool
    encrypted_to: tuple[str, ...]
    warnings: tuple[str, ...]


def check_key(key: str) -> str:
    if not KEY_RE.match(key or ""):
        raise UsageError(f"{key!r} is not a valid secret name",
                         hint="lower_snake_case, starting with a letter, e.g. legal_rep_id_number")
    return key


def _secret(project: Project, key: str) -> dict:
    if key not in project.secrets:
        raise UsageError(f"{project.id} has no secret {key!r}",
                         hint=did_you_mean(key, list(project.secrets)) or f"see `storeops secret list {project.id}`")
    return project.secrets[key]


def set_secret(repo: StoresRepo, project_id: str, key: str, value: str, readers: str | None = None) -> SecretSet:
    check_key(key)
    if not value:
        raise UsageError("the secret is empty; nothing was stored")
    with repo.lock():
        config = repo.config
        project = repo.load_project(project_id)
        _writable(project)
        who = actor(repo)
        old = project.secrets.get(key)
        names = (vault.parse_readers(config, readers)
                 or vault.known_readers(config, tuple((old or {}).get("readers") or ()))
                 or vault.secret_default_readers(project))
        recipients = vault.recipients_for(config, names, project.owner, f"{project.id} secret {key}")
        hint = vault.hint_for(value)
        entry = {"hint": hint, "age": vault.encrypt_armored(value.encode("utf-8"), recipients.keys),
                 "readers": list(names)}
        changed = dataclasses.replace(project, secrets={**project.secrets, key: entry})
        warnings = []
        if recipients.keyless:
            warnings.append(f"{', '.join(recipients.keyless)} cannot read it until they have a key "
                            "and someone runs `storeops rekey`")
        if who.person is None or who.person.name not in recipients.people:
            warnings.append("you are not among its readers: you will not be able to read it back")
        save_project(repo, changed, f"secret {'replace' if old else 'set'} {project.id}: {key}", "secret", who)
        return SecretSet(key, hint, old is not None, recipients.people, tuple(warnings))


def get_secret(repo: StoresRepo, project_id: str, key: str, keyring: vault.Keyring | None = None) -> str:
    check_key(key)
    project = repo.load_project(project_id)
    secret = _secret(project, key)
    who = actor(repo)
    vault.require_reader(repo.config, who.person, who.name, vault.secret_readers(project, secret), project.owner,
                         f"{project.id} secret {key}")
    data = vault.decrypt(secret["age"].encode("ascii", "replace"), (keyring or vault.Keyring()).identities,
                         f"{project.id} secret {key}")
    return data.decode("utf-8")


def list_secrets(repo: StoresRepo, project_id: str) -> list[dict]:
    """Hints and readers only: nothing here needs (or shows) the value."""
    project = repo.load_project(project_id)
    config = repo.config
    try:
        me = actor(repo).person
    except EnvError:  # no git identity: still list, just cannot say who "you" are
        me = None
    out = []
    for key, secret in sorted(project.secrets.items()):
        names = vault.secret_readers(project, secret)
        people = [p.name for p in vault.reader_people(config, names, project.owner)]
        out.append({"key": key, "hint": secret.get("hint") or "****", "readers": list(names),
                    "reader_people": people, "you_can_read": bool(me and me.name in people)})
    return out


def remove_secret(repo: StoresRepo, project_id: str, key: str) -> None:
    check_key(key)
    with repo.lock():
        project = repo.load_project(project_id)
        _writable(project)
        who = actor(repo)
        _secret(project, key)
        changed = dataclasses.replace(project, secrets={k: v for k, v in project.secrets.items() if k != key})
        save_project(repo, changed, f"secret remove {project.id}: {key}", "secret", who)
