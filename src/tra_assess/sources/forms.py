"""Answer forms (SPEC section 9.2): what a form asks, and reading a filled-in xlsx form back.

A form is a workbook one person fills in (written by :mod:`tra_assess.sources.form_xlsx`). It
is recognised by its marker, never by its file name: a hidden sheet ``_tra_form`` whose first
row says ``format: tra-form/1`` and which names the questionnaire, its version, the role the
form was made for, the cover cells of the respondent fields and, for each item, the row of
the ``Answers`` sheet that asks it. :func:`read_form` checks every marked row against the
questionnaire (an edited, moved or deleted row is refused by cell), reads each answer from the
drop-down's own labels only (a value typed past the validation is refused by cell) and gives
the same :class:`~tra_assess.sources.answers.Response` as every other reader.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tra_assess.common.errors import InvalidInputError, Problem
from tra_assess.common.textsafe import one_line, quoted
from tra_assess.sources.answers import NA, UNKNOWN, Response, Value

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Domain, Item, Questionnaire
    from tra_assess.sources.answers import Source

FORM_FORMAT = "tra-form/1"
MARKER_SHEET = "_tra_form"
ANSWERS_SHEET = "Answers"
COVER_SHEET = "About this form"
NOT_APPLICABLE = "not applicable"
DONT_KNOW = "don't know"
COVER_FIELDS = ("role", "team", "site", "organization", "assessed_on")
PEOPLE_SERVED_ROLES = frozenset(
    {"people-served", "person-served", "service-user", "service-users", "client", "clients"}
)
_MAX_UNPACKED = 50 * 1024 * 1024  # a form is a few hundred kB; anything near this is not one
_MARKER_IN_WORKBOOK = re.compile(rb'<(?:\w+:)?sheet\b[^>]*\bname="' + MARKER_SHEET.encode() + b'"')
_DASHES = str.maketrans({"–": "-", "—": "-", "’": "'", "‘": "'"})


# -- what a form asks --------------------------------------------------------------------------


def answer_options(q: Questionnaire) -> list[tuple[str, Value]]:
    """The drop-down's entries, in order: ``"3 – Responsive"`` per scale value, then
    "not applicable" and "don't know"; each with the answer it stands for."""
    options: list[tuple[str, Value]] = [
        (f"{p.value} – {one_line(p.label)}", p.value) for p in q.scale
    ]
    return [*options, (NOT_APPLICABLE, NA), (DONT_KNOW, UNKNOWN)]


def form_domains(q: Questionnaire, role: str | None) -> list[tuple[Domain, list[Item]]]:
    """The domains a form for ``role`` asks, each with its items in that role's audience
    (every item when ``role`` is None); domains left with no item are left out."""
    chosen = []
    for domain in q.domains:
        items = [item for item in domain.items if item.in_audience(role)]
        if items:
            chosen.append((domain, items))
    return chosen


def plain_wording_for(role: str | None, plain_wording: bool | None) -> bool:
    """Whether a form leaves out the facilitator's guidance (``help``, domain descriptions):
    when asked to, and by default for the roles of people served (:data:`PEOPLE_SERVED_ROLES`),
    for whom the item text and the anchors are the plainest wording a questionnaire has."""
    if plain_wording is not None:
        return plain_wording
    return role is not None and role in PEOPLE_SERVED_ROLES


def check_role(q: Questionnaire, role: str | None) -> None:
    """A usage error for a role the questionnaire does not list, or one no item is for."""
    from tra_assess.common.errors import UsageError

    if role is None:
        return
    if q.roles and role not in q.roles:
        raise UsageError(
            f"--role {quoted(role)}: not a role of {q.id} (roles: {', '.join(q.roles)})"
        )
    if not form_domains(q, role):
        raise UsageError(f"--role {quoted(role)}: no item of {q.id} is for this role")


def same_text(a: object, b: object) -> bool:
    """Whether two cell texts say the same (line breaks and repeated spaces folded)."""
    return " ".join(str(a).split()) == " ".join(str(b).split())


def _fold(text: str) -> str:
    return " ".join(text.translate(_DASHES).split()).casefold()


# -- recognising a form ------------------------------------------------------------------------


def is_form(source: Source) -> bool:
    """Whether an xlsx input carries the form marker (cheap: the workbook's sheet list only).

    A file that is not a readable zip archive is not a form; the table reader says why."""
    if source.path is None:
        return False
    try:
        with zipfile.ZipFile(source.path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 4 * 1024 * 1024:
                return False
            return _MARKER_IN_WORKBOOK.search(archive.read(info)) is not None
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError):
        return False


def form_questionnaire(source: Source) -> str | None:
    """The questionnaire id a form names, or None when the input is not a readable form."""
    if not is_form(source):
        return None
    try:
        sheets = _read_sheets(source)
    except InvalidInputError:
        return None
    marker = _Marker.read(sheets.get(MARKER_SHEET, {}))
    qid = marker.values.get("questionnaire")
    return qid if qid and qid.strip() else None


# -- reading a filled-in form ------------------------------------------------------------------

Grid = dict[str, Any]  # a sheet's non-empty cells: "I12" -> value
_ADDRESS = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")
_COLUMN = re.compile(r"[A-Z]{1,3}")
_MAX_CELLS = 500_000  # non-empty cells in all; a form of a thousand items has some 15,000
_MAX_ROW = 1_048_576


@dataclass
class _Marker:
    """The hidden sheet's content: key/value rows, then one row per item (id, row)."""

    values: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # key -> the marker cell holding it
    items: list[tuple[str, int | None, str]] = field(default_factory=list)  # id, row, cell

    @classmethod
    def read(cls, grid: Grid) -> _Marker:
        marker = cls()
        rows = sorted({int(address.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for address in grid})
        in_items = False
        for number in rows:
            key, value = grid.get(f"A{number}"), grid.get(f"B{number}")
            if key is None:
                continue
            if in_items:
                row = value if isinstance(value, int) and not isinstance(value, bool) else None
                valid = row is not None and 1 <= row <= _MAX_ROW
                marker.items.append((str(key), row if valid else None, f"B{number}"))
            elif key == "item":
                in_items = True
            else:
                marker.values[str(key)] = "" if value is None else str(value)
                marker.cells[str(key)] = f"B{number}"
        return marker

    def column(self, key: str) -> str | None:
        value = self.values.get(key, "")
        return value if _COLUMN.fullmatch(value) else None

    def address(self, key: str) -> str | None:
        value = self.values.get(key, "")
        return value if _ADDRESS.fullmatch(value) else None

    def number(self, key: str) -> int | None:
        value = self.values.get(key, "")
        return int(value) if value.isdigit() and 0 < int(value) <= _MAX_ROW else None


class _FormReader:
    def __init__(self, source: Source, q: Questionnaire, marker: _Marker) -> None:
        self.display = source.display
        self.q = q
        self.marker = marker
        self.problems: list[Problem] = []

    def fail(self, sheet: str, cell: str, message: str) -> None:
        self.problems.append(Problem(self.display, f"sheet {sheet!r}, cell {cell}: {message}"))

    def edited(self, cell: str) -> InvalidInputError:
        self.fail(MARKER_SHEET, cell, "the form's marker was edited; fill in a new form")
        return self.stop()

    def stop(self) -> InvalidInputError:
        return InvalidInputError(f"{self.display}: invalid form", self.problems)

    def check_marker(self) -> None:
        """Format, questionnaire and version: a form of another version is refused whole."""
        q, values, cells = self.q, self.marker.values, self.marker.cells
        if values.get("format") != FORM_FORMAT:
            found = values.get("format")
            self.fail(
                MARKER_SHEET,
                cells.get("format", "B1"),
                f"a form in format {quoted(found)}, which this version of tra-assess cannot "
                f"read (expected {FORM_FORMAT})",
            )
            raise self.stop()
        qid, version = values.get("questionnaire", ""), values.get("version", "")
        if qid != q.id:
            self.fail(
                MARKER_SHEET,
                cells.get("questionnaire", "B2"),
                f"a form of questionnaire {quoted(qid)}, but this batch is scored with "
                f"{q.id!r} {q.version} (score it separately, with -q)",
            )
        elif version != q.version:
            self.fail(
                MARKER_SHEET,
                cells.get("version", "B3"),
                f"a form of {q.id} {quoted(version)}, but this batch is scored with {q.id} "
                f"{q.version}; its rows may ask other items: score it with -q and the "
                f"{quoted(version)} questionnaire, or hand out forms of {q.version}",
            )
        if self.problems:
            raise self.stop()

    def item_rows(self, grid: Grid) -> dict[str, int]:
        """Each marked item's row, checked against the questionnaire: the id and the text
        in that row must be the item's (an edited, moved or deleted row is named)."""
        id_col, text_col = self.marker.column("id column"), self.marker.column("text column")
        if id_col is None or text_col is None:
            raise self.edited(self.marker.cells.get("id column", "B1"))
        rows: dict[str, int] = {}
        for item_id, number, cell in self.marker.items:
            item = self.q.item_by_id.get(item_id)
            if item is None or number is None or item_id in rows:
                self.fail(MARKER_SHEET, cell, "the form's marker was edited; fill in a new form")
                continue
            found_id = grid.get(f"{id_col}{number}")
            found_text = grid.get(f"{text_col}{number}")
            if found_id != item_id or not same_text(found_text or "", one_line(item.text)):
                where = f"{id_col}{number}" if found_id != item_id else f"{text_col}{number}"
                shown = found_id if found_id != item_id else found_text
                self.fail(
                    ANSWERS_SHEET,
                    where,
                    f"expected item {item_id!r} ({quoted(one_line(item.text), 40)}), found "
                    f"{quoted(shown, 40) if shown is not None else 'nothing'}: item rows were "
                    "edited, moved or deleted; copy the answers into a new form",
                )
                continue
            rows[item_id] = number
        return rows

    def answers(self, grid: Grid, rows: dict[str, int]) -> Response:
        response = Response(source=self.display, questionnaire_id=self.q.id, mode="individual")
        response.questionnaire_version = self.q.version
        answer_col = self.marker.column("answer column")
        note_col = self.marker.column("note column")
        if answer_col is None or note_col is None:
            raise self.edited(self.marker.cells.get("answer column", "B1"))
        options = {_fold(text): value for text, value in answer_options(self.q)}
        for item_id, number in rows.items():
            address = f"{answer_col}{number}"
            try:
                value = _answer(grid.get(address), options)
            except ValueError as exc:
                self.fail(ANSWERS_SHEET, address, str(exc))
            else:
                if value is not None:
                    response.values[item_id] = value
            note = _text(grid.get(f"{note_col}{number}"))
            if note:
                response.notes[item_id] = note
        self._stray(grid, set(rows.values()), (answer_col, note_col))
        return response

    def _stray(self, grid: Grid, rows: set[int], columns: tuple[str, str]) -> None:
        """An answer or a note in a row that asks no item (added rows) is not dropped."""
        header = self.marker.number("header row") or 1
        stray = []
        for address, value in grid.items():
            column = address.rstrip("0123456789")
            row = int(address[len(column) :])
            if column in columns and row > header and row not in rows and _text(value):
                stray.append((columns.index(column), row, address, value))
        for _, _, address, value in sorted(stray):
            self.fail(
                ANSWERS_SHEET,
                address,
                f"{quoted(_text(value), 40)} is in a row that asks no item "
                "(rows were added or moved); copy the answers into a new form",
            )

    def cover(self, grid: Grid, response: Response) -> None:
        """The respondent fields from the cover sheet (where the marker says they are)."""
        made_for = self.marker.values.get("role") or None
        for name in COVER_FIELDS:
            address = self.marker.address(f"cover {name}")
            if address is None:
                continue
            raw = grid.get(address)
            if name == "assessed_on":
                response.assessed_on = self._date(raw, address)
                continue
            text = _text(raw)
            if name == "role":
                self._check_role(text, made_for, address)
            if not text:
                continue
            if name == "organization":
                response.organization = text
            else:
                response.respondent[name] = text

    def _check_role(self, text: str | None, made_for: str | None, address: str) -> None:
        roles = self.q.roles
        if text and roles and text not in roles:
            self.fail(
                COVER_SHEET,
                address,
                f"role {quoted(text)} is not one of the drop-down's roles ({', '.join(roles)})",
            )
        elif made_for and text != made_for:
            self.fail(
                COVER_SHEET,
                address,
                f"this form was made for role {made_for!r}, not {quoted(text or '')}; "
                "make a form for that role",
            )

    def _date(self, raw: object, address: str) -> str | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, _dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, _dt.date):
            return raw.isoformat()
        if isinstance(raw, str):
            try:
                return _dt.date.fromisoformat(raw.strip()).isoformat()
            except ValueError:
                pass
        self.fail(COVER_SHEET, address, f"the date must be a date (YYYY-MM-DD), not {quoted(raw)}")
        return None


def read_form(source: Source, q: Questionnaire) -> Response | None:
    """One respondent's answers from a filled-in form; None when nothing was answered.

    Raises :class:`InvalidInputError` with a problem per refused cell
    (``FILE: sheet 'Answers', cell I12: ...``).
    """
    sheets = _read_sheets(source)
    for needed in (MARKER_SHEET, ANSWERS_SHEET):
        if needed not in sheets:
            raise InvalidInputError(
                "form", [Problem(source.display, f"a form without its sheet {needed!r}")]
            )
    reader = _FormReader(source, q, _Marker.read(sheets[MARKER_SHEET]))
    reader.check_marker()
    rows = reader.item_rows(sheets[ANSWERS_SHEET])
    response = reader.answers(sheets[ANSWERS_SHEET], rows)
    reader.cover(sheets.get(COVER_SHEET, {}), response)
    if reader.problems:
        raise reader.stop()
    if not response.values and not response.notes:
        return None
    return response


def _read_sheets(source: Source) -> dict[str, Grid]:
    """Every sheet's non-empty cells, streamed (formulas as typed, so that a formula is
    never read as an empty cell). Oversize files and zip bombs are refused first."""
    from tra_assess.common.yamlio import MAX_BYTES

    assert source.path is not None
    unreadable = InvalidInputError(
        "xlsx", [Problem(source.display, "a form that cannot be read; save it again from Excel")]
    )
    too_big = InvalidInputError(
        "too big", [Problem(source.display, "holds far more than a form does; not a form")]
    )
    try:
        if source.path.stat().st_size > MAX_BYTES:
            raise too_big
        with zipfile.ZipFile(source.path) as archive:
            if sum(info.file_size for info in archive.infolist()) > _MAX_UNPACKED:
                raise too_big
        import openpyxl

        workbook = openpyxl.load_workbook(source.path, read_only=True, data_only=False)
    except InvalidInputError:
        raise
    except Exception:  # openpyxl raises many types for broken files
        raise unreadable from None
    sheets: dict[str, Grid] = {}
    count = 0
    try:
        for sheet in workbook.worksheets:
            grid: Grid = {}
            sheet.reset_dimensions()
            for row in sheet.iter_rows():
                for cell in row:
                    value = cell.value
                    if value is None or value == "":
                        continue
                    count += 1
                    if count > _MAX_CELLS:
                        raise too_big
                    grid[cell.coordinate] = value
            sheets[sheet.title] = grid
    except InvalidInputError:
        raise
    except Exception:  # a damaged sheet is only found while reading it
        raise unreadable from None
    finally:
        workbook.close()
    return sheets


def _answer(raw: object, options: dict[str, Value]) -> Value | None:
    """The answer a cell holds (None: empty); ValueError when it is not one of the
    drop-down's entries (a value typed or pasted past the validation)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, str):
        found = options.get(_fold(raw))
        if found is not None:
            return found
    shown = raw if isinstance(raw, (str, int, float)) else _text(raw)
    raise ValueError(
        f"{quoted(shown)} is not one of the drop-down's answers; choose one from the list"
    )


def _text(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, _dt.datetime):
        raw = raw.date() if raw.time() == _dt.time() else raw
    text = str(raw).strip()
    return text or None
