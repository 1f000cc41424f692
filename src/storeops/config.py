"""storeops.yaml: the team, its people and roles, timezone, language, policies."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from storeops.model import ID_RE, PERSON_RE, ROLES, FieldError, _get, _strings

LANGUAGES = ("en", "zh")
WEBHOOK_FORMATS = ("slack", "feishu", "dingtalk", "generic")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")

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
class Smtp:
    host: str | None = None
    port: int = 587
    sender: str | None = None  # `from` in storeops.yaml
    starttls: bool = True

    def to_dict(self) -> dict:
        return {"host": self.host, "port": self.port, "from": self.sender, "starttls": self.starttls}


@dataclass(frozen=True)
class Notify:
    """Where `storeops remind` delivers. Secrets (webhook URL, SMTP password) only come from the environment."""

    webhook_url_env: str | None = None   # name of the variable holding the webhook URL
    webhook_format: str | None = None
    smtp: Smtp | None = None

    @classmethod
    def from_dict(cls, d: Any, path: tuple = ("notify",)) -> Notify:
        if not isinstance(d, dict):
            raise FieldError(path, "notify is a mapping (webhook_url_env, webhook_format, smtp)")
        for key in d:
            if key not in ("webhook_url_env", "webhook_format", "smtp"):
                raise FieldError(path + (key,), "unknown field; expected one of webhook_url_env, webhook_format, smtp")
        env = _get(d, "webhook_url_env", (str, type(None)), path, None)
        if env is not None and not ENV_NAME_RE.match(env):
            raise FieldError(path + ("webhook_url_env",),
                             "the NAME of an environment variable (like STOREOPS_WEBHOOK_URL), not the URL itself")
        fmt = _get(d, "webhook_format", (str, type(None)), path, None)
        if fmt is not None and fmt not in WEBHOOK_FORMATS:
            raise FieldError(path + ("webhook_format",), f"{fmt!r} is not one of {', '.join(WEBHOOK_FORMATS)}")
        smtp = None
        raw = _get(d, "smtp", (dict, type(None)), path, None)
        if raw is not None:
            where = path + ("smtp",)
            for key in raw:
                if key not in ("host", "port", "from", "starttls"):
                    raise FieldError(where + (key,), "unknown field; expected one of host, port, from, starttls "
                                     "(the user and password come from STOREOPS_SMTP_USER / STOREOPS_SMTP_PASSWORD)")
            smtp = Smtp(host=_get(raw, "host", (str, type(None)), where, None),
                        port=_get(raw, "port", int, where, 587),
                        sender=_get(raw, "from", (str, type(None)), where, None),
                        starttls=_get(raw, "starttls", bool, where, True))
            if not 0 < smtp.port < 65536:
                raise FieldError(where + ("port",), f"{smtp.port} is not a TCP port")
        return cls(webhook_url_env=env, webhook_format=fmt, smtp=smtp)

    def to_dict(self) -> dict:
        out: dict = {}
        if self.webhook_url_env:
            out["webhook_url_env"] = self.webhook_url_env
        if self.webhook_format:
            out["webhook_format"] = self.webhook_format
        if self.smtp:
            out["smtp"] = self.smtp.to_dict()
        return out


@dataclass(frozen=True)
class Config:
    team: str
    timezone: str = "UTC"
    language: str = "en"
    people: tuple[Person, ...] = ()
    policies: dict = field(default_factory=lambda: dict(DEFAULT_POLICIES))
    version: int = 1
    notify: Notify = field(default_factory=Notify)
    # the team's product categories, beside those the SOPs name (sop.category_vocabulary joins them)
    categories: tuple[str, ...] = ()
    entities: tuple[dict, ...] = ()   # legal entities: {name, legal_rep, address, ...} for document templates

    @classmethod
    def from_dict(cls, d: Any) -> Config:
        if not isinstance(d, dict):
            raise FieldError((), "storeops.yaml is a mapping (team, timezone, language, people, policies)")
        known = ("version", "team", "timezone", "language", "people", "policies", "notify", "entities", "categories")
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
        categories = _strings(d, "categories", ())
        for i, category in enumerate(categories):
            if not ID_RE.match(category):
                raise FieldError(("categories", i), f"{category!r} is not a category id (lowercase letters, digits and -)")
        entities = []
        for i, item in enumerate(_get(d, "entities", list, (), [])):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
                raise FieldError(("entities", i), "an entity is {name, legal_rep, address, ...}")
            for key, value in item.items():
                if not isinstance(value, str):
                    raise FieldError(("entities", i, str(key)), "expected text")
            entities.append(dict(item))
        config = cls(
            team=_get(d, "team", str, ()),
            timezone=_get(d, "timezone", str, (), "UTC"),
            language=_get(d, "language", str, (), "en"),
            people=tuple(people),
            policies=policies,
            version=_get(d, "version", int, (), 1),
            notify=Notify.from_dict(d["notify"]) if d.get("notify") is not None else Notify(),
            categories=tuple(dict.fromkeys(categories)),
            entities=tuple(entities),
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
            **({"notify": self.notify.to_dict()} if self.notify.to_dict() else {}),
            **({"categories": list(self.categories)} if self.categories else {}),
            **({"entities": [dict(e) for e in self.entities]} if self.entities else {}),
        }

    def entity(self, name: str | None) -> dict | None:
        return next((e for e in self.entities if name and e["name"] == name), None)

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
