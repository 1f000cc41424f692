"""Problems: what a reader could not read, kept as data (the Beancount way) instead of stopping the run.

A reader that meets a broken project file skips it and carries on; the file, line,
column and message go into a Problem, and the CLI names it on stderr, in --json
(`problems`) and in remind's digest. `storeops check` shows every finding in full.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from storeops.errors import DataError, StoreopsError


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    col: int | None
    message: str
    error: StoreopsError | None = None  # what was raised, for callers that must stop after all

    @classmethod
    def from_error(cls, error: StoreopsError, path: str) -> Problem:
        if isinstance(error, DataError):
            message = f"{error.field}: {error.detail}" if error.field else error.detail
            return cls(error.source, error.line, error.col, message, error)
        return cls(path, None, None, error.message, error)

    @property
    def where(self) -> str:
        return self.path + (f":{self.line}" if self.line else "") + (f":{self.col}" if self.line and self.col else "")

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def to_dict(self) -> dict:
        """The shape of one entry of `problems` in --json (docs/json.md)."""
        return {"path": self.path, "line": self.line, "col": self.col, "message": self.message}


def raise_first(problems: list[Problem]) -> None:
    """For the commands that must see every project (a writer that spans them all): stop at the first problem."""
    for problem in problems:
        if problem.error is not None:
            raise problem.error
        raise DataError(problem.path, problem.message, line=problem.line, col=problem.col)


@dataclass(frozen=True)
class Finding:
    """One finding of `storeops check`: a Problem with its kind (`code`), for --json and CI annotations."""

    path: str
    line: int | None
    col: int | None
    message: str
    code: str

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "") + (f":{self.col}" if self.line and self.col else "")
        return f"{where}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)
