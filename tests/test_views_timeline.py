"""storeops timeline: the plan model, text, mermaid and svg writers, and inert user text in each."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date

from conftest import run_cli
from edit_helpers import edit, set_states, today

from storeops import timeline as gantt
from storeops.model import Project, Task

SVG = "{http://www.w3.org/2000/svg}"
EVIL = "[bold]Evil\x1b[31m <script>alert(1)</script> a:b;c#d `x` %%{init}%%"


def cli(stores, *args):
    return run_cli("-C", str(stores), *args)


def mini_plan(stores, mini):
    return json.loads(cli(stores, "timeline", mini, "--json").stdout)["projects"][0]["tasks"]


# ---- the model ----

def test_plan_runs_from_the_dependencies_due_dates_to_the_tasks_own(stores, mini):
    tasks = {t["id"]: t for t in mini_plan(stores, mini)}
    # mini starts 2026-11-02: licence 2d, bank 3d after licence, video 5d after bank, review 7d after video
    assert tasks["licence"]["planned"] == {"start": "2026-11-02", "end": "2026-11-04"}
    assert tasks["bank"]["planned"] == {"start": "2026-11-04", "end": "2026-11-07"}
    assert tasks["video"]["planned"] == {"start": "2026-11-07", "end": "2026-11-12"}
    assert tasks["review"]["planned"] == {"start": "2026-11-12", "end": "2026-11-19"}
    assert tasks["licence"]["overdue"] is True and tasks["licence"]["actual"] is None


def test_skipped_tasks_are_left_out_and_rejections_are_marked(stores, mini):
    set_states(stores, mini, {"brand": "skipped", "licence": "rejected"})
    edit(stores, mini, lambda d: d.update(rejections=[{"at": "2026-11-03", "task": "licence", "reason": "other",
                                                        "message": None, "evidence": None}]))
    tasks = {t["id"]: t for t in mini_plan(stores, mini)}
    assert "brand" not in tasks
    assert tasks["licence"]["markers"] == [{"at": "2026-11-03", "kind": "rejected", "label": "other"}]


def test_a_task_replanned_before_its_dependencies_keeps_its_length():
    project = Project(id="p", sop="mini@2026.1", platform="amazon", site="us", store="S", owner="bob",
                      start=date(2026, 11, 2), tasks=(Task("a", due=date(2026, 11, 20)),
                                                       Task("b", due=date(2026, 11, 10), depends_on=("a",))))
    b = gantt.planned_interval(project, project.task("b"), duration=3)
    assert (b.start, b.end) == (date(2026, 11, 7), date(2026, 11, 10))


def test_actual_intervals_passed_in_are_drawn_in_every_format():
    project = Project(id="p", sop="mini@2026.1", platform="amazon", site="us", store="S", owner="bob",
                      start=date(2026, 11, 2), tasks=(Task("a", state="done", due=date(2026, 11, 5)),))
    actual = gantt.Interval(date(2026, 11, 3), date(2026, 11, 9))
    chart = gantt.build([project], date(2026, 11, 25), actuals={("p", "a"): actual})
    assert gantt.to_dict(chart)["projects"][0]["tasks"][0]["actual"] == {"start": "2026-11-03", "end": "2026-11-09"}
    text = "\n".join("".join(part for part, _ in line) for line in gantt.text_lines(chart, 100))
    assert "↳ actual" in text and "━" in text
    assert "(actual) :done, t1a, 2026-11-03, 2026-11-09" in gantt.mermaid(chart)
    root = ET.fromstring(gantt.svg(chart))
    assert any(r.get("fill") == gantt.COLOURS["actual"] for r in root.iter(SVG + "rect"))


# ---- text ----

def test_text_marks_today_and_overdue(stores, mini):
    result = cli(stores, "timeline", mini)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    day = today(stores)[5:]
    assert f"▼{day}" in lines[0] or f"{day}▼" in lines[0]
    column = lines[0].index("▼")
    assert any(len(line) > column and line[column] == "┊" for line in lines[2:])  # ▼ sits over the today line
    assert lines[1] == "mini-us · Mini Store (amazon-us, preparing)"
    licence = next(line for line in lines if "Prepare business licence" in line)
    assert "OVERDUE" in licence.split() and licence.split()[-4] == "todo"
    assert all(len(line) <= 100 for line in lines)
    assert "\x1b[" not in result.stdout


def test_text_fits_the_terminal_width(stores, mini, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    wide = cli(stores, "timeline", mini).stdout.splitlines()
    assert max(len(line) for line in wide) > 120 and all(len(line) <= 200 for line in wide)


# ---- mermaid ----

TASK_LINE = re.compile(r"^    (?P<text>[^:#;\n]+) :(?P<tags>((done|active|crit), )*)(?P<id>t\d+a?), "
                       r"(?P<start>\d{4}-\d{2}-\d{2}), (?P<end>\d{4}-\d{2}-\d{2})$")


def check_mermaid(text: str) -> dict:
    """A structural check of mermaid's gantt grammar; returns {section: [task lines]}."""
    lines = text.splitlines()
    assert lines[0] == "gantt"
    assert "    dateFormat YYYY-MM-DD" in lines
    sections: dict = {}
    current = None
    for line in lines[1:]:
        if line.startswith(("    title ", "    dateFormat ", "    axisFormat ", "    %% ")):
            assert current is None, "settings come before the first section"
            continue
        if line.startswith("    section "):
            current = line[len("    section "):]
            assert current.strip() and not set(current) & set(":#;\n")
            sections[current] = []
            continue
        match = TASK_LINE.match(line)
        assert match, f"not a gantt task line: {line!r}"
        assert current is not None
        start, end = date.fromisoformat(match["start"]), date.fromisoformat(match["end"])
        assert start < end
        first = match["text"].split()[0]
        assert first not in ("section", "title", "click", "gantt", "dateFormat", "excludes", "includes")
        sections[current].append(match)
    return sections


