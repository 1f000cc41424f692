"""`storeops check`: every problem in a stores repo, collected, never raised.

Each rule returns Problem records; the CLI prints them as file:line:col, sorted by
file and line like a compiler. Every stage runs on every file (YAML, schema,
fields and dates, people, SOP rules, isolation, attachments): a field that is
wrong is reported, set aside (see lenient.py) and the later stages run
on the rest, so one run shows every problem. Only a file that is not YAML at
all stops there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storeops import lenient, schema, yamlio
from storeops.config import Config
from storeops.errors import DataError, StoreopsError, UsageError, did_you_mean
from storeops.model import FieldError, Project
from storeops.problems import Finding as Problem  # check's name for it since the start
from storeops.repo import CONFIG_FILE, StoresRepo, project_text
from storeops.sop import Sop, category_vocabulary, load_library
from storeops.workflow import dependency_cycle, task_problems


class _Collector:
    """Problems of one file; `text` may be a function that reads it (lines are only looked up on errors).

    `reported`: document paths already reported by an earlier stage; findings at or under them are not
    repeated (an owner that is not a valid name is not also "not a person on the team").
    """

    def __init__(self, source: str, text, reported: tuple = ()):
        self.source, self._text, self.items, self.reported = source, text, [], reported

    @property
    def text(self) -> str | None:
        if callable(self._text):
            self._text = self._text()
        return self._text

    def add(self, doc_path: tuple, message: str, code: str) -> None:
        if any(doc_path[:len(seen)] == seen for seen in self.reported):
            return
        where = yamlio.locate(self.text, doc_path) if self.text else None
        line, col = where or (None, None)
        dotted = FieldError(doc_path, message).dotted
        self.items.append(Problem(self.source, line, col, f"{dotted}: {message}" if dotted else message, code))


def _from_data_error(error: DataError, code: str) -> Problem:
    return Problem(error.source, error.line, error.col, (f"{error.field}: " if error.field else "") + error.detail, code)


def _parse(path: Path, source: str):
    """(text, data) or a Problem when the file cannot be read as a YAML mapping."""
    try:
        text = yamlio.read_bytes(path, source)
    except DataError as error:
        return None, _from_data_error(error, "yaml")
    data = _mapping(text, source)
    return (None, data) if isinstance(data, Problem) else (text, data)


def _mapping(text: str, source: str):
    """The YAML mapping in `text`, or a Problem."""
    try:
        data = yamlio.loads(text, source)
    except DataError as error:
        return _from_data_error(error, "yaml")
    if not isinstance(data, dict):
        # the schema would print the whole document back; say what is wrong instead
        held = {type(None): "nothing", list: "a list"}.get(type(data), "a single value")
        return Problem(source, 1, 1, f"expected a mapping of fields (key: value); the file holds {held}", "yaml")
    return data


def check_config(repo: StoresRepo) -> tuple[list[Problem], Config | None]:
    if (repo.root / CONFIG_FILE).is_symlink():
        return [], None  # never read: check_tree reports the link
    text, data = _parse(repo.root / CONFIG_FILE, CONFIG_FILE)
    if text is None:
        return [data], None
    out = _Collector(CONFIG_FILE, text)
    reported = []
    for doc_path, message in schema.errors("config", data):
        out.add(doc_path, message, "schema")
        reported.append(tuple(doc_path))
    # every broken field, not only the first
    config, errors, _ = lenient.build(Config.from_dict, data)
    for error in errors:
        if not any(tuple(error.path)[:len(seen)] == seen for seen in reported):
            out.add(error.path, error.message, "config")
            reported.append(tuple(error.path))
    # a team read around its broken fields would blame every project for a person set aside: no people checks
    usable = config if not out.items else None
    if usable is not None:
        _check_people(out, usable)
    return out.items, usable


def _check_people(out: _Collector, config: Config) -> None:
    """Commits map to people by email, and files are encrypted to their keys: both must be unambiguous and real."""
    from storeops import vault

    owners: dict[str, str] = {}
    for i, person in enumerate(config.people):
        email = person.email.strip().lower()
        if email in owners:
            out.add(("people", i, "email"), f"{person.email} also belongs to {owners[email]}: commits by that "
                                            "address could be credited to either", "people")
        owners.setdefault(email, person.name)
        if person.age:
            try:
                vault.normalize_key(person.age)
            except UsageError as error:
                if "private key" in error.message:
                    out.add(("people", i, "age"), f"{person.name}'s age: holds a private key; remove it and "
                                                  "replace the key (it is in git history now)", "people")
                else:
                    out.add(("people", i, "age"), f"{person.age[:40]!r} is not an age recipient (age1...) or an "
                                                  "SSH public key", "people")


def check_sop_file(path: Path, source: str) -> list[Problem]:
    text, data = _parse(path, source)
    if text is None:
        return [data]
    reported = []
    out = _Collector(source, text)
    for doc_path, message in schema.errors("sop", data):
        out.add(doc_path, message, "schema")
        reported.append(tuple(doc_path))
    out.reported = tuple(reported)
    # the SOP's own rules run on what is well-formed: tasks that are mappings with an id, lists that are lists
    tasks = data.get("tasks") if isinstance(data.get("tasks"), list) else []
    tasks = [(i, t) for i, t in enumerate(tasks) if isinstance(t, dict) and isinstance(t.get("id"), str)]
    ids = [t["id"] for _, t in tasks]

    def listed(task: dict, key: str) -> list:
        value = task.get(key, [])
        return value if isinstance(value, list) else []

    for i, task in tasks:
        for j, dep in enumerate(listed(task, "depends_on")):
            if isinstance(dep, str) and dep not in ids:
                out.add(("tasks", i, "depends_on", j), f"depends on unknown task {dep!r}", "sop")
        for k, doc in enumerate(listed(task, "documents")):
            template = doc.get("template") if isinstance(doc, dict) else None
            if (isinstance(template, str) and template and not (path.parent / "templates" / template).is_file()
                    and not _builtin_template(template)):
                out.add(("tasks", i, "documents", k, "template"), f"template {template!r} not found in sop/templates/", "sop")
    cycle = dependency_cycle(_Deps(t["id"], tuple(d for d in listed(t, "depends_on") if isinstance(d, str)))
                             for _, t in tasks)
    if cycle:
        out.add(("tasks",), "tasks depend on each other in a circle: " + " → ".join(cycle), "sop")
    return out.items


@dataclass(frozen=True)
class _Deps:
    id: str
    depends_on: tuple


def _builtin_template(name: str) -> bool:
    from storeops.sop import templates_dir

    return (templates_dir() / name).is_file()


def check_project_file(repo: StoresRepo, path: Path, config: Config | None, library: dict[str, Sop],
                       keyring=None, parsed: dict | None = None, store=None) -> list[Problem]:
    """Problems in one project file; a file that parses is also put in `parsed` (id → (project, text)).

    `store`: a cache.ProjectCache for what depends on the file's bytes alone (see content_findings);
    the rules that look at the team, the SOPs, other files and attachments run every time.
    """
    from storeops.cache import blob_id, dump_project, load_project

    source = repo.rel(path)
    try:
        raw = yamlio.read_raw(path, source)
    except DataError as error:
        return [_from_data_error(error, "yaml")]
    key = blob_id(raw)
    findings = store.get(key, "findings") if store is not None else None
    if not (isinstance(findings, tuple) and len(findings) == 4):
        findings = None
    project = load_project(store.get(key, "project")) if findings is not None and not findings[0] else None
    if findings is None or project is None:  # not validated yet, a damaged entry, or a broken file (never cached)
        from storeops.summary import summary_seed

        project, findings = content_findings(raw, source)
        if store is not None:
            store.put(key, "findings", findings)
            if project is not None and not findings[0]:  # only a file that loads: the readers trust this entry
                store.put(key, "project", dump_project(project))
                store.put(key, "summary", summary_seed(project))
    early, platform, canonical, reported = findings
    found = [Problem(source, *item) for item in early]
    if project is None:  # not YAML, or nothing left to check the later stages on
        return found
    text = _Text(raw, source)
    out = _Collector(source, text, reported)
    if path.name != f"{project.id}.yaml":
        out.add(("id",), f"id {project.id!r} does not match the file name {path.name}", "project")
    elif parsed is not None and not any(seen[:1] == ("id",) for seen in reported):
        parsed[project.id] = (project, text)
    out.items += [Problem(source, *item) for item in platform]
    _check_rules(out, repo, project, config, library, keyring)
    if not canonical:
        out.items.append(Problem(source, None, None, "not in canonical form (run `storeops fmt`)", "fmt"))
    return found + out.items


class _Text:
    """A file's text, decoded when first asked for (only problems need it)."""

    def __init__(self, raw: bytes, source: str):
        self.raw, self.source, self.text = raw, source, None

    def __call__(self) -> str:
        if self.text is None:
            self.text = yamlio.decode(self.raw, self.source)
        return self.text


