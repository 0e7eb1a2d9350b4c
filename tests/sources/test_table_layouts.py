"""Every answer layout (YAML, JSON, CSV wide/long, survey platforms, xlsx) scores identically."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tra_assess.scoring.batch import score_inputs

# (id, role, answers as typed in a spreadsheet) for the mini questionnaire
PEOPLE: list[tuple[str, str, dict[str, str]]] = [
    (
        "r1",
        "lead",
        {
            "alpha.one": "3",
            "alpha.two": "2",
            "alpha.three": "4",
            "beta.one": "na",
            "beta.two": "1",
            "gamma.one": "unknown",
            "gamma.two": "2",
        },
    ),
    (
        "r2",
        "staff",
        {
            "alpha.one": "1",
            "alpha.two": "1",
            "beta.one": "2",
            "beta.two": "3",
            "gamma.one": "0",
            "gamma.two": "4",
        },
    ),
    (
        "r3",
        "staff",
        {
            "alpha.one": "4",
            "alpha.two": "3",
            "alpha.three": "2",
            "beta.two": "2",
            "gamma.two": "unknown",
        },
    ),
    (
        "r4",
        "lead",
        {
            "alpha.one": "2",
            "alpha.two": "2",
            "alpha.three": "3",
            "beta.one": "4",
            "beta.two": "4",
            "gamma.one": "3",
            "gamma.two": "3",
        },
    ),
]
ITEMS = ["alpha.one", "alpha.two", "alpha.three", "beta.one", "beta.two", "gamma.one", "gamma.two"]
TEXTS = {i: f"{i.split('.')[0].title()} {i.split('.')[1]} happens." for i in ITEMS}
LABELS = {"0": "None", "1": "Some", "2": "Half", "3": "Most", "4": "All"}


def _typed(cell: str) -> Any:
    return int(cell) if cell.isdigit() else cell


def _doc(rid: str, role: str, answers: dict[str, str]) -> dict[str, Any]:
    return {
        "format": "tra-answers/1",
        "questionnaire": {"id": "mini", "version": "2.0"},
        "respondent": {"id": rid, "role": role},
        "answers": {k: _typed(v) for k, v in answers.items()},
    }


def _csv(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def _wide_rows(headers: list[str], cell=lambda item, v: v) -> list[list[str]]:  # type: ignore[no-untyped-def]
    rows = [["respondent_id", "Role", *headers]]
    for rid, role, answers in PEOPLE:
        rows.append([rid, role, *(cell(i, answers.get(i, "")) for i in ITEMS)])
    return rows


def write_layout(kind: str, root: Path) -> Path:
    """The PEOPLE data in one layout; returns the input path."""
    root.mkdir(parents=True, exist_ok=True)
    if kind in ("yaml", "json"):
        for rid, role, answers in PEOPLE:
            doc = _doc(rid, role, answers)
            text = yaml.safe_dump(doc) if kind == "yaml" else json.dumps(doc)
            (root / f"{rid}.{kind}").write_text(text, encoding="utf-8")
        return root
    path = root / ("answers.xlsx" if kind == "xlsx" else "answers.csv")
    if kind == "wide":
        text = _csv(_wide_rows(ITEMS))
    elif kind == "wide-text":  # "id: text", "[id] text", item text, "3 - Label" and labels
        headers = [
            f"{ITEMS[0]}: {TEXTS[ITEMS[0]]}",
            f"[{ITEMS[1]}] {TEXTS[ITEMS[1]]}",
            *(TEXTS[i].upper() for i in ITEMS[2:]),
        ]
        text = _csv(_wide_rows(headers, lambda i, v: f"{v} - {LABELS[v]}" if v in LABELS else v))
    elif kind == "semicolon-bom-crlf":
        rows = _wide_rows([f"{i}) {TEXTS[i]}" for i in ITEMS], lambda i, v: LABELS.get(v, v))
        rows = [[*row, 'a\r\nmulti-line; "quoted" cell'] for row in rows]
        text = "\ufeff" + _csv(rows, ";", "\r\n")
    elif kind == "long":
        rows = [["Respondent_ID", "role", "item", "value", "note"]]
        for rid, role, answers in PEOPLE:
            rows += [[rid, role, i, v, ""] for i, v in answers.items()]
        text = _csv(rows)
    elif kind == "qualtrics":
        rows = _wide_rows([f"Q{n}" for n in range(len(ITEMS))])
        rows[0] = ["ResponseId", "role", *rows[0][2:]]
        rows.insert(1, ["Response ID", "Role", *(TEXTS[i] for i in ITEMS)])
        rows.insert(
            2,
            [
                '{"ImportId":"_recordId"}',
                '{"ImportId":"role"}',
                *(f'{{"ImportId":"QID{n}"}}' for n in range(len(ITEMS))),
            ],
        )
        text = _csv(rows)
    elif kind == "surveymonkey":
        rows = _wide_rows([TEXTS[ITEMS[0]], "Please rate these", *([""] * (len(ITEMS) - 2))])
        rows[0][0] = "Respondent ID"
        rows.insert(1, ["", "", "Response", *(TEXTS[i] for i in ITEMS[1:])])
        text = _csv(rows)
    elif kind == "google":
        rows = _wide_rows([f"Rate this [{TEXTS[i]}]" for i in ITEMS])
        stamp = ["2024/03/05 10:11:12 AM GMT", "someone@example.org"]
        rows = [
            ["Timestamp", "Email Address", *r] if n == 0 else [*stamp, *r]
            for n, r in enumerate(rows)
        ]
        text = _csv(rows)
    elif kind == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in _wide_rows([f"{i}: {TEXTS[i]}" for i in ITEMS]):
            sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
        workbook.save(path)
        return path
    else:
        raise AssertionError(kind)
    path.write_bytes(text.encode("utf-8"))
    return path


LAYOUTS = [
    "json",
    "wide",
    "wide-text",
    "semicolon-bom-crlf",
    "long",
    "qualtrics",
    "surveymonkey",
    "google",
    "xlsx",
]


def _comparable(results: Any) -> dict[str, Any]:
    # the assessment date comes from the Google Forms timestamp (asserted on its own)
    return results.model_dump(exclude={"generated_at", "inputs", "assessed_on"})  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def yaml_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = write_layout("yaml", tmp_path_factory.mktemp("yaml"))
    mini = Path(__file__).parents[1] / "data" / "mini.yaml"
    outcome = score_inputs([root], questionnaire=mini, group_by="role", min_group_size=1,
                           allow_small_groups=True)
    assert outcome.problems == []
    assert outcome.results.respondents == 4
    return _comparable(outcome.results)


@pytest.mark.parametrize("kind", LAYOUTS)
def test_every_layout_scores_identically(
    kind: str, tmp_path: Path, mini_path: Path, yaml_results: dict[str, Any]
) -> None:
    path = write_layout(kind, tmp_path / kind)
    outcome = score_inputs([path], questionnaire=mini_path, group_by="role", min_group_size=1,
                           allow_small_groups=True)
    assert outcome.problems == []
    assert outcome.results.inputs.rejected == []
    assert _comparable(outcome.results) == yaml_results


def test_ignored_columns_are_listed_once(tmp_path: Path, mini_path: Path) -> None:
    path = write_layout("google", tmp_path)
    outcome = score_inputs([path], questionnaire=mini_path)
    ignored = [w for w in outcome.warnings if ": ignored " in w]
    assert ignored == [f"{path}: ignored 1 column(s) that match no item: 'Email Address'"]
    assert f"{path}: columns: assessed_on \u2190 'Timestamp'" in outcome.warnings
    assert outcome.results.assessed_on == "2024-03-05"
