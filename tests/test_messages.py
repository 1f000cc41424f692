"""Errors, hints, warnings and confirmations in Chinese (--lang zh, STOREOPS_LANG, language: zh); English otherwise."""

import ast
import functools
import json
import re
import string
from pathlib import Path

import pytest
from conftest import run_cli

from storeops import messages

SRC = Path(__file__).resolve().parents[1] / "src" / "storeops"


@pytest.fixture
def zh_repo(stores, mini):
    path = stores / "storeops.yaml"
    path.write_text(path.read_text().replace("language: en", "language: zh"))
    return stores


def cli(root, *args, lang=None):
    return run_cli(*(("--lang", lang) if lang else ()), "-C", str(root), *args)


# ---- the same mistakes, in both languages ----

def test_unknown_project_with_did_you_mean_in_both_languages(stores, mini):
    en = cli(stores, "advance", "mini-su", "licence")
    zh = cli(stores, "advance", "mini-su", "licence", lang="zh")
    assert (en.exit_code, zh.exit_code) == (2, 2)
    assert en.stderr == "error: unknown project 'mini-su'\nhint: did you mean mini-us?\n"
    assert zh.stderr == "错误：没有项目 'mini-su'\n提示：你要找的是 mini-us 吗？\n"


def test_unknown_task_lists_the_tasks_in_chinese(stores, mini):
    result = cli(stores, "advance", mini, "nope", lang="zh")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["错误：mini-us 没有任务 'nope'",
                                          "提示：任务：licence, bank, brand, video, review"]


def test_bad_transition_lists_only_allowed_states_as_labels(stores, mini):
    result = cli(stores, "advance", mini, "licence", "--to", "done", lang="zh")
    assert result.exit_code == 2
    assert result.stderr == "错误：licence 不能从待办变为已完成（待办只能变为：受阻、进行中）\n"


def test_gate_without_approval_in_chinese(stores, mini):
    for _ in range(3):
        assert cli(stores, "advance", mini, "licence").exit_code == 0
    assert cli(stores, "advance", mini, "bank").exit_code == 0
    en = cli(stores, "advance", mini, "bank", "--to", "done")
    zh = cli(stores, "advance", mini, "bank", "--to", "done", lang="zh")
    assert en.stderr == "error: bank needs an approval by finance: advance it to submitted first\n"
    assert zh.stderr == "错误：bank 需要 finance 审核：请先推进到已提交\n"
    assert (en.exit_code, zh.exit_code) == (2, 2)


def test_unknown_person_and_bad_date_in_chinese(stores, mini):
    person = cli(stores, "assign", mini, "licence", "bobb", lang="zh")
    assert (person.exit_code, person.stderr) == (2, "错误：团队里没有 'bobb'\n提示：你要找的是 bob 吗？\n")
    day = cli(stores, "schedule", mini, "licence", "--due", "2026-02-30", lang="zh")
    assert (day.exit_code, day.stderr) == (2, "错误：--due：'2026-02-30' 不是日期（日历上没有这一天）\n"
                                              "提示：可以写：YYYY-MM-DD, today, tomorrow, yesterday, +3d, -2w, +1m, fri, next mon\n")
    slashed = cli(stores, "schedule", mini, "licence", "--due", "12/05/2026", lang="zh")
    assert (slashed.exit_code, slashed.stderr) == (2, "错误：--due：'12/05/2026' 有歧义\n"
                                                  "提示：2026-12-05（月/日）还是 2026-05-12（日/月）？请写成 YYYY-MM-DD\n")


def test_not_a_stores_repo_before_any_config_is_readable(tmp_path, monkeypatch):
    monkeypatch.setenv("STOREOPS_LANG", "zh")
    result = cli(tmp_path, "status")
    assert result.exit_code == 3
    assert result.stderr == (f"错误：{tmp_path}：不是 stores 仓库（这里和上级文件夹都没有 storeops.yaml）\n"
                             "提示：运行 `storeops init` 新建一个，或用 -C PATH 指定\n")


def test_yaml_error_keeps_file_line_and_column(zh_repo, mini):
    path = zh_repo / "projects" / "mini-us.yaml"
    path.write_text(path.read_text().replace("store: ", "store:\n\t- ", 1))
    result = cli(zh_repo, "status", mini)
    assert result.exit_code == 2
    first, hint = result.stderr.splitlines()
    assert re.fullmatch(r"错误：projects/mini-us\.yaml:\d+:\d+: YAML 这里需要空格，却是制表符", first)
    assert hint == "提示：用空格缩进，不要用制表符"


