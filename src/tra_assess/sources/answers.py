"""Answer files (SPEC section 5): the ``tra-answers/1`` document and one respondent's answers.

:class:`Response` is what every input format (YAML, JSON, CSV rows, xlsx rows, the interactive
walk) becomes before scoring. :func:`parse_answers_document` checks a loaded YAML/JSON document
against the questionnaire quickly (no pydantic on the hot path); problems name the file, the
line and what was expected.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tra_assess.common.clock import iso_date
from tra_assess.common.errors import InvalidInputError, Problem
from tra_assess.common.textsafe import quoted

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from tra_assess.common.yamlio import LineIndex, Loc
    from tra_assess.questionnaire.model import Questionnaire

ANSWERS_FORMAT = "tra-answers/1"
NA = "na"
UNKNOWN = "unknown"

Value = int | str  # a scale value, NA or UNKNOWN

_NA_WORDS = {
    "na",
    "n/a",
    "n.a.",
    "n. a.",
    "not applicable",
    "not-applicable",
    "does not apply",
    "doesn't apply",
    "not relevant",
}
_UNKNOWN_WORDS = {
    "unknown",
    "don't know",
    "dont know",
    "do not know",
    "i don't know",
    "i do not know",
    "don't know / not sure",
    "don't know/not sure",
    "not sure",
    "unsure",
    "i'm not sure",
    "i am not sure",
    "unfamiliar",
    "unfamiliar (n/a)",
    "?",
}
# folded text -> na or unknown ("unfamiliar (n/a)": the respondent cannot rate the practice,
# which is a don't-know, not a statement that it does not apply here)
_WORDS: dict[str, str] = {
    **{word: "na" for word in _NA_WORDS},
    **{word: "unknown" for word in _UNKNOWN_WORDS},
}
_DECIMAL = re.compile(r"^(-?\d+)[.,](\d+)$")
# "3", "3 - Label", "3: Label", "3. Label", "3) Label", "3 (Label)", "3 = Label"
_LEADING_NUMBER = re.compile(r"^(-?\d+)(?:\s*[-:.)=]\s*(.*)|\s*\((.*)\))?$", re.S)
_MAX_DIGITS = 12  # a scale value has a few; a longer number is shown, not converted
RESPONDENT_FIELDS = ("id", "role", "team", "site")


# -- the document model (schema only: defined in answers_schema, imported when asked for) ----

_SCHEMA_NAMES = ("QuestionnaireRef", "AnswerDetail", "AnswersFile")


def __getattr__(name: str) -> Any:
    if name in _SCHEMA_NAMES:
        from tra_assess.sources import schema as answers_schema

        return getattr(answers_schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def answers_json_schema() -> dict[str, Any]:
    from tra_assess.sources.schema import answers_json_schema as schema

    return schema()


# -- one respondent, whatever the input format ------------------------------------------------

MAX_PARTICIPANTS = 100_000


@dataclass
class Participants:
    """Who took part in a consensus session: how many, and their roles (``participants:``)."""

    count: int | None = None
    roles: list[str] = field(default_factory=list)

    def to_document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        if self.count is not None:
            doc["count"] = self.count
        if self.roles:
            doc["roles"] = list(self.roles)
        return doc


@dataclass(frozen=True)
class Source:
    """One answer input: a file (``path``) or the document read from stdin (``text``)."""

    index: int
    display: str
    kind: str  # yaml | json | csv | xlsx | unsupported
    file: str | None = None  # the file's path, as a plain string (cheap for big folders)
    text: str | None = None
    error: str | None = None  # stdin that could not be read

    @property
    def path(self) -> Path | None:
        return Path(self.file) if self.file is not None else None

    @property
    def tabular(self) -> bool:
        return self.kind in ("csv", "xlsx")


@dataclass
class Response:
    """One respondent's answers, ready for scoring."""

    source: str
    questionnaire_id: str | None = None
    questionnaire_version: str | None = None
    organization: str | None = None
    assessed_on: str | None = None
    mode: str | None = None
    respondent: dict[str, str] = field(default_factory=dict)
    values: dict[str, Value] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    # consensus sessions: who took part, and the items where the room was split (kept in the
    # answers file for the facilitator's record; scoring does not use them)
    participants: Participants | None = None
    split: set[str] = field(default_factory=set)

    @property
    def respondent_id(self) -> str | None:
        return self.respondent.get("id")

    def group_value(self, field_name: str) -> str | None:
        """The value this respondent has for a ``--group-by`` field, or None."""
        if field_name == "organization":
            return self.organization
        if field_name == "mode":
            return self.mode
        value = self.respondent.get(field_name)
        return value if value not in (None, "") else None

    def to_document(self) -> dict[str, Any]:
        """The ``tra-answers/1`` document for this response (as written by ``run``)."""
        doc: dict[str, Any] = {
            "format": ANSWERS_FORMAT,
            "questionnaire": {"id": self.questionnaire_id, "version": self.questionnaire_version},
        }
        if self.organization:
            doc["organization"] = self.organization
        if self.assessed_on:
            doc["assessed_on"] = self.assessed_on
        if self.mode:
            doc["mode"] = self.mode
        if self.respondent:
            doc["respondent"] = dict(self.respondent)
        if self.participants is not None and self.participants.to_document():
            doc["participants"] = self.participants.to_document()
        answers: dict[str, Any] = {}
        for item_id in list(self.values) + [k for k in self.notes if k not in self.values]:
            value = self.values.get(item_id)
            detail: dict[str, Any] = {"value": value}
            if item_id in self.split and value is not None:
                detail["split"] = True
            if self.notes.get(item_id):
                detail["note"] = self.notes[item_id]
            answers[item_id] = detail if len(detail) > 1 else value
        doc["answers"] = answers
        return doc


