"""Large plain CSVs read as code matrices (numpy) give exactly what the row-by-row reader gives.

Hypothesis writes plain wide CSVs (no quotes, every row of the header's width) with valid,
unknown, n/a, blank-looking and invalid cells, rows without answers, bad dates, repeated ids
and roles outside some items' audiences; each is scored with the numpy path forced on
(``TRA_ASSESS_ARRAY_ROWS=1``, blocks of a few rows), as two halves (``TRA_ASSESS_SPLIT_ROWS=1``,
the second in this process and in another one), and off, and compared: the accumulator's
state, ids, rejected rows and their messages, warnings; and the whole results document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from table_helpers import DATES, outcome, score_path, write_csv
from tra_assess.questionnaire.load import load_questionnaire, load_questionnaire_file
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.scoring.batch import score_inputs
from tra_assess.scoring.chunk import score_chunk
from tra_assess.sources.answers import Source
from tra_assess.sources.exports import blocks as csvblock
from tra_assess.sources.exports.tables import TableReader

MINI = load_questionnaire_file(Path(__file__).parents[1] / "data" / "mini.yaml")
CORE = load_questionnaire("tra-core")

ANSWER = st.sampled_from(
    ["0", "1", "2", "3", "4", "4", "3", "na", "N/A", "?", "unknown", "Most", "3 - Most", ""]
)
ODD = st.sampled_from(["  ", " 2 ", "7", "often", "", "", "Très"])
DATE = st.sampled_from(DATES)
ORG = st.sampled_from(["", "Riverbend", "Hillside"])


@st.composite
def tables(draw: st.DrawFn, q: Questionnaire) -> tuple[list[str], list[list[str]]]:
    items = [item.id for item in q.items]
    roles = st.sampled_from(["", *q.roles[:3], " staff ", "volunteer"])
    columns = ["respondent_id", *items, "role", "team", "organization", "assessed_on"]
    if draw(st.booleans()):
        columns.remove("assessed_on")
    odd = draw(st.booleans())
    rows = []
    for n in range(draw(st.integers(0, 30))):
        answers = [draw(ODD if odd and draw(st.integers(0, 9)) == 0 else ANSWER) for _ in items]
        if draw(st.integers(0, 7)) == 0:  # no answers
            answers = [draw(st.sampled_from(["", "", "  "])) for _ in items]
        rid = draw(st.sampled_from([f"r{n}", f"r{n}", "r1", ""]))
        team = draw(st.sampled_from(["", "t1", "T1", "t2"]))
        row = [rid, *answers, draw(roles), team, draw(ORG), draw(DATE)]
        rows.append(row[: len(columns)])
    return columns, rows


def _all(path: Path, q: Questionnaire, group_by: str | None, exclude: Any) -> list[Any]:
    """The state and the results of code matrices in one go, as two halves (the second in
    another process for the results: ``jobs=2``), and without code matrices."""
    source = Source(0, str(path), "csv", file=str(path))
    found = []
    for arrays, split in (("1", "off"), ("1", "1"), ("off", "off")):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("TRA_ASSESS_ARRAY_ROWS", arrays)
            patch.setenv("TRA_ASSESS_SPLIT_ROWS", split)
            patch.setattr(csvblock, "BLOCK_ROWS", 4)  # several blocks, and a short last one
            state = outcome(score_chunk(q, group_by, [source], exclude))
            jobs = 2 if split == "1" else 1
            scored = score_inputs([path], questionnaire=q, group_by=group_by, jobs=jobs)
            document = scored.results.model_dump(mode="json", exclude={"generated_at"})
            found.append((state, document, scored.problems, scored.warnings))
    return found


@settings(max_examples=120, deadline=None)
@given(
    data=st.data(),
    group_by=st.sampled_from([None, "role", "team", "organization", "assessed_on"]),
    leave_out=st.lists(st.integers(1, 30), max_size=2),
    which=st.sampled_from(["mini", "core"]),
)
def test_codes_equal_rows(
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
    group_by: str | None,
    leave_out: list[int],
    which: str,
) -> None:
    q = MINI if which == "mini" else CORE
    table = data.draw(tables(q))
    crlf = data.draw(st.booleans())
    path = write_csv(tmp_path_factory.mktemp("codes"), *table, crlf=crlf)
    exclude = frozenset((0, n) for n in leave_out)
    coded, halves, blocked = _all(path, q, group_by, exclude)
    assert coded == halves == blocked
    assert coded[0] == score_path(path, q, group_by, "rows", exclude)
    assert coded[0] == score_path(path, q, group_by, "halves", exclude, parallel=True)


def test_plain_rows_come_as_code_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = [item.id for item in MINI.items]
    rows = [[f"r{n}", *(["3"] * len(items)), "staff"] for n in range(10)]
    rows[6][2] = "often"  # its block is read row by row: rejected, row and column named
    path = write_csv(tmp_path, ["respondent_id", *items, "role"], rows)
    monkeypatch.setenv("TRA_ASSESS_ARRAY_ROWS", "1")
    monkeypatch.setattr(csvblock, "BLOCK_ROWS", 4)
    parts = list(TableReader(Source(0, str(path), "csv", file=str(path)), MINI).parts())
    kinds = [type(p).__name__ if isinstance(p, csvblock.MetaBlock) else p[0] for p in parts]
    assert kinds == ["CodeBlock", 6, 7, 8, 9, "CodeBlock"]
    assert [len(p) for p in parts if isinstance(p, csvblock.MetaBlock)] == [4, 2]
    assert [str(p) for p in parts[3][1]] == [  # type: ignore[index, union-attr]
        f"{path}: row 8, column '{items[1]}': 'often' is not an answer "
        "(expected 0-4, a scale label, na or unknown; map other labels and codes with --label "
        "TEXT=VALUE)"
    ]


def test_quoted_or_ragged_tables_are_read_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [item.id for item in MINI.items]
    path = tmp_path / "t.csv"
    body = "".join(f'r{n},{",".join(["2"] * len(items))},"staff"\n' for n in range(5))
    path.write_text(f"respondent_id,{','.join(items)},role\n{body}", encoding="utf-8")
    monkeypatch.setenv("TRA_ASSESS_ARRAY_ROWS", "1")
    parts = list(TableReader(Source(0, str(path), "csv", file=str(path)), MINI).parts())
    assert [type(p).__name__ for p in parts] == ["WideBlock"]
