"""The metadata questions of ``tra-assess run`` (SPEC section 8): organisation, mode, role and
respondent id, or in a consensus session who took part (``participants``), each asked only
when no option gave it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from tra_assess.sources.answers import MAX_PARTICIPANTS, Participants

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Questionnaire
    from tra_assess.sources.answers import Response
    from tra_assess.walk.inputs import LineInput

__all__ = ["MetadataOptions", "apply_options", "ask_metadata", "set_field"]


class MetadataOptions(Protocol):
    """The options that give metadata (None: not given, so asked)."""

    organization: str | None
    mode: str | None
    role: str | None
    respondent: str | None


def apply_options(response: Response, options: MetadataOptions) -> None:
    """The metadata given as options, into ``response``."""
    if options.organization is not None:
        response.organization = options.organization.strip() or None
    if options.mode is not None:
        response.mode = options.mode
    for key, value in (("id", options.respondent), ("role", options.role)):
        if value is not None:
            set_field(response, key, value)


def set_field(response: Response, key: str, value: str) -> None:
    """A respondent field (id, role first); a blank value removes it."""
    value = value.strip()
    if value:
        response.respondent[key] = value
    else:
        response.respondent.pop(key, None)
    order = {"id": 0, "role": 1}
    response.respondent = dict(
        sorted(response.respondent.items(), key=lambda kv: order.get(kv[0], 2))
    )


def ask_metadata(
    ui: LineInput, response: Response, q: Questionnaire, options: MetadataOptions
) -> None:
    """Ask for what the options did not give (Enter leaves a field blank)."""
    if options.organization is None:
        response.organization = ui.ask("Organisation (Enter to leave blank): ") or None
    if options.mode is None:
        response.mode = _ask_mode(ui)
    if options.role is None:
        set_field(response, "role", _ask_role(ui, q.roles))
    if options.respondent is None:
        if response.mode == "consensus":
            response.participants = ask_participants(ui, q.roles)
        else:
            set_field(response, "id", ui.ask("Respondent id (optional; Enter stays anonymous): "))


def ask_participants(ui: LineInput, roles: list[str]) -> Participants | None:
    """A consensus session: how many took part, and their roles (Enter leaves either blank)."""
    participants = Participants()
    while True:
        answer = ui.ask("How many people are taking part? (a number; Enter to leave blank): ")
        if not answer:
            break
        if answer.isdigit() and 1 <= int(answer) <= MAX_PARTICIPANTS:
            participants.count = int(answer)
            break
        ui.hint("Type the number of people in the room, such as 6 (or Enter to leave blank).")
    listed = " · ".join(f"{i} {role}" for i, role in enumerate(roles, start=1))
    question = (
        f"Their roles: {listed}; numbers or names, separated by commas (Enter to leave blank): "
        if roles
        else "Their roles, separated by commas (Enter to leave blank): "
    )
    while True:
        chosen = parse_roles(ui.ask(question), roles)
        if chosen is not None:
            participants.roles = chosen
            break
        ui.hint(f"Choose numbers from 1 to {len(roles)}, or type role names, separated by commas.")
    if participants.count is None and not participants.roles:
        return None
    return participants


def parse_roles(answer: str, roles: list[str]) -> list[str] | None:
    """``1, 3`` or ``1 3`` or ``leadership, frontline``; None when a number is off the list."""
    parts = [p.strip() for p in answer.replace(";", ",").split(",") if p.strip()]
    if len(parts) == 1 and all(word.isdigit() for word in parts[0].split()):
        parts = parts[0].split()
    chosen: list[str] = []
    for part in parts:
        if part.isdigit():
            if not 1 <= int(part) <= len(roles):
                return None
            part = roles[int(part) - 1]
        if part not in chosen:
            chosen.append(part)
    return chosen


def _ask_mode(ui: LineInput) -> str:
    choices = {
        "1": "individual",
        "2": "consensus",
        "i": "individual",
        "c": "consensus",
        "individual": "individual",
        "consensus": "consensus",
        "": "individual",
    }
    while True:
        answer = ui.ask(
            "Mode: 1 individual, 2 consensus (a team agreeing together) [1]: "
        ).casefold()
        if answer in choices:
            return choices[answer]
        ui.hint("Type 1 (individual) or 2 (consensus).")


def _ask_role(ui: LineInput, roles: list[str]) -> str:
    if not roles:
        return ui.ask("Role (optional; Enter to leave blank): ")
    listed = " · ".join(f"{i} {role}" for i, role in enumerate(roles, start=1))
    while True:
        answer = ui.ask(f"Role: {listed}, or type one (Enter to leave blank): ")
        if not answer.isdigit():
            return answer
        if 1 <= int(answer) <= len(roles):
            return roles[int(answer) - 1]
        ui.hint(f"Choose 1-{len(roles)}, or type a role.")