def content_findings(raw: bytes, source: str) -> tuple[Project | None, tuple]:
    """What depends on a project file's bytes alone: (project or None, (early, platform, canonical, reported)).

    `early`: the problems that make the file unreadable for the other commands (YAML, schema, fields,
    dates), all of them; `platform`: the platform schema's problems; `canonical`: written as fmt would;
    `reported`: the document paths of the early problems, which the later stages do not report again.
    The project is None only when the file is not a YAML mapping (or cannot be built even with its
    broken fields set aside); with early problems it is the lenient one (see `lenient.project`), for the
    later stages only. Problems are (line, col, message, code): the same bytes under another name have
    the same findings.
    """
    try:
        text = yamlio.decode(raw, source)
    except DataError as error:
        return None, ((_bare(_from_data_error(error, "yaml")),), (), True, ())
    data = _mapping(text, source)
    if isinstance(data, Problem):
        return None, ((_bare(data),), (), True, ())
    out = _Collector(source, text)
    reported = []
    for doc_path, message in schema.errors("project", data):
        out.add(doc_path, message, "schema")
        reported.append(tuple(doc_path))
    project, errors, repaired = lenient.project(data)
    for error in errors:
        if not any(tuple(error.path)[:len(seen)] == seen for seen in reported):  # the schema said it already
            out.add(error.path, error.message, "project")
            reported.append(tuple(error.path))
    reported += [p for p in repaired if p not in reported]
    early = tuple(map(_bare, out.items))
    out.items = []
    if project is None:
        return None, (early, (), True, tuple(reported))
    out.reported = tuple(reported)
    for doc_path, message in schema.errors(f"platforms/{project.platform}", data):
        out.add(doc_path, message, "platform")
        reported.append(tuple(doc_path))  # the SOP's rule on the same field would say it again
    canonical = bool(early) or project_text(project) == text  # a broken file is fixed first, formatted after
    return project, (early, tuple(map(_bare, out.items)), canonical, tuple(reported))


