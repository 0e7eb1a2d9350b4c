"""CSV files whose bytes are not what their name says (another encoding, a broken byte-order
mark, a workbook or UTF-16 under a .csv name) and long tables with empty or broken rows: one
line each, naming the file and the row."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from tra_assess.common.errors import InvalidInputError
from tra_assess.scoring.batch import score_inputs
from tra_assess.sources.answers import Source
from tra_assess.sources.exports.csvtext import check_size, decode_table
from tra_assess.sources.options import ReadOptions

WIDE = "respondent_id,alpha.one,alpha.two\nr1,3,2\nr2,café,1\n"


def _problems(path: Path, mini_path: Path, encoding: str | None = None) -> list[str]:
    outcome = score_inputs([path], questionnaire=mini_path, options=ReadOptions(encoding=encoding))
    return outcome.problems


def test_a_file_not_in_the_encoding_given_names_the_byte_and_row(
    tmp_path: Path, mini_path: Path
) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(WIDE.encode("latin-1"))
    assert _problems(path, mini_path, "utf-8") == [
        f"{path}: row 3: not valid utf-8 text (byte 0xe9); choose the encoding the file was "
        "saved in with --encoding"
    ]
    assert _problems(path, mini_path, "ascii") == [
        f"{path}: row 3: not valid ascii text (byte 0xe9); choose the encoding the file was "
        "saved in with --encoding"
    ]


def test_utf8_given_as_the_encoding_drops_a_byte_order_mark(
    tmp_path: Path, mini_path: Path
) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbf" + b"respondent_id,alpha.one\nr1,3\n")
    outcome = score_inputs([path], questionnaire=mini_path, options=ReadOptions(encoding="UTF8"))
    assert outcome.problems == []
    assert next(i for i in outcome.results.items if i.id == "alpha.one").score == 3.0
    assert decode_table(b"\xef\xbb\xbfa,b\n", "x.csv", "utf-8") == "a,b\n"


def test_a_byte_order_mark_over_other_bytes_is_named(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbf" + WIDE.encode("latin-1"))
    assert _problems(path, mini_path) == [
        f"{path}: row 3: not valid utf-8-sig text though it starts with that byte-order mark; "
        "save the file again (CSV UTF-8)"
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
            "this is a zip archive (an .xlsx workbook?), not CSV text: give it its .xlsx name",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
            "this is an old-style Excel workbook (.xls), not CSV text: save it as .xlsx or .csv",
        ),
        (
            "respondent_id,alpha.one\nr1,3\n".encode("utf-16-be"),
            "UTF-16 text without a byte-order mark: add --encoding utf-16-be",
        ),
        (b"\x01\x02\x00\x03\xff\xfe\x10\x00\x07", "this is a binary file, not CSV text"),
    ],
    ids=["zip", "xls", "utf-16-be", "binary"],
)
def test_what_a_binary_csv_really_is(
    tmp_path: Path, mini_path: Path, data: bytes, reason: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    assert _problems(path, mini_path) == [f"{path}: {reason}"]


def test_a_table_that_cannot_be_looked_at_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent_id,alpha.one\n", encoding="utf-8")

    def refused(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "stat", refused)
    with pytest.raises(InvalidInputError) as caught:
        check_size(Source(0, "a.csv", "csv", file=str(path)))
    assert caught.value.lines() == ["a.csv: cannot read: Permission denied"]


def test_a_two_column_table_whose_quote_spans_lines_is_still_read(
    tmp_path: Path, mini_path: Path
) -> None:
    # two columns: a quoted cell over several lines cannot be told from swallowed rows
    path = tmp_path / "a.csv"
    path.write_text('respondent_id,alpha.one\nr1,3\nr2,"2\n"\nr3,1', encoding="utf-8")
    outcome = score_inputs([path], questionnaire=mini_path)
    assert outcome.problems == []
    assert outcome.results.respondents == 3
    item = next(i for i in outcome.results.items if i.id == "alpha.one")
    assert (item.n, item.distribution) == (3, {"0": 0, "1": 1, "2": 1, "3": 1, "4": 0})


LONG = (
    "respondent_id,role,item,value,note\n"
    "r1,staff,alpha.one,3,seen it\n"
    "r1,,alpha.two,2,\n"  # an empty role on a later row agrees with any
    ",,,,\n"  # a blank row: passed over
    ",staff,alpha.one,3,\n"
    "r2,staff,,3,\n"
    "r3,staff,alpha.one,9,\n"
    "r4,staff,alpha.one,,\n"  # a respondent without a single answer
    "r5,staff,alpha.one,2,\n"
    "r5,staff,alpha.one,3,\n"
    "r6,staff,alpah.one,2,\n"
)


def test_long_rows_each_refused_by_row_and_column(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(LONG, encoding="utf-8")
    outcome = score_inputs([path], questionnaire=mini_path)
    assert outcome.problems == [
        f"{path}: row 5, column 'respondent_id': expected a respondent id (empty)",
        f"{path}: row 6, column 'item': expected an item id (empty)",
        f"{path}: row 7, column 'value': 9 is not on the scale (expected 0-4, a scale label, "
        "na or unknown; map other labels and codes with --label TEXT=VALUE)",
        f"{path}: row 10, column 'item': item 'alpha.one' answered twice for this respondent "
        "(also row 9)",
        f"{path}: row 11, column 'item': unknown item 'alpah.one'; did you mean 'alpha.one'?",
    ]
    assert f"{path}: skipped 1 row(s) with no answers (row 8)" in outcome.warnings
    assert outcome.results.respondents == 1
    items = {i.id: i for i in outcome.results.items}
    assert (items["alpha.one"].score, items["alpha.two"].score) == (3.0, 2.0)
    assert [(n.item, n.text) for n in outcome.results.notes] == [("alpha.one", "seen it")]


def test_a_long_row_with_an_open_quote_is_refused_alone(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        'respondent_id,item,value\nr1,alpha.one,3\nr2,alpha.one,"2\nr3,alpha.one,4\n',
        encoding="utf-8",
    )
    outcome = score_inputs([path], questionnaire=mini_path)
    assert outcome.problems == [
        f"{path}: row 3, column 'value': a quote (\") opens here and is not closed where the "
        "cell ends, so the rows below would be read into this cell; this row is not scored "
        "(fix the quote or export again)"
    ]
    assert outcome.results.respondents == 2
