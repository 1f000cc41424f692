"""The CLI as a whole: error boundary, exit codes, fast help, help text for every command."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli, run_subprocess

from storeops.cli.main import app

ROOT = Path(__file__).resolve().parent.parent


def test_help_does_not_import_heavy_modules():
    code = ("import sys\nfrom storeops.cli.main import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('git', 'jsonschema', 'pyrage', 'dateutil') if m in sys.modules]\n"
            "print(heavy, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip() == "[]"


def test_version_does_not_import_heavy_modules():
    code = ("import sys\nfrom storeops.cli.main import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print([m for m in ('git', 'jsonschema', 'pyrage') if m in sys.modules], file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.startswith("storeops ") and result.stderr.strip() == "[]"


def test_status_does_not_import_jsonschema_or_git(stores, mini):
    code = ("import sys\nfrom storeops.cli.main import main\n"
            f"try:\n    main(['-C', {str(stores)!r}, 'status'])\nexcept SystemExit:\n    pass\n"
            "print([m for m in ('git', 'jsonschema', 'pyrage') if m in sys.modules], file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "[]"


def _commands(group, prefix=()):
    import typer.main

    command = typer.main.get_command(group) if isinstance(group, typer.Typer) else group
    for name, sub in command.commands.items():
        if hasattr(sub, "commands"):
            yield from _commands(sub, prefix + (name,))
        else:
            yield prefix + (name,), sub


def test_every_command_has_help_with_an_example():
    missing = []
    for path, command in _commands(app):
        text = command.help or ""
        if "Example" not in text or "storeops " not in text:
            missing.append(" ".join(path))
    assert missing == []


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [" ".join(path) for path, _ in _commands(app) if f"storeops {' '.join(path)}" not in readme]
    assert missing == []


def test_usage_error_exits_2():
    result = run_cli("advance")
    assert result.exit_code == 2


def test_debug_shows_the_traceback_for_data_errors(stores):
    (stores / "projects" / "broken.yaml").write_text("id: [\n")
    plain = run_subprocess("status", "broken", cwd=stores)  # the list skips it; asked for by name it is an error
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert plain.stderr.startswith("error: projects/broken.yaml:")
    debug = run_subprocess("--debug", "status", "broken", cwd=stores)
    assert "Traceback" in debug.stderr


def test_unexpected_errors_say_so_and_exit_70(stores, monkeypatch):
    import storeops.repo

    monkeypatch.setattr(storeops.repo.StoresRepo, "project_ids", lambda self: 1 / 0)
    result = run_cli("-C", str(stores), "status")
    assert result.exit_code == 70
    assert "unexpected error: ZeroDivisionError" in result.stderr
    assert "--debug" in result.stderr


def test_python_m_storeops_works(tmp_path):
    result = run_subprocess("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("storeops ")


def test_json_goes_to_stdout_and_messages_to_stderr(stores, mini):
    result = run_cli("-C", str(stores), "status", "--json")
    json.loads(result.stdout)
    result = run_cli("-C", str(stores), "advance", mini, "licence")
    assert result.stdout == "" and "licence todo → in_progress" in result.stderr


def _complete(cwd, words, index):
    env = {"_STOREOPS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(index)}
    code = ("import sys\nfrom storeops.cli.main import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', [m for m in ('git', 'jsonschema', 'pyrage') if m in sys.modules], file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                            env={**__import__("os").environ, **env})
    return result.stdout.split(), result.stderr


def test_completion_offers_projects_tasks_people_and_sops_without_heavy_imports(stores, mini):
    words, err = _complete(stores, "storeops advance mi", 2)
    assert words == ["mini-us"] and "HEAVY []" in err
    assert _complete(stores, "storeops advance mini-us vi", 3)[0] == ["video"]
    assert _complete(stores, "storeops assign mini-us video ca", 4)[0] == ["carol"]
    assert "amazon-us" in _complete(stores, "storeops new ama", 2)[0]


def _imported_by(argv: list, modules: tuple, cwd=None) -> list:
    code = ("import sys\nfrom storeops.cli.main import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {modules!r} if m in sys.modules], file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)
    return json.loads(result.stderr.strip().splitlines()[-1].replace("'", '"'))


HEAVY = ("git", "jsonschema", "pyrage", "dateutil", "rich.table", "yaml")


def test_help_and_version_import_nothing_heavy():
    assert _imported_by(["--help"], HEAVY) == []
    assert _imported_by(["--version"], HEAVY) == []
    assert _imported_by(["status", "--help"], HEAVY) == []


def test_status_reads_projects_without_validators_or_tables(stores, mini):
    assert _imported_by(["-C", str(stores), "status", "--json"], HEAVY) == ["yaml"]


def test_commands_do_not_pay_for_pydantic(stores, mini):
    # typer builds a pydantic TypeAdapter per parameter; cli/coercion.py handles ours without it
    from typer.core import _TyperParameter

    if not getattr(_TyperParameter.get_runtime_param, "_storeops_plain", False):
        pytest.skip("this typer does not coerce through get_runtime_param")
    assert _imported_by(["-C", str(stores), "status", "--json"], ("pydantic",)) == []
    assert _imported_by(["-C", str(stores), "check", "projects/mini-us.yaml"], ("pydantic",)) == []


def test_plain_coercion_gives_what_typer_would():
    import typer.main
    from typer._coercion import build_runtime_param

    from storeops.cli.coercion import _plain_for

    command = typer.main.get_command(app)
    params = list(command.params)
    for sub in command.commands.values():
        params += list(sub.params) + [p for s in getattr(sub, "commands", {}).values() for p in s.params]
    checked = 0
    for param in params:
        plain = _plain_for(param.type_descriptor)
        if plain is None:
            continue
        multi = param.multiple or param.nargs == -1
        samples = [None, ("a", "b/c"), ()] if multi else [None, "x", "dir/file.yaml", "", True, False]
        for value in samples:
            if isinstance(value, bool) != (param.type_descriptor.annotation is bool) and value is not None:
                continue
            real = build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=None)
            assert plain.coerce(value, param=param, ctx=None) == real, (param.name, value)
            checked += 1
    assert checked > 20
