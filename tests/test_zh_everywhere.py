"""Under zh every line a person reads is Chinese: success and failure paths of the commands, counted.

A line counts as untranslated when it has no CJK character and still holds an
English word that is not data: ids, people, store names and notes from the
stores repo, SOP, task, document and reason ids, paths and `commands` do not count.
"""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from conftest import example_repo, run_cli
from storeops.sop import builtin_dir

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")

COMMANDS = """
doctor
check
isolation
status
status acme-amazon-us
status acme-amazon-us bank-statement
status acme-amazon-us payout-account
board
person list
sop list
sop show amazon-us
log acme-amazon-us --since 2026-11-20
report rejections
report workload
report cycle-time
timeline acme-amazon-us
remind --as-of 2026-12-05
diff HEAD~3..HEAD
diff HEAD~3..HEAD --format markdown
secret list acme-amazon-us
sync
advance acme-amazon-us
status --bogus
nosuchcommand
new nosop --store X --owner bob
new amazon-us --store X --owner nobody
assign acme-amazon-us bank-statement nobody
assign acme-amazon-us nosuchtask bob
advance nosuchproject business-license
advance acme-amazon-us store-setup
advance acme-amazon-us payout-account --to done
approve acme-amazon-us payout-account
schedule acme-amazon-us video-verification --at notadate
attach acme-amazon-us /nonexistent.pdf --doc bank-statement
open acme-amazon-us nosuchdoc
secret get acme-amazon-us nosuch
person add alice --email a@b.c
person remove nobody
person remove bob
handover bob --to carol --dry-run
handover bob --to bob
handover erin --to carol
person key carol --age-recipient age1notakey
archive acme-amazon-us --outcome bogus
reject acme-amazon-jp --reason other
rename acme-amazon-us acme-amazon-de
sop show nosuch
status nosuch
timeline nosuch
remind --days abc
remind --format bogus
report bogus
check --base nosuchref
forge bogus
assign acme-lazada-my legal-rep-id alice
advance acme-lazada-my legal-rep-id --to done
schedule acme-amazon-de video-verification --at 2026-12-09T10:00
person add frank --email frank@acme.example --role ops
board --format xlsx
status --format bogus
site -o ../zh-site
site -o ../zh-site --lang fr
import ../nosuch.xlsx --sop amazon-us
import
status --owner bobby
board --platform amazn
report workload --status rejectd
status --site uss
new amazon-us --store X --owner bob --category cosmetic
new amazon-us --store X --owner bob --category kitchen-stuff
schedule acme-amazon-us bank-statement --due 12/05
schedule acme-amazon-us bank-statement --due 25/12/2026
schedule acme-amazon-us bank-statement --due 2026-02-30
schedule acme-amazon-us bank-statement --due soonish
schedule acme-amazon-de video-verification --appointment "tomorrow at noon"
remind --output /nonexistent/x.ics
merge-file /nonexistent/a /nonexistent/b /nonexistent/c
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return example_repo(tmp_path_factory, "zh")


def data_words(root) -> set[str]:
    """Words that are data, not interface: the repo's files and the SOPs' ids."""
    text = " ".join(p.read_text() for p in [root / "storeops.yaml", *(root / "projects").glob("*.yaml")])
    for path in builtin_dir().glob("*.yaml"):
        sop = yaml.safe_load(path.read_text())
        text += " ".join([sop["id"], sop.get("platform", "")] + [t["id"] for t in sop["tasks"]]
                         + [d["id"] for t in sop["tasks"] for d in t.get("documents", [])]
                         + [r["code"] for r in sop.get("rejection_reasons", [])])
    return set(re.findall(r"[A-Za-z]+", text))


def untranslated(line: str, known: set[str]) -> list[str]:
    if CJK.search(line):
        return []
    line = re.sub(r"(\S*[/@~]\S*|https?://\S+|`[^`]*`|age1\w+)", " ", line)
    return [word for word in re.findall(r"[A-Za-z]{3,}", line) if word not in known]


def test_every_line_a_person_reads_is_chinese(demo, monkeypatch, capsys):
    monkeypatch.setenv("STOREOPS_LANG", "zh")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("STOREOPS_IDENTITY", str(demo / ".git" / "storeops-example-keys" / "seed.txt"))
    known = data_words(demo)
    found = []
    commands = [shlex.split(line) for line in COMMANDS.strip().splitlines()]
    for args in commands:
        result = run_cli("-C", str(demo), *args)
        assert result.exception is None, (args, result.exception)
        for line in (result.stdout + result.stderr).splitlines():
            if untranslated(line, known):
                found.append(f"{' '.join(args)}: {line}")
    with capsys.disabled():
        print(f"\n{len(commands)} commands under zh, {len(found)} line(s) without Chinese")
    assert found == []


def test_clicks_own_usage_errors_are_chinese(demo, monkeypatch):
    monkeypatch.setenv("STOREOPS_LANG", "zh")
    missing = run_cli("-C", str(demo), "advance", "acme-amazon-us")
    assert missing.exit_code == 2 and "错误：缺少参数 TASK。" in missing.stderr and "用法：" in missing.stderr
    unknown = run_cli("--lang", "zh", "-C", str(demo), "nosuchcommand")
    assert unknown.exit_code == 2 and "没有这个命令：nosuchcommand" in unknown.stderr


def test_english_usage_errors_stay_clicks(demo, monkeypatch):
    monkeypatch.setenv("STOREOPS_LANG", "en")
    result = run_cli("-C", str(demo), "advance", "acme-amazon-us")
    assert result.exit_code == 2 and "Missing argument 'TASK'" in result.stderr