def parse_value_text(
    text: str, questionnaire: Questionnaire, labels: Mapping[str, Value] | None = None
) -> Value | None:
    """A typed answer: a scale value, a scale label, ``"3 - Label"``, ``"3 (Label)"``, na or
    unknown words, or a text mapped with ``--label`` (``labels``: folded text -> value).

    Labels compare after folding case, whitespace, curly quotes and dashes. A decimal is an
    error (``3.0`` is 3); a number with a label is that number only when the label is the
    scale's own label for it. Returns None for an empty cell (unanswered); raises ValueError
    with what was expected.
    """
    from tra_assess.common.textsafe import fold_label

    folded = fold_label(text)
    if not folded:
        return None
    if labels:  # None: not a table (no --label hint in messages)
        mapped = labels.get(folded)
        if mapped is not None:
            return mapped
    word = _WORDS.get(folded)
    if word is not None:
        return word
    for point in questionnaire.scale:  # a label first: it may itself start with a number
        if fold_label(point.label) == folded:
            return point.value
    decimal = _DECIMAL.match(folded)
    if decimal:
        whole, fraction = decimal.group(1), decimal.group(2)
        if fraction.strip("0"):
            raise ValueError(
                f"{quoted(text.strip())}: decimals are not on the scale "
                f"({_scale_hint(questionnaire)})"
            )
        folded = whole
    match = _LEADING_NUMBER.match(folded)
    if match:
        number, label = match.group(1), (match.group(2) or match.group(3) or "").strip()
        if len(number.lstrip("-").lstrip("0")) > _MAX_DIGITS:
            raise ValueError(
                f"{quoted(number)} is not on the scale ({_scale_hint(questionnaire, labels)})"
            )
        value = int(number)
        if value not in questionnaire.scale_values:
            if label and _WORDS.get(label) is not None:
                return _WORDS[label]
            raise ValueError(f"{value} is not on the scale ({_scale_hint(questionnaire, labels)})")
        if label and not _label_is(label, value, questionnaire, labels):
            own = questionnaire.scale[questionnaire.scale_values.index(value)].label
            raise ValueError(
                f"{quoted(text.strip())}: {quoted(label)} is not the label of {value} "
                f"({own!r})"
                + ("; map the export's label with --label" if labels is not None else "")
            )
        return value
    raise ValueError(
        f"{quoted(' '.join(text.split()))} is not an answer ({_scale_hint(questionnaire, labels)})"
    )


def _label_is(
    label: str, value: int, questionnaire: Questionnaire, labels: Mapping[str, Value] | None
) -> bool:
    from tra_assess.common.textsafe import fold_label

    label = label.rstrip(" .:;")
    if labels and labels.get(label) == value:
        return True
    for point in questionnaire.scale:
        if point.value == value:
            return fold_label(point.label).rstrip(" .:;") == label
    return False


def unknown_item(item_id: object, questionnaire: Questionnaire) -> str:
    """``unknown item 'x'; did you mean 'y'?`` (or where it was looked for)."""
    import difflib

    text = str(item_id)
    close = difflib.get_close_matches(text, [item.id for item in questionnaire.items], 1, 0.85)
    if close:
        return f"unknown item {quoted(item_id)}; did you mean {close[0]!r}?"
    return f"unknown item {quoted(item_id)} (not in {questionnaire.id} {questionnaire.version})"


