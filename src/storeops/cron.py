"""Ready-to-paste schedules for `storeops remind`: a crontab line and a GitHub Actions workflow."""

from __future__ import annotations

import re
import shlex
from datetime import date, datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from storeops.errors import UsageError

TIME_RE = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])\Z")

# Which weekdays (cron numbering, Sunday = 0) Monday-Friday become when the UTC day differs.
_WEEKDAYS = {-1: "0-4", 0: "1-5", 1: "2-6"}


def parse_time(value: str) -> time:
    match = TIME_RE.match(value)
    if not match:
        raise UsageError(f"--at {value!r} is not a time", hint="write it as HH:MM, e.g. 08:30")
    return time(int(match.group(1)), int(match.group(2)))


def utc_schedule(at: time, tz_name: str, on: date) -> tuple[int, int, str]:
    """(minute, hour, weekdays) in UTC for weekdays at `at` in `tz_name` (offset as of `on`)."""
    local = datetime.combine(on, at, ZoneInfo(tz_name))
    utc = local.astimezone(timezone.utc)
    shift = (utc.date() - local.date()).days
    return utc.minute, utc.hour, _WEEKDAYS[shift]


def _executable() -> str:
    """The storeops that runs now, by absolute path: cron's PATH does not know a virtualenv."""
    import shutil
    import sys

    found = shutil.which("storeops")
    if found:
        return shlex.quote(str(Path(found).resolve()))
    return f"{shlex.quote(sys.executable)} -m storeops"


def example(at_text: str, tz_name: str, webhook_format: str, root: Path | None, on: date | None = None,
            install: str | None = None) -> str:
    """`install`: the pip requirement CI installs storeops with (default: how this storeops was installed)."""
    from storeops import forge, install_spec

    at = parse_time(at_text)
    steps = forge.github_steps(install_spec.pip_install_line(install_spec.resolve(install)),
                               "inactivity and follow-up reminders read each project's last commit",
                               "storeops cron-example")
    minute, hour, weekdays = utc_schedule(at, tz_name, on or date.today())
    folder = shlex.quote(str(root)) if root else "/path/to/stores"
    signed = webhook_format in ("feishu", "dingtalk")
    command = f"storeops remind --webhook default --webhook-format {webhook_format}"
    secret_name = " and STOREOPS_WEBHOOK_SECRET" if signed else ""
    secret_line = ("\n          STOREOPS_WEBHOOK_SECRET: ${{ secrets.STOREOPS_WEBHOOK_SECRET }}"
                   if signed else "")
    return f"""\
# ---- crontab (crontab -e): weekdays at {at:%H:%M} {tz_name} ----
# CRON_TZ is understood by cronie (Fedora, RHEL, Arch); with other crons give the time in the machine's timezone.
# ~/.config/storeops/env holds `export STOREOPS_WEBHOOK_URL=...`{secret_name}, so secrets stay out of
# the stores repo; create it once:
#   mkdir -p ~/.config/storeops && echo 'export STOREOPS_WEBHOOK_URL=https://...' > ~/.config/storeops/env
#   chmod 600 ~/.config/storeops/env
# Nothing due means no output, so cron mails only errors.
CRON_TZ={tz_name}
{at.minute} {at.hour} * * 1-5  cd {folder} && git pull -q --ff-only && . "$HOME/.config/storeops/env" && {_executable()} {command.removeprefix("storeops ")}

# ---- .github/workflows/storeops-remind.yml in the stores repo ----
name: storeops remind
on:
  schedule:
    - cron: "{minute} {hour} * * {weekdays}"   # {at:%H:%M} {tz_name}; GitHub runs schedules in UTC
  workflow_dispatch: {{}}
permissions:
  contents: read
jobs:
  remind:
    runs-on: ubuntu-latest
    steps:
{steps}      - run: {command}
        env:
          STOREOPS_WEBHOOK_URL: ${{{{ secrets.STOREOPS_WEBHOOK_URL }}}}{secret_line}
"""
