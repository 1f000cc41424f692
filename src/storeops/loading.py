"""The one loading path of the readers: every project that can be read, and the problems of those that cannot.

`projects(repo)` and `summary_seeds(repo)` never stop at a broken file: it is skipped
and described by a Problem (problems.py), and the caller shows what it has and names
what it skipped. Commands that must see every project (removing a person, rekeying
the vault) call `raise_first` on the problems.

Parsed files are kept between runs in the cache (cache.py), keyed by their bytes; a
broken file is never cached, so it is parsed again (and reported again) each run.
"""

from __future__ import annotations

from storeops.cache import ProjectCache, blob_id, dump_project, load_project
from storeops.errors import StoreopsError
from storeops.problems import Problem, raise_first
from storeops.repo import StoresRepo, check_id
from storeops.summary import summary_seed


def projects(repo: StoresRepo) -> tuple[list, list[Problem]]:
    """Every project that loads, in id order, and a Problem for each file that does not."""
    return _read(repo, "project")


def summary_seeds(repo: StoresRepo) -> tuple[list[dict], list[Problem]]:
    """summary.summary_seed of every project that loads (from the cache where it can), and the problems."""
    return _read(repo, "summary")


def all_projects(repo: StoresRepo) -> list:
    """Every project, or the first problem raised: for writers that span every project."""
    loaded, problems = projects(repo)
    raise_first(problems)
    return loaded


def _read(repo: StoresRepo, want: str) -> tuple[list, list[Problem]]:
    from storeops import yamlio

    store = ProjectCache.open(repo.cache_dir_root)
    out, problems = [], []
    try:
        folder = repo.projects_dir
        prefix = repo.rel(folder) + "/"
        for pid in repo.project_ids():
            name = f"{check_id(pid)}.yaml"
            path, source = folder / name, prefix + name  # repo.project_path and repo.rel, without the Path work
            try:
                raw = yamlio.read_raw(path, source)
                key = blob_id(raw)
                stored = store.get(key, want)
                value = load_project(stored) if want == "project" else (stored if isinstance(stored, dict) else None)
                if value is None:
                    project = repo.project_from_text(pid, yamlio.decode(raw, source), source)
                    value = project if want == "project" else summary_seed(project)
                    store.put(key, want, dump_project(project) if want == "project" else value)
                elif (value.id if want == "project" else value["id"]) != pid:
                    repo.load_project(pid)  # the same bytes under another name: raises the id mismatch, with its line
            except StoreopsError as error:
                problems.append(Problem.from_error(error, source))
                continue
            except OSError as error:  # unreadable (permissions): named like any other broken file
                problems.append(Problem(source, None, None, f"cannot read ({error.strerror or error})"))
                continue
            out.append(value)
    except BaseException:
        store.save()  # keep what was read before the interruption
        raise
    store.save(prune=True)
    return out, problems
