"""The project filters every listing command shares: --platform, --site, --owner, --status, --since.

One definition, so that `status`, `board`, `timeline` and the reports select
the same projects for the same options.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storeops.actions import user_date
from storeops.errors import UsageError
from storeops.model import STATUSES, Project
from storeops.workflow import project_status

STATUSES_TEXT = ", ".join(STATUSES)


@dataclass(frozen=True)
class ProjectFilter:
    platform: str | None = None
    site: str | None = None
    owner: str | None = None
    status: str | None = None
    # Projects closed (archived) before this date are left out; open ones always stay.
    since: date | None = None

    def accepts(self, project: Project) -> bool:
        closed = project.archived.at if project.archived is not None else None
        return self._accepts(project.platform, project.site, project.owner, closed, lambda: project_status(project))

    def accepts_summary(self, seed: dict) -> bool:
        """accepts() for a summary.summary_seed (what the cache keeps for `status` and `board`)."""
        archived = seed["archived"]
        closed = date.fromisoformat(archived["at"]) if archived is not None else None
        return self._accepts(seed["platform"], seed["site"], seed["owner"], closed, lambda: seed["status"])

    def _accepts(self, platform: str, site: str, owner: str | None, closed: date | None, status) -> bool:
        if self.platform is not None and platform != self.platform:
            return False
        if self.site is not None and site != self.site:
            return False
        if self.owner is not None and owner != self.owner:
            return False
        if self.since is not None and closed is not None and closed < self.since:
            return False
        return self.status is None or status() == self.status

    def select(self, projects: list[Project]) -> list[Project]:
        return [p for p in projects if self.accepts(p)]

    def to_dict(self) -> dict:
        return {"platform": self.platform, "site": self.site, "owner": self.owner, "status": self.status,
                "since": self.since.isoformat() if self.since else None}


def build(platform: str | None = None, site: str | None = None, owner: str | None = None,
          status: str | None = None, since: str | None = None) -> ProjectFilter:
    """A filter from command-line values; refuses an unknown status or a malformed date."""
    from storeops.model import PERSON_RE
    from storeops.repo import check_id

    if status is not None and status not in STATUSES:
        raise UsageError(f"--status {status!r} is not a status", hint=f"one of {STATUSES_TEXT}")
    if owner is not None and not PERSON_RE.match(owner):
        raise UsageError(f"--owner {owner!r} is not a person name")
    for value, what in ((platform, "platform (like amazon)"), (site, "site (like us)")):
        if value is not None:
            check_id(value, what)
    return ProjectFilter(platform=platform, site=site, owner=owner, status=status,
                         since=user_date(since, "--since"))
