"""Whatever an answer file holds, it is scored or rejected with one-line problems, and the
good file next to it is still scored (hypothesis writes random documents as JSON and YAML)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tra_assess.scoring.batch import score_inputs

GOOD = """format: tra-answers/1
questionnaire: {id: mini, version: "2.0"}
respondent: {id: good, role: staff}
answers: {alpha.one: 3, beta.two: 2}
"""
KEYS = st.sampled_from(
    ["format", "questionnaire", "answers", "respondent", "organization", "assessed_on", "mode",
     "id", "version", "value", "note", "role", "alpha.one", "beta.two", "gamma.one", "x"]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.integers(min_value=10**18, max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["tra-answers/1", "mini", "2.0", "na", "unknown", "3 - Most", "2026-02-30",
                     "2026-01-05", "individual", "", " ", "\x1b[31m", "=1+1"]),
    st.text(max_size=20),
)
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=6)
    ),
    max_leaves=25,
)


@st.composite
def documents(draw: st.DrawFn) -> Any:
    """Mostly answer-shaped mappings, sometimes anything at all."""
    if draw(st.integers(0, 4)) == 0:
        return draw(DOCS)
    doc: dict[str, Any] = {"format": "tra-answers/1", "questionnaire": {"id": "mini"}}
    doc.update(draw(st.dictionaries(KEYS, DOCS, max_size=5)))
    return doc


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=documents(), as_json=st.booleans(), group_by=st.sampled_from([None, "role"]))
def test_any_document_is_scored_or_rejected_in_one_line(
    tmp_path: Path, mini_path: Path, doc: Any, as_json: bool, group_by: str | None
) -> None:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / "a-good.yaml").write_text(GOOD, encoding="utf-8")
    if as_json:
        (folder / "b.json").write_text(json.dumps(doc), encoding="utf-8")
    else:
        (folder / "b.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    outcome = score_inputs([folder], questionnaire=mini_path, group_by=group_by, jobs=1)
    assert outcome.results.respondents >= 1  # the good file, whatever the other holds
    assert all("\n" not in line and len(line) < 1000 for line in outcome.problems)
    assert len(outcome.results.inputs.rejected) == (1 if outcome.problems else 0)


@pytest.mark.parametrize(
    "text", ["answers: !!python/object/apply:os.system [ls]", "a: !!binary AAAA"]
)
def test_unsafe_or_odd_tags_are_rejected_not_run(
    tmp_path: Path, mini_path: Path, text: str
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    outcome = score_inputs([path], questionnaire=mini_path)
    assert outcome.results.respondents == 0
    assert len(outcome.results.inputs.rejected) == 1
    assert outcome.problems and all(line.startswith(f"{path}:") for line in outcome.problems)


RAW_CELL = st.one_of(
    st.sampled_from(["3", "na", "?", "", " ", "Most", "2 - Half", '"', '""', "a,b", "x;y"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(RAW_CELL, min_size=0, max_size=5), max_size=12),
    delimiter=st.sampled_from([",", ";"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_csv_text_is_scored_or_rejected_in_one_line(
    tmp_path: Path, mini_path: Path, rows: list[list[str]], delimiter: str, newline: str
) -> None:
    header = delimiter.join(["respondent_id", "alpha.one", "beta.two", "role", "assessed_on"])
    body = newline.join(delimiter.join(row) for row in rows)  # raw: quotes left unbalanced
    path = tmp_path / "raw.csv"
    path.write_text(header + newline + body + newline, encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    outcome = score_inputs([path, good], questionnaire=mini_path, group_by="role", jobs=1)
    assert outcome.results.respondents >= 1
    assert all("\n" not in line and "\r" not in line for line in outcome.problems)
