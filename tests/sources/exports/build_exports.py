"""Writes the platform export fixtures beside this file, laid out as each platform writes
them (header rows, metadata rows, quoting, BOM, line endings, date formats), with each one's
``expected.json``: the answers every respondent gave, item by item.

Run ``python tests/sources/exports/build_exports.py`` to write them again; the Microsoft
Forms workbook is written by the test itself (:func:`write_msforms`), with openpyxl.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ITEMS = {
    "intake.first-contact": "The first contact is calm and unhurried.",
    "intake.choice": "People are offered choices about how they\u2019re assessed.",
    "supervision.regular": "Supervision happens regularly.",
    "supervision.sts": "Supervisors are trained in secondary traumatic stress.",
    "crisis.debrief": "Staff can debrief after a crisis.",
}
LABELS = {0: "Not in place", 1: "Aware", 2: "Sensitive", 3: "Responsive", 4: "Embedded"}
# (id, role, when, answers): "" is unanswered
PEOPLE: list[tuple[str, str, dt.datetime, dict[str, Any]]] = [
    (
        "R_1",
        "Frontline",
        dt.datetime(2024, 3, 5, 10, 11, 12),
        {
            "intake.first-contact": 3,
            "intake.choice": 2,
            "supervision.regular": "unknown",
            "supervision.sts": 1,
            "crisis.debrief": 4,
        },
    ),
    (
        "R_2",
        "Manager",
        dt.datetime(2024, 3, 6, 14, 0, 5),
        {
            "intake.first-contact": 0,
            "intake.choice": "na",
            "supervision.regular": 3,
            "supervision.sts": 2,
            "crisis.debrief": "",
        },
    ),
    (
        "R_3",
        "Frontline",
        dt.datetime(2024, 3, 13, 9, 30, 0),
        {
            "intake.first-contact": 4,
            "intake.choice": 4,
            "supervision.regular": 2,
            "supervision.sts": "unknown",
            "crisis.debrief": 1,
        },
    ),
    (
        "R_4",
        "Leadership",
        dt.datetime(2024, 3, 14, 16, 45, 59),
        {
            "intake.first-contact": 2,
            "intake.choice": 3,
            "supervision.regular": 4,
            "supervision.sts": 3,
            "crisis.debrief": 2,
        },
    ),
]


def _csv(rows: list[list[str]], delimiter: str = ",", quote_all: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=delimiter,
        lineterminator="\r\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows(rows)
    return out.getvalue()


def numeric(value: Any, unknown: str = "98", na: str = "99") -> str:
    return {"unknown": unknown, "na": na, "": ""}.get(value, str(value)) if isinstance(
        value, str
    ) else str(value)


def label(value: Any, unknown: str = "Don't know", na: str = "Not applicable") -> str:
    if value == "unknown":
        return unknown
    if value == "na":
        return na
    return "" if value == "" else LABELS[value]


def expected(
    _folder: str,
    _file: str,
    args: list[str],
    *,
    ids: bool = True,
    dates: bool = True,
    roles: bool = True,
    exit_code: int = 0,
    problems: list[str] | None = None,
    first_row: int = 2,
    people: list[tuple[str, str, dt.datetime, dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    chosen = PEOPLE if people is None else people
    return {
        "file": "",
        "args": args,
        "exit": exit_code,
        "problems": problems or [],
        "respondents": [
            {
                "row": first_row + n,
                "id": rid if ids else None,
                "role": role if roles else None,
                "assessed_on": when.date().isoformat() if dates else None,
                "values": {k: v for k, v in answers.items() if v != ""},
            }
            for n, (rid, role, when, answers) in enumerate(chosen)
        ],
    }


def _write(folder: str, file: str, data: bytes, spec: dict[str, Any]) -> None:
    root = HERE / folder
    root.mkdir(parents=True, exist_ok=True)
    spec["file"] = file
    (root / file).write_bytes(data)
    (root / "expected.json").write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")


def qualtrics() -> None:
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)"]
    meta += ["Finished", "RecordedDate", "ResponseId", "DistributionChannel", "UserLanguage"]
    names = ["Start Date", "End Date", "Response Type", "IP Address", "Progress"]
    names += ["Duration (in seconds)", "Finished", "Recorded Date", "Response ID"]
    names += ["Distribution Channel", "User Language"]
    imports = ["startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished"]
    imports += ["recordedDate", "_recordId", "distributionChannel", "userLanguage"]
    for variant in ("numeric", "choice-text"):
        codes = [f"Q1_{n}" for n in range(1, 6)] + ["Q2"]
        texts = [f"How true is each of these today? - {text}" for text in ITEMS.values()]
        texts.append("What is your role?")
        rows = [meta + codes, names + texts]
        rows.append(
            [json.dumps({"ImportId": i}, separators=(",", ":")) for i in imports]
            + [json.dumps({"ImportId": f"QID1_{n}"}) for n in range(1, 6)]
            + [json.dumps({"ImportId": "QID2"})]
        )
        for rid, role, when, answers in PEOPLE:
            stamp = when.strftime("%Y-%m-%d %H:%M:%S")
            row = [stamp, stamp, "0", "203.0.113.9", "100", "312", "1", stamp, rid]
            row += ["anonymous", "EN"]
            if variant == "numeric":  # the recode values: 0-4, 98 don't know, 99 n/a
                row += [numeric(answers[i]) for i in ITEMS]
            else:
                row += [label(answers[i]) for i in ITEMS]
            row.append(role)
            rows.append(row)
        args = ["--label", "98=unknown", "--label", "99=na"] if variant == "numeric" else []
        data = b"\xef\xbb\xbf" + _csv(rows).encode("utf-8")
        spec = expected("", "export.csv", args, first_row=4)
        _write(f"qualtrics/{variant}", "export.csv", data, spec)


def surveymonkey() -> None:
    own = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
    own += ["Email Address", "First Name", "Last Name", "Custom Data 1"]
    blank = [""] * len(own)

    def stamp(when: dt.datetime) -> str:
        return when.strftime("%m/%d/%Y %I:%M:%S %p")

    def own_cells(n: int, rid: str, when: dt.datetime) -> list[str]:
        return [f"11{n}4{n}", "4032", stamp(when), stamp(when), "198.51.100.7", "", "", "", ""]

    # condensed: one column per question ("Response") or per matrix row (the statement)
    items = list(ITEMS)
    header = [*own, ITEMS[items[0]], "How true is each of these today?", "", "", ""]
    header.append("What is your role?")
    second = [*blank, "Response", *(ITEMS[i] for i in items[1:]), "Response"]
    rows = [header, second]
    for n, (rid, role, when, answers) in enumerate(PEOPLE):
        rows.append(own_cells(n, rid, when) + [label(answers[i]) for i in items] + [role])
    _write("surveymonkey/condensed", "export.csv", _csv(rows).encode("utf-8"), _monkey())
    # expanded: one column per answer option, the option's text in row 2 and in the cell
    options = [LABELS[v] for v in range(5)] + ["Don't know", "Not applicable"]
    header = list(own)
    second = list(blank)
    for item in items:
        header += [ITEMS[item]] + [""] * (len(options) - 1)
        second += options
    header.append("What is your role?")
    second.append("Response")
    rows = [header, second]
    for n, (rid, role, when, answers) in enumerate(PEOPLE):
        row = own_cells(n, rid, when)
        for item in items:
            chosen = label(answers[item])
            row += [option if option == chosen else "" for option in options]
        rows.append([*row, role])
    _write("surveymonkey/expanded", "export.csv", _csv(rows).encode("utf-8"), _monkey())
    # matrix only: no "Response" cell anywhere in row 2, only the matrix's statements
    header = own + ["How true is each of these today?"] + [""] * (len(items) - 1)
    second = blank + [ITEMS[i] for i in items]
    rows = [header, second]
    for n, (rid, _role, when, answers) in enumerate(PEOPLE):
        rows.append(own_cells(n, rid, when) + [label(answers[i]) for i in items])
    _write(
        "surveymonkey/matrix-only", "export.csv", _csv(rows).encode("utf-8"), _monkey(roles=False)
    )


def _monkey(roles: bool = True) -> dict[str, Any]:
    spec = expected("", "", [], roles=roles, first_row=3)
    for n, person in enumerate(spec["respondents"]):
        person["id"] = f"11{n}4{n}"
    return spec


def google() -> None:
    items = list(ITEMS)
    header = ["Timestamp", "Email Address", "What is your role?"]
    header += [f"{n}. {ITEMS[item]}" for n, item in enumerate(items, start=1)]
    header.append("Anything else you\u2019d like to tell us?")
    rows = [header]
    comments = ["", 'She said "we\u2019re getting there", and meant it', "", "Line one\nline two"]
    for n, (_rid, role, when, answers) in enumerate(PEOPLE):
        stamp = when.strftime("%Y/%m/%d %-I:%M:%S %p") + " GMT"
        cells = [
            label(answers[i], unknown="Not sure", na="Not applicable") for i in items
        ]
        rows.append([stamp, f"person{n}@example.org", role, *cells, comments[n]])
    text = _csv(rows)
    _write(
        "google-forms",
        "Staff survey (Responses) - Form responses 1.csv",
        text.encode("utf-8"),
        expected("", "", [], ids=False),
    )


def limesurvey() -> None:
    items = list(ITEMS)
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
    header += [f"How true is each of these today? [{ITEMS[i]}]" for i in items]
    header.append("What is your role?")
    rows = [header]
    for n, (_rid, role, when, answers) in enumerate(PEOPLE, start=1):
        stamp = when.strftime("%Y-%m-%d %H:%M:%S")
        cells = [label(answers[i], unknown="I don't know", na="N/A") for i in items]
        rows.append([str(n), stamp, "2", "en", "123456789", stamp, stamp, *cells, role])
    spec = expected("", "", [])
    for n, person in enumerate(spec["respondents"], start=1):
        person["id"] = str(n)
    _write("limesurvey", "results-survey123456.csv", _csv(rows, quote_all=True).encode(), spec)


def redcap() -> None:
    items = list(ITEMS)
    header = ["Record ID", "Survey Identifier", "Survey Timestamp", "What is your role?"]
    header += [*ITEMS.values(), "Complete?"]
    rows = [header]
    for n, (_rid, role, when, answers) in enumerate(PEOPLE, start=1):
        cells = [label(answers[i], unknown="Unsure", na="Not applicable") for i in items]
        stamp = when.strftime("%Y-%m-%d %H:%M:%S")
        rows.append([str(n), "", stamp, role, *cells, "Complete"])
    spec = expected("", "", [])
    for n, person in enumerate(spec["respondents"], start=1):
        person["id"] = str(n)
    _write("redcap", "StaffSurvey_DATA_LABELS_2024-03-20_1200.csv", _csv(rows).encode(), spec)


def kobo() -> None:
    items = list(ITEMS)
    header = ["start", "end", "today", "group_role/role"]
    header += [f"group_practice/{i}" for i in items]
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_index"]
    rows = [header]
    for n, (_rid, role, when, answers) in enumerate(PEOPLE, start=1):
        iso = when.strftime("%Y-%m-%dT%H:%M:%S.000+01:00")
        cells = [numeric(answers[i], unknown="unknown", na="na") for i in items]
        uuid = f"5f1c2a3b-0000-4000-8000-00000000000{n}"
        rows.append([iso, iso, when.date().isoformat(), role.lower(), *cells])
        rows[-1] += [str(1000 + n), uuid, when.strftime("%Y-%m-%dT%H:%M:%S"), "", str(n)]
    spec = expected("", "", [])
    for n, person in enumerate(spec["respondents"], start=1):
        person["id"] = str(1000 + n)  # _id comes first: the first id column wins
        person["role"] = person["role"].lower()
    name = "staff_survey_-_all_versions_-_labels_-_2024-03-20.csv"
    _write("kobo", name, _csv(rows, ";").encode(), spec)


def excel() -> None:
    items = list(ITEMS)
    header = ["respondent_id", "role", "assessed_on", *(ITEMS[i] for i in items)]
    rows = [header]
    for rid, role, when, answers in PEOPLE:
        cells = [label(answers[i], unknown="Don\u2019t know", na="N/A") for i in items]
        rows.append([rid, role, when.date().isoformat(), *cells])
    legacy = _csv(rows).encode("cp1252")
    _write("excel-cp1252", "survey.csv", legacy, expected("", "", ["--encoding", "cp1252"]))
    unicode_text = "\ufeff" + _csv(rows, "\t")
    _write(
        "excel-unicode-text",
        "survey.txt",
        unicode_text.encode("utf-16-le"),
        expected("", "", []),
    )


if __name__ == "__main__":
    qualtrics()
    surveymonkey()
    google()
    limesurvey()
    redcap()
    kobo()
    excel()
