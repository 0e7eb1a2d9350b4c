"""`tra-answers/1` for consensus sessions: `participants: {count, roles}` and a per-answer
`split: true` are read, written and described by the schema; scoring ignores both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tra_assess.common.errors import InvalidInputError
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.scoring.scorer import score_responses
from tra_assess.sources.answers import Participants, parse_answers_document
from tra_assess.sources.schema import AnswersFile, answers_json_schema


def _doc(**extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "tra-answers/1",
        "questionnaire": {"id": "mini", "version": "2.0"},
        "mode": "consensus",
        "answers": {"alpha.one": {"value": 3, "split": True, "note": "two views"},
                    "alpha.two": {"value": 2, "split": False}, "beta.one": 1},
    }
    doc.update(extra)
    return doc


def test_participants_and_split_are_read(mini: Questionnaire) -> None:
    response = parse_answers_document(
        _doc(participants={"count": 6, "roles": ["lead", "staff"]}), "a.yaml", mini)
    assert response.participants == Participants(count=6, roles=["lead", "staff"])
    assert response.split == {"alpha.one"}
    assert response.values == {"alpha.one": 3, "alpha.two": 2, "beta.one": 1}
    assert response.notes == {"alpha.one": "two views"}


def test_written_document_round_trips(mini: Questionnaire) -> None:
    response = parse_answers_document(_doc(participants={"count": 4}), "a.yaml", mini)
    doc = response.to_document()
    assert doc["participants"] == {"count": 4}
    assert doc["answers"] == {"alpha.one": {"value": 3, "split": True, "note": "two views"},
                              "alpha.two": 2, "beta.one": 1}
    again = parse_answers_document(yaml.safe_load(yaml.safe_dump(doc)), "b.yaml", mini)
    assert again.participants == response.participants and again.split == {"alpha.one"}
    AnswersFile.model_validate(doc)  # the schema model accepts what run writes


def test_a_response_without_them_writes_neither(mini: Questionnaire) -> None:
    response = parse_answers_document(_doc(answers={"alpha.one": 3}), "a.yaml", mini)
    doc = response.to_document()
    assert "participants" not in doc and doc["answers"] == {"alpha.one": 3}


@pytest.mark.parametrize(
    ("participants", "message"),
    [
        ({"count": 0}, "participants 'count' must be a whole number of people from 1 to"),
        ({"count": "six"}, "participants 'count' must be a whole number of people"),
        ({"count": True}, "participants 'count' must be a whole number of people"),
        ({"roles": "lead"}, "participants 'roles' must be a list of role names"),
        ({"people": 3}, "unknown key 'people' in 'participants' (expected count, roles)"),
        ([3], "'participants' must be a mapping {count: N, roles: [...]}"),
    ],
)
def test_bad_participants_are_located_errors(mini: Questionnaire, tmp_path: Path,
                                             participants: Any, message: str) -> None:
    from tra_assess.common.yamlio import load_yaml_indexed

    text = yaml.safe_dump(_doc(participants=participants), sort_keys=False)
    data, index = load_yaml_indexed(text, "a.yaml")
    with pytest.raises(InvalidInputError) as caught:
        parse_answers_document(data, "a.yaml", mini, index)
    lines = caught.value.lines()
    assert len(lines) == 1 and message in lines[0], lines
    assert lines[0].startswith("a.yaml:")


def test_split_must_be_true_or_false(mini: Questionnaire) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_answers_document(_doc(answers={"alpha.one": {"value": 3, "split": "yes"}}),
                               "a.yaml", mini)
    assert "item 'alpha.one': 'split' must be true or false" in caught.value.lines()[0]


def test_unknown_detail_key_names_the_three(mini: Questionnaire) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_answers_document(_doc(answers={"alpha.one": {"value": 3, "room": 1}}), "a", mini)
    assert "(expected value, note, split)" in caught.value.lines()[0]


def test_scoring_ignores_participants_and_split(mini: Questionnaire) -> None:
    marked = parse_answers_document(_doc(participants={"count": 6}), "a.yaml", mini)
    plain = parse_answers_document(
        _doc(answers={"alpha.one": {"value": 3, "note": "two views"}, "alpha.two": 2,
                      "beta.one": 1}), "b.yaml", mini)
    one = score_responses(mini, [marked]).model_dump(exclude={"generated_at"})
    two = score_responses(mini, [plain]).model_dump(exclude={"generated_at"})
    assert one == two


def test_schema_describes_participants_and_split() -> None:
    schema = answers_json_schema()
    defs = schema["$defs"]
    assert set(defs["Participants"]["properties"]) == {"count", "roles"}
    assert "split" in defs["AnswerDetail"]["properties"]
    assert "participants" in schema["properties"]
