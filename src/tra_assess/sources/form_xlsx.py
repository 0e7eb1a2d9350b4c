"""The xlsx answer form (SPEC section 9.2): one workbook that one person fills in.

A cover sheet says what the form is for and who sees the answers, and holds the respondent
fields; the ``Answers`` sheet has one row per item (grouped by domain), the anchors side by
side, a drop-down of the scale labels plus "not applicable" and "don't know" that nothing
else can be typed into, and a note column. The sheets are protected (only the answer, note
and respondent cells can be changed; sheets cannot be added, removed or reordered) and set up
to print landscape, fitted to the page width, with the header row on every page. The hidden
marker sheet is what :mod:`tra_assess.sources.forms` reads the form back by.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any, Literal

from tra_assess.common.textsafe import one_line, plain
from tra_assess.sources.forms import (
    ANSWERS_SHEET,
    COVER_SHEET,
    FORM_FORMAT,
    MARKER_SHEET,
    answer_options,
    check_role,
    form_domains,
    plain_wording_for,
)

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

    from tra_assess.questionnaire.model import Item, Questionnaire

HEADER_ROW = 3
_FONT_SIZE = 10
_LINE_POINTS = 13.0
_WIDTHS = {"id": 16, "text": 40, "help": 32, "anchor": 20, "answer": 20, "note": 30}
_MARKER_LIST_COLUMNS = ("D", "E")  # the drop-downs' entries: answers, roles


def form_workbook(
    q: Questionnaire,
    role: str | None = None,
    *,
    paper: Literal["a4", "letter"] = "a4",
    plain_wording: bool | None = None,
) -> bytes:
    """The form as xlsx bytes; ``role`` keeps only the items in that role's audience;
    ``plain_wording`` leaves out the guidance column (default: for people served)."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    check_role(q, role)
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = COVER_SHEET
    answers = workbook.create_sheet(ANSWERS_SHEET)
    marker = workbook.create_sheet(MARKER_SHEET)
    marker.sheet_state = "hidden"
    options = [text for text, _ in answer_options(q)]
    lists = _write_lists(marker, options, q.roles)
    plain_form = plain_wording_for(role, plain_wording)
    cover_cells = _write_cover(cover, q, role, lists[1])
    columns, item_rows = _write_answers(answers, q, role, lists[0], plain_form)
    for sheet in (cover, answers):
        sheet.page_setup.paperSize = (
            sheet.PAPERSIZE_LETTER if paper == "letter" else sheet.PAPERSIZE_A4
        )
    _write_marker(marker, q, role, cover_cells, columns, item_rows)
    workbook.properties.creator = "tra-assess"
    workbook.properties.title = f"{one_line(q.title)} — answer form"
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- cells -------------------------------------------------------------------------------------


def _put(sheet: Worksheet, address: str, text: object, **style: Any) -> Cell:
    """Write text as text: a value starting with ``=`` is never made a formula."""
    from openpyxl.styles import Alignment, Font

    cell = sheet[address]
    if text is not None:
        cell.value = plain(text) if isinstance(text, str) else text
        if isinstance(text, str):
            cell.data_type = "s"
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.font = Font(size=style.get("size", _FONT_SIZE), bold=style.get("bold", False))
    return cell


def _unlocked(cell: Cell, fill: bool = True) -> None:
    from openpyxl.styles import Border, PatternFill, Protection, Side

    cell.protection = Protection(locked=False)
    if fill:
        cell.fill = PatternFill("solid", fgColor="FFF8E1")
        thin = Side(style="thin", color="999999")
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def _protect(sheet: Worksheet) -> None:
    """Protect the sheet (no password: this prevents accidents, it is not a lock); rows and
    columns can still be resized, so a long text can be read."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatRows = False
    protection.formatColumns = False


def _height(texts: list[tuple[str, int]]) -> float:
    """A row height (points) that shows every wrapped text of the row: Excel does not fit
    rows to their text by itself."""
    lines = 1
    for text, width in texts:
        chars = max(1, int(width * 1.15))
        count = sum(max(1, math.ceil(len(part) / chars)) for part in text.split("\n"))
        lines = max(lines, count)
    return min(409.0, lines * _LINE_POINTS + 4)


def _print_setup(sheet: Worksheet, *, landscape: bool) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.4
    margins.top = margins.bottom = 0.5


def _list_validation(reference: str, title: str, message: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(
        type="list",
        formula1=reference,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=title,
        error=message,
        showInputMessage=True,
        promptTitle=title,
        prompt="Choose from the list.",
    )


# -- sheets ------------------------------------------------------------------------------------


def _write_lists(marker: Worksheet, options: list[str], roles: list[str]) -> list[str | None]:
    """The drop-downs' entries on the marker sheet; their references (None: no list)."""
    references: list[str | None] = []
    for column, entries in zip(_MARKER_LIST_COLUMNS, (options, roles), strict=True):
        _put(marker, f"{column}1", "answers" if column == "D" else "roles")
        for number, entry in enumerate(entries, start=2):
            _put(marker, f"{column}{number}", one_line(entry))
        last = len(entries) + 1
        references.append(f"'{MARKER_SHEET}'!${column}$2:${column}${last}" if entries else None)
    return references


