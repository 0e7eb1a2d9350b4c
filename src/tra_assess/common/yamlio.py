"""Safe YAML and JSON reading with source positions.

Every loader here is a *safe* loader (PyYAML's C loader when it is available). Files larger
than :data:`MAX_BYTES` are refused before they are parsed, non-UTF-8 input gets a clear
message, and answer files may refuse aliases (a "billion laughs" file fails at the first
alias instead of exhausting memory).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tra_assess.common.errors import InvalidInputError, Problem
from tra_assess.common.textsafe import quoted

MAX_BYTES = 20 * 1024 * 1024

Loc = tuple[str | int, ...]

try:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
    HAVE_LIBYAML = True
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader
    HAVE_LIBYAML = False


_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"


class _SafeLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing a key written twice in one mapping (YAML would silently
    keep the later value, and an answer or setting would be lost without a word)."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE:
                    key = (key_node.tag, key_node.value)
                    line = key_node.start_mark.line + 1
                    if key in seen:
                        raise _DuplicateKey(key_node.value, seen[key], line)
                    seen[key] = line
        return super().construct_mapping(node, deep=deep)


class _NoAliasLoader(_SafeLoader):
    """A safe loader that refuses any alias (``*name``) to an anchored node."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _AliasFound(node.start_mark.line + 1)
        return super().construct_object(node, deep=deep)


class _AliasFound(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _DuplicateKey(Exception):
    def __init__(self, key: str, first: int, line: int) -> None:
        super().__init__(key)
        self.key, self.first, self.line = key, first, line


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


def _mark_problem(name: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}"
    if context:
        message = f"invalid YAML: {problem} ({context})"
    line = mark.line + 1 if mark is not None else None
    return Problem(name, message, line=line)


class _NeedsPositions(Exception):
    """Raised by a fast read whose problem is best located by the indexed read."""


@contextlib.contextmanager
def _reading(name: str, loader: yaml.SafeLoader, kind: str, fast: bool) -> Iterator[None]:
    """Turn every way a YAML document can fail into one problem line; free the parser."""
    try:
        yield
    except (_AliasFound, *_VALUE_ERRORS) as exc:
        if fast:  # the indexed read names the alias's own line, or the impossible value's
            raise _NeedsPositions from None
        if not isinstance(exc, _AliasFound):
            raise
        message = f"YAML aliases (*name) are not allowed in {kind}: write the value out in full"
        raise InvalidInputError("alias", [Problem(name, message, exc.line)]) from None
    except _DuplicateKey as exc:
        message = f"key {exc.key!r} is written twice (also on line {exc.first}): keep one"
        raise InvalidInputError("duplicate", [Problem(name, message, exc.line)]) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError("yaml", [_mark_problem(name, exc)]) from None
    except RecursionError:
        raise InvalidInputError(
            "yaml", [Problem(name, "invalid YAML: nested too deeply")]
        ) from None
    finally:
        loader.dispose()


def load_yaml_fast(
    text: str, name: str, allow_aliases: bool = False, kind: str = "answer files"
) -> Any:
    """Parse one YAML document quickly (no position index)."""
    loader_cls = _SafeLoader if allow_aliases else _NoAliasLoader
    loader = loader_cls(text)
    try:
        with _reading(name, loader, kind, fast=True):
            return loader.get_single_data()
    except _NeedsPositions:
        return load_yaml_indexed(text, name, kind)[0]


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


def _index_node(
    node: yaml.Node, loc: Loc, index: LineIndex, key_line: int | None, seen: set[int], at: int
) -> None:
    if id(node) in seen:  # the same node reached twice: an alias, used on line `at`
        raise _AliasFound(at)
    seen.add(id(node))
    index.add(loc, node.start_mark.line + 1, key_line)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key: Any = key_node.value
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith(":int"):
                with contextlib.suppress(ValueError):
                    key = int(key)
            line = key_node.start_mark.line + 1
            _index_node(value_node, (*loc, key), index, line, seen, line)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _index_node(child, (*loc, i), index, None, seen, node.start_mark.line + 1)


def _bad_value(node: yaml.Node, loader: yaml.SafeLoader) -> tuple[int, str] | None:
    """The line and reason of the first scalar that cannot be constructed (an impossible
    date, say), or None."""
    if isinstance(node, yaml.ScalarNode):
        construct = {
            _TIMESTAMP: loader.construct_yaml_timestamp,
            _INT: loader.construct_yaml_int,
            _FLOAT: loader.construct_yaml_float,
            _BOOL: loader.construct_yaml_bool,
        }
        if node.tag in construct:
            try:
                construct[node.tag](node)
            except _VALUE_ERRORS as exc:
                return node.start_mark.line + 1, _scalar_reason(node, exc)
        return None
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    for child in children:
        found = _bad_value(child, loader)
        if found is not None:
            return found
    return None


def load_yaml_indexed(text: str, name: str, kind: str = "answer files") -> tuple[Any, LineIndex]:
    """Parse one YAML document and index the line of every value (for error messages).
    Aliases are refused: following them while indexing could take exponential time."""
    loader = _SafeLoader(text)
    index = LineIndex(name)
    with _reading(name, loader, kind, fast=False):
        node = loader.get_single_node()
        if node is None:
            return None, index
        _index_node(node, (), index, None, set(), 1)
        try:
            return loader.construct_document(node), index
        except _VALUE_ERRORS as exc:
            found = _bad_value(node, loader)
            line, reason = found if found is not None else (None, _value_reason(exc))
            raise InvalidInputError(
                "yaml", [Problem(name, f"invalid YAML value: {reason}", line)]
            ) from None


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


TOO_MANY_DIGITS = "a number with far too many digits"
_LONG_NUMBER = re.compile(r"\d{1000,}")


def _long_number_line(text: str) -> int | None:
    found = _LONG_NUMBER.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


# What PyYAML's scalar constructors raise for a value their tag cannot take
# (``!!timestamp x`` fails inside a regex match, ``!!bool x`` in a dict look-up).
_VALUE_ERRORS = (ValueError, OverflowError, KeyError, AttributeError, TypeError, IndexError)
_READ_AS = {
    _TIMESTAMP: "a date",
    _INT: "a whole number",
    _FLOAT: "a number",
    _BOOL: "true or false",
}


def _scalar_reason(node: yaml.ScalarNode, exc: Exception) -> str:
    if node.tag == _TIMESTAMP and isinstance(exc, ValueError):
        return str(exc)  # a date written right that does not exist: "day is out of range..."
    if isinstance(exc, ValueError) and "digits" in str(exc):
        return TOO_MANY_DIGITS
    return f"{quoted(node.value)} is not {_READ_AS[node.tag]}"


def _value_reason(exc: Exception) -> str:
    """Why a scalar could not be read, in words (Python's own message for an over-long
    integer names a setting users cannot change)."""
    text = str(exc)
    return TOO_MANY_DIGITS if "digits" in text and "integer" in text else text
