"""The readers' fast paths give exactly what the checking paths give (hypothesis).

- ``Accumulator.add(response, validated=True)`` (answers already checked by a reader) leaves
  the same state and results as the checking ``add``; the checking ``add`` refuses bad answers
  and then adds nothing.
- ``parse_answers_document``: a plain answer (``3``, ``na``) read by the one-look-up path
  equals the same answer read the long way (as ``{value: ...}``), problems included.
- CSV wide rows: a row read in one step from learned cell texts equals the row read cell by
  cell.
- Directory expansion with ``os.scandir``: sorted path order, hidden and lock files skipped,
  a file reached twice read once, symlinked folders not followed.
"""

from __future__ import annotations

import csv
import io
import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.common.errors import InvalidInputError
from tra_assess.questionnaire.load import load_questionnaire_file
from tra_assess.scoring.scorer import Accumulator
from tra_assess.sources.answers import Response, Source, parse_answers_document
from tra_assess.sources.exports.tables import Numbered, TableReader
from tra_assess.sources.inputs import expand_inputs

MINI = load_questionnaire_file(Path(__file__).parents[1] / "data" / "mini.yaml")
ITEMS = [item.id for item in MINI.items]
VALID = st.sampled_from([0, 1, 2, 3, 4] * 3 + ["na", "unknown", None])
ROLES = st.sampled_from([None, "lead", "staff"])
SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def respondents(draw: st.DrawFn) -> list[Response]:
    rows = draw(
        st.lists(st.tuples(st.lists(VALID, min_size=7, max_size=7), ROLES), max_size=25)
    )
    out = []
    for n, (answers, role) in enumerate(rows):
        order = draw(st.permutations(ITEMS))  # any answer order, as files may have
        values: dict[str, Any] = {item: answers[ITEMS.index(item)] for item in order}
        out.append(
            Response(
                source=f"r{n}",
                values=values,
                respondent={"role": role} if role else {},
                notes={"beta.one": "seen"} if n % 5 == 0 else {},
            )
        )
    return out


def _state(accumulator: Accumulator) -> dict[str, Any]:
    state = accumulator.__getstate__()
    state["_tally"] = vars(state["_tally"])
    state["_groups"] = {key: vars(tally) for key, tally in state["_groups"].items()}
    return state


@SETTINGS
@given(rows=respondents(), group_by=st.sampled_from([None, "role"]))
def test_validated_add_equals_checking_add(rows: list[Response], group_by: str | None) -> None:
    checked = Accumulator(MINI, group_by=group_by)
    fast = Accumulator(MINI, group_by=group_by)
    for row in rows:
        checked.add(row)  # None values allowed here: unanswered
        clean = {k: v for k, v in row.values.items() if v is not None}
        fast.add(
            Response(row.source, respondent=row.respondent, values=clean, notes=row.notes),
            validated=True,
        )
    assert _state(checked) == _state(fast)
    assert checked.finalize().model_dump(exclude={"generated_at"}) == fast.finalize().model_dump(
        exclude={"generated_at"}
    )
    # and it still merges exactly after a round trip through pickle
    parent = Accumulator(MINI, group_by=group_by)
    parent.merge(pickle.loads(pickle.dumps(fast)))
    assert _state(parent) == _state(checked)


BAD = st.sampled_from([5, -1, 2.0, True, "3", "NA", [], {"value": 1}])


@SETTINGS
@given(rows=respondents(), bad=BAD, where=st.integers(0, 6), unknown_item=st.booleans())
def test_checking_add_refuses_and_adds_nothing(
    rows: list[Response], bad: Any, where: int, unknown_item: bool
) -> None:
    accumulator = Accumulator(MINI, group_by="role")
    for row in rows:
        accumulator.add(row)
    before = _state(accumulator)
    values: dict[str, Any] = {item: 2 for item in ITEMS}
    if unknown_item:
        values["nope.item"] = 1
        expected = "unknown item 'nope.item'"
    else:
        values[ITEMS[where]] = bad
        expected = f"item {ITEMS[where]!r}: "
    with pytest.raises(InvalidInputError) as caught:
        accumulator.add(Response("bad.yaml", values=values))
    assert caught.value.message.startswith(expected)
    assert str(caught.value.problems[0]).startswith("bad.yaml: ")
    assert _state(accumulator) == before


