"""The streaming ``.xlsx`` reader on workbooks written part by part, as other programs write
them (shared strings, rich text, booleans, formula results, dates in both date systems) and
as damage leaves them (a shared string that is not there, a DOCTYPE, no sheet): the cells read
as Excel shows them, and damage is one plain line, never a traceback."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.scoring.batch import score_inputs
from tra_assess.sources.exports.xlsx import SheetError, SheetRows

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
DAMAGED = (
    "not a readable Excel workbook (.xlsx): its contents are damaged or not in the Excel "
    "format; save it again from Excel"
)
NO_BOOK = (
    "not a readable Excel workbook (.xlsx): the file is a zip archive without a workbook in it"
)

STYLES = f"""<styleSheet xmlns="{MAIN}">
<numFmts count="2">
  <numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>
  <numFmt numFmtId="165" formatCode="0.0&quot; days&quot;"/>
</numFmts>
<cellXfs count="4">
  <xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>
</cellXfs>
</styleSheet>"""


def _sheet(rows: str) -> str:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def _shared(*items: str) -> str:
    body = "".join(f"<si>{item}</si>" for item in items)
    return f'<sst xmlns="{MAIN}" count="{len(items)}">{body}</sst>'


def _book(
    path: Path,
    rows: str,
    *,
    shared: str | None = None,
    styles: str | None = None,
    workbook_pr: str = "",
    parts: dict[str, str | None] | None = None,
) -> Path:
    """A minimal workbook: one sheet, with shared strings and styles if given; ``parts``
    replaces (or with ``None`` removes) any part by name."""
    book_rels = [f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{REL}/worksheet"/>']
    files: dict[str, str | None] = {
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}'
            f'<sheets><sheet name="Answers" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/worksheets/sheet1.xml": _sheet(rows),
    }
    if shared is not None:
        files["xl/sharedStrings.xml"] = shared
        book_rels.append(
            f'<Relationship Id="rId2" Target="/xl/sharedStrings.xml" Type="{REL}/sharedStrings"/>'
        )
    if styles is not None:
        files["xl/styles.xml"] = styles
        book_rels.append(f'<Relationship Id="rId3" Target="styles.xml" Type="{REL}/styles"/>')
    rels = "".join(book_rels)
    files["xl/_rels/workbook.xml.rels"] = f'<Relationships xmlns="{PKG}">{rels}</Relationships>'
    files.update(parts or {})
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            if text is not None:
                archive.writestr(name, text)
    return path


def _rows(path: Path) -> list[list[str]]:
    with zipfile.ZipFile(path) as archive:
        return list(SheetRows(archive))


def test_shared_strings_rich_text_and_phonetic_runs(tmp_path: Path) -> None:
    shared = _shared(
        "<t>alpha.one</t>",
        "<r><t>Be</t></r><r><rPr><b/></rPr><t>ta</t></r>",  # rich text: the runs joined
        "<t>\u6771\u4eac</t><rPh sb=\"0\" eb=\"2\"><t>\u30c8\u30a6\u30ad\u30e7\u30a6</t></rPh>",
        "<t/>",
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
    )
    assert _rows(_book(tmp_path / "s.xlsx", rows, shared=shared)) == [
        ["alpha.one", "Beta"],
        ["\u6771\u4eac"],  # the reading aid is not part of the text; an empty cell is no cell
    ]


def test_booleans_formula_results_errors_inline_and_iso_dates(tmp_path: Path) -> None:
    rows = (
        '<row r="1">'
        '<c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c>'
        '<c r="C1" t="str"><f>A1&amp;"x"</f><v>TRUEx</v></c><c r="D1" t="e"><v>#N/A</v></c>'
        '<c r="E1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>'
        '<c r="F1" t="d"><v>2024-03-01T00:00:00</v></c>'
        '<c r="G1" t="d"><v>2024-03-01T10:30:00</v></c>'
        '<c r="H1"/>'
        "</row>"
    )
    assert _rows(_book(tmp_path / "k.xlsx", rows)) == [
        ["true", "false", "TRUEx", "#N/A", "inline", "2024-03-01", "2024-03-01 10:30:00"]
    ]


def test_numbers_and_dates_by_style(tmp_path: Path) -> None:
    cells = [
        ("0", "3.0"),  # a whole number shows without its .0
        ("0", "2.5"),
        ("0", "n/a"),  # a number cell holding text is kept as it is
        ("1", "45352"),  # built-in date format 14
        ("2", "45352.5"),  # custom dd/mm/yyyy with a time of day
        ("3", "45352"),  # '0.0" days"': the quoted d is not a date part
        ("1", "1e300"),  # a date past any calendar stays the number
        ("x", "45352"),  # a style that is not an index is no date
    ]
    header = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>h{i}</t></is></c>'
                     for i in range(len(cells)))
    values = "".join(f'<c r="{chr(65 + i)}2" s="{s}"><v>{v}</v></c>'
                     for i, (s, v) in enumerate(cells))
    rows = f'<row r="1">{header}</row><row r="2">{values}</row>'
    book = _book(tmp_path / "n.xlsx", rows, styles=STYLES)
    assert _rows(book)[1] == [
        "3", "2.5", "n/a", "2024-03-01", "2024-03-01 12:00:00", "45352", "1e300", "45352"
    ]
    no_styles = _book(tmp_path / "plain.xlsx", rows)  # without a styles part nothing is a date
    assert _rows(no_styles)[1][3:5] == ["45352", "45352.5"]


@pytest.mark.parametrize("flag", ['date1904="1"', 'date1904="true"'])
def test_the_1904_date_system_counts_from_1904(tmp_path: Path, flag: str) -> None:
    rows = '<row r="1"><c r="A1" s="1"><v>43890</v></c></row>'
    book = _book(tmp_path / "mac.xlsx", rows, styles=STYLES, workbook_pr=f"<workbookPr {flag}/>")
    assert _rows(book) == [["2024-03-01"]]


def test_rows_and_cells_without_references_follow_on(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c>'
        '<c r="D1" t="inlineStr"><is><t>d</t></is></c></row>'
        '<row r="4"><c><v>1</v></c><c r="C4"><v>3</v></c><c><v>4</v></c></row>'
        "<row><c><v>5</v></c></row>"  # no number: the row after the last
    )
    assert _rows(_book(tmp_path / "r.xlsx", rows)) == [
        ["a", "b", "", "d"],
        [],  # rows 2 and 3 are left out of the sheet: they come as empty rows
        [],
        ["1", "", "3", "4"],
        ["5"],
    ]


def test_a_shared_string_that_is_not_there_is_damage(tmp_path: Path) -> None:
    for name, value in (("missing", "7"), ("text", "first")):
        book = _book(
            tmp_path / f"{name}.xlsx",
            f'<row r="1"><c r="A1" t="s"><v>{value}</v></c></row>',
            shared=_shared("<t>alpha.one</t>"),
        )
        with pytest.raises(SheetError):
            _rows(book)
        assert score_inputs([book], questionnaire=_mini()).problems == [f"{book}: {DAMAGED}"]


def _mini() -> Path:
    return Path(__file__).parents[1] / "data" / "mini.yaml"


ENTITY = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY big "aaaa">]>'


@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"]
)
def test_a_doctype_in_any_part_is_refused_unexpanded(tmp_path: Path, part: str) -> None:
    texts = {
        "xl/worksheets/sheet1.xml": _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            f'<sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/sharedStrings.xml": _shared("<t>alpha.one</t>"),
        "xl/styles.xml": STYLES,
    }
    book = _book(
        tmp_path / "dtd.xlsx",
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
        shared=_shared("<t>alpha.one</t>"),
        styles=STYLES,
        parts={part: ENTITY + texts[part]},
    )
    with pytest.raises(SheetError, match="doctype"):
        _rows(book)
    assert score_inputs([book], questionnaire=_mini()).problems == [f"{book}: {DAMAGED}"]


def test_a_workbook_whose_sheets_are_not_in_the_archive_has_no_workbook(tmp_path: Path) -> None:
    book = _book(tmp_path / "nosheet.xlsx", "", parts={"xl/worksheets/sheet1.xml": None})
    with pytest.raises(KeyError):
        _rows(book)
    assert score_inputs([book], questionnaire=_mini()).problems == [f"{book}: {NO_BOOK}"]


def test_a_workbook_found_without_package_relationships(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>alpha.one</t></is></c></row>'
    rows += '<row r="2"><c r="A2"><v>3</v></c></row>'
    book = _book(tmp_path / "bare.xlsx", rows, parts={"_rels/.rels": None})
    assert _rows(book) == [["alpha.one"], ["3"]]
    outcome = score_inputs([book], questionnaire=_mini())
    assert outcome.problems == []
    assert outcome.results.respondents == 1


def test_a_workbook_of_shared_strings_is_scored(tmp_path: Path) -> None:
    shared = _shared("<t>alpha.one</t>", "<t>beta.two</t>", "<t>Most</t>", "<t>n/a</t>")
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
        '<row r="3"><c r="A3"><v>1</v></c><c r="B3" t="s"><v>2</v></c></row>'
    )
    book = _book(tmp_path / "ok.xlsx", rows, shared=shared)
    outcome = score_inputs([book], questionnaire=_mini())
    assert outcome.problems == []
    assert outcome.results.respondents == 2
    items = {item.id: item for item in outcome.results.items}
    assert (items["alpha.one"].score, items["alpha.one"].n) == (2.0, 2)  # Most (3) and 1
    # n/a without a reason on a critical item counts as don't know (SPEC section 4)
    beta_two = items["beta.two"]
    assert (beta_two.score, beta_two.n, beta_two.na, beta_two.unknown) == (3.0, 1, 0, 1)


# -- damage below the XML: the zip members themselves ------------------------------------------


def _deflated(path: Path, rows: str, **kwargs: object) -> Path:
    """The workbook of ``_book``, its parts compressed as Excel does."""
    plain = _book(path.with_suffix(".plain"), rows, **kwargs)  # type: ignore[arg-type]
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
    return path


def _patch_headers(path: Path, member: str, patch: Callable[[bytearray, int], None]) -> None:
    """Apply ``patch(data, header_offset)`` to the member's local and central headers (the
    central header's fields sit 2 bytes further on: it has a 'version made by' first)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member).header_offset
    patch(data, local)
    name = member.encode()
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        size = int.from_bytes(data[central + 28 : central + 30], "little")
        if bytes(data[central + 46 : central + 46 + size]) == name:
            patch(data, central + 2)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def _encrypted(data: bytearray, at: int) -> None:
    data[at + 6] |= 1  # general purpose flag bit 0: encrypted


