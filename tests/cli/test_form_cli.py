"""``tra-assess form`` and scoring filled-in forms, at the level the user works: write a form,
fill it in as a person would, score a folder of forms with other inputs beside them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from form_helpers import ROLES_YAML, fill, item_rows
from tra_assess.cli.app import app

YAML_ANSWERS = """format: tra-answers/1
questionnaire: {id: mini, version: "2.0"}
respondent: {id: y1, role: lead}
answers:
  alpha.one: 4
  alpha.two: 2
  beta.one: 2
"""
CSV_ANSWERS = "respondent_id,role,alpha.one,alpha.two,beta.one\r\nc1,staff,3,1,na\r\n"


def _dist(counts: dict[int, int]) -> dict[str, int]:
    """A distribution over mini's scale 0-4 from the counts of the values given."""
    return {str(v): counts.get(v, 0) for v in range(5)}


def _form(runner: CliRunner, mini_path: Path, out: Path, *extra: str) -> Path:
    result = runner.invoke(
        app, ["form", "-q", str(mini_path), "--format", "xlsx", "--out", str(out), *extra]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {out}\n"
    return out


def _score(
    runner: CliRunner, folder: Path, q: Path, *extra: str
) -> tuple[Any, dict[str, Any], str]:
    out = folder.parent / "results.json"
    result = runner.invoke(app, ["score", str(folder), "-q", str(q), "--out", str(out), *extra])
    document = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    items = {item["id"]: item for item in document.get("items", [])}
    return result, {"doc": document, "items": items}, result.stderr


@pytest.fixture
def folder(tmp_path: Path, runner: CliRunner, mini_path: Path) -> Path:
    """A collection: one filled-in form, a YAML answers file and a CSV export."""
    root = tmp_path / "collected"
    root.mkdir()
    blank = _form(runner, mini_path, tmp_path / "blank.xlsx")
    fill(
        blank,
        {"alpha.one": 3, "alpha.two": 0, "beta.one": 5, "gamma.one": 6},
        notes={"alpha.one": "Saw it at the team meeting"},
        cover={"role": "staff", "team": "Intake", "site": "North", "date": "2026-11-20"},
        out=root / "a-form.xlsx",
    )
    (root / "b.yaml").write_text(YAML_ANSWERS, encoding="utf-8")
    (root / "c.csv").write_text(CSV_ANSWERS, encoding="utf-8")
    return root


def test_forms_are_scored_with_the_rest_of_a_folder(
    runner: CliRunner, folder: Path, mini_path: Path
) -> None:
    result, scored, stderr = _score(runner, folder, mini_path)
    assert result.exit_code == 0, result.output
    assert "error" not in stderr
    items, doc = scored["items"], scored["doc"]
    assert doc["respondents"] == 3
    assert doc["inputs"]["files"] == 3 and doc["inputs"]["rejected"] == []
    # the form's answers, item by item, beside the YAML (4, 2, 2) and the CSV (3, 1, na)
    assert (items["alpha.one"]["n"], items["alpha.one"]["distribution"]) == (3, _dist({3: 2, 4: 1}))
    assert items["alpha.one"]["score"] == pytest.approx(10 / 3)
    assert (items["alpha.two"]["n"], items["alpha.two"]["distribution"]) == (
        3,
        _dist({0: 1, 1: 1, 2: 1}),
    )
    assert (items["beta.one"]["n"], items["beta.one"]["na"]) == (1, 2)
    assert (items["gamma.one"]["n"], items["gamma.one"]["unknown"]) == (0, 1)
    assert items["gamma.two"]["missing"] == 3


def test_the_cover_fields_group_the_forms(
    runner: CliRunner, folder: Path, mini_path: Path, tmp_path: Path
) -> None:
    forms = tmp_path / "forms"
    forms.mkdir()
    for n in range(3):  # mini's smallest group is 3
        shutil.copy(folder / "a-form.xlsx", forms / f"form-{n}.xlsx")
    out = tmp_path / "grouped.json"
    result = runner.invoke(
        app,
        ["score", str(forms), "-q", str(mini_path), "--out", str(out), "--group-by", "team"],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [(g["value"], g["n"]) for g in doc["groups"]["groups"]] == [("Intake", 3)]
    assert doc["assessed_on"] == "2026-11-20"


def test_a_tampered_form_is_named_by_cell_and_the_rest_is_still_scored(
    runner: CliRunner, folder: Path, mini_path: Path
) -> None:
    path = folder / "a-form.xlsx"
    workbook = openpyxl.load_workbook(path)
    row = item_rows(workbook)["alpha.two"]
    workbook["Answers"][f"I{row}"] = "5 – Always"  # forced past the validation
    workbook.save(path)
    result, scored, stderr = _score(runner, folder, mini_path, "--jobs", "2")  # in workers
    assert result.exit_code == 1, result.output
    shown = str(path)
    assert stderr.splitlines()[0] == (
        f"{shown}: sheet 'Answers', cell I{row}: '5 – Always' is not one of the drop-down's "
        "answers; choose one from the list"
    )
    doc = scored["doc"]
    assert doc["respondents"] == 2  # the YAML file and the CSV row
    assert [r["path"] for r in doc["inputs"]["rejected"]] == [shown]
    assert scored["items"]["alpha.one"]["distribution"] == _dist({3: 1, 4: 1})


def test_a_form_with_a_deleted_row_is_refused(
    runner: CliRunner, folder: Path, mini_path: Path
) -> None:
    path = folder / "a-form.xlsx"
    workbook = openpyxl.load_workbook(path)
    workbook["Answers"].delete_rows(item_rows(workbook)["alpha.three"])
    workbook.save(path)
    result, scored, stderr = _score(runner, folder, mini_path)
    assert result.exit_code == 1
    assert "sheet 'Answers', cell A" in stderr.splitlines()[0]
    assert "expected item 'alpha.three'" in stderr
    assert scored["doc"]["respondents"] == 2


def test_a_form_of_another_version_is_refused(
    runner: CliRunner, folder: Path, mini_path: Path, tmp_path: Path
) -> None:
    old = tmp_path / "mini-1.yaml"
    old.write_text(mini_path.read_text().replace('version: "2.0"', 'version: "1.9"'))
    blank = _form(runner, old, tmp_path / "old.xlsx")
    fill(blank, {"alpha.one": 1}, out=folder / "old-form.xlsx")
    result, scored, stderr = _score(runner, folder, mini_path)
    assert result.exit_code == 1
    assert f"{folder / 'old-form.xlsx'}: sheet '_tra_form', cell B3: a form of mini '1.9'" in stderr
    assert scored["doc"]["respondents"] == 3


def test_an_empty_form_has_no_answers(
    runner: CliRunner, folder: Path, mini_path: Path, tmp_path: Path
) -> None:
    blank = _form(runner, mini_path, tmp_path / "empty.xlsx")
    shutil.copy(blank, folder / "z-empty.xlsx")
    result, scored, stderr = _score(runner, folder, mini_path)
    assert result.exit_code == 0, result.output
    assert f"warning: {folder / 'z-empty.xlsx'}: no answers (an empty form); skipped" in stderr
    assert scored["doc"]["respondents"] == 3


def test_forms_alone_name_their_questionnaire(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    (tmp_path / "forms").mkdir()
    blank = _form(runner, mini_path, tmp_path / "blank.xlsx")
    fill(blank, {"alpha.one": 2}, out=tmp_path / "forms" / "one.xlsx")
    result = runner.invoke(app, ["score", str(tmp_path / "forms"), "--format", "json"])
    # mini is not built in: the form names it, and the user is told to pass its file
    assert result.exit_code == 2
    assert "questionnaire 'mini', which is not built in" in result.stderr


def test_role_routing_and_the_default_file_name(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = tmp_path / "routed.yaml"
    q.write_text(ROLES_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["form", "-q", str(q), "--role", "people-served", "-f", "xlsx"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "form-routed-people-served.xlsx"
    assert list(item_rows(openpyxl.load_workbook(written))) == ["care.welcome", "voice.say"]
    again = runner.invoke(app, ["form", "-q", str(q), "--role", "people-served", "-f", "xlsx"])
    assert again.exit_code == 2
    assert "exists; choose another --out (nothing was overwritten)" in again.stderr
    fill(written, {"care.welcome": 1, "voice.say": 3})
    result = runner.invoke(app, ["score", str(written), "-q", str(q), "--format", "json"])
    assert result.exit_code == 0, result.output
    items = {i["id"]: i for i in json.loads(result.stdout)["items"]}
    assert items["voice.say"]["distribution"] == {"0": 0, "1": 0, "2": 0, "3": 1}
    assert items["care.plan"]["missing"] == 1 and items["care.plan"]["n"] == 0


def test_bad_roles_are_usage_errors(runner: CliRunner, mini_path: Path) -> None:
    result = runner.invoke(app, ["form", "-q", str(mini_path), "--role", "boss", "-f", "xlsx"])
    assert result.exit_code == 2
    assert result.stderr == "error: --role 'boss': not a role of mini (roles: lead, staff)\n"


def test_an_existing_file_is_never_replaced(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(b"someone's answers")
    for fmt in ("xlsx", "html"):
        result = runner.invoke(app, ["form", "-q", str(mini_path), "-f", fmt, "--out", str(filled)])
        assert result.exit_code == 2
    assert filled.read_bytes() == b"someone's answers"
    folder = runner.invoke(app, ["form", "-q", str(mini_path), "-f", "xlsx", "-o", str(tmp_path)])
    assert folder.exit_code == 2
    assert (
        folder.stderr
        == f"error: --out {tmp_path} is a folder; give a file name such as form.xlsx\n"
    )


def test_the_html_form_goes_to_stdout(runner: CliRunner, mini_path: Path) -> None:
    result = runner.invoke(app, ["form", "-q", str(mini_path), "-f", "html", "--paper", "letter"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "@page { size: letter;" in result.stdout
    assert "<script" not in result.stdout


def test_the_installed_command_writes_a_form(tmp_path: Path, mini_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "tra_assess", "form", "-q", str(mini_path), "-f", "xlsx",
         "--out", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(out).sheetnames[1] == "Answers"


def test_template_for_a_role_lists_only_that_audience(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tra_assess.cli.app import app
    from tra_assess.questionnaire.load import load_questionnaire

    q = load_questionnaire("tra-core")
    runner = CliRunner()
    every = runner.invoke(app, ["template", "--format", "csv"])
    board = runner.invoke(app, ["template", "--format", "csv", "--role", "board"])
    assert every.exit_code == 0 and board.exit_code == 0, board.output
    expected = [i.id for i in q.items if i.in_audience("board")]
    import csv
    import io

    header = next(csv.reader(io.StringIO(board.stdout)))
    columns = [c.split(":", 1)[0] for c in header if ":" in c]
    assert columns == expected and 0 < len(expected) < len(q.items)
    yaml_board = runner.invoke(app, ["template", "--format", "yaml", "--role", "board"])
    assert 'role: "board"' in yaml_board.stdout
    assert sum(1 for line in yaml_board.stdout.splitlines() if line.endswith(":") and
               line.startswith("  ") and not line.startswith("  #")) == len(expected)
    bad = runner.invoke(app, ["template", "--format", "csv", "--role", "nobody"])
    assert bad.exit_code == 2 and "not a role of tra-core" in bad.output