def _scale_hint(questionnaire: Questionnaire, labels: object = None) -> str:
    """What a cell may hold; for tables (``labels`` given) also how to map the export's own
    labels and codes."""
    values = questionnaire.scale_values
    hint = f"expected {values[0]}-{values[-1]}, a scale label, na or unknown"
    return hint + (
        "; map other labels and codes with --label TEXT=VALUE" if labels is not None else ""
    )


def _parse_value(raw: Any, questionnaire: Questionnaire) -> Value | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        word = "true" if raw else "false"
        raise ValueError(f"{word} is not an answer ({_scale_hint(questionnaire)})")
    if isinstance(raw, int):
        if raw in questionnaire.scale_values:
            return raw
        shown = raw if raw.bit_length() < 64 else "a very large number"
        raise ValueError(f"{shown} is not on the scale ({_scale_hint(questionnaire)})")
    if isinstance(raw, float):
        if raw.is_integer() and int(raw) in questionnaire.scale_values:
            return int(raw)
        raise ValueError(f"{raw} is not on the scale ({_scale_hint(questionnaire)})")
    if isinstance(raw, str):
        return parse_value_text(raw, questionnaire)
    raise ValueError(
        f"expected a scale value, na, unknown or {{value, note}}, not a {type(raw).__name__}"
    )


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError("must be text")
    if isinstance(raw, (str, int, float, _dt.date)):
        return str(raw)
    raise ValueError("must be text")


_TOP_KEYS = {
    "format",
    "questionnaire",
    "organization",
    "assessed_on",
    "mode",
    "respondent",
    "participants",
    "answers",
}


def parse_answers_document(
    data: Any,
    source: str,
    questionnaire: Questionnaire,
    index: LineIndex | None = None,
) -> Response:
    """Check one loaded answers document against ``questionnaire``; every problem is reported.

    ``index`` (from :func:`tra_assess.common.yamlio.load_yaml_indexed`) adds line numbers;
    without it the problems name the key instead. The questionnaire id must match; a different
    version is accepted when every answered item exists (the caller may warn).
    """
    if data.__class__ is dict:
        plain = _read_plain(data, source, questionnaire)
        if plain is not None:
            return plain
    return _parse_checked(data, source, questionnaire, index)


def _parse_checked(
    data: Any, source: str, questionnaire: Questionnaire, index: LineIndex | None
) -> Response:
    """:func:`parse_answers_document` field by field, every problem collected."""
    problems: list[Problem] = []

    def fail(loc: Loc, message: str) -> None:
        # an unknown key is pointed at by its own line, not its value's
        key = message.startswith("unknown key")
        line = index.lookup(loc, key=key) if index is not None else None
        problems.append(Problem(source, message, line))

    if not isinstance(data, dict):
        raise InvalidInputError(
            "not an answers file",
            [
                Problem(
                    source, "expected an answers mapping (format: tra-answers/1, answers: ...)", 1
                )
            ],
        )
    response = Response(source=source)
    if not _read_header(data, response, questionnaire, fail):
        raise InvalidInputError(f"{source}: not an answers file", problems)
    _read_about(data, response, fail)
    answers = data.get("answers")
    if isinstance(answers, dict):
        _read_answers(answers, response, questionnaire, fail)
    elif answers is not None:
        fail(("answers",), "'answers' must be a mapping of item id to answer")

    if problems:
        raise InvalidInputError(f"{source}: invalid answers", problems)
    return response


_PLAIN_TOP_KEYS = _TOP_KEYS - {"participants"}
_cached_iso_date = functools.lru_cache(maxsize=256)(iso_date)
_MODES = ("individual", "consensus")


