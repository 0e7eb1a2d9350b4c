"""Line-by-line input for ``tra-assess run``, from a stream the walk controls.

A terminal and a pipe are read the same way: one key or note per line. End of input raises
:class:`Stop` (like ``q``), Ctrl-C raises :class:`Stop` with reason ``interrupt``. When the
input is not a terminal, what was read is echoed so a transcript reads naturally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

from rich.text import Text

from tra_assess.common.textsafe import one_line

if TYPE_CHECKING:
    from rich.console import Console

StopReason = Literal["quit", "eof", "interrupt"]


class LineStream(Protocol):
    """Where keys come from: ``sys.stdin``, or any object with these two methods."""

    def readline(self) -> str: ...

    def isatty(self) -> bool: ...


class Stop(Exception):
    """The walk stops here; the caller saves and says how to resume."""

    def __init__(self, reason: StopReason) -> None:
        super().__init__(reason)
        self.reason: StopReason = reason


class LineInput:
    """Prompts on the console, reads one line from ``stream``."""

    def __init__(self, stream: LineStream, console: Console) -> None:
        self.stream = stream
        self.console = console
        self.lines_read = 0
        try:
            self.interactive = stream.isatty()
        except (AttributeError, ValueError, OSError):
            self.interactive = False

    def ask(self, prompt: str) -> str:
        """The line typed after ``prompt``, without its newline, stripped of controls."""
        self.console.print(Text(prompt, style="bold"), end="")
        self.console.file.flush()
        try:
            line = self.stream.readline()
        except KeyboardInterrupt:
            self.console.print()
            raise Stop("interrupt") from None
        except (OSError, ValueError):  # a closed or broken stdin is an end of input
            line = ""
        if not line:
            self.console.print()
            raise Stop("eof")
        self.lines_read += 1
        text = one_line(line.rstrip("\r\n")).strip()
        if not self.interactive:
            self.console.print(Text(text))
        return text

    def hint(self, message: str) -> None:
        self.console.print(Text(message, style="italic yellow"))
