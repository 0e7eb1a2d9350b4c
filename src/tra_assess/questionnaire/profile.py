"""Setting profiles (SPEC section 4): ``tra-profile/1``, the items that do not apply here.

A profile says, once for a setting, which items are not applicable and why (an outpatient
clinic that never uses restraint, say)::

    format: tra-profile/1
    organization: Riverbend Family Services     # optional
    not_applicable:
      crisis.restraint-safe-use: "Outpatient only: no restraint or seclusion is used."

An ``na`` answer on a critical item counts as ``na`` only with a reason: a note, or the item
listed here. Files are validated like questionnaires: unknown keys, an item id the
questionnaire does not have (with a did-you-mean) and an empty reason are ``FILE:LINE`` errors.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, ValidationError

from tra_assess.common.errors import InvalidInputError, Problem, UsageError
from tra_assess.common.textsafe import quoted, shows_text
from tra_assess.common.yamlio import LineIndex, load_yaml_indexed, read_text
from tra_assess.questionnaire.model import Questionnaire

PROFILE_FORMAT = "tra-profile/1"



def _shown(reason: str) -> str:
    if not shows_text(reason):
        raise ValueError("a reason that shows nothing (spaces or invisible characters only)")
    return reason


Reason = Annotated[StrictStr, Field(min_length=1, pattern=r"\S"), AfterValidator(_shown)]


class Profile(BaseModel):
    """A setting profile: the items that do not apply in this setting, each with its reason."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["tra-profile/1"]
    organization: StrictStr | None = None
    not_applicable: dict[StrictStr, Reason] = Field(default_factory=dict)


def load_profile(path: str | Path, questionnaire: Questionnaire) -> Profile:
    """Load and check a profile against ``questionnaire``; every problem is one located line.

    No such file is a :class:`UsageError`; anything wrong inside it an
    :class:`InvalidInputError` listing every problem.
    """
    file = Path(path).expanduser()
    name = str(path)
    if not file.is_file():
        raise UsageError(f"--profile {name}: no such file")
    data, index = load_yaml_indexed(read_text(file, name), name, kind="profile files")
    problems: list[Problem] = []
    if not isinstance(data, dict):
        problems.append(Problem(name, "expected a profile mapping (format: tra-profile/1 ...)", 1))
        raise InvalidInputError(f"{name}: invalid profile", problems)
    profile: Profile | None = None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, name, index))
    listed = data.get("not_applicable")
    if isinstance(listed, dict):
        problems.extend(_item_problems(listed, name, index, questionnaire))
    if problems or profile is None:
        problems.sort(key=lambda p: p.line or 0)
        raise InvalidInputError(f"{name}: invalid profile", problems)
    return profile


def _item_problems(
    listed: dict[Any, Any], name: str, index: LineIndex, questionnaire: Questionnaire
) -> list[Problem]:
    problems: list[Problem] = []
    known = list(questionnaire.item_by_id)
    for key in listed:
        if isinstance(key, str) and key in questionnaire.item_by_id:
            continue
        line = index.lookup(("not_applicable", key), key=True)
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        problems.append(
            Problem(
                name,
                f"not_applicable: {quoted(str(key))} is not an item of "
                f"{questionnaire.id} {questionnaire.version}{hint}",
                line,
            )
        )
    return problems


def _pydantic_problems(exc: ValidationError, name: str, index: LineIndex) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        field = ".".join(str(part) for part in loc)
        if kind == "missing":
            message = f"{field!r} is required (format: tra-profile/1)"
        elif kind == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), list(Profile.model_fields), n=1)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else "expected format, organization or not_applicable"
            )
            message = f"unknown key {str(loc[-1])!r} ({hint})"
        elif kind == "literal_error":
            message = f"'format' must be {PROFILE_FORMAT}"
        elif loc[:1] == ("not_applicable",) and len(loc) == 2:
            message = f"not_applicable: {quoted(str(loc[1]))} needs a reason (text)"
            if isinstance(err.get("input"), bool):
                message += (
                    ": YAML reads an unquoted yes/no/true/false as true or false, so quote it"
                )
        elif kind in ("dict_type",):
            message = f"{field!r} must be a mapping (ITEM_ID: reason lines)"
        elif kind == "string_type":
            message = f"{field!r} must be text"
        else:
            message = f"{field!r}: {err.get('msg', 'invalid')}"
        line = index.lookup(loc, key=kind == "extra_forbidden")
        problems.append(Problem(name, message, line))
    return problems


def profile_json_schema() -> dict[str, Any]:
    schema = Profile.model_json_schema()
    schema["title"] = "tra-assess setting profile (tra-profile/1)"
    return schema
