"""Wide tables scored in blocks (column by column) give exactly what row-by-row reading gives.

Hypothesis writes wide CSVs with metadata columns, valid and invalid cells, blank-looking
cells, rows without answers, short rows, bad dates and repeated respondent ids; each is
scored through blocks of a few rows and through the row-by-row reader, and everything is
compared: the accumulator's state, the respondent ids and their places, rejected rows and
their messages, warnings, and the fields seen for --group-by.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from table_helpers import DATES, score_path, write_csv
from tra_assess.questionnaire.load import load_questionnaire_file
from tra_assess.scoring.batch import score_inputs
from tra_assess.sources.answers import Source
from tra_assess.sources.exports import blocks as csvblock
from tra_assess.sources.exports.blocks import MetaBlock
from tra_assess.sources.exports.tables import TableReader

MINI = load_questionnaire_file(Path(__file__).parents[1] / "data" / "mini.yaml")
ITEMS = [item.id for item in MINI.items]

ANSWER = st.sampled_from(
    ["0", "1", "2", "3", "4", "4", "3", "na", "N/A", "?", "unknown", "Most", "3 - Most", ""]
)
ODD = st.sampled_from(["  ", " 2 ", "7", "often", "", "", ""])
DATE = st.sampled_from(DATES)
ROLE = st.sampled_from(["", "lead", "staff", " staff "])
ORG = st.sampled_from(["", "Riverbend", "Hillside"])
MODE = st.sampled_from(["", "individual", "consensus"])


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    columns = ["respondent_id", *ITEMS, "role", "organization", "assessed_on", "mode"]
    if draw(st.booleans()):
        columns.append("Timestamp")  # ignored: a non-empty row without answers is warned about
    if draw(st.booleans()):
        columns.remove("mode")
    odd = draw(st.booleans())  # some blank-looking and wrong cells
    rows = []
    for n in range(draw(st.integers(0, 30))):
        answers = [draw(ODD if odd and draw(st.integers(0, 9)) == 0 else ANSWER) for _ in ITEMS]
        if draw(st.integers(0, 7)) == 0:  # no answers: empty or blank-looking cells
            answers = [draw(st.sampled_from(["", "", "  "])) for _ in ITEMS]
        rid = draw(st.sampled_from([f"r{n}", f"r{n}", "r1", ""]))
        row = [rid, *answers, draw(ROLE), draw(ORG), draw(DATE), draw(MODE), "12:00"]
        row = row[: len(columns)]
        if draw(st.integers(0, 12)) == 0:
            row = row[: draw(st.integers(0, len(row)))]  # a short row
        rows.append(row)
    return columns, rows


@settings(max_examples=150, deadline=None)
@given(
    table=tables(),
    group_by=st.sampled_from([None, "role", "organization", "mode", "assessed_on", "site"]),
    leave_out=st.lists(st.integers(1, 30), max_size=3),
)
def test_blocks_equal_rows(
    tmp_path_factory: pytest.TempPathFactory,
    table: tuple[list[str], list[list[str]]],
    group_by: str | None,
    leave_out: list[int],
) -> None:
    path = write_csv(tmp_path_factory.mktemp("blocks"), *table)
    exclude = frozenset((0, n) for n in leave_out)
    rows = score_path(path, MINI, group_by, "rows", exclude)
    assert score_path(path, MINI, group_by, "blocks", exclude) == rows
    assert score_path(path, MINI, group_by, "codes", exclude) == rows
    assert score_path(path, MINI, group_by, "halves", exclude) == rows


def test_clean_rows_come_as_blocks_and_problems_row_by_row(tmp_path: Path) -> None:
    rows = [[f"r{n}", *(["3"] * len(ITEMS)), "staff"] for n in range(10)]
    rows[6][2] = "often"  # rejected, with its row and column named
    path = write_csv(tmp_path, ["respondent_id", *ITEMS, "role"], rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvblock, "BLOCK_ROWS", 4)
        reader = TableReader(Source(0, str(path), "csv", file=str(path)), MINI)
        parts = list(reader.parts())
    kinds = [len(p) if isinstance(p, MetaBlock) else p[0] for p in parts]
    # rows 2-5 are a block; the block holding row 8 is read row by row; 10-11 a short block
    assert kinds == [4, 6, 7, 8, 9, 2]
    assert [str(p) for p in parts[3][1]] == [  # type: ignore[index, union-attr]
        f"{path}: row 8, column 'alpha.two': 'often' is not an answer "
        "(expected 0-4, a scale label, na or unknown; map other labels and codes with --label "
        "TEXT=VALUE)"
    ]


def test_duplicate_ids_in_a_block_are_rejected_once(tmp_path: Path) -> None:
    rows = [[f"r{n % 7}", *(["2"] * len(ITEMS)), "staff"] for n in range(9)]
    path = write_csv(tmp_path, ["respondent_id", *ITEMS, "role"], rows)
    outcome = score_inputs([path], questionnaire=MINI, jobs=1)
    assert outcome.results.respondents == 7
    assert outcome.problems == [
        f"{path}: row 9: respondent id 'r0' was already used in {path} row 2; "
        "this one is not scored",
        f"{path}: row 10: respondent id 'r1' was already used in {path} row 3; "
        "this one is not scored",
    ]


def test_rows_before_a_break_in_the_file_are_scored(tmp_path: Path) -> None:
    """A malformed record ends the file; the rows read before it are scored (or rejected)
    exactly as row by row, and the break is reported after them."""
    answers = ",".join(["3"] * len(ITEMS))
    text = (
        f"respondent_id,{','.join(ITEMS)}\n"
        f"r0,{answers}\n"
        f"r1,3,often,{','.join(['3'] * (len(ITEMS) - 2))}\n"
        f"r2,{answers}\n"
        f"r9,2\r,{','.join(['3'] * (len(ITEMS) - 1))}\n"  # a bare CR in an unquoted cell
    )
    path = tmp_path / "cr.csv"
    path.write_bytes(text.encode())
    outcome = score_inputs([path], questionnaire=MINI, jobs=1)
    assert outcome.results.respondents == 2
    assert [line.split(": ", 1)[1][:20] for line in outcome.problems] == [
        "row 3, column 'alpha",
        "malformed CSV: new-l",
    ]
    assert score_path(path, MINI, None, "blocks") == score_path(path, MINI, None, "rows")
