"""Reading one YAML/JSON answers document (SPEC section 5): its text, limits and error lines.

Every reader here refuses hostile input with one clear line: files over 20 MB (before
parsing), binary or non-UTF-8 content, empty files, YAML aliases ("billion laughs"), nesting
deep enough to crash a parser. The hot path (:func:`load_response`) parses with the fast
loaders and re-parses with the line-indexed YAML loader only when a file turns out to be
invalid, to point at its lines. The result is one
:class:`~tra_assess.sources.answers.Response`, the record every reader hands the scorer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tra_assess.common.errors import InvalidInputError, Problem, TraAssessError
from tra_assess.common.textsafe import quoted
from tra_assess.common.yamlio import (
    MAX_BYTES,
    LineIndex,
    decode_text,
    load_json,
    load_yaml_fast,
    load_yaml_indexed,
)
from tra_assess.sources.answers import Response, Source, parse_answers_document
from tra_assess.sources.inputs import unsupported_problem

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Questionnaire

MAX_NESTING = 500
_COMPACT_NESTING = re.compile(r"(?:[-?:][ \t]+){" + str(MAX_NESTING) + "}")
_BRACKETS = re.compile(r"[\[\]{}]")


def source_text(source: Source) -> str:
    """The text of a YAML/JSON source; oversize, binary, non-UTF-8 and empty are refused."""
    if source.kind == "unsupported":
        problem = unsupported_problem(source)
        raise InvalidInputError(problem.message, [problem])
    if source.error is not None:
        # an error may carry its line ("<stdin>:2: not valid UTF-8 text ...")
        raise InvalidInputError(source.error, [_as_problem(source.error, source.display)])
    if source.text is not None:
        text = source.text
        if "\x00" in text[:8192]:
            raise InvalidInputError(
                "binary", [Problem(source.display, "this is binary data, not UTF-8 text")]
            )
    else:
        assert source.file is not None
        try:
            text = read_file_text(source.file, source.display)
        except InvalidInputError as exc:
            raise InvalidInputError(exc.message, problems_of(exc, source.display)) from None
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        raise InvalidInputError(
            "empty",
            [Problem(source.display, "the file is empty (expected a tra-answers/1 document)")],
        )
    return text


def read_file_text(path: str, name: str) -> str:
    """:func:`tra_assess.common.yamlio.read_text` (same checks and messages) with one open, one
    fstat and one read: what a folder of thousands of small answer files needs."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            size = os.fstat(fd).st_size
            if size > MAX_BYTES:
                raise InvalidInputError(
                    f"{name}: file is {size / 1048576:.1f} MB; "
                    f"the limit is {MAX_BYTES // 1048576} MB"
                )
            data = os.read(fd, size + 1)  # a file of the size it says: one read, to the end
            if len(data) != size:  # grown, shrunk or not a plain file: read on to the end
                data = _read_rest(fd, data, name)
        finally:
            os.close(fd)
    except OSError as exc:
        raise InvalidInputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    return decode_text(data, name)


def _read_rest(fd: int, first: bytes, name: str) -> bytes:
    parts, total = [first], len(first)
    while block := os.read(fd, 1 << 16):
        parts.append(block)
        total += len(block)
        if total > MAX_BYTES:
            raise InvalidInputError(
                f"{name}: more than {MAX_BYTES // 1048576} MB; "
                f"the limit is {MAX_BYTES // 1048576} MB"
            )
    return b"".join(parts)


def problems_of(exc: TraAssessError, display: str) -> list[Problem]:
    """An error's problems; a message-only error (``NAME: msg``, ``NAME:LINE: msg``) as one."""
    if exc.problems:
        return list(exc.problems)
    return [_as_problem(exc.message, display)]


def _as_problem(message: str, display: str) -> Problem:
    if message.startswith(display + ":"):
        rest = message[len(display) + 1 :]
        head, sep, tail = rest.partition(": ")
        if sep and head.isdigit():
            return Problem(display, tail, int(head))
        return Problem(display, rest.lstrip())
    return Problem(display, message)


