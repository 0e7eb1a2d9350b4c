"""What a line typed at the rating prompt of ``tra-assess run`` means (no terminal I/O).

:func:`read_key` turns the typed text into an action, or into a :class:`Hint` that says
precisely what was wrong ("5 is not on the scale 0–4: type a number from 0 to 4, n, ?, b, s, h
or q"). In a consensus session a rating may end with ``!``: the room was split on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from tra_assess.sources.answers import NA, UNKNOWN, Value, parse_value_text
from tra_assess.walk.screen import expected_keys, scale_span, split_example

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Questionnaire

__all__ = ["Answer", "Hint", "Move", "read_key"]

Move = Literal["back", "skip", "keep", "help", "quit"]
SPLIT_MARK = "!"
_MOVES: dict[str, Move] = {"b": "back", "s": "skip", "h": "help", "q": "quit"}
_WORDS: dict[str, Value] = {"n": NA, "?": UNKNOWN}
_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")
_SHOWN = 24  # at most this much of what was typed is repeated in a hint


@dataclass(frozen=True)
class Answer:
    value: Value
    split: bool = False


@dataclass(frozen=True)
class Hint:
    """What was wrong with the typed line, and what to type instead."""

    message: str


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def read_key(
    text: str, q: Questionnaire, *, keeps: bool, consensus: bool, at_start: bool
) -> Answer | Move | Hint:
    """The action a typed line asks for (see the module docstring)."""
    expected = expected_keys(q, consensus)
    folded = text.strip().casefold()
    if folded == "":
        if keeps:
            return "keep"
        return Hint(f"This item has no answer yet, so Enter has nothing to keep: {expected}.")
    split = folded.endswith(SPLIT_MARK) and folded != SPLIT_MARK
    if split:
        folded = folded[: -len(SPLIT_MARK)].strip()
        text = text.strip()[: -len(SPLIT_MARK)].strip()
    if folded in _MOVES and not split:
        move = _MOVES[folded]
        if move == "back" and at_start:
            return Hint("This is the first item of this walk: there is nothing to go back to.")
        return move
    value = _WORDS.get(folded)
    if value is None:
        if _NUMBER.match(folded):
            number = _number(folded, q, expected)
            if isinstance(number, Hint):
                return number
            value = number
        else:
            try:
                value = parse_value_text(text, q)
            except ValueError:
                value = None
    if value is None:
        return Hint(f"{_shown(text.strip())!r} is not a key here: {expected}.")
    if split and not consensus:
        return Hint(
            f"{SPLIT_MARK} marks a rating on which the room was split, in a consensus session "
            "only: type the rating alone."
        )
    if split and not isinstance(value, int):
        return Hint(
            f"{SPLIT_MARK} marks a rating on which the room was split: type a number with it, "
            f"such as {split_example(q)}."
        )
    return Answer(value, split)


def _number(folded: str, q: Questionnaire, expected: str) -> int | Hint:
    """A typed number: a scale value, or a hint naming the scale."""
    if "." in folded or "," in folded:
        number = float(folded.replace(",", "."))
        if number.is_integer() and int(number) in q.scale_values:
            return int(number)
        return Hint(f"{_shown(folded)} is not on the scale {scale_span(q)}: ratings are whole "
                    f"numbers; {expected}.")
    if len(folded) <= 12 and int(folded) in q.scale_values:
        return int(folded)
    return Hint(f"{_shown(folded)} is not on the scale {scale_span(q)}: {expected}.")