def test_lock_held_in_chinese(zh_repo, mini, monkeypatch):
    import fcntl

    from storeops import repo as repo_module
    from storeops.repo import StoresRepo

    monkeypatch.setattr(repo_module, "LOCK_WAIT_SECONDS", 0.1)

    repo = StoresRepo.open(zh_repo)
    with repo.lock():
        # the lock is per open file description: a second open in this process waits like another process would
        with open(repo.git_dir / "storeops.lock", "a+") as handle:
            with pytest.raises(BlockingIOError):
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = cli(zh_repo, "advance", mini, "licence")
    assert result.exit_code == 3
    assert result.stderr.startswith("错误：stores 仓库正被占用（")
    assert result.stderr.endswith("提示：等它结束后重试\n")


# ---- the team's language, and confirmations ----

def test_team_language_from_storeops_yaml_and_flag_overrides_it(zh_repo, mini):
    zh = cli(zh_repo, "advance", mini, "licence")
    assert (zh.exit_code, zh.stderr) == (0, "mini-us：licence 待办 → 进行中\n")
    en = cli(zh_repo, "assign", mini, "licence", "carol", lang="en")
    assert (en.exit_code, en.stderr) == (0, "mini-us: licence bob → carol\n")
    again = cli(zh_repo, "assign", mini, "licence", "dave")
    assert (again.exit_code, again.stderr) == (0, "mini-us：licence carol → dave\n")


def test_schedule_and_check_summary_in_chinese(zh_repo, mini):
    result = cli(zh_repo, "schedule", mini, "licence", "--due", "2026-12-01")
    assert (result.exit_code, result.stderr) == (0, "mini-us：licence 截止 2026-12-01\n")
    check = cli(zh_repo, "check")
    assert (check.exit_code, check.stderr) == (0, "通过：1 个项目文件、storeops.yaml 和团队的 SOP\n")


def test_new_warns_in_chinese_when_nobody_can_approve(tmp_path, monkeypatch):
    monkeypatch.setenv("STOREOPS_LANG", "zh")
    root = tmp_path / "team"
    assert run_cli("init", str(root), "--name", "T", "--timezone", "UTC").exit_code == 0
    result = cli(root, "new", "amazon-us", "--store", "Shop", "--owner", "alice")
    assert result.exit_code == 0
    assert "警告：团队中没有人担任 finance 角色" in result.stderr
    assert result.stdout == "shop-amazon-us\n"


def test_init_confirms_in_the_requested_language(tmp_path, monkeypatch):
    monkeypatch.setenv("STOREOPS_LANG", "zh")
    result = run_cli("init", str(tmp_path / "t"), "--name", "T", "--timezone", "UTC")
    assert result.exit_code == 0
    assert "已在" in result.stderr and "初始化 stores 仓库 'T'" in result.stderr


def test_remind_option_error_in_chinese(zh_repo):
    result = cli(zh_repo, "remind", "--days", "-1")
    assert (result.exit_code, result.stderr) == (2, "错误：--days -1：必须大于或等于 0\n")


def test_unexpected_errors_speak_chinese_too(zh_repo, monkeypatch):
    from storeops import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "summaries", broken)
    result = cli(zh_repo, "status")
    assert result.exit_code == 70
    assert result.stderr == "错误：意外错误：RuntimeError: boom\n提示：加 --debug 重新运行可看到回溯信息，请报告这个问题\n"


# ---- the catalogue itself ----

def test_unknown_messages_stay_english():
    assert messages.say("something storeops never said", "zh") == "something storeops never said"
    assert messages.say("unknown project 'x'", "en") == "unknown project 'x'"
    assert messages.say("", "zh") == ""


def test_values_with_braces_or_markup_do_not_break_translation():
    assert messages.say("unknown person '{0}[red]'", "zh") == "团队里没有 '{0}[red]'"


