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

from tra_assess.sources.fastcsv import code_cells, locate

CELL = st.sampled_from(
    ["", "0", "1", "4", "na", "n/a", "?", "unknown", "Don't know", "3 - Responsive", "é", "ü1",
     "Trauma informed and sustained", " 2", "x" * 12]
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
def test_cells_equal_the_csv_module(width: int, data: st.DataObject, delimiter: str,
                                    crlf: bool) -> None:
    rows = data.draw(st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1,
                              max_size=30))
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


def test_declines_what_it_must_not_read() -> None:
    assert locate(b'a,"b"\n', ",", 2) is None  # quotes
    assert locate(b"a,b\nc\n", ",", 2) is None  # a ragged line
    assert locate(b"a,b\rc,d\n", ",", 2) is None  # a bare carriage return
    assert locate(b"a\n\nb\n", ",", 1) is None  # a blank line
    assert locate(b"a,b", ",", 2) is None  # no final line end
    spans = locate(b"1,2\r\n3,4\r\n", ",", 2)
    assert spans is not None and spans.texts(1) == ["2", "4"]
