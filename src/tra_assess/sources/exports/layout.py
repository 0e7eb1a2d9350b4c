"""How a CSV/xlsx table maps onto a questionnaire (SPEC section 5): header matching and layout.

A header matches an item when it equals the item id, starts with the id followed by a space,
``:`` or ``)``, is ``[id] ...``, or equals the item's text (case and whitespace folded). Also
recognised, for survey platforms' grid questions: ``Question [statement]`` (Google Forms) and
``Question - statement`` (Qualtrics), where the statement is an item id or text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tra_assess.common.errors import InvalidInputError, Problem
from tra_assess.common.textsafe import fold_label, one_line

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Questionnaire
    from tra_assess.sources.answers import Response, Value

    RowOutcome = Response | list[Problem]
    Numbered = tuple[int, RowOutcome]

# metadata columns (folded: case, whitespace, '_' and '-' as spaces) -> Response field
META_COLUMNS: dict[str, str] = {
    "respondent id": "id",
    "respondentid": "id",
    "response id": "id",
    "responseid": "id",
    "id": "id",  # Microsoft Forms, LimeSurvey
    "record id": "id",  # REDCap
    "uuid": "id",  # Kobo's _uuid
    "role": "role",
    "team": "team",
    "site": "site",
    "organization": "organization",
    "organisation": "organization",
    "assessed on": "assessed_on",
    "mode": "mode",
}
# the columns survey platforms write the time of a response in, best first (completion
# before start): the first one present gives each respondent's assessed_on
DATE_COLUMNS: tuple[str, ...] = (
    "completion time",
    "enddate",
    "end date",
    "recordeddate",
    "recorded date",
    "submitdate",
    "submit date",
    "submitted",
    "submitted at",
    "submission time",
    "date submitted",
    "timestamp",
    "survey timestamp",
    "start time",
    "startdate",
    "start date",
)
# common questions for the standard respondent fields (folded, end punctuation removed)
_QUESTION_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "role",
        re.compile(
            r"^(?:(?:what|which) (?:is|best describes) )?(?:your )?(?:job |current |main |"
            r"primary )?(?:role|position|job title)(?: (?:in|at) (?:the |this |our )?"
            r"(?:organi[sz]ation|service|agency|team|company|program|programme))?$"
            r"|^.*\bdescribes? your (?:job |current |main )?role\b.*$"
            r"|^(?:what|which) role (?:do|are) you .*$|^what's your (?:job )?role$"
        ),
    ),
    (
        "team",
        re.compile(
            r"^(?:(?:what|which) (?:team|department|unit|service|program|programme) (?:are|do)"
            r" you .*)$|^(?:your |which |what )?(?:team|department|dept|unit)(?: name)?$"
            r"|^(?:what|which) is your (?:team|department|unit)$"
        ),
    ),
    (
        "site",
        re.compile(
            r"^(?:(?:what|which) (?:site|location|office|branch)\b.*)$"
            r"|^(?:your )?(?:site|location|office|branch|work location)(?: name)?$"
            r"|^where do you (?:mainly )?work$"
        ),
    ),
)
_QUESTION_NUMBER = re.compile(r"^(?:q\s*\d+[a-z]?(?:[._:)\s-]+)|\d+(?:\.\d+)*(?:[.):]|\s+-)\s*)")
LONG_REQUIRED = ("item", "value")
_LONG_NAMES = frozenset({*LONG_REQUIRED, "note", "notes", "evidence"})
SURVEYMONKEY_SUBHEADERS = {
    "response",
    "open-ended response",
    "open ended response",
    "other (please specify)",
}
# SurveyMonkey's own columns: empty in its second header row, filled in every response
_SURVEYMONKEY_META = {
    "respondent id",
    "collector id",
    "start date",
    "end date",
    "ip address",
    "email address",
    "first name",
    "last name",
    "custom data 1",
    "custom data",
}
MAX_COLUMNS = 10_000  # far more than any survey export of a questionnaire has
_ID_PREFIX = re.compile(r"[^\s:)\]]+")


def fold(text: str) -> str:
    """Case, whitespace, curly quotes and dashes folded (the header matching rule)."""
    return fold_label(text)


def strip_question_number(folded: str) -> str:
    """A folded header without a leading question number (``1.``, ``Q1.``, ``1)``, ``Q1_``)."""
    return _QUESTION_NUMBER.sub("", folded, count=1).strip()


def _meta_fold(text: str) -> str:
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


def column_label(header: str) -> str:
    """A header as shown in messages: one line, at most 60 characters."""
    text = one_line(header)
    return text if len(text) <= 60 else text[:57] + "..."


class HeaderMatcher:
    """Finds the item a header (or a long-layout ``item`` cell) names."""

    def __init__(
        self, questionnaire: Questionnaire, columns: Mapping[str, str] | None = None
    ) -> None:
        self._ids = {item.id.casefold(): item.id for item in questionnaire.items}
        self._texts = {fold(item.text): item.id for item in questionnaire.items}
        for item in questionnaire.items:
            self._texts.setdefault(fold(item.text).rstrip(" ?.:"), item.id)
        self.columns: Mapping[str, str] = columns or {}

    def meta(self, header: str) -> str | None:
        """The respondent field a header names: ``--column`` first, then the SPEC's names."""
        if self.columns:
            named = self.columns.get(fold(header))
            if named is not None:
                return named
        found = meta_field(header)
        if found is None and "/" in header:
            found = meta_field(header.rsplit("/", 1)[1])  # Kobo: "group_x/role"
        if found is not None and _meta_fold(header) not in META_COLUMNS and self.item(header):
            return None  # a question that reads like "your role ..." but is an item
        return found

    def item(self, header: str) -> str | None:
        folded = fold(header)
        if not folded:
            return None
        found = self._item(folded)
        if found is None:
            bare = strip_question_number(folded)
            if bare and bare != folded:
                found = self._item(bare)
        return found

    def _item(self, folded: str) -> str | None:
        found = (
            self._ids.get(folded)
            or self._texts.get(folded)
            or self._texts.get(folded.rstrip(" ?.:*"))
        )
        if found:
            return found
        if folded.startswith("["):
            close = folded.find("]")
            if close > 0:
                return self._ids.get(folded[1:close].strip())
            return None
        prefix = _ID_PREFIX.match(folded)
        if prefix and len(prefix.group()) < len(folded) and folded[prefix.end()] in " :)":
            found = self._ids.get(prefix.group())
            if found:
                return found
        if folded.endswith("]") and "[" in folded:  # Google Forms grid: "Question [row]"
            inner = folded[folded.rfind("[") + 1 : -1].strip()
            found = self._ids.get(inner) or self._texts.get(inner)
            if found:
                return found
        if " - " in folded:  # Qualtrics matrix: "Question - statement"
            tail = folded.rsplit(" - ", 1)[1].strip()
            found = self._ids.get(tail) or self._texts.get(tail)
            if found:
                return found
        if "/" in folded:  # Kobo: a question inside groups, "group_x/question"
            tail = folded.rsplit("/", 1)[1].strip()
            return self._ids.get(tail) or self._texts.get(tail)
        return None


