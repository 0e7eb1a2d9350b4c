"""Setting profiles (``tra-profile/1``): loading and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.questionnaire.profile import load_profile, profile_json_schema


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def lines(exc: pytest.ExceptionInfo[InvalidInputError]) -> list[str]:
    return exc.value.lines()


def test_valid_profile(tmp_path: Path, mini: Questionnaire) -> None:
    path = write(tmp_path, "format: tra-profile/1\norganization: Riverbend\nnot_applicable:\n"
                 "  beta.two: Outpatient only\n")
    profile = load_profile(path, mini)
    assert profile.organization == "Riverbend"
    assert profile.not_applicable == {"beta.two": "Outpatient only"}


def test_unknown_item_is_located_with_did_you_mean(tmp_path: Path, mini: Questionnaire) -> None:
    path = write(tmp_path, "format: tra-profile/1\nnot_applicable:\n  beta.tow: Outpatient\n"
                 "  zzz: None here\n  beta.two: No\n")
    with pytest.raises(InvalidInputError) as exc:
        load_profile(path, mini)
    assert lines(exc) == [
        f"{path}:3: not_applicable: 'beta.tow' is not an item of mini 2.0; did you mean "
        "'beta.two'?",
        f"{path}:4: not_applicable: 'zzz' is not an item of mini 2.0",
        f"{path}:5: not_applicable: 'beta.two' needs a reason (text): YAML reads an unquoted "
        "yes/no/true/false as true or false, so quote it",
    ]


def test_wrong_format_unknown_key_and_empty_reason(tmp_path: Path, mini: Questionnaire) -> None:
    path = write(tmp_path, "format: tra-profile/2\norganisation: X\nnot_applicable:\n"
                 "  beta.two: ''\n")
    with pytest.raises(InvalidInputError) as exc:
        load_profile(path, mini)
    assert lines(exc) == [
        f"{path}:1: 'format' must be tra-profile/1",
        f"{path}:2: unknown key 'organisation' (did you mean 'organization'?)",
        f"{path}:4: not_applicable: 'beta.two' needs a reason (text)",
    ]


def test_missing_format_and_not_a_mapping(tmp_path: Path, mini: Questionnaire) -> None:
    with pytest.raises(InvalidInputError) as exc:
        load_profile(write(tmp_path, "not_applicable: {}\n"), mini)
    assert lines(exc)[0].endswith(":1: 'format' is required (format: tra-profile/1)")
    with pytest.raises(InvalidInputError) as exc:
        load_profile(write(tmp_path, "- a\n"), mini)
    assert lines(exc)[0].endswith(":1: expected a profile mapping (format: tra-profile/1 ...)")
    with pytest.raises(InvalidInputError) as exc:
        load_profile(write(tmp_path, "format: tra-profile/1\nnot_applicable: [a]\n"), mini)
    assert lines(exc)[0].endswith(
        ":2: 'not_applicable' must be a mapping (ITEM_ID: reason lines)")


def test_no_such_file_is_a_usage_error(tmp_path: Path, mini: Questionnaire) -> None:
    with pytest.raises(UsageError, match="no such file"):
        load_profile(tmp_path / "nope.yaml", mini)


def test_schema() -> None:
    schema = profile_json_schema()
    assert schema["title"] == "tra-assess setting profile (tra-profile/1)"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {"format", "organization", "not_applicable"}