def _read_plain(data: dict[Any, Any], source: str, questionnaire: Questionnaire) -> Response | None:
    """The response of a document written the common way, or None for the field-by-field
    read: known top-level keys (no ``participants``), the format, this questionnaire's id,
    text or nothing for the version, organisation, date (a real one), mode (individual or
    consensus) and respondent fields, and only plain answers to the questionnaire's items.
    Whatever it accepts, the field-by-field read accepts too, with the same response."""
    if not data.keys() <= _PLAIN_TOP_KEYS or data.get("format") != ANSWERS_FORMAT:
        return None
    ref = data.get("questionnaire")
    if ref.__class__ is not dict:
        return None
    qid, version = ref.get("id"), ref.get("version")
    if qid.__class__ is not str or qid != questionnaire.id:
        return None
    organization, assessed_on, mode = (
        data.get("organization"),
        data.get("assessed_on"),
        data.get("mode"),
    )
    for text in (version, organization, assessed_on, mode):
        if text is not None and text.__class__ is not str:
            return None
    if assessed_on is not None:
        # YYYY-MM-DD has 10 characters; a batch repeats a few dates
        assessed_on = _cached_iso_date(assessed_on) if len(assessed_on) == 10 else None
        if assessed_on is None:
            return None
    if mode is not None and mode not in _MODES:
        return None
    respondent: dict[str, str] = {}
    given = data.get("respondent")
    if given is not None:
        if given.__class__ is not dict:
            return None
        for key, raw in given.items():
            if raw.__class__ is str:
                raw = raw.strip()
                if raw:
                    respondent[str(key)] = raw
            elif raw is not None:
                return None
    answers = data.get("answers")
    values: dict[str, Value] = {}
    if answers is not None:
        if answers.__class__ is not dict or not _plain_answers(answers, questionnaire):
            return None
        values.update(answers)
    return Response(
        source=source,
        questionnaire_id=qid,
        questionnaire_version=version,
        organization=organization,
        assessed_on=assessed_on,
        mode=mode,
        respondent=respondent,
        values=values,
    )


def _read_header(
    data: dict[Any, Any],
    response: Response,
    questionnaire: Questionnaire,
    fail: Callable[[Loc, str], None],
) -> bool:
    """``format``, unknown top-level keys and the ``questionnaire`` reference; False when the
    document is another tra-assess format (results, questionnaire), which says all there is."""
    other_format = data.get("format")
    if (
        isinstance(other_format, str)
        and other_format.startswith("tra-")
        and not other_format.startswith("tra-answers/")
    ):
        # another tra-assess document (results, a questionnaire): one line, not one per key
        kind = other_format.split("/")[0].removeprefix("tra-")
        fail(("format",), f"this is a {kind} file ({other_format}), not answers (tra-answers/1)")
        return False
    for key in data:
        if key not in _TOP_KEYS:
            fail((key,), f"unknown key {quoted(key)} (expected: {', '.join(sorted(_TOP_KEYS))})")
    if "format" not in data:
        fail((), f"'format: {ANSWERS_FORMAT}' is missing (the first line of an answers file)")
    elif other_format != ANSWERS_FORMAT:
        fail(("format",), f"'format' must be {ANSWERS_FORMAT!r}, not {quoted(other_format)}")
    ref = data.get("questionnaire")
    if isinstance(ref, dict):
        qid, qversion = ref.get("id"), ref.get("version")
        response.questionnaire_id = str(qid) if qid is not None else None
        response.questionnaire_version = str(qversion) if qversion is not None else None
        if response.questionnaire_id != questionnaire.id:
            fail(
                ("questionnaire", "id"),
                f"answers are for questionnaire {quoted(response.questionnaire_id)}, "
                f"not {questionnaire.id!r} (choose it with -q)",
            )
    elif ref is None:
        fail(("questionnaire",), "'questionnaire' is required: {id: ..., version: ...}")
    else:
        fail(("questionnaire",), "'questionnaire' must be a mapping {id: ..., version: ...}")
    return True


def _read_about(data: dict[Any, Any], response: Response, fail: Callable[[Loc, str], None]) -> None:
    """organization, assessed_on, mode and the respondent fields into ``response``."""
    for key in ("organization", "assessed_on", "mode"):
        try:
            value = _text(data.get(key))
        except ValueError as exc:
            fail((key,), f"{key!r} {exc}")
            continue
        setattr(response, key, value)
    if response.assessed_on is not None:
        date = iso_date(response.assessed_on)
        if date is not None:
            response.assessed_on = date
        else:
            fail(
                ("assessed_on",),
                f"'assessed_on' must be a date YYYY-MM-DD, not {quoted(response.assessed_on)}",
            )
            response.assessed_on = None
    if response.mode is not None and response.mode not in ("individual", "consensus"):
        fail(("mode",), f"'mode' must be individual or consensus, not {quoted(response.mode)}")

    respondent = data.get("respondent")
    if isinstance(respondent, dict):
        for key, raw in respondent.items():
            try:
                text = _text(raw)
            except ValueError:
                fail(("respondent", key), f"respondent field {quoted(key)} must be text")
                continue
            if text is not None and text.strip():
                response.respondent[str(key)] = text.strip()
    elif respondent is not None:
        fail(("respondent",), "'respondent' must be a mapping (id, role, team, ...)")
    if "participants" in data:
        _read_participants(data["participants"], response, fail)


