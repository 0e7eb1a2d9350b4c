"""The command line's error boundary and small shared helpers (imports only typer).

Commands raise :class:`~tra_assess.common.errors.TraAssessError`; the boundary prints one line per
problem to stderr and exits with the code of SPEC section 7. Nothing else prints errors.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from tra_assess.common.errors import EXIT_BUG, EXIT_INTERRUPTED, TraAssessError
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


