"""Where values stand in a parsed document: location paths and their lines (for messages)."""

from __future__ import annotations

Loc = tuple[str | int, ...]

TOO_MANY_DIGITS = "a number with far too many digits"


class LineIndex:
    """Source positions of the values in a parsed document, by location path.

    ``lookup(("domains", 2, "items", 0, "critical"))`` returns the line of that value or,
    when the exact path does not exist (a missing key), the line of its nearest parent.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._lines: dict[Loc, int] = {}
        self._key_lines: dict[Loc, int] = {}

    def add(self, loc: Loc, line: int, key_line: int | None = None) -> None:
        self._lines[loc] = line
        if key_line is not None:
            self._key_lines[loc] = key_line

    def lookup(self, loc: Loc, key: bool = False) -> int | None:
        probe = tuple(loc)
        while True:
            if key and probe in self._key_lines:
                return self._key_lines[probe]
            if probe in self._lines:
                return self._lines[probe]
            if not probe:
                return None
            probe = probe[:-1]
