"""storeops import: rows of a team's existing tracker (xlsx or csv) become projects, all or nothing.

Each row is checked as `storeops new` would check it (owner on the team, site of the SOP, dates,
ids), plus the per-task columns (state, assignee, due) the sheet has. Problems name the cell:
`tracker.xlsx:Sheet1!C14: owner 'Bobby' is not on the team — did you mean bob?`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from storeops.errors import DataError, UsageError, did_you_mean
from storeops.model import STATES, Project

FIELDS = ("id", "store", "site", "owner", "start", "target", "category", "entity")
TASK_FIELDS = ("state", "assignee", "due")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")  # \Z: `$` would let a trailing newline through


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)                 # field → column header
    tasks: dict[str, dict[str, str]] = field(default_factory=dict)        # task id → {state|assignee|due: header}
    sheet: str | None = None


@dataclass
class Table:
    """The sheet read: headers, rows of raw cell values, and how to name a cell."""
    name: str           # "tracker.xlsx:Sheet1" or "tracker.csv"
    headers: list[str]
    rows: list[tuple[int, list]]   # (row number in the sheet, values)
    excel: bool

    def cell(self, row: int, column: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.name}{'!' if self.excel else ':'}{get_column_letter(column + 1)}{row}"


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    row: int

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Plan:
    new: list[Project] = field(default_factory=list)
    updated: list[Project] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)     # in the repo already, left as they are
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})


# ---- reading ----

def read_table(path: Path, sheet: str | None = None) -> Table:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise UsageError(f"{path}: not a .xlsx or .csv file", hint="save the tracker as .xlsx or .csv")


def _read_csv(path: Path) -> Table:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(path.name, "not UTF-8 text", hint="save it as CSV UTF-8, or as .xlsx") from None
    reader = list(csv.reader(io.StringIO(text, newline="")))
    if not reader:
        raise DataError(path.name, "the sheet is empty", hint="the first row names the columns")
    rows = [(i, values) for i, values in enumerate(reader[1:], start=2) if any(v.strip() for v in values)]
    return Table(path.name, [h.strip() for h in reader[0]], rows, excel=False)


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zip, xml and key errors alike
        raise DataError(path.name, f"cannot read the workbook ({type(error).__name__})",
                        hint="open it in Excel and save it again as .xlsx") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise UsageError(f"{path.name}: no sheet {sheet!r}", hint="sheets: " + ", ".join(book.sheetnames))
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        title = ws.title
    finally:
        book.close()
    if not values:
        raise DataError(f"{path.name}:{title}", "the sheet is empty", hint="the first row names the columns")
    headers = ["" if h is None else str(h).strip() for h in values[0]]
    rows = [(i, r) for i, r in enumerate(values[1:], start=2) if any(v not in (None, "") for v in r)]
    return Table(f"{path.name}:{title}", headers, rows, excel=True)


def read_mapping(path: Path) -> Mapping:
    source = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"--map {path}: cannot read ({error.strerror or error})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DataError(source, "not valid YAML", line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise DataError(source, "expected a mapping with columns: (and optionally tasks:, sheet:)")
    unknown = set(data) - {"columns", "tasks", "sheet"}
    if unknown:
        raise DataError(source, f"unknown key {sorted(unknown)[0]!r}", hint="keys: columns, tasks, sheet")
    columns = data.get("columns") or {}
    if not isinstance(columns, dict) or any(k not in FIELDS for k in columns):
        bad = next((k for k in columns if k not in FIELDS), None) if isinstance(columns, dict) else None
        raise DataError(source, f"columns: {bad!r} is not a project field" if bad else "columns: expected a mapping",
                        hint="fields: " + ", ".join(FIELDS))
    tasks = data.get("tasks") or {}
    if not isinstance(tasks, dict):
        raise DataError(source, "tasks: expected task id: {state: column, assignee: column, due: column}")
    for task_id, spec in tasks.items():
        if not isinstance(spec, dict) or any(k not in TASK_FIELDS for k in spec):
            raise DataError(source, f"tasks.{task_id}: expected state, assignee and/or due",
                            hint="each names a column of the sheet")
    return Mapping({k: str(v) for k, v in columns.items()},
                   {str(t): {k: str(v) for k, v in spec.items()} for t, spec in tasks.items()},
                   data.get("sheet"))


def default_mapping(headers: list[str]) -> Mapping:
    """Columns headed like the project's fields (any case), and TASK.state / TASK.assignee / TASK.due."""
    mapping = Mapping()
    for header in headers:
        key = header.strip().lower()
        if key in FIELDS:
            mapping.columns[key] = header
        elif "." in key and key.rsplit(".", 1)[1] in TASK_FIELDS:
            task, what = key.rsplit(".", 1)
            mapping.tasks.setdefault(task, {})[what] = header
    return mapping


# ---- checking ----