def _read_participants(raw: Any, response: Response, fail: Callable[[Loc, str], None]) -> None:
    """``participants: {count: N, roles: [...]}`` of a consensus session (both optional)."""
    loc: Loc = ("participants",)
    if raw is None:
        return
    if not isinstance(raw, dict):
        fail(loc, "'participants' must be a mapping {count: N, roles: [...]}")
        return
    participants = Participants()
    for key in raw:
        if key not in ("count", "roles"):
            fail(
                (*loc, key), f"unknown key {quoted(key)} in 'participants' (expected count, roles)"
            )
    count = raw.get("count")
    if count is not None:
        if (
            isinstance(count, bool)
            or not isinstance(count, int)
            or not (1 <= count <= MAX_PARTICIPANTS)
        ):
            fail(
                (*loc, "count"),
                f"participants 'count' must be a whole number of people "
                f"from 1 to {MAX_PARTICIPANTS}, not {quoted(count)}",
            )
        else:
            participants.count = count
    roles = raw.get("roles")
    if roles is not None:
        if not isinstance(roles, list) or not all(isinstance(r, str) and r.strip() for r in roles):
            fail((*loc, "roles"), "participants 'roles' must be a list of role names")
        else:
            participants.roles = [r.strip() for r in roles]
    response.participants = participants


_DETAIL_KEYS = ("value", "note", "split")
_PLAIN_TYPES = frozenset((int, str))


def _plain_answers(answers: dict[Any, Any], questionnaire: Questionnaire) -> bool:
    """Whether every key of ``answers`` is an item id and every answer plain (a scale value
    as an int, ``na`` or ``unknown``): the mapping is then the response's values as it is."""
    return (
        answers.keys() <= questionnaire.item_by_id.keys()
        and _PLAIN_TYPES.issuperset(map(type, answers.values()))  # never bool, float or dict
        # ints and strs are equal only when they are the same answer
        and questionnaire.plain_answers.issuperset(answers.values())
    )


def _read_answers(
    answers: dict[Any, Any],
    response: Response,
    questionnaire: Questionnaire,
    fail: Callable[[Loc, str], None],
) -> None:
    """The ``answers`` mapping into ``response``: plain answers (a scale value as an int,
    ``na``, ``unknown``) by one dict look-up; anything else the long way, with its problems.

    When every answer is plain and every key an item id (the common case), the mapping is
    taken as it is, checked by set operations instead of answer by answer."""
    values = response.values
    if _plain_answers(answers, questionnaire):
        values.update(answers)
        return
    known = questionnaire.item_by_id
    plain: dict[object, Value] = {value: value for value in questionnaire.scale_values}
    plain[NA] = NA
    plain[UNKNOWN] = UNKNOWN
    for item_id, raw in answers.items():
        cls = raw.__class__
        if (cls is int or cls is str) and item_id in known:  # never bool, float or dict
            value = plain.get(raw)
            if value is not None:
                values[item_id] = value
                continue
        loc: Loc = ("answers", item_id)
        if item_id not in known:
            fail(loc, unknown_item(item_id, questionnaire))
            continue
        note: Any = None
        split: Any = None
        if isinstance(raw, dict):
            extra = sorted(str(k) for k in raw if k not in _DETAIL_KEYS)
            if extra:
                fail(
                    loc,
                    f"item {quoted(item_id)}: unknown key {quoted(extra[0])} "
                    f"(expected {', '.join(_DETAIL_KEYS)})",
                )
                continue
            note, split, raw = raw.get("note"), raw.get("split"), raw.get("value")
            if split is not None and not isinstance(split, bool):
                fail((*loc, "split"), f"item {item_id!r}: 'split' must be true or false")
                continue
        try:
            answer = _parse_value(raw, questionnaire)
        except ValueError as exc:
            fail(loc, f"item {item_id!r}: {exc}")
            continue
        if answer is not None:
            values[item_id] = answer
            if split:
                response.split.add(item_id)
        if note is not None:
            if not isinstance(note, (str, int, float)) or isinstance(note, bool):
                fail((*loc, "note"), f"item {item_id!r}: 'note' must be text")
            elif str(note).strip():
                response.notes[item_id] = str(note)