def test_mermaid_is_a_well_formed_gantt(stores, mini):
    result = cli(stores, "timeline", mini, "--format", "mermaid")
    assert result.exit_code == 0, result.stderr
    sections = check_mermaid(result.stdout)
    assert list(sections) == ["mini-us · Mini Store"]
    tasks = sections["mini-us · Mini Store"]
    assert [t["text"] for t in tasks] == ["○ Prepare business licence", "○ Bank statement", "○ Brand authorisation",
                                          "○ Video verification", "○ Platform review"]
    assert tasks[0]["tags"] == "crit, " and (tasks[0]["start"], tasks[0]["end"]) == ("2026-11-02", "2026-11-04")
    assert len({t["id"] for t in tasks}) == len(tasks)


def test_mermaid_for_several_projects_has_a_section_each(stores, mini):
    cli(stores, "new", "mini", "--store", "Second", "--owner", "alice", "--id", "second")
    set_states(stores, mini, {"licence": "done", "bank": "in_progress"})
    sections = check_mermaid(cli(stores, "timeline", "--format", "mermaid").stdout)
    assert list(sections) == ["mini-us · Mini Store", "second · Second"]
    tags = {m["text"]: m["tags"] for m in sections["mini-us · Mini Store"]}
    assert tags["✓ Prepare business licence"] == "done, "
    assert tags["● Bank statement"] == "crit, active, "  # in progress and overdue


# ---- svg ----

def test_svg_is_well_formed_and_self_contained(stores, mini, tmp_path):
    out = tmp_path / "t.svg"
    result = cli(stores, "timeline", "--format", "svg", "--output", str(out))
    assert result.exit_code == 0 and f"wrote {out}" in result.stderr
    root = ET.parse(out).getroot()
    assert root.tag == SVG + "svg"
    for element in root.iter():
        assert element.tag not in (SVG + "script", SVG + "foreignObject", SVG + "image", SVG + "a", SVG + "use")
        for name, value in element.attrib.items():
            assert "href" not in name and not name.startswith("on")
            assert "url(" not in value and "http" not in value
    assert "<style" not in out.read_text() and "@import" not in out.read_text()
    texts = [t.text for t in root.iter(SVG + "text") if t.text]
    assert f"today {today(stores)}" in texts and "  Prepare business licence" in texts
    assert any(r.get("fill") == gantt.COLOURS["overdue"] for r in root.iter(SVG + "rect"))


def test_svg_to_stdout_when_piped(stores, mini):
    result = cli(stores, "timeline", mini, "--format", "svg")
    assert result.exit_code == 0 and result.stdout.startswith("<svg ")
    ET.fromstring(result.stdout)


# ---- user text stays inert ----

def test_user_text_is_inert_in_text_mermaid_and_svg(stores, mini):
    def evil(data):
        data["store"] = EVIL
        data["tasks"][0]["title"] = {"en": "section x\ntitle y: z"}
    edit(stores, mini, evil)
    text = cli(stores, "timeline", mini).stdout
    assert "\x1b" not in text and "[bold]Evil\\x1b[31m" in text
    mermaid = cli(stores, "timeline", mini, "--format", "mermaid").stdout
    sections = check_mermaid(mermaid)
    assert "<script" not in mermaid and "%%{" not in mermaid and "`" not in mermaid
    assert any("Evil" in name for name in sections)
    assert len(mermaid.splitlines()) == 5 + 1 + 5  # header, one section, five tasks: the newline did not split a line
    svg = cli(stores, "timeline", mini, "--format", "svg").stdout
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert "&lt;script&gt;" in svg and "\x1b" not in svg
    assert any("<script>alert(1)</script>" in (t.text or "") for t in root.iter(SVG + "text"))


# ---- options ----

def test_timeline_refuses_a_project_with_filters_and_unknown_formats(stores, mini):
    result = cli(stores, "timeline", mini, "--owner", "bob")
    assert result.exit_code == 2 and "with PROJECT there is nothing to filter" in result.stderr
    result = cli(stores, "timeline", "--format", "png")
    assert result.exit_code == 2 and "--format 'png' is not a format" in result.stderr


def test_timeline_text_to_a_file(stores, mini, tmp_path):
    out = tmp_path / "plan.txt"
    assert cli(stores, "timeline", mini, "--output", str(out)).exit_code == 0
    assert out.read_text().splitlines()[1] == "mini-us · Mini Store (amazon-us, preparing)"


def test_timeline_without_projects(stores):
    result = cli(stores, "timeline")
    assert result.exit_code == 0 and "no projects" in result.stderr