def _bare(problem: Problem) -> tuple:
    return (problem.line, problem.col, problem.message, problem.code)


def _check_rules(out: _Collector, repo: StoresRepo, project: Project, config: Config | None,
                 library: dict[str, Sop], keyring=None) -> None:
    sop = library.get(project.sop_id)
    if sop is None and (repo.root / "sop" / f"{project.sop_id}.yaml").is_file():
        out.add(("sop",), f"SOP {project.sop_id!r} cannot be used until sop/{project.sop_id}.yaml is fixed", "sop")
    elif sop is None:
        out.add(("sop",), f"unknown SOP {project.sop_id!r} (not built in, not in sop/)", "sop")
    elif project.site not in sop.sites:
        out.add(("site",), f"site {project.site!r} is not one of {sop.id}'s sites: {', '.join(sop.sites)}", "sop")
    if config is not None and config.person(project.owner) is None:
        out.add(("owner",), f"{project.owner!r} is not a person in storeops.yaml", "people")
    if config is not None and project.category is not None:
        vocabulary = category_vocabulary(library, config.categories)
        if project.category not in vocabulary:
            suggestion = did_you_mean(project.category, vocabulary)
            out.add(("category",), f"{project.category!r} is not a category of the team"
                    + (f" ({suggestion})" if suggestion else " (add it under categories: in storeops.yaml)"), "category")
    ids = [t.id for t in project.tasks]
    cycle = dependency_cycle(project.tasks)
    if cycle:
        out.add(("tasks",), "tasks depend on each other in a circle: " + " → ".join(cycle), "workflow")
    for i, task in enumerate(project.tasks):
        at = ("tasks", i)
        for j, dep in enumerate(task.depends_on):
            if dep not in ids:
                out.add(at + ("depends_on", j), f"depends on unknown task {dep!r}", "workflow")
        for field, message, code in task_problems(project, task):
            out.add(at + (field,), message, code)
        if config is not None:
            if task.assignee and config.person(task.assignee) is None:
                out.add(at + ("assignee",), f"{task.assignee!r} is not a person in storeops.yaml", "people")
            for k, approval in enumerate(task.approvals):
                person = config.person(approval.by)
                if person is None or approval.role not in person.roles:
                    out.add(at + ("approvals", k, "by"), f"{approval.by!r} does not hold the {approval.role} role", "approval")
        for k, doc in enumerate(task.documents):
            if doc.file is None:
                continue
            if not doc.file.startswith(f"attachments/{project.id}/"):
                out.add(at + ("documents", k, "file"), f"attachments of {project.id} live under attachments/{project.id}/", "document")
            elif not (repo.root / doc.file).is_file():
                out.add(at + ("documents", k, "file"), f"{doc.file} does not exist", "document")
            if doc.sensitive and not doc.file.endswith(".age"):
                out.add(at + ("documents", k, "file"), f"{doc.id} is sensitive but stored unencrypted", "sensitive")
            _check_stored(out, repo, doc, at + ("documents", k), keyring)
            _check_readers(out, config, doc.readers, at + ("documents", k, "readers"))
    for key, secret in project.secrets.items():
        _check_readers(out, config, tuple(secret.get("readers") or ()), ("secrets", key, "readers"))
        _check_secret(out, key, secret)
    for i, rejection in enumerate(project.rejections):
        if rejection.task and rejection.task not in ids:
            out.add(("rejections", i, "task"), f"unknown task {rejection.task!r}", "rejection")
        if sop is not None and rejection.reason != "other" and rejection.reason not in sop.rejection_codes():
            out.add(("rejections", i, "reason"), f"{rejection.reason!r} is not a rejection code of {sop.id}", "rejection")
        if rejection.evidence is not None:
            if not rejection.evidence.startswith(f"attachments/{project.id}/"):
                out.add(("rejections", i, "evidence"), f"attachments of {project.id} live under attachments/{project.id}/", "rejection")
            elif not (repo.root / rejection.evidence).is_file():
                out.add(("rejections", i, "evidence"), f"{rejection.evidence} does not exist", "rejection")
            elif rejection.evidence.endswith(".age") and not (repo.root / rejection.evidence).is_symlink():
                from storeops import agefile

                broken = agefile.problem((repo.root / rejection.evidence).read_bytes())
                if broken is not None:
                    out.add(("rejections", i, "evidence"),
                            f"{rejection.evidence} is not a valid age file: {broken} (damaged?)", "damaged")