def plan(table: Table, mapping: Mapping, sop, config, repo, today: date, update: bool = False) -> Plan:
    from storeops.actions import sop_instantiate

    out = Plan(rows=len(table.rows))
    index = {h: i for i, h in enumerate(table.headers) if h}
    for name, header in [*mapping.columns.items(),
                         *((f"{t}.{k}", h) for t, spec in mapping.tasks.items() for k, h in spec.items())]:
        if header not in index:
            raise UsageError(f"{table.name}: no column {header!r} (for {name})",
                             hint=did_you_mean(header, list(index)) or "columns: " + ", ".join(index))
    if "store" not in mapping.columns or "owner" not in mapping.columns:
        missing = "store" if "store" not in mapping.columns else "owner"
        raise UsageError(f"{table.name}: no {missing} column",
                         hint=f"head a column `{missing}`, or name it in a mapping file (--map; see --template)")
    for task_id in mapping.tasks:
        if sop.task(task_id) is None:
            raise UsageError(f"task {task_id!r} is not in {sop.id}",
                             hint=did_you_mean(task_id, [t["id"] for t in sop.tasks]) or "see `storeops sop show`")
    people = [p.name for p in config.people]
    from storeops.sop import category_vocabulary, load_library

    vocabulary = category_vocabulary(load_library(repo.root, skip_broken=True), config.categories)
    seen: dict[str, int] = {}
    from storeops import loading
    from storeops.isolation import _same

    # one seller account per legal entity per marketplace (what `check` and `isolation` hold to)
    accounts: dict[tuple, str] = {(p.platform, p.site, _same("entity", p.entity)): p.id
                                  for p in loading.projects(repo)[0] if p.archived is None and p.entity}
    for number, values in table.rows:
        problems: list[Problem] = []

        def raw(name: str):
            header = mapping.columns.get(name)
            if header is None:
                return None
            i = index[header]
            value = values[i] if i < len(values) else None
            return value.strip() if isinstance(value, str) else value

        def where(header: str) -> str:
            return table.cell(number, index[header])

        def bad(name: str, message: str, header: str | None = None) -> None:
            problems.append(Problem(where(header or mapping.columns[name]), message, number))

        def text(name: str) -> str | None:
            value = raw(name)
            if value in (None, ""):
                return None
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            return str(value)

        def day(name: str, value=None, header: str | None = None) -> date | None:
            value = raw(name) if value is None and header is None else value
            if value in (None, ""):
                return None
            if isinstance(value, datetime):
                found = value.date()
            elif isinstance(value, date):
                found = value
            else:
                try:
                    found = date.fromisoformat(str(value).strip())
                except ValueError:
                    bad(name, f"{name} {str(value)!r} is not a date", header)
                    return None
            from storeops.model import EARLIEST_YEAR, LATEST_YEAR

            if not EARLIEST_YEAR <= found.year <= LATEST_YEAR:
                bad(name, f"{name} {found.isoformat()!r} is outside the years {EARLIEST_YEAR}–{LATEST_YEAR}", header)
                return None
            return found

        def person(name: str, value: str | None, header: str | None = None) -> str | None:
            if value is None or config.person(value) is not None:
                return value
            lowered = {p.lower(): p for p in people}
            exact = lowered.get(value.lower())
            hint = f"did you mean {exact}?" if exact else did_you_mean(value.lower(), people)
            if hint:
                bad(name, f"{name} {value!r} is not on the team — did you mean {_alts(hint)}?", header)
            else:
                bad(name, f"{name} {value!r} is not on the team", header)
            return None

        store = text("store")
        if store is None:
            bad("store", "store is empty")
        owner = person("owner", text("owner"))
        if text("owner") is None:
            bad("owner", "owner is empty")
        site = text("site")
        if site is not None:
            site = site.lower()
            if site not in sop.sites:
                bad("site", f"site {site!r} is not a site of {sop.id} (sites: {', '.join(sop.sites)})")
                site = None
        start = day("start") or today
        target = day("target")
        if target and target < start:
            bad("target", f"target {target.isoformat()} is before the start {start.isoformat()}")
        category = text("category")
        if category is not None and not ID_RE.match(category):
            bad("category", f"category {category!r} is not an id (like home-kitchen)")
        elif category is not None and category not in vocabulary:
            hint = did_you_mean(category, vocabulary)
            if hint:
                bad("category", f"category {category!r} is not a category of the team — did you mean {_alts(hint)}?")
            else:
                bad("category", f"category {category!r} is not a category of the team "
                                "(add it under categories: in storeops.yaml)")
        entity = text("entity")
        project_id = text("id")
        if project_id is not None and not ID_RE.match(project_id):
            bad("id", f"id {project_id!r} is not a project id (lowercase letters, digits and -)")
        elif project_id is None and store is not None:
            project_id = _slug(f"{store}-{sop.platform}-{site or sop.sites[0]}")
        overrides = {}
        for task_id, spec in mapping.tasks.items():
            change = {}
            if "state" in spec:
                i = index[spec["state"]]
                value = values[i] if i < len(values) else None
                if value not in (None, ""):
                    state = str(value).strip().lower().replace(" ", "_")
                    guess = did_you_mean(state, list(STATES))
                    if state not in STATES and guess:
                        problems.append(Problem(where(spec["state"]), f"{task_id}.state {value!r} is not a state — "
                                                f"did you mean {_alts(guess)}?", number))
                    elif state not in STATES:
                        problems.append(Problem(where(spec["state"]), f"{task_id}.state {value!r} is not a state",
                                                number))
                    else:
                        change["state"] = state
            if "assignee" in spec:
                i = index[spec["assignee"]]
                value = values[i] if i < len(values) else None
                if value not in (None, ""):
                    who = person(f"{task_id}.assignee", str(value).strip(), spec["assignee"])
                    if who:
                        change["assignee"] = who
            if "due" in spec:
                i = index[spec["due"]]
                value = values[i] if i < len(values) else None
                if value not in (None, ""):
                    due = day(f"{task_id}.due", value, spec["due"])
                    if due:
                        change["due"] = due
            if change:
                overrides[task_id] = change
        if project_id is not None and project_id in seen:
            bad("id" if "id" in mapping.columns else "store", f"project {project_id} is also row {seen[project_id]}")
        marketplace = (sop.platform, site or sop.sites[0], _same("entity", entity or ""))
        holder = accounts.get(marketplace) if entity else None
        if holder is not None and holder != project_id:
            bad("entity", f"entity {entity!r} already has a store on {sop.platform}-{marketplace[1]}: {holder} "
                          "(one seller account per entity per marketplace)")
        if problems:
            out.problems += problems
            continue
        seen[project_id] = number
        if entity:
            accounts[marketplace] = project_id
        project = sop_instantiate(sop, project_id, store, owner, site or sop.sites[0], start, target, category, entity,
                                  config)
        for task_id, change in overrides.items():
            project = project.with_task(dataclasses.replace(project.task(task_id), **change))
        existing_path = repo.project_path(project_id)
        if existing_path.exists():
            if not update:
                out.existing.append(project_id)
                continue
            old = repo.load_project(project_id)
            changed = dataclasses.replace(old, store=store, owner=owner, target=target or old.target,
                                          category=category or old.category, entity=entity or old.entity)
            for task_id, change in overrides.items():
                changed = changed.with_task(dataclasses.replace(changed.task(task_id), **change))
            if changed != old:
                out.updated.append(changed)
            else:
                out.existing.append(project_id)
            continue
        out.new.append(project)
    return out


