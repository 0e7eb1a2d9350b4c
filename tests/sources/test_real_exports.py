"""SPEC section 5, "Real exports, right or refused": cells, headers, encodings, suffixes,
structure errors, dates, identical rows and the questionnaire chosen, through ``score``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.sources.answers import parse_value_text

MINI = Path(__file__).parents[1] / "data" / "mini.yaml"
WIDE = {"COLUMNS": "400"}


def _score(runner: CliRunner, *args: str) -> tuple[int, dict[str, Any] | None, str]:
    result = runner.invoke(app, ["score", *args, "--format", "json"], env=WIDE)
    out = result.stdout
    data = json.loads(out[out.index("{") :]) if "{" in out else None
    return result.exit_code, data, result.output


def _items(data: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    assert data is not None
    return {item["id"]: item for item in data["items"]}


# -- cells ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("3.0", 3),
        (" 3.00 ", 3),
        ("3 - Most", 3),
        ("3 \u2013 most", 3),
        ("3. Most", 3),
        ("3 (Most)", 3),
        ("3: Most", 3),
        ("MOST", 3),
        ("Not sure", "unknown"),
        ("Unsure", "unknown"),
        ("Don\u2019t know", "unknown"),
        ("I don't know", "unknown"),
        ("Unfamiliar (N/A)", "unknown"),
        ("Not applicable", "na"),
        ("N/A", "na"),
        ("98 - Don't know", "unknown"),
    ],
)
def test_cells_parse_as_answered(text: str, value: object) -> None:
    assert parse_value_text(text, load_questionnaire(MINI)) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2.5", "'2.5': decimals are not on the scale"),
        ("3.9", "'3.9': decimals are not on the scale"),
        ("3 - Half", "'3 - Half': 'half' is not the label of 3 ('Most')"),
        ("3 (Routine)", "'3 (Routine)': 'routine' is not the label of 3 ('Most')"),
        ("98", "98 is not on the scale"),
    ],
)
def test_cells_that_are_not_answers_are_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_value_text(text, load_questionnaire(MINI), {})


def test_a_decimal_in_a_csv_rejects_its_row_naming_row_and_column(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent_id,alpha.one,beta.one\nr1,2.5,3\nr2,3.0,1\n")
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 1
    assert f"{path}: row 2, column 'alpha.one': '2.5': decimals are not on the scale" in output
    assert _items(data)["alpha.one"]["distribution"]["3"] == 1
    assert data is not None and data["respondents"] == 1


def test_label_maps_platform_labels_and_numeric_recodes(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent_id,alpha.one,beta.one\nr1,98,Routine\nr2,99,2\n")
    code, data, output = _score(
        runner,
        str(path),
        "-q",
        str(MINI),
        "--label",
        "98=unknown",
        "--label",
        "99=na",
        "--label",
        "routine=3",
    )
    assert code == 0, output
    items = _items(data)
    assert (items["alpha.one"]["unknown"], items["alpha.one"]["na"]) == (1, 1)
    assert items["beta.one"]["distribution"]["3"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--label", "98=7"], "--label '98'='7': the value must be a scale value of mini"),
        (["--label", "nothing"], "--label 'nothing': expected TEXT=VALUE"),
        (["--column", "x="], "--column 'x=': expected HEADER=FIELD"),
        (["--encoding", "klingon"], "--encoding 'klingon': unknown encoding"),
        (["--assessed-on", "20240305"], "--assessed-on '20240305': expected a date YYYY-MM-DD"),
    ],
)
def test_bad_read_options_are_usage_errors(
    tmp_path: Path, runner: CliRunner, args: list[str], message: str
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("alpha.one\n3\n")
    code, _, output = _score(runner, str(path), "-q", str(MINI), *args)
    assert code == 2
    assert message in output


# -- headers ----------------------------------------------------------------------------------


def test_headers_fold_quotes_dashes_spaces_and_question_numbers(
    tmp_path: Path, runner: CliRunner
) -> None:
    q = tmp_path / "q.yaml"
    q.write_text(
        MINI.read_text().replace("Alpha one happens.", "Staff\u2019s alpha one - happens.")
    )
    path = tmp_path / "a.csv"
    path.write_text(
        "1. Staff's alpha   one \u2013 happens.,Q2. Alpha two happens.,3) Alpha three happens.,"
        "Q4_beta.one\n3,2,1,0\n",
        encoding="utf-8",
    )
    code, data, output = _score(runner, str(path), "-q", str(q))
    assert code == 0, output
    items = _items(data)
    assert [items[i]["n"] for i in ("alpha.one", "alpha.two", "alpha.three", "beta.one")] == [
        1,
        1,
        1,
        1,
    ]


def test_role_questions_are_recognised_and_column_maps_any_header(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "What is your role?,Which team are you in?,Which site do you work at?,Cohort,alpha.one\n"
        "lead,intake,north,A,3\nstaff,intake,south,B,2\n"
    )
    out = tmp_path / "r.json"
    result = runner.invoke(
        app,
        ["score", str(path), "-q", str(MINI), "--column", "cohort=wave", "--out", str(out)],
        env=WIDE,
    )
    assert result.exit_code == 0, result.output
    assert (
        f"{path}: columns: role \u2190 'What is your role?', team \u2190 'Which team are you "
        "in?', site \u2190 'Which site do you work at?', wave \u2190 'Cohort'"
    ) in result.output
    for field, values in (("role", ["lead", "staff"]), ("wave", ["A", "B"])):
        result = runner.invoke(
            app,
            [
                "score",
                str(path),
                "-q",
                str(MINI),
                "--column",
                "Cohort=wave",
                "--group-by",
                field,
                "--min-group-size",
                "1",
                "--allow-small-groups",
                "--format",
                "json",
            ],
        )
        groups = json.loads(result.stdout[result.stdout.index("{") :])["groups"]["groups"]
        assert sorted(g["value"] for g in groups) == values


def test_a_column_option_for_a_header_not_there_is_warned_about(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("alpha.one\n3\n")
    code, _, output = _score(runner, str(path), "-q", str(MINI), "--column", "Rolle=role")
    assert code == 0
    assert f"{path}: --column 'rolle': no such column in row 1" in output


def test_response_in_the_first_data_row_is_a_respondent(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent_id,comment,alpha.one\nr1,Response,3\nr2,,2\n")
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0, output
    assert data is not None and data["respondents"] == 2


def test_surveymonkey_option_row_without_response_cells_is_a_header(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "Respondent ID,Collector ID,Start Date,Please rate,\n"
        ",,,Alpha one happens.,Alpha two happens.\n"
        "1,9,03/05/2024 10:11:12 AM,Most,Half\n"
    )
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0, output
    items = _items(data)
    assert data is not None and data["respondents"] == 1
    assert (items["alpha.one"]["distribution"]["3"], items["alpha.two"]["distribution"]["2"]) == (
        1,
        1,
    )


def test_expanded_two_options_for_one_item_reject_the_row(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "Respondent ID,Alpha one happens.,,\n,Some,Half,Most\n1,,Half,\n2,Some,,Most\n3,,,x\n"
    )
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 1
    assert "row 4, column 'Alpha one happens. / Most': item 'alpha.one' has two options chosen" in (
        output
    )
    dist = _items(data)["alpha.one"]["distribution"]
    assert (dist["2"], dist["3"], dist["1"]) == (1, 1, 0)


# -- encodings and suffixes -------------------------------------------------------------------


def test_utf16_tab_text_tsv_and_any_codec(tmp_path: Path, runner: CliRunner) -> None:
    unicode_text = tmp_path / "a.txt"
    unicode_text.write_bytes("\ufeffrespondent_id\talpha.one\r\nr1\t3\r\n".encode("utf-16-le"))
    tsv = tmp_path / "b.tsv"
    tsv.write_text("respondent_id\talpha.one\nr2\t2\n")
    latin = tmp_path / "c.csv"
    latin.write_bytes("respondent_id,alpha.one,note\nr3,1,caf\xe9\n".encode("latin-1"))
    code, data, output = _score(runner, str(unicode_text), str(tsv), "-q", str(MINI))
    assert code == 0, output
    assert data is not None and data["respondents"] == 2
    code, data, output = _score(runner, str(latin), "-q", str(MINI), "--encoding", "latin-1")
    assert code == 0, output
    code, _, output = _score(runner, str(latin), "-q", str(MINI))
    assert code == 1
    assert f"{latin}: row 2: not valid UTF-8 text (byte 0xe9)" in output


def test_utf16_without_a_bom_says_which_encoding(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("alpha.one\n3\n".encode("utf-16-le"))
    code, _, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 1
    assert "UTF-16 text without a byte-order mark: add --encoding utf-16-le" in output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("old.xls", "unsupported file type '.xls': an old-style Excel workbook"),
        ("notes.docx", "unsupported file type '.docx': export the answers as .csv or .xlsx"),
        ("report.pdf", "unsupported file type '.pdf'"),
    ],
)
def test_other_suffixes_are_refused_not_read_as_yaml(
    tmp_path: Path, runner: CliRunner, name: str, message: str
) -> None:
    bad = tmp_path / name
    bad.write_text("format: tra-answers/1\n")
    good = tmp_path / "good.csv"
    good.write_text("alpha.one\n3\n")
    code, data, output = _score(runner, str(bad), str(good), "-q", str(MINI))
    assert code == 1
    assert f"{bad}: {message}" in output
    assert data is not None and data["respondents"] == 1


def test_directories_are_searched_for_tsv_but_not_txt(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "a.tsv").write_text("alpha.one\n3\n")
    (tmp_path / "b.txt").write_text("not an export\n")
    code, data, output = _score(runner, str(tmp_path), "-q", str(MINI))
    assert code == 0, output
    assert data is not None and data["inputs"]["files"] == 1


# -- structure errors -------------------------------------------------------------------------


def test_a_stray_quote_rejects_its_row_and_the_rest_is_read(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "Timestamp,alpha.one,comment\n"
        "2024/03/05 10:00:00 AM GMT,1,fine\n"
        '2024/03/05 10:01:00 AM GMT,2,"he said hi\n'
        "2024/03/05 10:02:00 AM GMT,3,ok\n"
        "2024/03/05 10:03:00 AM GMT,4,ok\n"
    )
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 1
    assert f"{path}: row 3, column 'comment': a quote (\") opens here and is not closed" in output
    assert _items(data)["alpha.one"]["distribution"] == {"0": 0, "1": 1, "2": 0, "3": 1, "4": 1}


def test_a_row_with_another_delimiter_is_an_error_not_an_empty_row(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent_id,alpha.one,beta.one\nr1,1,2\nr2;3;4\nr3,0,1\n")
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 1
    assert (
        f"{path}: row 3, column 'respondent_id': this row is written with ';' between its cells"
    ) in output
    assert data is not None and data["respondents"] == 2


# -- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "cells", "date"),
    [
        ("Timestamp", ["2024/03/05 10:11:12 AM GMT", "2024/03/04 9:00:00 AM GMT"], "2024-03-05"),
        ("Completion time", ["3/5/2024 10:11:12", "3/14/2024 10:11:12"], "2024-03-14"),
        ("Start time", ["13/3/2024 10:11:12", "5/3/2024 10:11:12"], "2024-03-13"),
        ("EndDate", ["2024-03-05 10:11:12", "2024-03-07 10:11:12"], "2024-03-07"),
        ("RecordedDate", ["2024-03-05 10:11:12", "2024-03-01 10:11:12"], "2024-03-05"),
        ("submitdate", ["2024-03-05 10:11:12", ""], "2024-03-05"),
        ("_submission_time", ["2024-03-05T10:11:12", "2024-03-06T10:11:12"], "2024-03-06"),
    ],
)
def test_platform_time_columns_give_the_assessment_date(
    tmp_path: Path, runner: CliRunner, header: str, cells: list[str], date: str
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(f"{header},alpha.one\n" + "".join(f'"{c}",3\n' for c in cells))
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0, output
    assert data is not None and data["assessed_on"] == date
    assert f"assessed_on \u2190 '{header}'" in output


def test_ambiguous_day_month_dates_are_reported_not_guessed(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Timestamp,alpha.one\n3/5/2024 10:00:00,3\n4/6/2024 10:00:00,2\n")
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0
    assert data is not None and data["assessed_on"] is None
    assert "could be day/month or month/day" in output
    code, data, _ = _score(runner, str(path), "-q", str(MINI), "--assessed-on", "2024-04-06")
    assert data is not None and data["assessed_on"] == "2024-04-06"


def test_report_without_dates_says_not_recorded(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "a.csv"
    path.write_text("alpha.one\n3\n")
    result = runner.invoke(app, ["report", str(path), "-q", str(MINI)])
    assert result.exit_code == 0, result.output
    assert "assessment date not recorded" in result.stdout
    result = runner.invoke(
        app, ["report", str(path), "-q", str(MINI), "--assessed-on", "2024-03-05"]
    )
    assert "assessed 2024-03-05" in result.stdout


# -- identical rows, the questionnaire chosen, unknown items ----------------------------------


def test_identical_rows_without_ids_are_named(tmp_path: Path, runner: CliRunner) -> None:
    rows = "Timestamp,alpha.one,beta.one\n2024/03/05 10:00:00 AM GMT,3,2\n"
    first, second = tmp_path / "week1.csv", tmp_path / "week1-again.csv"
    first.write_text(rows + "2024/03/06 10:00:00 AM GMT,1,1\n")
    second.write_text(rows)
    code, data, output = _score(runner, str(first), str(second), "-q", str(MINI))
    assert code == 0
    assert (
        f"1 row(s) without a respondent id are identical to an earlier row ({second} row 2 = "
        f"{first} row 2); all are scored"
    ) in output
    assert data is not None and data["respondents"] == 3


def test_the_best_matching_builtin_questionnaire_is_used_and_named(
    tmp_path: Path, runner: CliRunner
) -> None:
    quick = load_questionnaire("tra-quick")
    path = tmp_path / "quick.csv"
    path.write_text(
        ",".join(i.id for i in quick.items) + "\n" + ",".join("3" for _ in quick.items) + "\n"
    )
    code, data, output = _score(runner, str(path))
    assert code == 0, output
    assert data is not None and data["questionnaire"]["id"] == "tra-quick"
    assert f"no questionnaire named: scored with tra-quick {quick.version}" in output
    code, data, output = _score(runner, str(path), "-q", "tra-core")
    assert "of the items of tra-core" not in output
    assert "the built-in tra-quick matches" in output


def test_unknown_item_ids_get_a_did_you_mean(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("format: tra-answers/1\nquestionnaire: {id: mini}\nanswers:\n  alpha.thre: 3\n")
    long = tmp_path / "b.csv"
    long.write_text("respondent_id,item,value\nr1,beta.tow,3\n")
    code, _, output = _score(runner, str(path), str(long), "-q", str(MINI))
    assert code == 1
    assert f"{path}:4: unknown item 'alpha.thre'; did you mean 'alpha.three'?" in output
    assert f"{long}: row 2, column 'item': unknown item 'beta.tow'; did you mean 'beta.two'?" in (
        output
    )


def test_long_csv_two_roles_for_one_respondent_is_an_error_naming_both_rows(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "respondent_id,role,item,value\nr1,lead,alpha.one,3\nr2,staff,alpha.one,2\n"
        "r1,staff,beta.one,1\n"
    )
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 1
    assert (
        f"{path}: row 4, column 'role': role 'staff' differs from 'lead' in row 2 for the same "
        "respondent; this respondent is not scored"
    ) in output
    assert data is not None and data["respondents"] == 1


def test_the_answers_schema_takes_labels_and_value_note_objects(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema", "answers"])
    schema = json.loads(result.stdout)
    answer = schema["properties"]["answers"]["additionalProperties"]
    kinds = json.dumps(answer)
    assert '"type": "string"' in kinds and "AnswerDetail" in kinds


def test_surveymonkey_columns_with_response_in_a_data_row_keep_that_respondent(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "Respondent ID,Start Date,Comments,alpha.one\n"
        "1,03/05/2024 10:11:12 AM,Response,3\n"
        "2,03/14/2024 10:11:12 AM,,2\n"
    )
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0, output
    assert data is not None and data["respondents"] == 2
    assert data["assessed_on"] == "2024-03-14"


def test_an_empty_start_date_in_a_plain_table_is_not_a_header_row(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Start Date,alpha.one\n,3\n2024-03-05,2\n")
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0, output
    assert data is not None and data["respondents"] == 2


def test_a_file_that_never_recovers_is_refused_naming_where_it_broke(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    lines = "".join(f'"r{n},{n % 5},x,y\n' for n in range(20))
    path.write_text("respondent_id,alpha.one,c,d\nr0,1,x,y\n" + lines)
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 1
    assert f"{path}: row 3: the file's structure breaks here and does not recover" in output
    assert data is not None and data["respondents"] == 1


def test_a_question_that_mentions_your_role_is_still_an_item(
    tmp_path: Path, runner: CliRunner
) -> None:
    q = tmp_path / "q.yaml"
    q.write_text(MINI.read_text().replace("Alpha one happens.", "Your role in a crisis is clear."))
    path = tmp_path / "a.csv"
    path.write_text("What is your role?,Your role in a crisis is clear.\nlead,3\n")
    code, data, output = _score(runner, str(path), "-q", str(q))
    assert code == 0, output
    assert _items(data)["alpha.one"]["n"] == 1


def test_a_misspelt_item_id_column_gets_a_did_you_mean(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "a.csv"
    path.write_text("alpha.one,alpha.thre: Alpha three happens?\n3,2\n")
    code, _, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0
    assert (
        f"{path}: column 'alpha.thre: Alpha three happens?': unknown item 'alpha.thre'; did you "
        "mean 'alpha.three'?"
    ) in output


def test_xlsx_rows_hold_only_the_cells_up_to_the_header(tmp_path: Path, runner: CliRunner) -> None:
    """A sheet with one cell in column XFD of every row: rows are built from the cells present
    and cut at the header's width (never 16,384 cells each); the cut cells are counted."""
    import zipfile

    import openpyxl

    from tra_assess.sources.exports.xlsx import SheetRows

    path = tmp_path / "wide.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "alpha.one"
    for row in range(2, 302):
        sheet.cell(row=row, column=1, value=row % 5)
        sheet.cell(row=row, column=16384, value="x")
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        rows = SheetRows(archive)
        lengths = {len(row) for row in rows}
    assert lengths == {1}
    assert (rows.beyond, rows.first_beyond) == (300, "XFD2")
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0, output
    assert data is not None and data["respondents"] == 300
    assert f"{path}: ignored 300 cell(s) right of the header's last column (first: XFD2)" in output