def meta_field(header: str) -> str | None:
    """The metadata field a header names (``respondent_id``, ``role``... or ``respondent.X``),
    or a common question for role, team or site ("What is your role?")."""
    folded = _meta_fold(header)
    if folded in META_COLUMNS:
        return META_COLUMNS[folded]
    raw = fold(header)
    if raw.startswith("respondent.") and len(raw) > len("respondent."):
        return raw[len("respondent.") :]
    question = strip_question_number(raw).rstrip(" ?:.*").strip()
    for name, pattern in _QUESTION_FIELDS:
        if pattern.match(question):
            return name
    return None


def date_column(header: str) -> int | None:
    """How good a platform's time column this header is (0 best), or None."""
    folded = fold(header).lstrip("_")
    name = " ".join(folded.replace("_", " ").split())
    for rank, known in enumerate(DATE_COLUMNS):
        if name == known or folded == known:
            return rank
    if name.endswith(" timestamp"):  # REDCap: <instrument>_timestamp
        return DATE_COLUMNS.index("survey timestamp")
    return None


def header_matches(record: Sequence[str], matcher: HeaderMatcher) -> int:
    """How many cells of a header record name an item, a metadata or a long-layout column
    (among its first :data:`MAX_COLUMNS`: a longer header is refused anyway)."""
    count = 0
    for cell in record[:MAX_COLUMNS]:
        if (
            fold(cell) in _LONG_NAMES
            or matcher.meta(cell) is not None
            or matcher.item(cell) is not None
        ):
            count += 1
    return count


