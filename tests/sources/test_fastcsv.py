"""The numpy cell locator gives exactly what the csv module gives, or declines.

Hypothesis writes tables of short and long cells (ASCII and not), with LF or CRLF line ends;
every cell located and coded must equal the csv module's parse, and anything the locator must
not handle (a quote, a bare CR, a ragged line, a blank line) makes it decline.
"""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.sources.exports.fastcsv import code_cells, locate

CELL = st.sampled_from(
    [
        "",
        "0",
        "1",
        "4",
        "na",
        "n/a",
        "?",
        "unknown",
        "Don't know",
        "3 - Responsive",
        "é",
        "ü1",
        "Trauma informed and sustained",
        " 2",
        "x" * 12,
        "ab",
        "abc",
        "abcdefg",
        "abcdefgh",
        "é1é",
        "🙂",
    ]
)


def _csv(rows: list[list[str]], delimiter: str, crlf: bool) -> bytes:
    end = "\r\n" if crlf else "\n"
    return "".join(delimiter.join(row) + end for row in rows).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(1, 6),
    data=st.data(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    crlf=st.booleans(),
)
def test_cells_equal_the_csv_module(
    width: int, data: st.DataObject, delimiter: str, crlf: bool
) -> None:
    rows = data.draw(
        st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=30)
    )
    if width == 1 and any(row == [""] for row in rows):
        rows = [row if row != [""] else ["0"] for row in rows]
    raw = _csv(rows, delimiter, crlf)
    spans = locate(raw, delimiter, width)
    assert spans is not None
    expected = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline=""), delimiter=delimiter))
    for c in range(width):
        assert spans.texts(c) == [row[c] for row in expected]
    coded = code_cells(spans, list(range(width)))
    assert coded is not None
    codes, texts = coded
    assert [[texts[k] for k in row] for row in codes.tolist()] == expected
    assert len(set(texts)) == len(texts)  # one code per distinct text, whatever follows it


def test_declines_what_it_must_not_read() -> None:
    assert locate(b'a,"b"\n', ",", 2) is None  # quotes
    assert locate(b"a,b\nc\n", ",", 2) is None  # a ragged line
    assert locate(b"a,b\rc,d\n", ",", 2) is None  # a bare carriage return
    assert locate(b"a\n\nb\n", ",", 1) is None  # a blank line
    assert locate(b"a,b", ",", 2) is None  # no final line end
    assert locate(b"a\nb\n", ",", 2) is None  # two short lines, as many breaks as one line
    assert locate(b"a,b,c\nd\n", ",", 2) is None  # a long line, then a short one
    spans = locate(b"1,2\r\n3,4\r\n", ",", 2)
    assert spans is not None and spans.texts(1) == ["2", "4"]


def test_a_blank_or_short_cell_has_one_code_whatever_follows_it() -> None:
    raw = b",1,,na\n2,,3,\n,,,\n4,na,,unknown\n"
    spans = locate(raw, ",", 4)
    assert spans is not None
    coded = code_cells(spans, [0, 1, 2, 3])
    assert coded is not None
    codes, texts = coded
    assert sorted(texts) == sorted(["", "1", "na", "2", "3", "4", "unknown"])
    assert [[texts[k] for k in row] for row in codes.tolist()] == [
        ["", "1", "", "na"],
        ["2", "", "3", ""],
        ["", "", "", ""],
        ["4", "na", "", "unknown"],
    ]


def test_more_distinct_cells_than_codes_declines() -> None:
    short = [f"{k:02x}" for k in range(256)]  # two bytes each: the lookup-table path
    raw = "".join(f"{a},{a}\n" for a in short).encode()
    spans = locate(raw, ",", 2)
    assert spans is not None and code_cells(spans, [0, 1]) is None
    long = [f"answer {k}" for k in range(256)]  # longer cells: the exact-key path
    raw = "".join(f"0,{a}\n" for a in long).encode()
    spans = locate(raw, ",", 2)
    assert spans is not None and code_cells(spans, [0, 1]) is None
    spans = locate("".join(f"0,{a}\n" for a in long[:254]).encode(), ",", 2)
    assert spans is not None
    kept = code_cells(spans, [0, 1])
    assert kept is not None and len(kept[1]) == 255