def _check_secret(out: _Collector, key: str, secret: dict) -> None:
    from storeops import agefile

    armored = secret.get("age")
    if isinstance(armored, str):
        broken = agefile.problem(armored.encode("utf-8", "replace"))
        if broken is not None:
            out.add(("secrets", key, "age"), f"secret {key} is not a valid age file: {broken} (damaged?)", "damaged")


def _check_stored(out: _Collector, repo: StoresRepo, doc, at: tuple, keyring) -> None:
    """The stored file is what the project says: age ciphertext when named .age, and the recorded sha256.

    Without an identity only the age header can be checked (CI usually has none); with one, a file that
    fails to decrypt for its readers is damaged, and the plaintext is compared with the recorded sha256.
    """
    from storeops import agefile, vault

    from storeops.repo import linked

    path = repo.root / doc.file
    if linked(repo.root, doc.file, _folders(repo)) or not path.is_file():
        return  # a symlink is a finding of check_tree, and never read
    data = path.read_bytes()
    if doc.file.endswith(vault.SUFFIX):
        if not vault.is_age(data):
            out.add(at + ("file",), f"{doc.file} is named .age but is not age ciphertext", "sensitive")
            return
        broken = agefile.problem(data)
        if broken is not None:
            out.add(at + ("file",), f"{doc.file} is not a valid age file: {broken} (damaged?)", "damaged")
            return
        if keyring is None or not keyring.available():
            return
        try:
            data = vault.decrypt(data, keyring.identities, doc.file)
        except vault.CannotDecrypt as error:
            # "damaged": the key matched and the bytes are wrong; no matching key is normal until
            # `rekey` after a key change, and says nothing about the file
            if "damaged" in error.message:
                out.add(at + ("file",), f"{doc.file} cannot be decrypted by its readers — damaged? "
                                        "(restore it from git history or attach it again)", "damaged")
            return
    if doc.sha256 and vault.sha256(data) != doc.sha256:
        out.add(at + ("sha256",), f"{doc.file} does not match its recorded sha256 (changed outside storeops?)", "hash")