def _odd_method(data: bytearray, at: int) -> None:
    data[at + 8 : at + 10] = (99).to_bytes(2, "little")  # AES: a method zipfile cannot read


ROWS = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>'


@pytest.mark.parametrize("patch", [_encrypted, _odd_method], ids=["encrypted", "odd-method"])
@pytest.mark.parametrize("member", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
def test_a_part_that_cannot_be_unpacked_is_one_line_not_a_crash(
    tmp_path: Path, runner: CliRunner, patch: Callable[[bytearray, int], None], member: str
) -> None:
    book = _deflated(tmp_path / "locked.xlsx", ROWS, shared=_shared("<t>alpha.one</t>"))
    _patch_headers(book, member, patch)
    assert score_inputs([book], questionnaire=_mini()).problems == [f"{book}: {DAMAGED}"]
    result = runner.invoke(app, ["score", str(book), "-q", str(_mini())])
    assert result.exit_code == 1, result.output
    assert f"{book}: {DAMAGED}" in result.output
    assert "internal error" not in result.output


def test_a_corrupt_compressed_sheet_is_one_line_not_a_crash(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>alpha.one</t></is></c></row>'
    rows += "".join(f'<row r="{i}"><c r="A{i}"><v>{i % 5}</v></c></row>' for i in range(2, 3000))
    book = _deflated(tmp_path / "torn.xlsx", rows)
    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for at in range(start + 200, start + 260):  # scramble the deflate stream, not the headers
        data[at] ^= 0x55
    book.write_bytes(bytes(data))
    assert score_inputs([book], questionnaire=_mini()).problems == [f"{book}: {DAMAGED}"]


def test_a_workbook_that_unpacks_past_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tra_assess.sources.exports import workbook

    monkeypatch.setattr(workbook, "_MAX_UNPACKED", 1024 * 1024)
    padding = "<row/>" * 600_000  # 3.4 MB of rows, a few KB packed
    book = _deflated(tmp_path / "bomb.xlsx", ROWS + padding, shared=_shared("<t>alpha.one</t>"))
    assert book.stat().st_size < 100_000
    assert score_inputs([book], questionnaire=_mini()).problems == [
        f"{book}: workbook unpacks to 3 MB; the limit is 1 MB"
    ]


def test_a_workbook_of_too_many_different_texts_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tra_assess.sources.exports import workbook

    monkeypatch.setattr(workbook, "_MAX_SHARED_STRINGS", 3)
    shared = _shared(*(f"<t>text {n}</t>" for n in range(5)))
    book = _book(tmp_path / "many.xlsx", ROWS, shared=shared)
    assert score_inputs([book], questionnaire=_mini()).problems == [
        f"{book}: workbook holds more than 3 different texts; export the survey as .csv"
    ]