def test_labels_that_start_with_a_number_still_match(tmp_path: Path) -> None:
    q = tmp_path / "q.yaml"
    q.write_text(MINI.read_text().replace("label: Most}", "label: 3 - Most of the time}"))
    assert parse_value_text("3 \u2013 most of the time", load_questionnaire(q), {}) == 3


def test_an_expanded_cell_may_hold_the_options_value(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Respondent ID,Alpha one happens.,\n,Some,Half\n1,,2\n2,1,\n3,,1\n")
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 1  # row 5: a 1 under "Half" could be a mark or the answer 1
    assert "row 5, column 'Alpha one happens. / Half': expected the option's text 'Half', its " in (
        output
    )
    dist = _items(data)["alpha.one"]["distribution"]
    assert (dist["1"], dist["2"]) == (1, 1)


def test_a_time_column_cell_that_is_no_date_does_not_reject_the_answers(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Timestamp,alpha.one\nyesterday,3\n2024-03-05 10:00:00,2\n")
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0, output
    assert data is not None and data["respondents"] == 2 and data["assessed_on"] == "2024-03-05"
    assert f"{path}: 1 row(s) have no date in column 'Timestamp' (first: row 2)" in output


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tra_assess", "score", *args, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "300"},
    )


def test_installed_command_reads_a_utf16_export_and_refuses_a_long_conflict(
    tmp_path: Path,
) -> None:
    export = tmp_path / "survey.txt"
    export.write_bytes(
        "\ufeffWhat is your role?\tAlpha one happens.\r\nlead\tMost\r\nstaff\tNot sure\r\n".encode(
            "utf-16-le"
        )
    )
    proc = _command(str(export), "-q", str(MINI))
    assert proc.returncode == 0, proc.stderr
    item = next(i for i in json.loads(proc.stdout)["items"] if i["id"] == "alpha.one")
    assert (item["n"], item["unknown"], item["distribution"]["3"]) == (1, 1, 1)
    long = tmp_path / "long.csv"
    long.write_text("respondent_id,team,item,value\nr1,a,alpha.one,3\nr1,b,beta.one,2\n")
    proc = _command(str(long), "-q", str(MINI))
    assert proc.returncode == 1
    assert "row 3, column 'team': team 'b' differs from 'a' in row 2" in proc.stderr


def test_an_expanded_role_question_reads_whichever_option_was_chosen(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "Respondent ID,What is your role?,,Alpha one happens.\n"
        ",Lead,Staff,Response\n"
        "1,Lead,,3\n"
        "2,,Staff,2\n"
        "3,,Staff,1\n"
    )
    result = runner.invoke(
        app,
        [
            "score",
            str(path),
            "-q",
            str(MINI),
            "--group-by",
            "role",
            "--min-group-size",
            "1",
            "--allow-small-groups",
            "--format",
            "json",
        ],
    )
    groups = json.loads(result.stdout[result.stdout.index("{") :])["groups"]["groups"]
    assert sorted((g["value"], g["n"]) for g in groups) == [("Lead", 1), ("Staff", 2)]


def test_qualtrics_previews_and_tests_are_named(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "Status,ResponseId,Q1\n"
        "Response Type,Response ID,Alpha one happens.\n"
        '"{""ImportId"":""status""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}"\n'
        "IP Address,R_1,3\nSurvey Preview,R_2,4\n"
    )
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0, output
    assert data is not None and data["respondents"] == 2
    assert f"{path}: 1 response(s) are survey previews, tests or spam by their Status (row 5)" in (
        output
    )


def test_long_csv_answers_on_several_days_take_the_latest(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "respondent_id,assessed_on,item,value\nr1,2024-03-06,alpha.one,3\n"
        "r1,2024-03-05,beta.one,2\nr2,2024-03-04,alpha.one,1\n"
    )
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0, output
    assert data is not None and data["respondents"] == 2 and data["assessed_on"] == "2024-03-06"


def test_a_short_row_with_commas_in_a_semicolon_file_is_read(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(  # row 3 is short (its last cell left out) and its comment has commas
        "respondent_id;alpha.one;comment;extra\nr1;3;x;y\nr2;2;a, b, c, d, e, f\n"
    )
    code, data, output = _score(runner, str(path), "-q", str(MINI))
    assert code == 0, output
    assert data is not None and data["respondents"] == 2
