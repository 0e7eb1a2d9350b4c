"""The command line's error boundary and small shared helpers (imports only typer).

Commands raise :class:`~tra_assess.common.errors.TraAssessError`; the boundary prints one line per
problem to stderr and exits with the code of SPEC section 7. Nothing else prints errors.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from typer.core import TyperGroup

try:
    from typer._click.exceptions import NoArgsIsHelpError
    from typer._click.exceptions import UsageError as ClickUsageError
except ImportError:  # pragma: no cover - a typer that does not vendor click
    from click.exceptions import (  # type: ignore[assignment,import-not-found,no-redef,unused-ignore]
        NoArgsIsHelpError,
    )
    from click.exceptions import (  # type: ignore[assignment,import-not-found,no-redef,unused-ignore]
        UsageError as ClickUsageError,
    )

from tra_assess.common.errors import EXIT_BUG, EXIT_INTERRUPTED, EXIT_USAGE, TraAssessError
from tra_assess.common.textsafe import one_line

F = TypeVar("F", bound=Callable[..., Any])

_state = {"debug": False}


def set_debug(value: bool) -> None:
    _state["debug"] = value


def debug_enabled() -> bool:
    return _state["debug"]


def err(line: str) -> None:
    """One line on stderr, as plain text."""
    sys.stderr.write(one_line(line) + "\n")
    sys.stderr.flush()


def report_error(exc: TraAssessError) -> None:
    lines = exc.lines()
    if not exc.problems:
        lines = [f"error: {line}" for line in lines]
    for line in lines:
        err(line)


def boundary(fn: F) -> F:
    """Map the tool's errors, Ctrl-C and bugs to messages and exit codes."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            code = fn(*args, **kwargs)
        except TraAssessError as exc:
            if debug_enabled():
                raise
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            if debug_enabled():
                raise
            err(
                f"internal error: {type(exc).__name__}: {exc}. This is a bug in tra-assess; "
                "run again with --debug for the details and report it."
            )
            raise typer.Exit(EXIT_BUG) from None
        raise typer.Exit(code or 0)

    return wrapper  # type: ignore[return-value]


_POSSIBLE = re.compile(r"\s*\(Possible options: (?P<options>[^)]*)\)$")


def usage_line(exc: ClickUsageError, fallback: str = "tra-assess") -> str:
    """A command-line mistake as one line plus where to look:
    ``error: no such option: --bogus (see 'tra-assess score --help')``."""
    message = exc.format_message().strip().removeprefix("Value error, ")
    message = re.sub(r": Value error, ", ": ", message)
    message = message[:1].lower() + message[1:]
    suggestion = _POSSIBLE.search(message)
    if suggestion:
        message = message[: suggestion.start()]
        options = _close(getattr(exc, "option_name", ""), suggestion["options"].split(", "))
        if options:
            message += f"; did you mean {' or '.join(options)}?"
    message = message.rstrip(".")
    path = exc.ctx.command_path if exc.ctx is not None else fallback
    return f"error: {message} (see '{path} --help')"


def _close(given: str, options: list[str]) -> list[str]:
    """The options that look like a typo of ``given`` (Click also offers far-fetched ones)."""
    import difflib

    bare = given.lstrip("-")
    return [o for o in options if difflib.SequenceMatcher(None, bare, o.lstrip("-")).ratio() >= 0.6]


class OneLineUsageErrors(TyperGroup):
    """The root command group: a usage error (unknown option or command, missing argument,
    bad choice or number) is one line on stderr and exit 2, like every other error, not
    Click's box of usage, hint and message."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except NoArgsIsHelpError:
            raise
        except ClickUsageError as exc:
            err(usage_line(exc))
            raise typer.Exit(EXIT_USAGE) from None

    def invoke(self, ctx: Any) -> Any:
        given = [*getattr(ctx, "_protected_args", []), *ctx.args]
        named = next((arg for arg in given if arg in self.commands), None)
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise
        except ClickUsageError as exc:
            fallback = f"{ctx.command_path} {named}" if named else ctx.command_path
            err(usage_line(exc, fallback))
            raise typer.Exit(EXIT_USAGE) from None
