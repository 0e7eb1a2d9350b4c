"""The one exception root of tra-assess and the problems it carries.

Exceptions never print. The command-line boundary (:mod:`tra_assess.cli.app`) turns them into
one line per problem on stderr and the exit code of SPEC section 7.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One problem in one input, located as precisely as the format allows."""

    source: str
    message: str
    line: int | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where = f"{where}:{self.line}"
        if self.row is not None:
            where = f"{where}: row {self.row}"
            if self.column is not None:
                where = f"{where}, column {self.column!r}"
        elif self.column is not None:
            where = f"{where}: column {self.column!r}"
        return f"{where}: {self.message}"


class TraAssessError(Exception):
    """Root of every error the tool raises on purpose."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])

    def lines(self) -> list[str]:
        """The lines the user sees: one per problem, or the message alone."""
        if self.problems:
            return [str(p) for p in self.problems]
        return [self.message]


class InvalidInputError(TraAssessError):
    """An input file (questionnaire, answers, results, template) is malformed or invalid."""

    exit_code = EXIT_INVALID


class UsageError(TraAssessError):
    """Bad option, no such file, unknown questionnaire: the command could not start."""

    exit_code = EXIT_USAGE