RAW = st.one_of(
    st.sampled_from([0, 1, 4, 5, -1, "na", "unknown", "NA", "?", "3", "3 - Most", "Half", "x"]),
    st.sampled_from([True, False, 2.0, 2.5, None, [], ""]),
)


@SETTINGS
@given(raws=st.lists(RAW, min_size=7, max_size=7), extra=st.booleans())
def test_plain_answers_read_like_the_long_way(raws: list[Any], extra: bool) -> None:
    def document(wrap: bool) -> dict[str, Any]:
        answers: dict[str, Any] = {
            item: ({"value": raw} if wrap else raw) for item, raw in zip(ITEMS, raws, strict=True)
        }
        if extra:
            answers["nope.item"] = {"value": 1} if wrap else 1
        return {"format": "tra-answers/1", "questionnaire": {"id": "mini"}, "answers": answers}

    def outcome(wrap: bool) -> Any:
        try:
            response = parse_answers_document(document(wrap), "a.yaml", MINI)
        except InvalidInputError as exc:
            return [str(p) for p in exc.problems]
        return response.values

    plain, long_way = outcome(False), outcome(True)
    assert plain == long_way
    if isinstance(plain, dict):
        assert all(type(v) is int or v in ("na", "unknown") for v in plain.values())


CELL = st.sampled_from(
    ["", "", "0", "1", "2", "3", "4", "4", "na", "N/A", "?", "unknown", "Most", "3 - Most",
     " 2 ", "  ", "7", "often"]
)


def _read(path: Path, slow: bool) -> list[tuple[int, Any]]:
    class CellByCell(TableReader):
        def _wide_rows(self, layout: Any, rows: Any) -> Any:
            for number, row in rows:
                outcome = self._wide_row(layout, number, row)
                if outcome is not None:
                    yield number, outcome

    reader_class = CellByCell if slow else TableReader
    reader = reader_class(Source(0, "s.csv", "csv", file=str(path)), MINI)
    out: list[Numbered] = list(reader)
    shown = [(n, o if isinstance(o, Response) else [str(p) for p in o]) for n, o in out]
    return [*shown, (0, reader.warnings)]


@SETTINGS
@given(
    rows=st.lists(st.lists(CELL, min_size=7, max_size=7), max_size=20),
    cut=st.lists(st.integers(0, 9), max_size=3),
)
def test_csv_rows_read_in_one_step_equal_cell_by_cell(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], cut: list[int]
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["respondent_id", *ITEMS, "role"])
    for n, row in enumerate(rows):
        full = [f"r{n}", *row, "staff"]
        writer.writerow(full[: cut[n]] if n < len(cut) else full)  # some short rows
    path = tmp_path_factory.mktemp("csv") / "s.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert _read(path, slow=False) == _read(path, slow=True)


def test_directory_expansion(tmp_path: Path) -> None:
    for name in ("d/b/2.yaml", "d/a/z.json", "d/a-c.csv", "d/.h/x.yaml", "d/a/~$lock.xlsx",
                 "d/~$dir/k.yml", "d/n.txt", "other/o.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "d" / "dir.json").mkdir()  # a folder with an answer suffix: not a file
    os.symlink(tmp_path / "other", tmp_path / "d" / "linked")  # not followed
    os.symlink(tmp_path / "other" / "o.yaml", tmp_path / "d" / "l.yaml")  # taken
    root = tmp_path / "d"
    sources, warnings = expand_inputs([root, root / "a" / "z.json", tmp_path / "other"])
    shown = [Path(s.display).relative_to(tmp_path).as_posix() for s in sources]
    assert shown == ["d/a/z.json", "d/a-c.csv", "d/b/2.yaml", "d/l.yaml", "d/~$dir/k.yml"]
    assert [s.kind for s in sources] == ["json", "csv", "yaml", "yaml", "yaml"]
    assert warnings == [
        f"{root / 'a' / 'z.json'}: given more than once (also as {root / 'a' / 'z.json'}); "
        "read once",
        f"{tmp_path / 'other' / 'o.yaml'}: given more than once (also as {root / 'l.yaml'}); "
        "read once",
    ]
    assert sources[0].path == root / "a" / "z.json"


def test_directory_given_as_dot_and_with_slash(tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "r.yaml").write_text("x")
    monkeypatch.chdir(tmp_path)
    assert [s.display for s in expand_inputs(["."])[0]] == [os.path.join("a", "r.yaml")]
    assert [s.display for s in expand_inputs(["./a/"])[0]] == [os.path.join("a", "r.yaml")]
