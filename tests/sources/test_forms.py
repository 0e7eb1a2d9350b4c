"""The xlsx answer form: what it holds, and reading a filled-in one back exactly, or refusing
it by sheet and cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from form_helpers import ROLES_YAML, dropdown, fill, header_column, item_rows
from tra_assess.common.errors import InvalidInputError
from tra_assess.questionnaire.load import load_questionnaire_file
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.answers import Source
from tra_assess.sources.form_xlsx import form_workbook
from tra_assess.sources.forms import is_form, read_form

MINI_OPTIONS = [
    "0 – None",
    "1 – Some",
    "2 – Half",
    "3 – Most",
    "4 – All",
    "not applicable",
    "don't know",
]


def _write(tmp_path: Path, q: Questionnaire, role: str | None = None, name: str = "f.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(form_workbook(q, role))
    return path


def _source(path: Path) -> Source:
    return Source(0, path.name, "xlsx", file=str(path))


def _problems(path: Path, q: Questionnaire) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        read_form(_source(path), q)
    return caught.value.lines()


@pytest.fixture
def routed(tmp_path: Path) -> Questionnaire:
    path = tmp_path / "routed.yaml"
    path.write_text(ROLES_YAML, encoding="utf-8")
    return load_questionnaire_file(path)


def test_the_answers_sheet_asks_every_item_with_its_anchors_and_a_dropdown(
    tmp_path: Path, mini: Questionnaire
) -> None:
    workbook = openpyxl.load_workbook(_write(tmp_path, mini))
    assert workbook.sheetnames == ["About this form", "Answers", "_tra_form"]
    assert workbook["_tra_form"].sheet_state == "hidden"
    sheet = workbook["Answers"]
    rows = item_rows(workbook)
    assert list(rows) == [item.id for item in mini.items]  # questionnaire order
    # one heading row per domain, just above its first item
    assert sheet[f"A{rows['alpha.one'] - 1}"].value == "Alpha practices"
    assert sheet[f"A{rows['beta.one'] - 1}"].value == "Beta practices"
    header = [cell.value for cell in sheet[3]]
    assert header[:3] == ["Item", "Question", "Guidance"]
    assert header[3:8] == MINI_OPTIONS[:5]  # one column per scale value, side by side
    row = rows["alpha.one"]
    assert [sheet.cell(row, col).value for col in range(1, 9)] == [
        "alpha.one", "Alpha one happens.", None, "never", "known", "piloted", "routine",
        "measured",
    ]  # fmt: skip
    assert all(sheet.cell(row, col).alignment.wrap_text for col in range(1, 11))
    answer = header_column(sheet, "Your answer")
    for item_id, number in rows.items():
        assert dropdown(workbook, sheet, f"{answer}{number}") == MINI_OPTIONS, item_id
    check = sheet.data_validations.dataValidation[0]
    assert check.showErrorMessage is True and check.errorStyle == "stop"


def test_only_answers_and_notes_can_be_changed_and_it_prints_to_the_page_width(
    tmp_path: Path, mini: Questionnaire
) -> None:
    workbook = openpyxl.load_workbook(_write(tmp_path, mini))
    assert workbook.security is not None and workbook.security.lockStructure
    sheet = workbook["Answers"]
    assert sheet.protection.sheet and sheet.protection.deleteRows and sheet.protection.insertRows
    rows = item_rows(workbook)
    answer, note = header_column(sheet, "Your answer"), header_column(sheet, "Note")
    for number in rows.values():
        assert not sheet[f"{answer}{number}"].protection.locked
        assert not sheet[f"{note}{number}"].protection.locked
        assert sheet[f"A{number}"].protection.locked and sheet[f"B{number}"].protection.locked
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$3"
    assert workbook["About this form"].protection.sheet


def test_the_cover_says_who_sees_the_answers_and_offers_the_roles(
    tmp_path: Path, mini: Questionnaire
) -> None:
    workbook = openpyxl.load_workbook(_write(tmp_path, mini))
    cover = workbook["About this form"]
    text = " ".join(str(c.value) for row in cover.iter_rows() for c in row if c.value)
    assert "outside your line management" in text
    assert "Do not write your name" in text
    assert f"at least {mini.min_group_size} people" in text
    role_row = next(r for r in range(1, 30) if cover[f"A{r}"].value == "Your role")
    assert dropdown(workbook, cover, f"B{role_row}") == ["lead", "staff"]
    assert not cover[f"B{role_row}"].protection.locked


def test_a_filled_in_form_is_read_back_item_by_item(tmp_path: Path, mini: Questionnaire) -> None:
    path = fill(
        _write(tmp_path, mini),
        {"alpha.one": 3, "alpha.two": 0, "beta.one": 4, "beta.two": 5, "gamma.one": 6},
        notes={"alpha.one": "Seen in the May audit", "gamma.two": "Could not tell"},
        cover={"role": "staff", "team": "Intake", "site": 12, "date": "2026-11-22"},
    )
    response = read_form(_source(path), mini)
    assert response is not None
    assert response.values == {
        "alpha.one": 3,
        "alpha.two": 0,
        "beta.one": 4,
        "beta.two": "na",
        "gamma.one": "unknown",
    }
    assert response.notes == {"alpha.one": "Seen in the May audit", "gamma.two": "Could not tell"}
    assert response.respondent == {"role": "staff", "team": "Intake", "site": "12"}
    assert response.assessed_on == "2026-11-22"
    assert (response.questionnaire_id, response.questionnaire_version) == ("mini", "2.0")


def test_a_date_typed_as_a_date_is_read(tmp_path: Path, mini: Questionnaire) -> None:
    import datetime

    path = fill(_write(tmp_path, mini), {"alpha.one": 1}, cover={"date": datetime.date(2026, 3, 1)})
    response = read_form(_source(path), mini)
    assert response is not None and response.assessed_on == "2026-03-01"


def test_a_value_forced_past_the_validation_is_named_by_sheet_and_cell(
    tmp_path: Path, mini: Questionnaire
) -> None:
    path = fill(_write(tmp_path, mini), {"alpha.one": 2, "alpha.two": "3", "beta.one": "Mostly"})
    rows = item_rows(openpyxl.load_workbook(path))
    lines = _problems(path, mini)
    assert lines == [
        f"f.xlsx: sheet 'Answers', cell I{rows['alpha.two']}: '3' is not one of the drop-down's "
        "answers; choose one from the list",
        f"f.xlsx: sheet 'Answers', cell I{rows['beta.one']}: 'Mostly' is not one of the "
        "drop-down's answers; choose one from the list",
    ]


def test_a_number_or_a_formula_in_an_answer_cell_is_refused(
    tmp_path: Path, mini: Questionnaire
) -> None:
    path = fill(_write(tmp_path, mini), {"alpha.one": 1})
    workbook = openpyxl.load_workbook(path)
    rows = item_rows(workbook)
    workbook["Answers"][f"I{rows['alpha.two']}"] = 3
    workbook["Answers"][f"I{rows['beta.one']}"] = '="3 – Most"'
    workbook.save(path)
    lines = _problems(path, mini)
    assert len(lines) == 2
    assert f"cell I{rows['alpha.two']}: 3 is not one of" in lines[0]
    assert f"cell I{rows['beta.one']}:" in lines[1]


def test_a_deleted_row_is_named_by_cell(tmp_path: Path, mini: Questionnaire) -> None:
    path = fill(_write(tmp_path, mini), {"alpha.one": 1, "gamma.two": 4})
    workbook = openpyxl.load_workbook(path)
    rows = item_rows(workbook)
    workbook["Answers"].delete_rows(rows["beta.one"])
    workbook.save(path)
    lines = _problems(path, mini)
    assert lines[0] == (
        f"f.xlsx: sheet 'Answers', cell A{rows['beta.one']}: expected item 'beta.one' "
        "('Beta one happens.'), found 'beta.two': item rows were edited, moved or deleted; "
        "copy the answers into a new form"
    )
    # beta.one, beta.two, gamma.one, gamma.two have all moved up, and so has an answer
    assert len(lines) == 5
    assert lines[4].startswith(f"f.xlsx: sheet 'Answers', cell I{rows['gamma.two'] - 1}: '4 – All'")


def test_an_edited_item_text_or_swapped_rows_are_named_by_cell(
    tmp_path: Path, mini: Questionnaire
) -> None:
    path = fill(_write(tmp_path, mini), {"alpha.one": 1})
    workbook = openpyxl.load_workbook(path)
    rows = item_rows(workbook)
    sheet = workbook["Answers"]
    sheet[f"B{rows['alpha.three']}"] = "Alpha three never happens."
    a, b = rows["gamma.one"], rows["gamma.two"]
    for column in "ABCDEFGHIJ":
        sheet[f"{column}{a}"], sheet[f"{column}{b}"] = (
            sheet[f"{column}{b}"].value,
            sheet[f"{column}{a}"].value,
        )
    workbook.save(path)
    lines = _problems(path, mini)
    assert lines[0].startswith(f"f.xlsx: sheet 'Answers', cell B{rows['alpha.three']}: expected")
    assert "found 'Alpha three never happens.'" in lines[0]
    assert lines[1].startswith(f"f.xlsx: sheet 'Answers', cell A{a}: expected item 'gamma.one'")
    assert lines[2].startswith(f"f.xlsx: sheet 'Answers', cell A{b}: expected item 'gamma.two'")


def test_an_answer_in_an_added_row_is_not_dropped(tmp_path: Path, mini: Questionnaire) -> None:
    path = fill(_write(tmp_path, mini), {"alpha.one": 1})
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Answers"]
    last = sheet.max_row + 2
    sheet[f"I{last}"] = "4 – All"
    workbook.save(path)
    assert _problems(path, mini) == [
        f"f.xlsx: sheet 'Answers', cell I{last}: '4 – All' is in a row that asks no item (rows "
        "were added or moved); copy the answers into a new form"
    ]


def test_a_form_of_another_version_is_refused(tmp_path: Path, mini: Questionnaire) -> None:
    other = Questionnaire.model_validate({**mini.model_dump(), "version": "1.0"})
    path = fill(_write(tmp_path, other), {"alpha.one": 1})
    (line,) = _problems(path, mini)
    assert line.startswith("f.xlsx: sheet '_tra_form', cell B3: a form of mini '1.0', but this")
    assert "scored with mini 2.0" in line


def test_a_form_of_another_questionnaire_is_refused(
    tmp_path: Path, mini: Questionnaire, routed: Questionnaire
) -> None:
    path = fill(_write(tmp_path, routed), {"care.welcome": 1})
    (line,) = _problems(path, mini)
    assert "a form of questionnaire 'routed', but this batch is scored with 'mini'" in line


def test_an_empty_form_has_no_answers(tmp_path: Path, mini: Questionnaire) -> None:
    path = fill(_write(tmp_path, mini), {}, cover={"role": "lead", "team": "A"})
    assert read_form(_source(path), mini) is None


def test_a_role_outside_the_list_is_refused(tmp_path: Path, mini: Questionnaire) -> None:
    path = fill(_write(tmp_path, mini), {"alpha.one": 1}, cover={"role": "boss"})
    (line,) = _problems(path, mini)
    assert "sheet 'About this form', cell B" in line
    assert "role 'boss' is not one of the drop-down's roles (lead, staff)" in line


def test_a_form_for_a_role_asks_only_that_audience(tmp_path: Path, routed: Questionnaire) -> None:
    path = _write(tmp_path, routed, "people-served")
    workbook = openpyxl.load_workbook(path)
    assert list(item_rows(workbook)) == ["care.welcome", "voice.say"]
    staff = openpyxl.load_workbook(_write(tmp_path, routed, "staff", "s.xlsx"))
    assert list(item_rows(staff)) == ["care.welcome", "care.plan", "voice.staff-only"]
    fill(path, {"care.welcome": 3, "voice.say": 2})
    response = read_form(_source(path), routed)
    assert response is not None
    assert response.values == {"care.welcome": 3, "voice.say": 2}
    assert response.respondent == {"role": "people-served"}  # filled in by the form


def test_the_role_a_form_was_made_for_cannot_be_changed(
    tmp_path: Path, routed: Questionnaire
) -> None:
    path = fill(
        _write(tmp_path, routed, "people-served"), {"voice.say": 2}, cover={"role": "staff"}
    )
    (line,) = _problems(path, routed)
    assert "this form was made for role 'people-served', not 'staff'" in line


def test_detection_is_by_the_marker_not_the_name(tmp_path: Path, mini: Questionnaire) -> None:
    form = _write(tmp_path, mini, name="Export from Microsoft Forms.xlsx")
    assert is_form(_source(form))
    plain = tmp_path / "form.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["respondent_id", "alpha.one"])  # type: ignore[union-attr]
    workbook.save(plain)
    assert not is_form(_source(plain))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert not is_form(_source(broken))


def test_a_marker_of_an_unknown_format_is_refused(tmp_path: Path, mini: Questionnaire) -> None:
    path = fill(_write(tmp_path, mini), {"alpha.one": 1})
    workbook = openpyxl.load_workbook(path)
    workbook["_tra_form"]["B1"] = "tra-form/9"
    workbook.save(path)
    (line,) = _problems(path, mini)
    assert "a form in format 'tra-form/9', which this version of tra-assess cannot read" in line


def test_questionnaire_text_that_looks_like_a_formula_stays_text(
    tmp_path: Path, mini: Questionnaire
) -> None:
    data = mini.model_dump()
    data["domains"][0]["items"][0].update(text='=HYPERLINK("http://x","y")', help="+1 call us")
    q = Questionnaire.model_validate(data)
    workbook = openpyxl.load_workbook(_write(tmp_path, q))
    sheet = workbook["Answers"]
    row = item_rows(workbook)["alpha.one"]
    assert sheet[f"B{row}"].data_type == "s" and sheet[f"B{row}"].value.startswith("=HYPER")
    assert sheet[f"C{row}"].data_type == "s"


def test_people_served_get_no_guidance_column_and_the_form_still_reads_back(
    tmp_path: Path, routed: Questionnaire
) -> None:
    path = tmp_path / "served.xlsx"
    path.write_bytes(form_workbook(routed, "people-served", paper="letter"))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Answers"]
    assert [c.value for c in sheet[3]][:3] == ["Item", "Question", "0 – Not in place"]
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "Ask reception staff" not in text and "How care is given." not in text
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_LETTER == "1"
    fill(path, {"care.welcome": 2, "voice.say": 5}, notes={"voice.say": "Never asked"})
    response = read_form(_source(path), routed)
    assert response is not None
    assert response.values == {"care.welcome": 2, "voice.say": "unknown"}
    assert response.notes == {"voice.say": "Never asked"}
    staff = openpyxl.load_workbook(_write(tmp_path, routed, "staff", "staff.xlsx"))["Answers"]
    assert [c.value for c in staff[3]][:3] == ["Item", "Question", "Guidance"]


def test_an_edited_marker_is_refused_without_a_crash(tmp_path: Path, mini: Questionnaire) -> None:
    path = fill(_write(tmp_path, mini), {"alpha.one": 1})
    workbook = openpyxl.load_workbook(path)
    marker = workbook["_tra_form"]
    cells = {marker[f"A{r}"].value: r for r in range(1, marker.max_row + 1)}
    marker[f"B{cells['cover team']}"] = "A1:Z99999"  # not one cell: the field is not read
    marker[f"B{cells['alpha.two']}"] = 10**9
    marker[f"B{cells['beta.one']}"] = "nine"
    workbook.save(path)
    lines = _problems(path, mini)
    assert lines == [
        f"f.xlsx: sheet '_tra_form', cell B{cells['alpha.two']}: the form's marker was edited; "
        "fill in a new form",
        f"f.xlsx: sheet '_tra_form', cell B{cells['beta.one']}: the form's marker was edited; "
        "fill in a new form",
    ]