def _folders(repo: StoresRepo) -> dict:
    """The repo's folders known (not) to be symlinks, for this run (one StoresRepo is one command)."""
    if not hasattr(repo, "_link_folders"):
        repo._link_folders = {}
    return repo._link_folders


def _check_readers(out: _Collector, config: Config | None, readers: tuple, at: tuple) -> None:
    from storeops.model import ROLES
    from storeops.vault import OWNER

    if config is None:
        return
    for j, name in enumerate(readers):
        if name not in ROLES and name != OWNER and config.person(name) is None:
            out.add(at + (j,), f"reader {name!r} is neither a role, `owner` nor a person on the team "
                               "(run `storeops rekey` after removing people)", "readers")


def check_repo(repo: StoresRepo, paths: list[Path] | None = None, progress=None) -> list[Problem]:
    """All problems in the repo, or only in `paths` (files or folders inside it)."""
    problems, config = check_config(repo)
    for path, source, _origin in _sop_files(repo):
        found = check_sop_file(path, source)
        problems += found
    library = load_library(repo.root, skip_broken=True)  # broken SOPs were reported above
    files = _project_files(repo, paths)
    from storeops.vault import Keyring

    from storeops.cache import ProjectCache

    keyring = Keyring()
    parsed: dict = {}
    store = ProjectCache.open(repo.cache_dir_root)
    for path in (progress(files) if progress else files):
        problems += check_project_file(repo, path, config, library, keyring, parsed, store)
    store.save(prune=not paths)
    from storeops.check_tree import tree_problems

    everyone = _every_project(repo, parsed)
    problems += tree_problems(repo, everyone)
    problems += isolation_problems(repo, parsed, everyone)
    # like a compiler: by file, then line and column (the order each stage found them in breaks ties)
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.col or 0))


def _every_project(repo: StoresRepo, parsed: dict) -> dict:
    """id → Project of every project that parses: those checked in this run, and (when only some files are
    checked) the others, which attachments and isolation are still compared with."""
    from storeops.repo import parse_project

    projects = {pid: project for pid, (project, _text) in parsed.items()}
    for pid in repo.project_ids():
        if pid not in projects:
            try:
                projects[pid] = parse_project(*repo.read_project_text(pid))
            except StoreopsError:
                pass  # reported when that file itself is checked
    return projects


def isolation_problems(repo: StoresRepo, parsed: dict, everyone: dict) -> list[Problem]:
    """Shared network, device, login, phone, payout account or entity, reported on each file checked
    (`parsed`), compared with every project (`everyone`)."""
    from storeops.isolation import conflicts

    found = []
    for conflict in conflicts(list(everyone.values())):
        for pid in conflict.projects:
            if pid in parsed:
                out = _Collector(repo.rel(repo.project_path(pid)), parsed[pid][1])
                out.add(conflict.field, conflict.message_for(pid), "isolation")
                found += out.items
    return found


def _sop_files(repo: StoresRepo):
    from storeops.sop import sop_files

    return [f for f in sop_files(repo.root) if f[2] == "team" and not f[0].is_symlink()]


def _project_files(repo: StoresRepo, paths: list[Path] | None) -> list[Path]:
    if not paths:
        if repo.projects_dir.is_symlink():
            return []  # never followed: check_tree reports the link
        return sorted(p for p in repo.projects_dir.glob("*.yaml") if not p.name.startswith(".") and not p.is_symlink())
    projects = repo.projects_dir.resolve()
    always = {(repo.root / CONFIG_FILE).resolve(), repo.root.resolve(), (repo.root / "sop").resolve()}
    files: list[Path] = []
    for given in paths:
        given = given.resolve()
        if not given.exists():
            raise DataError(str(given), "no such file or folder")
        if given in always or given.parent == (repo.root / "sop").resolve():
            continue  # storeops.yaml and the team's SOPs are checked every time
        if given != projects and given.parent != projects:
            # silently checking nothing would let CI pass on a mistyped path
            raise UsageError(f"{given} is not a project file of the stores repo at {repo.root}",
                             hint="give files or folders under projects/, or nothing to check everything")
        files += [p for p in given.glob("*.yaml") if not p.name.startswith(".")] if given.is_dir() else [given]
    return sorted(set(files))