@dataclass
class Layout:
    """Where the data is: header rows, item columns, metadata columns."""

    kind: str  # wide | long
    header_rows: int
    labels: list[str]  # per column, as shown in messages
    items: list[tuple[int, str]] = field(default_factory=list)  # wide: (column, item id)
    meta: list[tuple[int, str]] = field(default_factory=list)  # (column, field)
    ignored: list[str] = field(default_factory=list)
    item_col: int = -1  # long layout
    value_col: int = -1
    note_col: int = -1
    platform: str | None = None
    # SurveyMonkey "expanded": (column, item id, the option's answer, the option's text)
    options: list[tuple[int, str, Value, str]] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)  # "role <- 'What is your role?'"
    date_col: int = -1  # the platform time column assessed_on comes from (-1: none)


def detect_layout(
    head: Sequence[Sequence[str]],
    matcher: HeaderMatcher,
    display: str,
    q_name: str,
    answer: Callable[[str], Value | None] | None = None,
) -> Layout:
    """The layout of a table from its first (up to three) records. ``answer`` reads an option
    text as an answer (None when it is not one); it finds SurveyMonkey's expanded columns."""
    _check_header(head, display)
    header = list(head[0])
    folded = [fold(cell) for cell in header]
    if all(name in folded for name in LONG_REQUIRED):
        return _long_layout(header, folded, display, matcher)
    platform, rows, alternates = _header_rows(head, matcher)
    layout = Layout("wide", rows, [column_label(h) for h in header], platform=platform)
    _Columns(layout, matcher, display, answer).read(header, alternates)
    if not layout.items and not layout.options:
        raise InvalidInputError(
            "no items",
            [
                Problem(
                    display,
                    f"no column matches an item of {q_name} (use item ids, 'id: text' or "
                    "the item text as headers; see: tra-assess template --format csv)",
                    row=1,
                )
            ],
        )
    return layout


def _check_header(head: Sequence[Sequence[str]], display: str) -> None:
    if not head or not any(cell.strip() for cell in head[0]):
        raise InvalidInputError(
            "no header",
            [Problem(display, "no header row (expected item ids as column names)", row=1)],
        )
    if len(head[0]) > MAX_COLUMNS:
        raise InvalidInputError(
            "too many columns",
            [
                Problem(
                    display,
                    f"the header row has {len(head[0]):,} columns; a survey export has one per "
                    f"question and a few more (the limit is {MAX_COLUMNS:,})",
                    row=1,
                )
            ],
        )


def _header_rows(
    head: Sequence[Sequence[str]], matcher: HeaderMatcher
) -> tuple[str | None, int, list[str]]:
    """(platform, header rows, the second header row's texts per column), by layout."""
    header = list(head[0])
    second = list(head[1]) if len(head) > 1 else []
    third = list(head[2]) if len(head) > 2 else []
    if _import_id_row(third):
        return "qualtrics", 3, second
    if _qualtrics_legacy(header, second):
        return "qualtrics", 2, second
    if _surveymonkey_second_row(header, second, matcher):
        return (
            "surveymonkey",
            2,
            [c if fold(c) not in SURVEYMONKEY_SUBHEADERS else "" for c in second],
        )
    return None, 1, []


