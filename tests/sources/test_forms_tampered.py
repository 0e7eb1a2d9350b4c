"""Filled-in forms that were tampered with, damaged or stretched past what a form holds: each
is refused by sheet and cell, or as a whole in one plain line, never read wrongly."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from form_helpers import fill, item_rows
from tra_assess.cli.app import app
from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.questionnaire.load import load_questionnaire_file
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.answers import Source
from tra_assess.sources.form_xlsx import form_workbook
from tra_assess.sources.forms import check_role, form_questionnaire, is_form, read_form

UNREADABLE = "f.xlsx: a form that cannot be read; save it again from Excel"
TOO_BIG = "f.xlsx: holds far more than a form does; not a form"


def _source(path: Path) -> Source:
    return Source(0, path.name, "xlsx", file=str(path))


def _blank(tmp_path: Path, q: Questionnaire, name: str = "f.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(form_workbook(q, None))
    return path


def _problems(path: Path, q: Questionnaire) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        read_form(_source(path), q)
    return caught.value.lines()


def _marker_rows(path: Path) -> dict[str, int]:
    marker = openpyxl.load_workbook(path)["_tra_form"]
    return {marker[f"A{r}"].value: r for r in range(1, marker.max_row + 1)}


def _edit(path: Path, sheet: str, cells: dict[str, object]) -> None:
    workbook = openpyxl.load_workbook(path)
    for address, value in cells.items():
        workbook[sheet][address] = value
    workbook.save(path)


def _rezip(path: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    parts.update(change)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


# -- the marker --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["id column", "text column"])
def test_an_edited_item_column_in_the_marker_refuses_the_form(
    tmp_path: Path, mini: Questionnaire, key: str
) -> None:
    path = fill(_blank(tmp_path, mini), {"alpha.one": 1})
    rows = _marker_rows(path)
    _edit(path, "_tra_form", {f"B{rows[key]}": "column A"})  # not a column letter any more
    assert _problems(path, mini) == [
        f"f.xlsx: sheet '_tra_form', cell B{rows['id column']}: the form's marker was edited; "
        "fill in a new form"
    ]


@pytest.mark.parametrize("key", ["answer column", "note column"])
def test_an_edited_answer_column_in_the_marker_refuses_the_form(
    tmp_path: Path, mini: Questionnaire, key: str
) -> None:
    path = fill(_blank(tmp_path, mini), {"alpha.one": 1})
    rows = _marker_rows(path)
    _edit(path, "_tra_form", {f"B{rows[key]}": 9})
    assert _problems(path, mini) == [
        f"f.xlsx: sheet '_tra_form', cell B{rows['answer column']}: the form's marker was "
        "edited; fill in a new form"
    ]


def test_marker_rows_without_a_key_are_passed_over(tmp_path: Path, mini: Questionnaire) -> None:
    path = fill(_blank(tmp_path, mini), {"alpha.one": 2, "gamma.two": 6})
    rows = _marker_rows(path)
    last = max(rows.values())
    # a value typed beside the marker's rows, with no key: not an item, not a setting
    _edit(path, "_tra_form", {f"B{last + 2}": 7, "C3": "note to self"})
    response = read_form(_source(path), mini)
    assert response is not None
    assert response.values == {"alpha.one": 2, "gamma.two": "unknown"}


def test_a_form_without_its_answers_sheet_is_refused(tmp_path: Path, mini: Questionnaire) -> None:
    path = fill(_blank(tmp_path, mini), {"alpha.one": 1})
    workbook = openpyxl.load_workbook(path)
    workbook["Answers"].title = "My answers"
    workbook.save(path)
    assert is_form(_source(path))
    assert _problems(path, mini) == ["f.xlsx: a form without its sheet 'Answers'"]


# -- the cover ---------------------------------------------------------------------------------


def test_the_organisation_and_date_and_number_cells_on_the_cover(
    tmp_path: Path, mini: Questionnaire
) -> None:
    path = fill(_blank(tmp_path, mini), {"alpha.one": 4})
    about = openpyxl.load_workbook(path)["About this form"]
    rows = {str(about[f"A{r}"].value): r for r in range(1, about.max_row + 1)}
    _edit(
        path,
        "About this form",
        {
            f"B{rows['Organisation']}": "  Harbour House  ",
            f"B{rows['Team']}": datetime.datetime(2026, 5, 1),  # a team typed as a date
            f"B{rows['Site']}": 12.5,
            f"B{rows['Date (YYYY-MM-DD)']}": datetime.datetime(2026, 4, 30, 9, 15),
        },
    )
    response = read_form(_source(path), mini)
    assert response is not None
    assert response.organization == "Harbour House"
    assert response.respondent == {"team": "2026-05-01", "site": "12.5"}
    assert response.assessed_on == "2026-04-30"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("next Tuesday", "'next Tuesday'"), ("2026-02-30", "'2026-02-30'"), (True, "True")],
)
def test_a_date_that_is_no_date_is_named_by_cell(
    tmp_path: Path, mini: Questionnaire, typed: object, shown: str
) -> None:
    path = fill(_blank(tmp_path, mini), {"alpha.one": 4}, cover={"date": typed})
    assert _problems(path, mini) == [
        f"f.xlsx: sheet 'About this form', cell B12: the date must be a date (YYYY-MM-DD), "
        f"not {shown}"
    ]


def test_a_note_typed_as_a_number_or_a_time_reads_as_shown(
    tmp_path: Path, mini: Questionnaire
) -> None:
    path = fill(_blank(tmp_path, mini), {"alpha.one": 1, "beta.one": 2})
    rows = item_rows(openpyxl.load_workbook(path))
    _edit(
        path,
        "Answers",
        {
            f"J{rows['alpha.one']}": 3.0,
            f"J{rows['beta.one']}": datetime.datetime(2026, 1, 2, 10, 30),
        },
    )
    response = read_form(_source(path), mini)
    assert response is not None
    assert response.notes == {"alpha.one": "3", "beta.one": "2026-01-02 10:30:00"}


# -- damage and size ---------------------------------------------------------------------------


def test_a_form_whose_sheet_is_cut_short_is_unreadable(tmp_path: Path, mini: Questionnaire) -> None:
    path = fill(_blank(tmp_path, mini), {"alpha.one": 1})
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml")
    _rezip(path, {"xl/worksheets/sheet2.xml": sheet[: len(sheet) // 2]})
    assert is_form(_source(path))
    assert _problems(path, mini) == [UNREADABLE]
    assert form_questionnaire(_source(path)) is None


def test_a_form_with_damaged_styles_is_unreadable(tmp_path: Path, mini: Questionnaire) -> None:
    path = fill(_blank(tmp_path, mini), {"alpha.one": 1})
    _rezip(path, {"xl/styles.xml": b"<styleSheet"})
    assert _problems(path, mini) == [UNREADABLE]


def test_a_form_past_the_size_of_any_form_is_refused_unread(
    tmp_path: Path, mini: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tra_assess.common import yamlio

    path = fill(_blank(tmp_path, mini), {"alpha.one": 1})
    monkeypatch.setattr(yamlio, "MAX_BYTES", path.stat().st_size - 1)
    assert _problems(path, mini) == [TOO_BIG]


def test_a_form_that_unpacks_past_a_form_is_refused_unread(
    tmp_path: Path, mini: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tra_assess.sources import forms

    path = fill(_blank(tmp_path, mini), {"alpha.one": 1})
    _rezip(path, {"xl/media/padding.bin": b"\0" * 300_000})  # packs to a few hundred bytes
    monkeypatch.setattr(forms, "_MAX_UNPACKED", 200_000)
    assert _problems(path, mini) == [TOO_BIG]


def test_a_form_of_more_cells_than_a_form_has_is_refused(
    tmp_path: Path, mini: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tra_assess.sources import forms

    path = fill(_blank(tmp_path, mini), {"alpha.one": 1})
    monkeypatch.setattr(forms, "_MAX_CELLS", 40)
    assert _problems(path, mini) == [TOO_BIG]


def test_a_huge_workbook_part_is_not_taken_for_a_form(tmp_path: Path, mini: Questionnaire) -> None:
    path = _blank(tmp_path, mini)
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml")
    assert is_form(_source(path))
    _rezip(path, {"xl/workbook.xml": book + b" " * (4 * 1024 * 1024)})
    assert not is_form(_source(path))
    assert form_questionnaire(_source(path)) is None


def test_the_questionnaire_a_form_names(tmp_path: Path, mini: Questionnaire) -> None:
    path = _blank(tmp_path, mini)
    assert form_questionnaire(_source(path)) == "mini"
    _edit(path, "_tra_form", {"B2": "   "})
    assert form_questionnaire(_source(path)) is None
    plain = tmp_path / "plain.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["alpha.one"])  # type: ignore[union-attr]
    workbook.save(plain)
    assert form_questionnaire(_source(plain)) is None
    assert not is_form(Source(0, "-", "xlsx", text="alpha.one\n1\n"))  # stdin: never a form


# -- roles -------------------------------------------------------------------------------------


BOARD_YAML = """format: tra-questionnaire/1
id: boarded
version: "1"
title: Board test
scale:
  - {value: 0, label: Absent}
  - {value: 1, label: Present}
levels:
  - {id: low, label: Low, min_score: 0}
  - {id: high, label: High, min_score: 0.5}
roles: [staff, board]
domains:
  - id: care
    title: Care
    items:
      - {id: care.a, text: Care a., audience: [staff]}
"""


def test_a_role_that_no_item_is_for_is_a_usage_error(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "boarded.yaml"
    path.write_text(BOARD_YAML, encoding="utf-8")
    q = load_questionnaire_file(path)
    with pytest.raises(UsageError, match="no item of boarded is for this role"):
        check_role(q, "board")
    check_role(q, "staff")  # a role with items is fine
    out = tmp_path / "board.xlsx"
    result = runner.invoke(
        app, ["form", "-q", str(path), "--role", "board", "-f", "xlsx", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert result.stderr == "error: --role 'board': no item of boarded is for this role\n"
    assert not out.exists()