def _write_cover(
    sheet: Worksheet, q: Questionnaire, role: str | None, roles_ref: str | None
) -> dict[str, str]:
    """Purpose, privacy note, how to fill in, and the respondent fields; their cells."""
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 70
    for_role = f" — for {one_line(role)}" if role else ""
    _put(sheet, "A1", f"{one_line(q.title)}{for_role}", size=14, bold=True)
    sheet.merge_cells("A1:B1")
    rows = [
        ("What this is for", _purpose(q)),
        ("Who sees your answers", _privacy(q)),
        ("How to fill it in", _how_to()),
    ]
    row = 3
    for label, text in rows:
        _put(sheet, f"A{row}", label, bold=True)
        _put(sheet, f"B{row}", text)
        sheet.row_dimensions[row].height = _height([(text, 70)])
        row += 1
    row += 1
    _put(sheet, f"A{row}", "About you (all optional)", bold=True, size=12)
    row += 1
    fields = [
        ("role", "Your role"),
        ("team", "Team"),
        ("site", "Site"),
        ("organization", "Organisation"),
        ("assessed_on", "Date (YYYY-MM-DD)"),
    ]
    cells: dict[str, str] = {}
    for name, label in fields:
        _put(sheet, f"A{row}", label, bold=True)
        cell = _put(sheet, f"B{row}", role if name == "role" and role else None)
        cells[name] = cell.coordinate
        if name == "role" and role:
            pass  # made for this role: stays locked
        else:
            _unlocked(cell)
        row += 1
    if roles_ref is not None and not role:
        check = _list_validation(roles_ref, "Your role", "Choose your role from the list.")
        check.add(cells["role"])
        sheet.add_data_validation(check)
    dates = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Date",
        error="Type a date, for example 2026-11-22.",
    )
    dates.add(cells["assessed_on"])
    sheet.add_data_validation(dates)
    sheet[cells["assessed_on"]].number_format = "yyyy-mm-dd"
    _protect(sheet)
    _print_setup(sheet, landscape=False)
    return cells


def _purpose(q: Questionnaire) -> str:
    text = (
        "This form asks how our organisation works in practice: what actually happens, not "
        "what training was given or what policies say. It is a self-assessment for "
        "improvement planning, not a test of you and not a performance review."
    )
    if q.description:
        text += "\n\n" + plain(q.description).strip()
    return text


def _privacy(q: Questionnaire) -> str:
    return (
        "The answers are read by the person who collects the forms and are scored together "
        "with everyone else's. Results are shown only for groups of at least "
        f"{q.min_group_size} people, never for one person.\n"
        "Hand the filled-in form back to the person named by whoever gave it to you, someone "
        "outside your line management (not your manager or supervisor).\n"
        "Do not write your name anywhere on this form unless you were asked to, and do not "
        "name other people in your notes."
    )


def _how_to() -> str:
    return (
        "On the sheet 'Answers', read each question and the descriptions beside it, then "
        "choose the answer that best matches what happens now, from the drop-down list in "
        "the column 'Your answer'. If the question does not apply to your service, choose "
        "'not applicable'; if you cannot tell, choose 'don't know' (that is a useful "
        "answer too). A note is optional: what you have seen that supports your answer. "
        "Leave a question empty to skip it. Save the file and hand it back."
    )


