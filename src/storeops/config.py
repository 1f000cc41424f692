"""storeops.yaml: the team, its people and roles, timezone, language, policies."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from storeops.model import PERSON_RE, ROLES, FieldError, _get, _strings

LANGUAGES = ("en", "zh")

DEFAULT_POLICIES = {
    "remind_days": 3,          # remind about tasks due within this many days
    "stale_after_days": 14,    # a project with no commit for this long is stale
    "sop_max_age_days": 180,   # a template not reviewed for this long is stale
}


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    roles: tuple[str, ...] = ()
    age: str | None = None  # age or SSH public key (the vault uses it)

    def to_dict(self) -> dict:
        out: dict = {"name": self.name, "email": self.email, "roles": list(self.roles)}
        if self.age:
            out["age"] = self.age
        return out


@dataclass(frozen=True)
class Config:
    team: str
    timezone: str = "UTC"
    language: str = "en"
    people: tuple[Person, ...] = ()
    policies: dict = field(default_factory=lambda: dict(DEFAULT_POLICIES))
    version: int = 1

    @classmethod
    def from_dict(cls, d: Any) -> Config:
        if not isinstance(d, dict):
            raise FieldError((), "storeops.yaml is a mapping (team, timezone, language, people, policies)")
        known = ("version", "team", "timezone", "language", "people", "policies")
        for key in d:
            if key not in known:
                raise FieldError((key,), f"unknown field; expected one of {', '.join(known)}")
        people = []
        seen: set = set()
        for i, item in enumerate(_get(d, "people", list, (), [])):
            path = ("people", i)
            if not isinstance(item, dict):
                raise FieldError(path, "a person is {name, email, roles}")
            person = Person(
                name=_get(item, "name", str, path),
                email=_get(item, "email", str, path),
                roles=_strings(item, "roles", path),
                age=_get(item, "age", (str, type(None)), path, None),
            )
            if not PERSON_RE.match(person.name):
                raise FieldError(path + ("name",), f"{person.name!r} is not a valid person name")
            if person.name in seen:
                raise FieldError(path + ("name",), f"{person.name!r} appears twice")
            for j, role in enumerate(person.roles):
                if role not in ROLES:
                    raise FieldError(path + ("roles", j), f"{role!r} is not one of {', '.join(ROLES)}")
            seen.add(person.name)
            people.append(person)
        policies = dict(DEFAULT_POLICIES)
        for key, value in _get(d, "policies", dict, (), {}).items():
            if key not in DEFAULT_POLICIES:
                raise FieldError(("policies", key), f"unknown policy; expected one of {', '.join(DEFAULT_POLICIES)}")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise FieldError(("policies", key), "expected a whole number of days")
            policies[key] = value
        config = cls(
            team=_get(d, "team", str, ()),
            timezone=_get(d, "timezone", str, (), "UTC"),
            language=_get(d, "language", str, (), "en"),
            people=tuple(people),
            policies=policies,
            version=_get(d, "version", int, (), 1),
        )
        if config.language not in LANGUAGES:
            raise FieldError(("language",), f"{config.language!r} is not one of {', '.join(LANGUAGES)}")
        check_timezone(config.timezone, ("timezone",))
        return config

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "team": self.team,
            "timezone": self.timezone,
            "language": self.language,
            "people": [p.to_dict() for p in self.people],
            "policies": dict(self.policies),
        }

    def person(self, name: str) -> Person | None:
        return next((p for p in self.people if p.name == name), None)

    def person_by_email(self, email: str) -> Person | None:
        email = email.lower()
        return next((p for p in self.people if p.email.lower() == email), None)

    def holders(self, role: str) -> list[Person]:
        return [p for p in self.people if role in p.roles]

    def with_people(self, people: list[Person]) -> Config:
        return dataclasses.replace(self, people=tuple(people))


def check_timezone(name: str, path: tuple = ("timezone",)) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder of tzdata, not a zone
        raise FieldError(path, f"{name!r} is not a known IANA timezone (like Asia/Shanghai or UTC)") from None