def _alts(hint: str) -> str:
    """"a or b" out of did_you_mean's "did you mean a or b?"."""
    return hint.removeprefix("did you mean ").removesuffix("?")


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return re.sub(r"-+", "-", slug)[:60].strip("-") or "project"


# ---- writing ----

def commit(repo, found: Plan, source: str, who) -> str | None:
    """Write every new and updated project and commit them together; None when there is nothing to do."""
    from storeops import gitcmd
    from storeops.actions import _restoring, commit_message, validate_project

    projects = found.new + found.updated
    if not projects:
        return None
    paths = [repo.rel(repo.project_path(p.id)) for p in projects]
    for project, rel in zip(projects, paths):
        validate_project(project, rel)
    lines = [f"new {p.id}: {p.store}" for p in found.new] + [f"updated {p.id}" for p in found.updated]
    subject = f"import {len(found.new)} project(s) from {source}" + (
        f", {len(found.updated)} updated" if found.updated else "")
    from storeops.repo import refuse_links

    refuse_links(repo.root, paths)
    with _restoring(repo, paths):
        for project in projects:
            repo.write_project(project)
        return gitcmd.commit_paths(repo.root, paths, commit_message(subject, "import", body="\n".join(lines)))


# ---- --template ----

TEMPLATE = """\
# storeops import mapping: which column of your tracker is which project field.
# Use it with: storeops import tracker.xlsx --sop amazon-us --map mapping.yaml
# Without --map, columns headed id, store, site, owner, start, target, category, entity
# (and TASK.state, TASK.assignee, TASK.due) are taken as they are.
sheet: Sheet1            # the worksheet (xlsx only; default: the first)
columns:                 # project field: the column's header in your sheet
  id: Project ID         # optional: made from store, platform and site when left out
  store: Store
  site: Site             # optional: the SOP's first site
  owner: Owner           # a person on the team (storeops person list)
  start: Start date      # optional: today
  target: Target date
  category: Category
  entity: Legal entity
tasks:                   # optional: per-task columns, by the SOP's task ids (storeops sop show SOP)
  business-license:
    state: Licence status    # todo, in_progress, submitted, done, rejected, blocked, skipped
    assignee: Licence owner
    due: Licence due
"""

SAMPLE_HEADERS = ["Project ID", "Store", "Site", "Owner", "Start date", "Target date", "Category", "Legal entity",
                  "Licence status", "Licence owner", "Licence due"]


def sample_rows(owner: str, site: str, today: date) -> list[list]:
    return [["acme-home-us", "ACME Home US", site, owner, today, None, "home-kitchen", "ACME Trading Co., Ltd.",
             "in_progress", owner, today],
            ["", "ACME Garden", site, owner, today, None, None, "ACME Garden Ltd.", "todo", "", None]]
