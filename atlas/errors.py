"""The project's own errors: every message a user can meet names its file, row and column."""

from __future__ import annotations

from dataclasses import dataclass


class AtlasError(Exception):
    """Base of every error a user of the command line or the app can meet."""


@dataclass(frozen=True)
class Problem:
    """One finding of validation. `row` is the spreadsheet row: the header is row 1."""

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f" column '{self.column}'"
        return f"{self.severity}: {where}: {self.message}"


class DataError(AtlasError):
    """A single problem that stops reading a table."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class ValidationFailed(AtlasError):
    """The tables hold errors; `problems` lists every one (warnings included)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        head = "\n".join(str(p) for p in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} error(s) in the data:\n{head}{more}")


class GeocodeError(AtlasError):
    """A place could not be resolved, or a geocoder answered with an error."""
