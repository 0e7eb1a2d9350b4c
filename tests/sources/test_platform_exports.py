"""Real survey exports (SPEC section 5, "Real exports, right or refused"): every fixture under
``exports/`` is laid out as its platform writes it and is scored exactly as answered, item by
item and respondent by respondent, through ``tra-assess score``; or refused with one line that
says what to do.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.sources.answers import Response
from tra_assess.sources.exports.tables import TableReader
from tra_assess.sources.inputs import expand_inputs
from tra_assess.sources.options import read_options

EXPORTS = Path(__file__).parent / "exports"
QUESTIONNAIRE = EXPORTS / "questionnaire.yaml"
CASES = sorted(p.parent.relative_to(EXPORTS).as_posix() for p in EXPORTS.rglob("expected.json"))
ITEMS = [
    "intake.first-contact",
    "intake.choice",
    "supervision.regular",
    "supervision.sts",
    "crisis.debrief",
]


def write_msforms(path: Path) -> dict[str, Any]:
    """A Microsoft Forms export (Excel only): ID, Start time, Completion time, Email, Name,
    then one column per question, dates as Excel dates; returns its expected.json."""
    import build_exports as data  # type: ignore[import-not-found]
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    head = ["ID", "Start time", "Completion time", "Email", "Name", "Which team are you in?"]
    sheet.append([*head, *data.ITEMS.values()])
    for n, (_rid, role, when, answers) in enumerate(data.PEOPLE, start=1):
        cells = [data.label(answers[i], unknown="Don't know", na="N/A") or None for i in ITEMS]
        start = when - dt.timedelta(minutes=7)
        sheet.append([n, start, when, "anonymous", None, role, *cells])
        for col in (2, 3):
            sheet.cell(row=n + 1, column=col).number_format = "m/d/yy h:mm:ss"
    workbook.save(path)
    spec = data.expected("", "", [])
    for n, person in enumerate(spec["respondents"], start=1):
        person["id"] = str(n)
        person["team"], person["role"] = person["role"], None
    return spec


@pytest.fixture(autouse=True)
def _build_exports_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(EXPORTS))


def _case(name: str, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    if name == "microsoft-forms":
        path = tmp_path / "Staff survey(1-4).xlsx"
        return path, write_msforms(path)
    spec = json.loads((EXPORTS / name / "expected.json").read_text(encoding="utf-8"))
    return EXPORTS / name / spec["file"], spec


def _responses(path: Path, args: list[str]) -> dict[int, Response]:
    labels = [args[n + 1] for n, a in enumerate(args) if a == "--label"]
    columns = [args[n + 1] for n, a in enumerate(args) if a == "--column"]
    encoding = next((args[n + 1] for n, a in enumerate(args) if a == "--encoding"), None)
    q = load_questionnaire(QUESTIONNAIRE)
    options = read_options(labels, columns, encoding).checked(q)
    sources, _ = expand_inputs([path])
    found: dict[int, Response] = {}
    for row, outcome in TableReader(sources[0], q, options):
        assert isinstance(outcome, Response), [str(p) for p in outcome]
        found[row] = outcome
    return found


@pytest.mark.parametrize("name", [*CASES, "microsoft-forms"])
def test_export_is_scored_exactly_as_answered(name: str, tmp_path: Path, runner: CliRunner) -> None:
    path, spec = _case(name, tmp_path)
    result = runner.invoke(
        app, ["score", str(path), "-q", str(QUESTIONNAIRE), "--format", "json", *spec["args"]]
    )
    assert result.exit_code == spec["exit"], result.output
    results = json.loads(result.stdout[result.stdout.index("{") :])
    people = spec["respondents"]
    assert results["respondents"] == len(people)
    by_item = {item["id"]: item for item in results["items"]}
    for item in ITEMS:  # per item: every value counted where it was given
        given = [p["values"].get(item, "") for p in people]
        numbers = Counter(str(v) for v in given if isinstance(v, int))
        got = by_item[item]
        assert got["n"] == sum(numbers.values()), item
        assert got["na"] == given.count("na"), item
        assert got["unknown"] == given.count("unknown"), item
        assert got["missing"] == given.count(""), item
        assert {k: v for k, v in got["distribution"].items() if v} == dict(numbers), item
    dates = [p["assessed_on"] for p in people if p["assessed_on"]]
    assert results.get("assessed_on") == (max(dates) if dates else None)
    # per respondent, row by row
    responses = _responses(path, spec["args"])
    assert sorted(responses) == [p["row"] for p in people]
    for person in people:
        response = responses[person["row"]]
        assert response.values == person["values"], person["row"]
        assert response.respondent.get("id") == person["id"]
        assert response.respondent.get("role") == person["role"]
        assert response.respondent.get("team") == person.get("team")
        assert response.assessed_on == person["assessed_on"]


def test_google_forms_to_results_grouped_by_role(tmp_path: Path, runner: CliRunner) -> None:
    """The walkthrough in docs/platforms/google-forms.md: no option at all is needed for a
    "What is your role?" question; the warning says which column gave the role."""
    path = EXPORTS / "google-forms" / "Staff survey (Responses) - Form responses 1.csv"
    out = tmp_path / "results.json"
    result = runner.invoke(
        app,
        ["score", str(path), "-q", str(QUESTIONNAIRE), "--group-by", "role", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "columns: role \u2190 'What is your role?', assessed_on \u2190 'Timestamp'" in (
        result.output
    )
    groups = json.loads(out.read_text())["groups"]["groups"]
    assert sorted(g["value"] for g in groups) == ["Frontline", "Leadership", "Manager"]


def test_cp1252_without_encoding_is_refused_with_the_option_to_use(runner: CliRunner) -> None:
    path = EXPORTS / "excel-cp1252" / "survey.csv"
    result = runner.invoke(
        app, ["score", str(path), "-q", str(QUESTIONNAIRE)], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 1
    assert (  # the header holds the first curly apostrophe
        f"{path}: row 1: not valid UTF-8 text (byte 0x92); if the file was saved by Excel on "
        "Windows, add --encoding cp1252 (or save it as CSV UTF-8)"
    ) in result.output


def test_numeric_recodes_without_label_are_refused_saying_to_map_them(
    runner: CliRunner,
) -> None:
    path = EXPORTS / "qualtrics" / "numeric" / "export.csv"
    result = runner.invoke(app, ["score", str(path), "-q", str(QUESTIONNAIRE)])
    assert result.exit_code == 1
    assert "row 4, column 'Q1_3': 98 is not on the scale" in result.output
    assert "--label TEXT=VALUE" in result.output
