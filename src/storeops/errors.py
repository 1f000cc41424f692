"""Small named exceptions; only the CLI's error boundary turns them into output."""

from __future__ import annotations


class StoreopsError(Exception):
    """Base class. `exit_code`: 1 findings, 2 bad input, 3 environment."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message + (f" ({self.hint})" if self.hint else "")


class UsageError(StoreopsError):
    """Bad arguments: unknown id, bad date, illegal transition."""


class DataError(StoreopsError):
    """A file's content is wrong; names the file, line and column."""

    def __init__(self, source: str, message: str, line: int | None = None, col: int | None = None,
                 field: str | None = None, hint: str | None = None):
        self.source, self.line, self.col, self.field = source, line, col, field
        where = source + (f":{line}" if line else "") + (f":{col}" if line and col else "")
        what = f"{field}: {message}" if field else message
        super().__init__(f"{where}: {what}", hint)
        self.detail = message


class EnvError(StoreopsError):
    """The environment is wrong: not a stores repo, git missing, no identity."""

    exit_code = 3


class LockBusy(EnvError):
    """Another storeops process holds the repository lock."""


def did_you_mean(value: str, choices: list[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(value, choices, n=3, cutoff=0.5)
    return "did you mean " + " or ".join(close) + "?" if close else None