def check_nesting(text: str, name: str) -> None:
    """Refuse nesting deep enough to exhaust a parser's stack (before any YAML parsing)."""
    too_deep = InvalidInputError(
        "nested",
        [Problem(name, f"nested more than {MAX_NESTING} levels deep; not an answers file")],
    )
    if text.count("[") + text.count("{") > MAX_NESTING:
        depth = 0
        for match in _BRACKETS.finditer(text):
            depth += 1 if match.group() in "[{" else -1
            if depth > MAX_NESTING:
                raise too_deep
    if ("- " in text or "? " in text) and _COMPACT_NESTING.search(text):
        raise too_deep


def parse_text(text: str, source: Source) -> Any:
    """Parse a YAML or JSON document quickly (no line index)."""
    if source.kind == "json":
        return load_json(text, source.display)
    check_nesting(text, source.display)
    from tra_assess.sources import yamlfast  # PyYAML: imported on the first YAML document

    data = yamlfast.load(text)
    if data is not yamlfast.FALLBACK:
        return data
    try:
        # without '*' there can be no alias: skip the slower alias-refusing constructor
        return load_yaml_fast(text, source.display, allow_aliases="*" not in text)
    except (ValueError, TypeError, OverflowError, KeyError, AttributeError, IndexError) as exc:
        load_yaml_indexed(text, source.display)  # says which line, and why, in words
        message = f"invalid YAML value: {exc}"
        raise InvalidInputError(message, [Problem(source.display, message)]) from None


def load_response(source: Source, questionnaire: Questionnaire) -> Response:
    """Read, parse and check one YAML/JSON answers input; raise with every problem found."""
    text = source_text(source)
    data = parse_text(text, source)
    try:
        check_questionnaire_id(data, source.display, questionnaire)
        return parse_answers_document(data, source.display, questionnaire)
    except InvalidInputError:
        index = _line_index(text, source)
        check_questionnaire_id(data, source.display, questionnaire, index)
        return parse_answers_document(data, source.display, questionnaire, index)


def _line_index(text: str, source: Source) -> LineIndex | None:
    """Line positions for the messages of an invalid file (JSON parses as YAML here)."""
    try:
        check_nesting(text, source.display)
        return load_yaml_indexed(text, source.display)[1]
    except InvalidInputError:
        return None


def check_questionnaire_id(
    data: Any, display: str, questionnaire: Questionnaire, index: LineIndex | None = None
) -> None:
    """Answers for another questionnaire are rejected with one line naming both ids."""
    ref = data.get("questionnaire") if isinstance(data, dict) else None
    qid = ref.get("id") if isinstance(ref, dict) else None
    if qid is None or str(qid) == questionnaire.id:
        return
    line = index.lookup(("questionnaire", "id")) if index is not None else None
    message = (
        f"answers are for questionnaire {quoted(qid)}, but this batch is scored with "
        f"{questionnaire.id!r} {questionnaire.version} (score them separately, with -q)"
    )
    raise InvalidInputError(message, [Problem(display, message, line)])


def peek_questionnaire(sources: Sequence[Source]) -> str | None:
    """The questionnaire id the first YAML/JSON answers input or xlsx form names, if any
    (cheap)."""
    for source in sources:
        if source.kind == "xlsx":
            from tra_assess.sources.forms import form_questionnaire

            named = form_questionnaire(source)
            if named is not None:
                return named
        if source.tabular or source.kind == "unsupported":
            continue
        try:
            data = parse_text(source_text(source), source)
        except InvalidInputError:
            return None
        ref = data.get("questionnaire") if isinstance(data, dict) else None
        qid = ref.get("id") if isinstance(ref, dict) else None
        return str(qid) if isinstance(qid, (str, int)) and str(qid).strip() else None
    return None