@functools.cache
def _source_strings() -> str:
    """Every string literal of the package (adjacent literals joined as Python joins them), \\0 between pieces."""
    pieces = []
    for path in SRC.rglob("*.py"):
        if path.name in ("messages.py", "messages_zh.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                pieces.append(node.value)
    return "\0".join(pieces)


# jsonschema's own wording, shown for project files that break the schema
FROM_JSONSCHEMA = {"'{field}' is a required property"}


@pytest.mark.parametrize("english", sorted(set(messages.ZH) - FROM_JSONSCHEMA))
def test_every_template_still_matches_what_the_code_says(english):
    """A changed English message must change its key here too (else it silently falls back to English)."""
    source = _source_strings()
    for literal, *_ in string.Formatter().parse(english):
        # messages put together at run time (", ".join of parts) match piece by piece
        for fragment in re.split(r"storeops\.yaml|[(),;]", literal):
            fragment = fragment.strip(" '")
            if len(fragment) >= 8:
                assert fragment in source, fragment



def test_a_path_ending_a_template_does_not_swallow_the_words_after_it():
    assert messages.say("wrote sop/x.yaml", "zh") == "已写入 sop/x.yaml"
    assert messages.say("wrote sop/x.yaml; and something new", "zh") == "wrote sop/x.yaml; and something new"


def test_init_names_your_roles(tmp_path):
    result = run_cli("--lang", "zh", "init", str(tmp_path / "t"), "--timezone", "UTC")
    assert result.stderr.splitlines()[-1] == "你是 alice（admin, lead）；下一步：storeops person add NAME --email E --role ops"


@pytest.mark.parametrize("english", sorted(messages.ZH))
def test_chinese_templates_use_only_the_values_the_english_one_captures(english):
    names = {name for _, name, _, _ in string.Formatter().parse(english) if name}
    used = {name for _, name, _, _ in string.Formatter().parse(messages.ZH[english]) if name}
    assert used <= names


def test_missing_age_key_in_chinese(zh_repo, mini, tmp_path):
    scan = tmp_path / "licence.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    result = cli(zh_repo, "attach", mini, str(scan), "--doc", "licence-scan")
    assert result.exit_code == 2
    first, hint = result.stderr.splitlines()
    assert first.startswith("错误：无法加密 mini-us/licence-scan：它的可查看人（") and first.endswith("）都没有密钥")
    assert hint == "提示：用 `storeops person key NAME --age-recipient age1...` 添加密钥"


def test_archive_and_reopen_confirm_in_chinese(zh_repo, mini):
    archived = cli(zh_repo, "archive", mini, "--outcome", "abandoned", "--reason", "budget moved")
    assert (archived.exit_code, archived.stderr) == (0, "mini-us：已归档（已放弃）\n")
    refused = cli(zh_repo, "advance", mini, "licence")
    assert (refused.exit_code, refused.stderr) == (2, "错误：mini-us 已归档，只读\n提示：请先运行 storeops reopen mini-us\n")
    reopened = cli(zh_repo, "reopen", mini)
    assert reopened.exit_code == 0 and reopened.stderr.startswith("mini-us：已重新打开（原为 ")


def test_the_language_ends_with_the_run(zh_repo, capsys):
    from storeops import render

    assert cli(zh_repo, "status", "nope").stderr.startswith("错误：")
    render.warn("nobody on the team holds the finance role, which must approve bank "
                "(storeops person add NAME --email E --role finance)")
    assert capsys.readouterr().err.startswith("warning: nobody on the team holds the finance role")


def test_the_catalogue_has_no_key_twice():
    """A dict literal keeps the last of two equal keys silently; the catalogue must not rely on that."""
    tree = ast.parse((SRC / "messages_zh.py").read_text())
    catalogue = next(node.value for node in ast.walk(tree) if isinstance(node, ast.AnnAssign)
                     and getattr(node.target, "id", None) == "ZH")
    keys = [ast.literal_eval(key) for key in catalogue.keys]
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []


def test_log_speaks_chinese_and_json_stays_english(stores, mini):
    run_cli("-C", str(stores), "advance", mini, "licence")
    assert run_cli("-C", str(stores), "assign", mini, "licence", "carol").exit_code == 0
    text = run_cli("--lang", "zh", "-C", str(stores), "log", mini).stdout
    assert "licence：待办 → 进行中" in text
    assert "licence 的执行人 " in text and " → carol" in text
    assert "由 mini@" in text and "创建项目" in text
    events = json.loads(run_cli("--lang", "zh", "-C", str(stores), "log", mini, "--json").stdout)["events"]
    assert events[-1]["text"].startswith("project created from mini@")
