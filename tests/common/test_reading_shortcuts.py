"""Shortcuts on the answer-file hot path give what the plain formulas give (hypothesis).

- ``decode_text`` decodes UTF-8 with the built-in decoder unless the data starts with a BOM:
  the text, and every refusal with its line, equal those of decoding everything as utf-8-sig;
- an answers input is empty exactly when ``text.strip()`` is;
- ``marked_values`` puts in the same internal answers as the set formula it replaces.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.common.errors import InvalidInputError
from tra_assess.common.yamlio import decode_text
from tra_assess.questionnaire.load import load_questionnaire, load_questionnaire_file
from tra_assess.scoring.tally import NA_NOTED, OUTSIDE, build_plan, marked_values
from tra_assess.sources.answers import Source
from tra_assess.sources.documents import source_text

MINI = load_questionnaire_file(Path(__file__).parents[1] / "data" / "mini.yaml")
SETTINGS = settings(max_examples=300, deadline=None)

PIECES = st.sampled_from(
    [b"\xef\xbb\xbf", b"a", b"\n", b" ", b"\x00", b"\xc3\xa9", b"\xc3", b"\xff", b"\xe2\x80\xa8"]
)


def _decoded_the_plain_way(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise InvalidInputError(f"{name}: this is a binary file, not UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInputError(
            f"{name}:{line}: not valid UTF-8 text (save the file as UTF-8)"
        ) from None


def _outcome(decode: object, data: bytes) -> tuple[str, str]:
    try:
        return ("text", decode(data, "a.json"))  # type: ignore[operator]
    except InvalidInputError as exc:
        return ("refused", exc.message)


@SETTINGS
@given(pieces=st.lists(PIECES, max_size=12), pad=st.integers(0, 9000))
def test_decode_text_equals_utf8_sig(pieces: list[bytes], pad: int) -> None:
    data = b"".join(pieces)
    for sample in (data, b"x" * pad + data):  # a NUL past the first 8 KB is not looked for
        assert _outcome(decode_text, sample) == _outcome(_decoded_the_plain_way, sample)


@SETTINGS
@given(text=st.text(st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000a{"), max_size=6))
def test_empty_inputs_are_those_that_strip_to_nothing(text: str) -> None:
    source = Source(0, "<stdin>", "json", text=text)
    if text.strip():
        assert source_text(source) == text
    else:
        with pytest.raises(InvalidInputError) as refused:
            source_text(source)
        assert refused.value.problems[0].message.startswith("the file is empty")


def _marked_the_set_way(
    values: dict[str, int | str], outside: frozenset[str], noted: list[str]
) -> dict[str, int | str]:
    noted_na = [k for k in noted if values.get(k) == "na"]
    if not outside.intersection(values) and not noted_na:
        return values
    marked = dict(values)
    for item_id in noted_na:
        marked[item_id] = NA_NOTED
    for item_id in outside.intersection(values):
        marked[item_id] = OUTSIDE
    return marked


CORE = load_questionnaire("tra-core")  # every item has an audience
CORE_ITEMS = [item.id for item in CORE.items]


@SETTINGS
@given(
    answers=st.dictionaries(
        st.sampled_from(CORE_ITEMS), st.sampled_from([0, 2, 4, "na", "unknown"]), max_size=40
    ),
    role=st.sampled_from([None, "", "frontline", "Board ", "people-served", "leadership", "x"]),
    noted=st.lists(st.sampled_from(CORE_ITEMS), max_size=3),
)
def test_marked_values_equal_the_set_formula(
    answers: dict[str, int | str], role: str | None, noted: list[str]
) -> None:
    plan = build_plan(CORE)
    marked = marked_values(answers, plan, role, noted)
    expected = _marked_the_set_way(answers, plan.outside(role), noted)
    assert list(marked.items()) == list(expected.items())
    assert (marked is answers) == (expected is answers)
