"""The text-level checks and cuts of a large CSV's data region (no numpy): what
``plain_lines`` accepts and counts, where ``line_offset`` finds the n-th line end, and when
the file's own bytes stand for the text (``read_table``)."""

from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.sources.answers import Source
from tra_assess.sources.exports.csvtext import line_offset, plain_lines
from tra_assess.sources.exports.tables import read_table

LINE = st.text(alphabet="ab,;\t é1", max_size=40)


def _line_ends(text: str, start: int) -> list[int]:
    return [i + 1 for i, ch in enumerate(text) if ch == "\n" and i >= start]


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(LINE, max_size=60),
    final=st.booleans(),
    data=st.data(),
    counted=st.booleans(),
)
def test_line_offset_is_the_nth_line_end(
    lines: list[str], final: bool, data: st.DataObject, counted: bool
) -> None:
    text = "\n".join(lines) + ("\n" if final else "")
    start = data.draw(st.integers(0, len(text)))
    ends = _line_ends(text, start)
    n = data.draw(st.integers(1, len(ends) + 2))
    expected = ends[n - 1] if n <= len(ends) else len(text)
    assert line_offset(text, start, n, len(ends) if counted else None) == expected


def test_line_offset_on_a_long_table() -> None:
    lines = [f"r{k}," + "1," * (k % 17) + "x" for k in range(50_000)]
    text = "\n".join(lines) + "\n"
    ends = _line_ends(text, 0)
    for n in (1, 2, 8_192, 24_576, 49_999, 50_000):
        assert line_offset(text, 0, n, len(ends)) == ends[n - 1]
        assert line_offset(text, 0, n) == ends[n - 1]


def test_plain_lines_counts_whole_records_only() -> None:
    shape = (",", 2)
    assert plain_lines("h,i\n1,2\n3,4\n", 4, shape) == 2
    assert plain_lines("h,i\n1,2\n3,4", 4, shape) == 2  # the last line has no line end
    assert plain_lines("h,i\r\n1,2\r\n3,4\r\n", 5, shape) == 2  # CRLF line ends
    assert plain_lines('h,i\n1,"2"\n', 4, shape) is None  # a quote
    assert plain_lines("h,i\n1,2\r3,4\n", 4, shape) is None  # a carriage return in a line
    assert plain_lines("h,i\n1,2\n3,4\r", 4, shape) is None  # a bare one at the end
    assert plain_lines("h\n1\n", 2, (",", 1)) is None  # one column
    assert plain_lines("h,i\n", 4, shape) is None  # nothing below the header
    assert plain_lines('"h",i\n1,2\n', 6, shape) == 1  # a quoted header is not the region


def _read(tmp_path: Path, data: bytes, encoding: str | None = None) -> tuple[str, bytes | None]:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    text, raw = read_table(Source(0, str(path), "csv", file=str(path)), encoding)
    return text, None if raw is None else bytes(raw)


def test_the_file_bytes_are_kept_only_when_they_are_the_text(tmp_path: Path) -> None:
    plain = b"id,a\nr1,3\n"
    assert _read(tmp_path, plain) == ("id,a\nr1,3\n", plain)
    assert _read(tmp_path, codecs.BOM_UTF8 + plain) == ("id,a\nr1,3\n", plain)  # mark skipped
    assert _read(tmp_path, plain, "utf-8") == ("id,a\nr1,3\n", plain)
    assert _read(tmp_path, "id,a\nr1,Très\n".encode()) == ("id,a\nr1,Très\n", None)
    assert _read(tmp_path, plain, "cp1252") == ("id,a\nr1,3\n", None)
    assert _read(tmp_path, "id,a\nr1,3\n".encode("utf-16")) == ("id,a\nr1,3\n", None)
    assert _read(tmp_path, b"id,a\rr1,3\r") == ("id,a\nr1,3\n", None)  # classic Mac line ends


def test_a_read_table_lets_go_of_its_file(tmp_path: Path) -> None:
    """A batch keeps its readers (for their warnings); the text and bytes of a file already
    read are not kept with them."""
    from tra_assess.questionnaire.load import load_questionnaire
    from tra_assess.sources.exports.tables import TableReader

    q = load_questionnaire("tra-quick")
    path = tmp_path / "t.csv"
    items = [item.id for item in q.items]
    path.write_text(
        "respondent_id,"
        + ",".join(items)
        + "\n"
        + "".join(f"r{n}," + ",".join("3" for _ in items) + "\n" for n in range(5)),
        encoding="utf-8",
    )
    reader = TableReader(Source(0, str(path), "csv", file=str(path)), q)
    assert len(list(reader)) == 5
    assert (reader._text, reader._raw) == (None, None)
