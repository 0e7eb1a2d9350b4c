"""Bad CSV/xlsx cells reject their row (row and column named); the other rows are scored."""

from __future__ import annotations

from pathlib import Path

import pytest

from tra_assess.scoring.batch import score_inputs

EXPECTED = (
    "expected 0-4, a scale label, na or unknown; map other labels and codes with --label TEXT=VALUE"
)


def _score(path: Path, mini_path: Path):  # type: ignore[no-untyped-def]
    return score_inputs([path], questionnaire=mini_path)


def test_bad_cell_rejects_its_row_only(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        'respondent_id,alpha.one,"beta.two: Beta two\nhappens."\n'
        "r1,3,2\n"
        'r2,"multi\nline",9\n'  # record 3 spans two lines
        "r3,,\n"  # metadata but no answers: skipped, with a warning
        ",,\n"  # blank: ignored
        "r4,often,1\n"
    )
    outcome = _score(path, mini_path)
    assert outcome.problems == [
        f"{path}: row 3, column 'alpha.one': 'multi line' is not an answer ({EXPECTED})",
        f"{path}: row 3, column 'beta.two: Beta two happens.': 9 is not on the scale ({EXPECTED})",
        f"{path}: row 6, column 'alpha.one': 'often' is not an answer ({EXPECTED})",
    ]
    assert [r.error for r in outcome.results.inputs.rejected][1] == (
        f"row 6, column 'alpha.one': 'often' is not an answer ({EXPECTED})"
    )
    assert outcome.results.respondents == 1
    assert f"{path}: skipped 1 row(s) with no answers (row 4)" in outcome.warnings


