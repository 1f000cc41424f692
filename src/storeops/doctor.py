"""`storeops doctor`: is this clone set up? Fixes what lives outside git (local config).

A fresh `git clone` has the versioned files but not the local git config, so
the merge driver named in .gitattributes is unknown there until registered,
and no hooks, so the pre-commit guard against plaintext is missing too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from storeops import gitcmd, merge
from storeops.errors import StoreopsError
from storeops.repo import StoresRepo


@dataclass(frozen=True)
class Finding:
    name: str
    status: str          # ok, fixed, warning, problem
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


def doctor(repo: StoresRepo) -> list[Finding]:
    out: list[Finding] = []
    root = repo.root
    try:
        config = repo.config
        out.append(Finding("config", "ok", f"storeops.yaml: team {config.team!r}, {len(config.people)} people"))
    except StoreopsError as error:
        out.append(Finding("config", "problem", f"{error.message} (run storeops check)"))
        config = None
    try:
        ident = gitcmd.identity(root)
        person = config.person_by_email(ident.email) if config else None
        if person:
            out.append(Finding("identity", "ok", f"you are {person.name} ({', '.join(person.roles) or 'no roles'})"))
        else:
            out.append(Finding("identity", "warning", f"{ident.email} is not in storeops.yaml: your changes will "
                                                      "show your git name and you cannot approve"))
    except StoreopsError as error:
        out.append(Finding("identity", "problem", error.message))
    out.append(_driver(root))
    out.append(_guard(root))
    if merge.attributes_ok(root):
        out.append(Finding("attributes", "ok", ".gitattributes sends projects/*.yaml to the storeops merge driver"))
    else:
        out.append(Finding("attributes", "problem", "add `projects/*.yaml merge=storeops text eol=lf` to "
                                                    ".gitattributes and commit it"))
    remotes = gitcmd.run(root, "remote").stdout.split()
    out.append(Finding("remote", "ok" if remotes else "warning",
                       f"remotes: {', '.join(remotes)}" if remotes else "no remote: storeops sync needs one "
                                                                        "(git remote add origin URL)"))
    return out


def _driver(root) -> Finding:
    current = merge.registered_driver(root)
    problem = merge.driver_problem(current)
    if problem is None:
        return Finding("merge-driver", "ok", f"merge driver: {merge.driver_interpreter(current)} -m storeops "
                                             "merge-file, git's line merge if it cannot run")
    command = merge.register_driver(root)
    return Finding("merge-driver", "fixed", f"merge driver registered ({problem}): {merge.driver_interpreter(command)} "
                                            "-m storeops merge-file, git's line merge if it cannot run")


def _guard(root) -> Finding:
    from storeops import hook

    path, status = hook.install(root)
    # after `pre-commit install` the guard is pre-commit.legacy, which pre-commit's hook runs first
    chained = ", run by pre-commit's hook" if hook.is_chained(path) else ""
    if status == "current":
        return Finding("pre-commit-guard", "ok", f"pre-commit guard: {path}{chained}")
    if status in ("installed", "updated"):
        return Finding("pre-commit-guard", "fixed", f"pre-commit guard {status}: {path}{chained} (refuses "
                                                    "plaintext documents under attachments/)")
    why = "is another tool's hook" if status == "kept" else "is shared with other repositories (core.hooksPath)"
    return Finding("pre-commit-guard", "warning", f"{path} {why}; add this line to it: storeops hook pre-commit")
