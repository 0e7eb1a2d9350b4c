"""Blank answer sheets: the CSV header row for survey platforms, a YAML answers file."""

from __future__ import annotations

import csv
import io
import json

from tra_assess.common.textsafe import csv_cell, one_line
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.answers import ANSWERS_FORMAT

METADATA_COLUMNS = ("respondent_id", "organization", "role", "team", "site", "assessed_on")


def csv_header(q: Questionnaire, role: str | None = None) -> list[str]:
    """Column names: metadata, then ``<item id>: <item text>`` (matched by the item id);
    with ``role``, only the items in that role's audience (SPEC section 3)."""
    items = [item for item in q.items if role is None or item.in_audience(role)]
    return [*METADATA_COLUMNS, *(f"{item.id}: {one_line(item.text)}" for item in items)]


def csv_template(q: Questionnaire, role: str | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(cell) for cell in csv_header(q, role)])
    return buffer.getvalue()


def _yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def yaml_template(q: Questionnaire, role: str | None = None) -> str:
    """A ``tra-answers/1`` file with every item unanswered and its text as a comment; with
    ``role``, only that role's items, and the role filled in."""
    scale = ", ".join(f"{p.value} = {one_line(p.label)}" for p in q.scale)
    lines = [
        f"# Answers for {one_line(q.title)} ({q.id} {q.version}).",
        f"# Scale: {scale}; also na (not applicable) or unknown (don't know).",
        "# Leave an answer empty if it was not answered. To add evidence, write",
        '#   item.id: {value: 3, note: "what you saw"}',
        f"format: {ANSWERS_FORMAT}",
        f"questionnaire: {{id: {_yaml_str(q.id)}, version: {_yaml_str(q.version)}}}",
        "organization:",
        "assessed_on:",
        "mode: individual",
        f'respondent: {{id: "", role: {_yaml_str(role or "")}, team: ""}}',
        "answers:",
    ]
    for domain in q.domains:
        items = [item for item in domain.items if role is None or item.in_audience(role)]
        if not items:
            continue
        lines.append(f"  # {one_line(domain.title)}")
        for item in items:
            lines.append(f"  # {one_line(item.text)}")
            lines.append(f"  {item.id}:")
    return "\n".join(lines) + "\n"