def _write_answers(
    sheet: Worksheet,
    q: Questionnaire,
    role: str | None,
    answers_ref: str | None,
    plain_form: bool,
) -> tuple[dict[str, str], list[tuple[str, int]]]:
    """The item rows, grouped by domain; the column letters and each item's row."""
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    scale = q.scale
    guidance = [] if plain_form else ["help"]
    names = ["id", "text", *guidance, *(f"anchor {p.value}" for p in scale), "answer", "note"]
    letters = {name: get_column_letter(n) for n, name in enumerate(names, start=1)}
    last = letters["note"]
    widths = {name: _WIDTHS[name.split()[0]] for name in names}
    for name, letter in letters.items():
        sheet.column_dimensions[letter].width = widths[name]
    _write_header(sheet, q, role, names, letters)
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    answers_check = None
    if answers_ref is not None:
        answers_check = _list_validation(
            answers_ref, "Your answer", "Choose one of the answers in the list."
        )
        sheet.add_data_validation(answers_check)
    row = HEADER_ROW + 1
    item_rows: list[tuple[str, int]] = []
    domain_fill = PatternFill("solid", fgColor="EEEEEE")
    for domain, items in form_domains(q, role):
        _put(sheet, f"A{row}", one_line(domain.title), bold=True, size=11).fill = domain_fill
        sheet.merge_cells(f"A{row}:B{row}")
        description = "" if plain_form else plain(domain.description or "").strip()
        _put(sheet, f"C{row}", description).fill = domain_fill
        sheet.merge_cells(f"C{row}:{last}{row}")
        width = sum(widths[name] for name in names[2:])
        sheet.row_dimensions[row].height = _height([(description, width)])
        row += 1
        for item in items:
            _item_row(sheet, row, item, q, letters, widths)
            if answers_check is not None:
                answers_check.add(f"{letters['answer']}{row}")
            item_rows.append((item.id, row))
            row += 1
    _protect(sheet)
    _print_setup(sheet, landscape=True)
    return {
        "id": letters["id"],
        "text": letters["text"],
        "answer": letters["answer"],
        "note": letters["note"],
    }, item_rows


def _write_header(
    sheet: Worksheet, q: Questionnaire, role: str | None, names: list[str], letters: dict[str, str]
) -> None:
    """The title, a line of instructions and the header row (repeated on every printed page)."""
    from openpyxl.styles import PatternFill

    last = letters["note"]
    for_role = f" (for {one_line(role)})" if role else ""
    _put(sheet, "A1", f"{one_line(q.title)} {q.version}{for_role}", size=13, bold=True)
    sheet.merge_cells(f"A1:{last}1")
    _put(
        sheet,
        "A2",
        "Choose an answer in the column 'Your answer' for each question; a note "
        "is optional. See the first sheet for who sees your answers.",
    )
    sheet.merge_cells(f"A2:{last}2")
    headers = ["Item", "Question", *(["Guidance"] if "help" in letters else [])]
    headers += [f"{p.value} – {one_line(p.label)}" for p in q.scale]
    headers += ["Your answer", "Note (what you have seen; optional)"]
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    for name, header in zip(names, headers, strict=True):
        _put(sheet, f"{letters[name]}{HEADER_ROW}", header, bold=True).fill = header_fill
    widths = [_WIDTHS[name.split()[0]] for name in names]
    sheet.row_dimensions[HEADER_ROW].height = _height(list(zip(headers, widths, strict=True)))


def _item_row(
    sheet: Worksheet,
    row: int,
    item: Item,
    q: Questionnaire,
    letters: dict[str, str],
    widths: dict[str, int],
) -> None:
    texts = {
        "id": item.id,
        "text": one_line(item.text),
        **({"help": plain(item.help or "").strip()} if "help" in letters else {}),
        **{f"anchor {p.value}": plain(item.anchors.get(p.value, "")).strip() for p in q.scale},
    }
    for name, text in texts.items():
        _put(sheet, f"{letters[name]}{row}", text, bold=name == "text")
    _unlocked(sheet[f"{letters['answer']}{row}"])
    _unlocked(sheet[f"{letters['note']}{row}"])
    _put(sheet, f"{letters['answer']}{row}", None)
    _put(sheet, f"{letters['note']}{row}", None)
    sheet.row_dimensions[row].height = _height(
        [(text, widths[name]) for name, text in texts.items()]
    )


def _write_marker(
    sheet: Worksheet,
    q: Questionnaire,
    role: str | None,
    cover: dict[str, str],
    columns: dict[str, str],
    item_rows: list[tuple[str, int]],
) -> None:
    rows: list[tuple[str, object]] = [
        ("format", FORM_FORMAT),
        ("questionnaire", q.id),
        ("version", q.version),
        ("role", role or ""),
        ("header row", HEADER_ROW),
        ("id column", columns["id"]),
        ("text column", columns["text"]),
        ("answer column", columns["answer"]),
        ("note column", columns["note"]),
        *((f"cover {name}", address) for name, address in cover.items()),
        ("item", "row"),
        *item_rows,
    ]
    for number, (key, value) in enumerate(rows, start=1):
        _put(sheet, f"A{number}", key)
        _put(sheet, f"B{number}", value)
    _protect(sheet)
