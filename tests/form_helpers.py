"""Filling in an xlsx answer form as a person would: choosing entries from the drop-downs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

ROLES_YAML = """format: tra-questionnaire/1
id: routed
version: "1.0"
title: Routed test questionnaire
description: Items for different roles.
scale:
  - {value: 0, label: Not in place}
  - {value: 1, label: Aware}
  - {value: 2, label: Developing}
  - {value: 3, label: Responsive}
levels:
  - {id: low, label: Low, min_score: 0}
  - {id: high, label: High, min_score: 2}
roles: [staff, people-served]
domains:
  - id: care
    title: Care
    description: How care is given.
    items:
      - id: care.welcome
        text: People are welcomed by name.
        help: Ask reception staff how they greet people.
        anchors: {0: Nobody greets, 1: Sometimes, 2: Most days, 3: Always}
      - id: care.plan
        text: Staff review crisis plans each month.
        help: Look at the plan review log.
        audience: [staff]
  - id: voice
    title: Voice
    items:
      - id: voice.say
        text: You can say what you think about the service.
        audience: [people-served]
      - id: voice.staff-only
        text: Staff meetings discuss feedback from people served.
        audience: [staff]
"""


def item_rows(workbook: Any) -> dict[str, int]:
    """Each item id's row on the Answers sheet, as a person sees it (column A)."""
    sheet = workbook["Answers"]
    rows = {}
    for row in range(1, sheet.max_row + 1):
        value = sheet[f"A{row}"].value
        if isinstance(value, str) and "." in value and sheet[f"B{row}"].value:
            rows[value] = row
    return rows


def header_column(sheet: Worksheet, header: str) -> str:
    for cell in sheet[3]:
        if isinstance(cell.value, str) and cell.value.startswith(header):
            return str(cell.column_letter)
    raise AssertionError(f"no column {header!r}")


def dropdown(workbook: Any, sheet: Worksheet, address: str) -> list[str]:
    """The entries of the list validation that covers a cell (as Excel offers them)."""
    for check in sheet.data_validations.dataValidation:
        if address in check.sqref:
            assert check.type == "list"
            assert check.showErrorMessage and check.errorStyle in (None, "stop")
            ref = check.formula1
            sheet_name, cells = ref.rsplit("!", 1)
            source = workbook[sheet_name.strip("'")]
            first, last = cells.replace("$", "").split(":")
            return [str(c.value) for (c,) in source[f"{first}:{last}"]]
    raise AssertionError(f"no drop-down on {address}")


def fill(
    path: Path,
    answers: dict[str, int | str],
    *,
    notes: dict[str, str] | None = None,
    cover: dict[str, object] | None = None,
    out: Path | None = None,
) -> Path:
    """Fill a form: an int answer picks the drop-down entry at that index (0 = first scale
    value), a text is typed as is (past the validation, as a paste would)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Answers"]
    rows = item_rows(workbook)
    answer = header_column(sheet, "Your answer")
    note = header_column(sheet, "Note")
    for item_id, choice in answers.items():
        address = f"{answer}{rows[item_id]}"
        if isinstance(choice, int):
            sheet[address] = dropdown(workbook, sheet, address)[choice]
        else:
            sheet[address] = choice
    for item_id, text in (notes or {}).items():
        sheet[f"{note}{rows[item_id]}"] = text
    about = workbook["About this form"]
    labels = {"role": "Your role", "team": "Team", "site": "Site", "date": "Date"}
    for name, value in (cover or {}).items():
        for row in range(1, about.max_row + 1):
            if str(about[f"A{row}"].value or "").startswith(labels[name]):
                about[f"B{row}"] = value
                break
        else:
            raise AssertionError(f"no cover field {name}")
    target = out or path
    workbook.save(target)
    return target