class _Columns:
    """What each column of a wide table holds: an item, an option of an item (SurveyMonkey
    expanded), a respondent field, a platform time column, or nothing."""

    def __init__(
        self,
        layout: Layout,
        matcher: HeaderMatcher,
        display: str,
        answer: Callable[[str], Value | None] | None,
    ) -> None:
        self.layout = layout
        self.matcher = matcher
        self.display = display
        self.answer = answer
        self.seen: dict[str, int] = {}
        self.dates: list[tuple[int, int]] = []
        self.question = ""  # SurveyMonkey: the question a column without a header belongs to
        self.question_field: str | None = None  # ... when that question is a respondent field

    def read(self, header: list[str], alternates: list[str]) -> None:
        for col, text in enumerate(header):
            alt = alternates[col] if col < len(alternates) else ""
            self.column(col, text, alt)
        self._choose_date()

    def column(self, col: int, text: str, alt: str) -> None:
        layout, platform = self.layout, self.layout.platform
        if text.strip():
            self.question, self.question_field = text, None
        elif alt.strip():
            layout.labels[col] = column_label(f"{self.question} / {alt}" if self.question else alt)
            if platform == "surveymonkey" and self.question_field is not None:
                # an expanded respondent question ("What is your role?"): each option's column
                layout.meta.append((col, self.question_field))
                return
        if self._meta(col, text, alt):
            return
        rank = date_column(text)
        if rank is None and platform == "qualtrics" and alt:
            rank = date_column(alt)
        if rank is not None:
            self.dates.append((rank, col))
            return
        alt_item = self.matcher.item(alt) if alt else None
        if (
            platform == "surveymonkey"
            and alt_item is None
            and alt.strip()
            and self._option(col, alt)
        ):
            return
        item = self.matcher.item(text) or alt_item
        if item is None:
            if text.strip() or alt.strip():
                layout.ignored.append(layout.labels[col])
            return
        first = self.seen.get(item, next((o[0] for o in layout.options if o[1] == item), None))
        if first is not None:
            _duplicate(self.display, layout, item, first, col)
        self.seen[item] = col
        layout.items.append((col, item))

    def _meta(self, col: int, text: str, alt: str) -> bool:
        meta, named = self.matcher.meta(text), text
        if meta is None and self.layout.platform == "qualtrics" and alt:
            meta, named = self.matcher.meta(alt), alt  # the question text of row 2
        if meta is None:
            return False
        self.question_field = meta
        self.layout.meta.append((col, meta))
        if _meta_fold(named) not in META_COLUMNS and not fold(named).startswith("respondent."):
            self.layout.matched.append(f"{meta} \u2190 {column_label(named)!r}")
        return True

    def _option(self, col: int, alt: str) -> bool:
        if self.answer is None:
            return False
        option = _option(self.question, alt, self.matcher, self.answer)
        if option is None:
            return False
        item_id, value = option
        if item_id in self.seen:
            _duplicate(self.display, self.layout, item_id, self.seen[item_id], col)
        self.layout.options.append((col, item_id, value, alt))
        return True

    def _choose_date(self) -> None:
        """The best platform time column gives assessed_on (unless a column is named so)."""
        layout, dates = self.layout, sorted(self.dates)
        if dates and not any(name == "assessed_on" for _, name in layout.meta):
            layout.date_col = dates[0][1]
            layout.meta.append((layout.date_col, "assessed_on"))
            layout.matched.append(f"assessed_on \u2190 {layout.labels[layout.date_col]!r}")
            dates = dates[1:]
        layout.ignored.extend(layout.labels[col] for _, col in dates)


def _duplicate(display: str, layout: Layout, item: str, first: int, col: int) -> None:
    raise InvalidInputError(
        "duplicate column",
        [
            Problem(
                display,
                f"answers item {item!r} again (already column {layout.labels[first]!r})",
                row=1,
                column=layout.labels[col],
            )
        ],
    )


