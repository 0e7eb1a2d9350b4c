"""What a line typed at `run`'s rating prompt means, and the precise hint when it means
nothing (no terminal needed)."""

from __future__ import annotations

import pytest

from tra_assess.questionnaire.model import Questionnaire
from tra_assess.walk.keys import Answer, Hint, read_key

EXPECTED = "type a number from 0 to 4, n, ?, b, s, h or q"


def _key(q: Questionnaire, text: str, *, keeps: bool = False, consensus: bool = False,
         at_start: bool = False):  # type: ignore[no-untyped-def]
    return read_key(text, q, keeps=keeps, consensus=consensus, at_start=at_start)


@pytest.mark.parametrize(("text", "value"), [("3", 3), (" 0 ", 0), ("Most", 3), ("3 - Most", 3),
                                             ("n", "na"), ("N", "na"), ("?", "unknown"),
                                             ("3.0", 3)])
def test_answers(mini: Questionnaire, text: str, value: object) -> None:
    assert _key(mini, text) == Answer(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "move"), [("b", "back"), ("s", "skip"), ("h", "help"),
                                            ("q", "quit"), ("Q", "quit")])
def test_moves(mini: Questionnaire, text: str, move: str) -> None:
    assert _key(mini, text) == move


def test_enter_keeps_only_an_answer(mini: Questionnaire) -> None:
    assert _key(mini, "", keeps=True) == "keep"
    assert _key(mini, "") == Hint(
        f"This item has no answer yet, so Enter has nothing to keep: {EXPECTED}.")


@pytest.mark.parametrize(("text", "message"), [
    ("5", f"5 is not on the scale 0–4: {EXPECTED}."),
    ("-1", f"-1 is not on the scale 0–4: {EXPECTED}."),
    ("2.5", f"2.5 is not on the scale 0–4: ratings are whole numbers; {EXPECTED}."),
    ("x", f"'x' is not a key here: {EXPECTED}."),
    ("maybe later", f"'maybe later' is not a key here: {EXPECTED}."),
])
def test_precise_hints(mini: Questionnaire, text: str, message: str) -> None:
    assert _key(mini, text) == Hint(message)


def test_a_long_line_is_shortened_in_the_hint(mini: Questionnaire) -> None:
    hint = _key(mini, "9" * 40)
    assert isinstance(hint, Hint) and "9" * 40 not in hint.message and "…" in hint.message


def test_back_at_the_first_item(mini: Questionnaire) -> None:
    assert _key(mini, "b", at_start=True) == Hint(
        "This is the first item of this walk: there is nothing to go back to.")


def test_split_mark_in_consensus(mini: Questionnaire) -> None:
    assert _key(mini, "3!", consensus=True) == Answer(3, split=True)
    assert _key(mini, "Most !", consensus=True) == Answer(3, split=True)
    assert _key(mini, "3", consensus=True) == Answer(3, split=False)
    hint = _key(mini, "n!", consensus=True)
    assert isinstance(hint, Hint) and "type a number with it, such as 3!" in hint.message
    hint = _key(mini, "5", consensus=True)
    assert isinstance(hint, Hint) and "(add ! if the room was split: 3!)" in hint.message


def test_split_mark_is_refused_alone(mini: Questionnaire) -> None:
    hint = _key(mini, "3!")
    assert isinstance(hint, Hint) and "in a consensus session only" in hint.message
