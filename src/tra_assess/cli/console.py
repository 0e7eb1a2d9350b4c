"""Rich consoles, made at call time (never bound at import), honouring NO_COLOR.

Rich drops colours under NO_COLOR but keeps bold and italic; here NO_COLOR (any non-empty
value, https://no-color.org) means no escape sequence at all. Rich itself gives no colour to a
pipe or a ``TERM=dumb`` terminal.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rich.console import Console


def _color_system() -> Literal["auto"] | None:
    return None if os.environ.get("NO_COLOR") else "auto"


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, emoji=False, markup=False, color_system=_color_system())


def stderr_console() -> Console:
    from rich.console import Console

    return Console(
        stderr=True, highlight=False, emoji=False, markup=False, color_system=_color_system()
    )
