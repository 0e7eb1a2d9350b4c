"""``assessed_on`` is a real ISO date ``YYYY-MM-DD`` or a located error; the results' date is
the latest one, compared as dates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.scoring.scorer import latest_date


def _json_answer(folder: Path, name: str, date: object, rid: str) -> Path:
    path = folder / name
    path.write_text(json.dumps({
        "format": "tra-answers/1", "questionnaire": {"id": "mini", "version": "2.0"},
        "assessed_on": date, "respondent": {"id": rid}, "answers": {"alpha.one": 3},
    }, indent=2))
    return path


def _score(runner: CliRunner, mini: Path, *inputs: Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["score", *map(str, inputs), "-q", str(mini), "--format", "json"])


@pytest.mark.parametrize("date", [20250203, "20250203", "2025-2-3", "2025-02-30", "2025-W06-1",
                                  "03/02/2025", "2025-02-03T10:00"])
def test_a_json_date_that_is_not_yyyy_mm_dd_is_a_located_error(
        runner: CliRunner, tmp_path: Path, mini_path: Path, date: object) -> None:
    bad = _json_answer(tmp_path, "bad.json", date, "r1")
    good = _json_answer(tmp_path, "good.json", "2025-01-05", "r2")
    result = _score(runner, mini_path, bad, good)
    assert result.exit_code == 1
    assert f"{bad}:7: 'assessed_on' must be a date YYYY-MM-DD, not '{date}'" in result.stderr
    results = json.loads(result.stdout)
    assert results["respondents"] == 1 and results["assessed_on"] == "2025-01-05"


def test_yaml_dates_are_fine_and_the_latest_is_chosen_by_date(
        runner: CliRunner, tmp_path: Path, mini_path: Path) -> None:
    for number, date in enumerate(["2025-02-03", "2024-12-31", "2025-10-01", "2025-09-30"]):
        (tmp_path / f"a{number}.yaml").write_text(
            "format: tra-answers/1\nquestionnaire: {id: mini, version: '2.0'}\n"
            f"assessed_on: {date}\nrespondent: {{id: r{number}}}\nanswers: {{alpha.one: 2}}\n")
    result = _score(runner, mini_path, tmp_path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["assessed_on"] == "2025-10-01"


def test_a_csv_date_cell_must_start_with_yyyy_mm_dd(runner: CliRunner, tmp_path: Path,
                                                    mini_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("respondent_id,assessed_on,alpha.one\nr1,20250203,3\n"
                      "r2,2025-02-03 10:15:00,2\n")
    result = _score(runner, mini_path, export)
    assert result.exit_code == 1
    assert ("row 2, column 'assessed_on': expected a date (YYYY-MM-DD, or the platform's "
            "timestamp), not '20250203'" in result.stderr)
    assert json.loads(result.stdout)["assessed_on"] == "2025-02-03"


def test_latest_date_compares_dates() -> None:
    assert latest_date(None, "2025-02-03") == "2025-02-03"
    assert latest_date("2025-02-03", None) == "2025-02-03"
    assert latest_date("2025-02-03", "2024-12-31") == "2025-02-03"
    assert latest_date("2024-12-31", "2025-02-03") == "2025-02-03"


def test_a_cells_date_does_not_depend_on_the_cells_read_before_it() -> None:
    from itertools import permutations

    from tra_assess.sources.exports.dates import DateColumn

    column = ["13/5/2024", "3/4/2024", "5/14/2024", "soon", "2024-06-01", "2/30/2024"]
    expected = {
        "13/5/2024": "2024-05-13",
        "3/4/2024": "",  # day/month or month/day, and the column says both: not used
        "5/14/2024": "2024-05-14",
        "soon": None,
        "2024-06-01": "2024-06-01",
        "2/30/2024": None,  # a date in no order
    }
    for order in permutations(column):
        dates = DateColumn(lambda: column, "t.csv")
        dates.label = "Date"
        assert {text: dates.date(text) for text in order} == expected
        assert dates.warnings == [
            "t.csv: dates in column 'Date' could be day/month or month/day; no assessment date "
            "is taken from those (give it with --assessed-on YYYY-MM-DD)"
        ]


def test_undecidable_dates_leave_the_others_and_bad_cells_still_reported(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "respondent_id,assessed_on,alpha.one\nr1,3/4/2025,3\nr2,13/1/2025,2\n"
        "r3,1/14/2025,2\nr4,soon,1\n"
    )
    result = _score(runner, mini_path, export)
    assert result.exit_code == 1
    assert "row 5, column 'assessed_on': expected a date" in result.stderr
    assert "could be day/month or month/day" in result.stderr
    results = json.loads(result.stdout)
    assert results["respondents"] == 3 and results["assessed_on"] == "2025-01-14"
