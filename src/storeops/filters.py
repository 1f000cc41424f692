"""The project filters every listing command shares: --platform, --site, --owner, --status, --since.

One definition, so that `status`, `board`, `timeline` and the reports select
the same projects for the same options.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storeops import dates
from storeops.errors import UsageError
from storeops.model import PERSON_RE, STATUSES, Project
from storeops.workflow import project_status

STATUSES_TEXT = ", ".join(STATUSES)


@dataclass(frozen=True)
class ProjectFilter:
    platform: str | None = None
    site: str | None = None
    owner: str | None = None
    status: str | None = None
    sop: str | None = None  # `--platform amazon-us`: the SOP id (without @version)
    # Projects closed (archived) before this date are left out; open ones always stay.
    since: date | None = None

    def accepts(self, project: Project) -> bool:
        closed = project.archived.at if project.archived is not None else None
        return self._accepts(project.platform, project.sop, project.site, project.owner, closed,
                             lambda: project_status(project))

    def accepts_summary(self, seed: dict) -> bool:
        """accepts() for a summary.summary_seed (what the cache keeps for `status` and `board`)."""
        archived = seed["archived"]
        closed = date.fromisoformat(archived["at"]) if archived is not None else None
        return self._accepts(seed["platform"], seed["sop"], seed["site"], seed["owner"], closed, lambda: seed["status"])

    def _accepts(self, platform: str, sop: str, site: str, owner: str | None, closed: date | None, status) -> bool:
        if self.platform is not None and platform != self.platform:
            return False
        if self.sop is not None and sop.split("@", 1)[0] != self.sop:
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
        return {"platform": self.sop or self.platform, "site": self.site, "owner": self.owner, "status": self.status,
                "since": self.since.isoformat() if self.since else None}


def build(repo=None, platform: str | None = None, site: str | None = None, owner: str | None = None,
          status: str | None = None, since: str | None = None) -> ProjectFilter:
    """A filter from command-line values, the same for every command that takes them.

    With the team's `repo` open, names are checked against what exists: an unknown --owner (not on
    the team), --platform (neither a platform nor an SOP id of the library) or --site is refused with
    a did-you-mean, like an unknown --status, rather than silently matching nothing. `--platform`
    takes the platform (`amazon`) or the SOP id the status column shows (`amazon-us`).
    """
    from storeops.errors import did_you_mean
    from storeops.repo import check_id

    if status is not None and status not in STATUSES:
        raise UsageError(f"--status {status!r} is not a status",
                         hint=did_you_mean(status, list(STATUSES)) or f"one of {STATUSES_TEXT}")
    for value, what in ((platform, "platform (like amazon)"), (site, "site (like us)")):
        if value is not None:
            check_id(value, what)
    sop_id = None
    if repo is not None:
        config = repo.config
        if owner is not None and config.person(owner) is None:
            names = [p.name for p in config.people]
            raise UsageError(f"--owner {owner!r} is not on the team",
                             hint=did_you_mean(owner, names) or "people: " + ", ".join(names))
        if platform is not None or site is not None:
            from storeops.sop import load_library

            library = load_library(repo.root, skip_broken=True)
            platforms = sorted({s.platform for s in library.values()})
            if platform is not None and platform not in platforms:
                if platform not in library:
                    raise UsageError(f"--platform {platform!r} is neither a platform nor an SOP id",
                                     hint=did_you_mean(platform, platforms + list(library))
                                     or "platforms: " + ", ".join(platforms))
                platform, sop_id = None, platform
            sites = sorted({s for sop in library.values() for s in sop.sites})
            if site is not None and site not in sites:
                raise UsageError(f"--site {site!r} is not a site of any SOP",
                                 hint=did_you_mean(site, sites) or "sites: " + ", ".join(sites))
    elif owner is not None and not PERSON_RE.match(owner):
        raise UsageError(f"--owner {owner!r} is not a person name")
    return ProjectFilter(platform=platform, site=site, owner=owner, status=status, sop=sop_id,
                         since=dates.user_date(since, "--since", repo.config.timezone if repo is not None else "UTC"))