def test_duplicate_respondent_in_one_csv(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent_id,alpha.one\nr1,3\nr2,1\nr1,0\n")
    outcome = _score(path, mini_path)
    assert outcome.problems == [
        f"{path}: row 4: respondent id 'r1' was already used in {path} row 2; "
        "this one is not scored"
    ]
    assert outcome.results.respondents == 2
    assert outcome.results.items[0].score == 2.0  # (3 + 1) / 2: the duplicate is not counted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Timestamp,Email\n1,2\n",
            "{p}: row 1: no column matches an item of mini 2.0 (use item ids, "
            "'id: text' or the item text as headers; see: tra-assess template --format csv)",
        ),
        (
            "alpha.one,Alpha one happens.\n1,2\n",
            "{p}: row 1, column 'Alpha one happens.': answers "
            "item 'alpha.one' again (already column 'alpha.one')",
        ),
        (
            "item,value\nalpha.one,1\n",
            "{p}: row 1: a long table (item, value columns) needs a respondent_id column",
        ),
        ("", "{p}: the file is empty"),
    ],
)
def test_unusable_table_is_one_line(
    tmp_path: Path, mini_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(text)
    outcome = _score(path, mini_path)
    if not text:
        assert outcome.problems == [
            f"{path}: row 1: no header row (expected item ids as column names)"
        ]
        return
    assert outcome.problems == [expected.format(p=path)]


def test_long_layout_bad_row_rejects_the_respondent(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "respondent_id,item,value,note\n"
        "r1,alpha.one,3,seen in May\n"
        "r2,alpha.one,2,\n"
        "r1,alpha.zzz,1,\n"
        "r2,beta.one,Most,\n"
        "r3,alpha.one,2,\n"
        "r3,alpha.one,3,\n"
    )
    outcome = _score(path, mini_path)
    assert outcome.problems == [
        f"{path}: row 4, column 'item': unknown item 'alpha.zzz' (not in mini 2.0)",
        f"{path}: row 7, column 'item': item 'alpha.one' answered twice for this respondent "
        "(also row 6)",
    ]
    assert outcome.results.respondents == 1
    assert outcome.results.notes == []


def test_xlsx_rows_as_excel_shows_them(tmp_path: Path, mini_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ID", "Start time", "Alpha one happens.", "Beta two happens."])
    sheet.append([1, None, "Most", 2.0])
    sheet.append([2, None, "Lots", 1])
    path = tmp_path / "forms.xlsx"
    workbook.save(path)
    outcome = _score(path, mini_path)
    assert outcome.problems == [
        f"{path}: row 3, column 'Alpha one happens.': 'Lots' is not an answer ({EXPECTED})"
    ]
    assert outcome.results.respondents == 1
    fake = tmp_path / "fake.xlsx"
    fake.write_text("a,b\n")
    assert _score(fake, mini_path).problems == [
        f"{fake}: not an Excel workbook (.xlsx); export the survey as .xlsx or .csv"
    ]


def _rezip(src_path: Path, dst_path: Path, change: dict[str, bytes | None]) -> None:
    import zipfile

    with zipfile.ZipFile(src_path) as src, zipfile.ZipFile(dst_path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in change:
                replaced = change[info.filename]
                if replaced is None:
                    continue
                data = replaced
            dst.writestr(info.filename, data)


def test_xlsx_zip_without_workbook_or_damaged_plain_reason(tmp_path: Path, mini_path: Path) -> None:
    import zipfile

    import openpyxl

    not_a_book = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(not_a_book, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert _score(not_a_book, mini_path).problems == [
        f"{not_a_book}: not a readable Excel workbook (.xlsx): the file is a zip archive "
        "without a workbook in it"
    ]
    good = tmp_path / "good.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["alpha.one"])
    workbook.active.append([1])
    workbook.save(good)
    damaged = tmp_path / "damaged.xlsx"
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(good) as archive:
        half = archive.read(sheet)[:-40]
    _rezip(good, damaged, {sheet: half})
    assert _score(damaged, mini_path).problems == [
        f"{damaged}: not a readable Excel workbook (.xlsx): its contents are damaged or not "
        "in the Excel format; save it again from Excel"
    ]
    no_book = tmp_path / "nobook.xlsx"
    _rezip(good, no_book, {"xl/workbook.xml": None})
    assert _score(no_book, mini_path).problems == [
        f"{no_book}: not a readable Excel workbook (.xlsx): the file is a zip archive "
        "without a workbook in it"
    ]


def test_a_header_of_very_many_columns_is_refused_quickly(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "wide.csv"
    extra = 200_000
    path.write_text("respondent_id,alpha.one," + ",".join(["x"] * extra) + "\nr1,3\n")
    outcome = _score(path, mini_path)
    assert outcome.problems == [
        f"{path}: row 1: the header row has {extra + 2:,} columns; a survey export has one per "
        "question and a few more (the limit is 10,000)"
    ]


def test_many_ignored_columns_are_counted_not_all_listed(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "a.csv"
    names = [f"Extra {n}" for n in range(30)]
    path.write_text("respondent_id,alpha.one," + ",".join(names) + "\nr1,3\n")
    outcome = _score(path, mini_path)
    shown = ", ".join(repr(name) for name in names[:20])
    assert f"{path}: ignored 30 column(s) that match no item: {shown}, ... and 10 more" in (
        outcome.warnings
    )


def test_cells_beyond_the_header_are_ignored(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "a.csv"
    rows = [f"r{n},{n % 5},{(n * 3) % 5}," + ",".join(["junk"] * 5_000) for n in range(40)]
    path.write_text("respondent_id,alpha.one,beta.two\n" + "\n".join(rows) + "\n")
    plain = tmp_path / "b.csv"
    plain.write_text(
        "respondent_id,alpha.one,beta.two\n"
        + "\n".join(f"r{n},{n % 5},{(n * 3) % 5}" for n in range(40))
        + "\n"
    )
    long_rows, short_rows = _score(path, mini_path), _score(plain, mini_path)
    assert long_rows.problems == [] and long_rows.results.respondents == 40
    assert long_rows.results.model_dump(exclude={"generated_at", "inputs"}) == (
        short_rows.results.model_dump(exclude={"generated_at", "inputs"})
    )


def test_huge_cells_are_shortened_in_messages(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "respondent_id,assessed_on,alpha.one\n"
        f"r1,2026-01-01,{'7' * 10_000}\n"  # far off the scale: shown, not converted
        f"r2,{'z' * 100_000},3\n"
        f'r3,,"{"x" * 1_000_000}"\n'
        "r4,,2\n"
    )
    outcome = _score(path, mini_path)
    assert outcome.results.respondents == 1
    assert outcome.problems == [
        f"{path}: row 2, column 'alpha.one': '{'7' * 57}...' is not on the scale ({EXPECTED})",
        f"{path}: row 3, column 'assessed_on': expected a date (YYYY-MM-DD, or the platform's "
        f"timestamp), not '{'z' * 57}...'",
        f"{path}: row 4, column 'alpha.one': '{'x' * 57}...' is not an answer ({EXPECTED})",
    ]


def test_leading_zeros_do_not_count_as_digits(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent_id,alpha.one\nr1,0000000000003\nr2,-0000000000001\n")
    outcome = _score(path, mini_path)
    assert outcome.results.items[0].score == 3.0
    assert outcome.problems == [
        f"{path}: row 3, column 'alpha.one': -1 is not on the scale ({EXPECTED})"
    ]


def test_many_rejections_are_counted_not_all_listed(
    tmp_path: Path, mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tra_assess.scoring import batch
    from tra_assess.scoring import chunk as batch_chunk
    from tra_assess.sources.exports import tables as csvimport

    monkeypatch.setattr(batch_chunk, "MAX_LISTED", 3)
    monkeypatch.setattr(batch, "MAX_LISTED", 3)
    monkeypatch.setattr(csvimport, "MAX_TABLE_ROWS", 25)  # the header and 24 rows
    path = tmp_path / "a.csv"
    rows = [f"r{n},9" for n in range(10)] + ["ok,2"] + ["ok,3"] * 10 + [f"x{n},1" for n in range(9)]
    path.write_text("respondent_id,alpha.one\n" + "\n".join(rows) + "\n")
    outcome = _score(path, mini_path)
    assert outcome.results.respondents == 1 + 3  # 'ok' once, then x0..x2 (row 25 is the last)
    assert [line.split(": ")[1][:7] for line in outcome.problems] == [
        "row 2, ",
        "row 3, ",
        "row 4, ",
        "row 26",
        "... and",
    ]
    assert outcome.problems[-2] == (
        f"{path}: row 26: more than 25 rows (a spreadsheet's limit); the rest of the file is "
        "not read: split the export"
    )
    # 10 bad values and 10 repeated ids: 3 + the cut are listed, 17 more are counted
    assert outcome.problems[-1] == (
        f"{path}: ... and 17 more rejected (only the first 3 of an input are listed)"
    )
    inputs = outcome.results.inputs
    assert (len(inputs.rejected), inputs.rejected_unlisted, outcome.rejected) == (4, 17, 21)


def test_xlsx_rows_past_a_wrong_stated_size_are_read(tmp_path: Path, mini_path: Path) -> None:
    import re
    import zipfile

    import openpyxl

    made = tmp_path / "made.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["respondent_id", "alpha.one"], ["r1", 1], ["r2", 2], ["r3", 3]):
        sheet.append(row)
    book.save(made)
    path = tmp_path / "small-dimension.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', data)
            target.writestr(info, data)
    outcome = _score(path, mini_path)
    assert outcome.problems == []
    assert outcome.results.respondents == 3


def test_a_header_without_rows_is_warned_about(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent_id,alpha.one\n")
    outcome = _score(path, mini_path)
    assert outcome.problems == []
    assert outcome.warnings == [f"{path}: no rows below the header"]


def test_a_workbook_of_too_many_different_texts_is_refused(
    tmp_path: Path, mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    from tra_assess.sources.exports import workbook as csvimport

    monkeypatch.setattr(csvimport, "_MAX_SHARED_STRINGS", 5)
    path = tmp_path / "texts.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["respondent_id", "alpha.one"])
    for n in range(8):
        sheet.append([f"person {n}", "Most"])
    book.save(path)
    import zipfile

    strings = "".join(f"<si><t>text {n}</t></si>" for n in range(8))  # as Excel writes them
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", f"<sst>{strings}</sst>")
    outcome = _score(path, mini_path)
    assert outcome.problems == [
        f"{path}: workbook holds more than 5 different texts; export the survey as .csv"
    ]
    monkeypatch.setattr(csvimport, "_MAX_SHARED_STRINGS", 1000)
    assert _score(path, mini_path).results.respondents == 8


def test_the_first_rejected_rows_are_listed_and_reports_count_all(
    tmp_path: Path, mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Repeated ids (found after the rows are read) come before later bad values."""
    from tra_assess.reports.render import render_report
    from tra_assess.scoring import batch
    from tra_assess.scoring import chunk as batch_chunk

    monkeypatch.setattr(batch_chunk, "MAX_LISTED", 3)
    monkeypatch.setattr(batch, "MAX_LISTED", 3)
    path = tmp_path / "a.csv"
    rows = ["r0,2", "r1,3"] + ["r0,1"] * 5 + [f"x{n},9" for n in range(5)]
    path.write_text("respondent_id,alpha.one\n" + "\n".join(rows) + "\n")
    outcome = _score(path, mini_path)
    assert [line.split(": ")[1].split(",")[0] for line in outcome.problems[:3]] == [
        "row 4",
        "row 5",
        "row 6",
    ]
    assert "respondent id 'r0' was already used" in outcome.problems[0]
    assert outcome.results.inputs.rejected_unlisted == 7
    text = render_report(outcome.results, fmt="md")
    assert "- **Rejected inputs (10), not scored:**" in text
    assert "... and 7 more, counted but not listed" in text


def test_rows_written_with_another_delimiter_here_and_there_are_each_rejected(
    tmp_path: Path, mini_path: Path
) -> None:
    """Only broken rows *in a row* mean the file cannot be resynchronised: twelve rows written
    with semicolons, each between good rows, reject those twelve rows and nothing else."""
    path = tmp_path / "a.csv"
    lines = ["respondent_id,alpha.one,beta.one"]
    for n in range(24):
        lines.append(f"r{n};2;3" if n % 2 else f"r{n},2,3")
    path.write_text("\n".join(lines) + "\n")
    outcome = _score(path, mini_path)
    assert outcome.results.respondents == 12
    assert outcome.rejected == 12
    assert all("written with ';' between its cells" in line for line in outcome.problems)
