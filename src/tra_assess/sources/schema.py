"""The ``tra-answers/1`` document as a pydantic model: for its JSON schema only (the hot path
checks answer documents without pydantic, in
:func:`tra_assess.sources.answers.parse_answers_document`).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuestionnaireRef(_Model):
    id: str
    version: str


_TEXT_ANSWER = (
    "na, unknown, a scale label, a don't-know or not-applicable word, or a value with its "
    "label ('3 - Label')"
)


class AnswerDetail(_Model):
    value: StrictInt | str | None = Field(
        default=None, description=f"a scale value, or {_TEXT_ANSWER}"
    )
    note: str | None = None
    split: bool | None = Field(
        default=None, description="consensus: the room was split on this answer (not scored)"
    )


class Participants(_Model):
    """Who took part in a consensus session (kept for the record; not scored)."""

    count: int | None = Field(default=None, ge=1, le=100_000)
    roles: list[str] = Field(default_factory=list)


class AnswersFile(_Model):
    """One respondent's (or one team's consensus) answers."""

    format: Literal["tra-answers/1"] = "tra-answers/1"
    questionnaire: QuestionnaireRef
    organization: str | None = None
    assessed_on: _dt.date | None = None
    mode: Literal["individual", "consensus"] | None = None
    respondent: dict[str, str] = Field(
        default_factory=dict, description="id, role, team, site and any other text fields"
    )
    participants: Participants | None = None
    answers: dict[str, StrictInt | str | AnswerDetail | None] = Field(
        default_factory=dict,
        description=f"item id -> a scale value, {_TEXT_ANSWER}, or {{value, note}}",
    )


def answers_json_schema() -> dict[str, Any]:
    schema = AnswersFile.model_json_schema()
    schema["title"] = "tra-assess answers (tra-answers/1)"
    return schema