def _option(
    question: str, alt: str, matcher: HeaderMatcher, answer: Callable[[str], Value | None]
) -> tuple[str, Value] | None:
    """A SurveyMonkey expanded column: (item, the answer its option stands for), or None.
    The option is in the second row under the item's question, or the second row is
    ``statement - option`` under a matrix question."""
    item = matcher.item(question) if question else None
    if item is not None:
        value = answer(alt)
        return None if value is None else (item, value)
    parts = alt.split(" - ")
    for cut in range(1, len(parts)):
        item = matcher.item(" - ".join(parts[:cut]))
        if item is not None:
            value = answer(" - ".join(parts[cut:]))
            if value is not None:
                return item, value
    return None


def _import_id_row(third: Sequence[str]) -> bool:
    """Qualtrics' third row: every cell a ``{"ImportId": ...}`` object (a layout, not one cell)."""
    cells = [cell.strip() for cell in third if cell.strip()]
    return (
        bool(cells)
        and all(cell.startswith("{") and cell.endswith("}") for cell in cells)
        and sum("importid" in cell.casefold() for cell in cells) * 2 >= len(cells)
    )


def _qualtrics_legacy(header: Sequence[str], second: Sequence[str]) -> bool:
    """Qualtrics' legacy export: codes V1, V2 ... in row 1, the names in row 2 (ResponseID)."""
    codes = sum(bool(re.fullmatch(r"V\d+", cell.strip())) for cell in header)
    return codes >= 3 and any(fold(cell) == "responseid" for cell in second)


def _surveymonkey_second_row(
    header: Sequence[str], second: Sequence[str], matcher: HeaderMatcher
) -> bool:
    """SurveyMonkey's second header row, by its layout: empty under SurveyMonkey's own columns
    (which every response fills), text elsewhere; without those columns, text under every
    column that has no header (the options of a question) and nothing under a respondent
    field. One cell's text ("Response") never decides it."""
    if not any(cell.strip() for cell in second):
        return False
    width = len(second)
    own = [n for n, cell in enumerate(header) if _meta_fold(cell) in _SURVEYMONKEY_META]
    others = [n for n in range(width) if n not in own and second[n].strip()]
    ids = [n for n in own if _meta_fold(header[n]) in ("respondent id", "collector id")]
    if ids:  # SurveyMonkey fills its id columns in every response, never in row 2
        return all(n >= width or not second[n].strip() for n in own) and bool(others)
    continuation = [n for n, cell in enumerate(header) if n > 0 and not cell.strip()]
    if not continuation:
        return False
    fields = [n for n, cell in enumerate(header) if matcher.meta(cell) is not None]
    return all(n < width and second[n].strip() for n in continuation) and all(
        n >= width or not second[n].strip() for n in fields
    )


def _long_layout(
    header: list[str], folded: list[str], display: str, matcher: HeaderMatcher
) -> Layout:
    layout = Layout("long", 1, [column_label(h) for h in header])
    for col, (text, name) in enumerate(zip(header, folded, strict=True)):
        if name == "item" and layout.item_col < 0:
            layout.item_col = col
        elif name == "value" and layout.value_col < 0:
            layout.value_col = col
        elif name in ("note", "notes", "evidence") and layout.note_col < 0:
            layout.note_col = col
        elif (meta := matcher.meta(text)) is not None:
            layout.meta.append((col, meta))
        elif text.strip():
            layout.ignored.append(layout.labels[col])
    if not any(meta == "id" for _, meta in layout.meta):
        raise InvalidInputError(
            "long layout",
            [
                Problem(
                    display,
                    "a long table (item, value columns) needs a respondent_id column",
                    row=1,
                )
            ],
        )
    return layout


class RowReader(Protocol):
    """What the block and long-layout readers need of the table they read (it is
    :class:`~tra_assess.sources.exports.tables.TableReader`; the protocol keeps the import
    one way)."""

    display: str
    q: Questionnaire
    matcher: HeaderMatcher

    def value(self, cell: str) -> Value | str: ...

    def date(self, text: str) -> str | None: ...

    def problem(self, number: int, column: str, message: str) -> Problem: ...

    def meta(
        self, response: Response, layout: Layout, number: int, row: list[str]
    ) -> list[Problem]: ...

    def skip_empty(self, number: int) -> None: ...

    def bad_row(self, layout: Layout, number: int, row: list[str]) -> Problem: ...
