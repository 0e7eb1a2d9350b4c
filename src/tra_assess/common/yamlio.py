"""Safe YAML and JSON reading with source positions.

Every loader here is a *safe* loader (PyYAML's C loader when it is available). Files larger
than :data:`MAX_BYTES` are refused before they are parsed, non-UTF-8 input gets a clear
message, and answer files may refuse aliases (a "billion laughs" file fails at the first
alias instead of exhausting memory). The YAML loaders live in
:mod:`tra_assess.common.yamlload`, imported on the first YAML document (PyYAML costs about
8 ms of start-up that JSON input and built-in questionnaires do not need).
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

from tra_assess.common.errors import InvalidInputError, Problem
from tra_assess.common.positions import TOO_MANY_DIGITS, LineIndex, Loc
from tra_assess.common.textsafe import quoted

MAX_BYTES = 20 * 1024 * 1024

__all__ = [
    "MAX_BYTES",
    "TOO_MANY_DIGITS",
    "LineIndex",
    "Loc",
    "decode_text",
    "load_json",
    "load_yaml_fast",
    "load_yaml_indexed",
    "read_text",
]


def read_text(path: Path, display: str | None = None, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file, refusing oversize, binary and non-UTF-8 content (BOM allowed)."""
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise InvalidInputError(
            f"{name}: file is {size / 1048576:.1f} MB; the limit is {max_bytes // 1048576} MB"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    return decode_text(data, name)


_BOM = b"\xef\xbb\xbf"


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM); binary data gets a clear message."""
    if data.find(b"\x00", 0, 8192) >= 0:
        raise InvalidInputError(f"{name}: this is a binary file, not UTF-8 text")
    try:
        # without a BOM, utf-8-sig is utf-8 (whose decoder is built in, not a Python codec)
        return data.decode("utf-8-sig" if data.startswith(_BOM) else "utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInputError(
            f"{name}:{line}: not valid UTF-8 text (save the file as UTF-8)"
        ) from None


def load_yaml_fast(
    text: str, name: str, allow_aliases: bool = False, kind: str = "answer files"
) -> Any:
    """Parse one YAML document quickly (no position index)."""
    from tra_assess.common import yamlload

    return yamlload.load_yaml_fast(text, name, allow_aliases, kind)


def load_yaml_indexed(text: str, name: str, kind: str = "answer files") -> tuple[Any, LineIndex]:
    """Parse one YAML document and index the line of every value (for error messages).
    Aliases are refused: following them while indexing could take exponential time."""
    from tra_assess.common import yamlload

    return yamlload.load_yaml_indexed(text, name, kind)


def load_json(text: str, name: str) -> Any:
    """Parse JSON; errors name the line. A ``\\uD800``-style escape that is half of a
    character (a lone surrogate) is refused: such text cannot be written out again."""
    try:
        data = _JSON.decode(text)
        if "\\" in text and "\\u" in text:  # one character is found faster than two
            _check_surrogates(text, data, name)
        return data
    except _DuplicateJsonKey as exc:
        raise InvalidInputError(
            "json",
            [
                Problem(
                    name,
                    f"invalid JSON: key {quoted(exc.key)} is written twice in one object: keep one",
                    _key_line(text, exc.key),
                )
            ],
        ) from None
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            "json", [Problem(name, f"invalid JSON: {exc.msg}", exc.lineno)]
        ) from None
    except RecursionError:
        raise InvalidInputError(
            "json", [Problem(name, "invalid JSON: nested too deeply")]
        ) from None
    except ValueError:  # Python's limit on the digits of an integer
        raise InvalidInputError(
            "json", [Problem(name, f"invalid JSON: {TOO_MANY_DIGITS}", _long_number_line(text))]
        ) from None


_SURROGATE_ESCAPE = re.compile(
    r"\\u([dD][89a-fA-F][0-9a-fA-F]{2})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?"
)


class _DuplicateJsonKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key written twice (JSON itself would keep the last)."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateJsonKey(key)
            seen.add(key)
    return found


_JSON = json.JSONDecoder(object_pairs_hook=_unique_pairs)


def _key_line(text: str, key: str) -> int | None:
    """The line of the second time ``key`` is written as a key, when it can be found."""
    pattern = re.compile(re.escape(json.dumps(key)) + r"\s*:")
    matches = list(itertools.islice(pattern.finditer(text), 2))
    return text.count("\n", 0, matches[1].start()) + 1 if len(matches) == 2 else None


def _check_surrogates(text: str, data: Any, name: str) -> None:
    """Refuse text holding half of a character (a lone surrogate, from an escape such as
    ``\\ud800`` without its pair): it cannot be written out again as UTF-8."""
    if not _SURROGATE_ESCAPE.search(text):
        return
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return  # only pairs, or escaped backslashes before a 'u'
    line = None
    for found in _SURROGATE_ESCAPE.finditer(text):
        before = found.start() - 1
        while before >= 0 and text[before] == "\\":
            before -= 1
        backslashes = found.start() - 1 - before  # escaped backslashes before this one
        paired = int(found.group(1), 16) <= 0xDBFF and found.group(2)
        if backslashes % 2 == 0 and not paired:
            line = text.count("\n", 0, found.start()) + 1
            break
    raise InvalidInputError(
        "json",
        [Problem(name, "invalid JSON: a \\u escape that is half of a character, not text", line)],
    )


_LONG_NUMBER = re.compile(r"\d{1000,}")


def _long_number_line(text: str) -> int | None:
    found = _LONG_NUMBER.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1
