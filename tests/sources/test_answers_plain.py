"""The one-pass read of answer documents written the common way equals the field-by-field read.

``parse_answers_document`` first tries ``_read_plain`` (known keys, text fields, plain answers)
and leaves anything else to ``_parse_checked``. For random documents, valid and not (odd types,
unknown keys and items, bad dates, modes and answers, another questionnaire), both give the
same response or the same problems; whatever ``_read_plain`` accepts, the field-by-field read
accepts with an equal response, answer order included. The caches behind the hot path
(folded roles and group values) give what the uncached functions give.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.common import textsafe
from tra_assess.common.errors import InvalidInputError
from tra_assess.common.yamlio import load_json
from tra_assess.questionnaire.load import load_questionnaire_file
from tra_assess.sources import answers
from tra_assess.sources.answers import parse_answers_document

MINI = load_questionnaire_file(Path(__file__).parents[1] / "data" / "mini.yaml")
ITEMS = [item.id for item in MINI.items]
SETTINGS = settings(max_examples=400, deadline=None)

TEXT = st.one_of(
    st.sampled_from(["Riverbend", "  padded  ", "", "   ", "x: y", "2026-11-22"]),
    st.text(max_size=8),
)
ODD = st.sampled_from([None, 1, 2.5, True, False, [], {}, ["a"], {"a": 1}])
FIELD = st.one_of(TEXT, TEXT, ODD, st.just(_dt.date(2026, 1, 2)))
DATE = st.one_of(
    st.sampled_from(["2026-11-22", "2024-02-29", "2026-02-30", "2026-1-2", "20261122", "x"]),
    FIELD,
)
MODE = st.one_of(st.sampled_from(["individual", "consensus", "group", "Individual"]), FIELD)
ANSWER = st.one_of(
    st.sampled_from([0, 1, 2, 3, 4, "na", "unknown"] * 4),
    st.sampled_from([5, -1, True, False, 2.0, 2.5, None, "3", "NA", "Half", "x", "", 10**30]),
    st.sampled_from([[], {"value": 2}, {"value": "na", "note": "why"}, {"note": 1}, {"x": 1}]),
)
ITEM = st.one_of(st.sampled_from(ITEMS * 3), st.sampled_from(["nope.item", "alpha.on", 1]))


@st.composite
def documents(draw: st.DrawFn) -> Any:
    doc: dict[Any, Any] = {}
    if draw(st.integers(0, 9)):
        doc["format"] = draw(
            st.one_of(
                st.just("tra-answers/1"),
                st.just("tra-answers/1"),
                FIELD,
                st.sampled_from(["tra-results/1", "tra-answers/2"]),
            )
        )
    if draw(st.integers(0, 9)):
        ref: Any = {}
        if draw(st.integers(0, 9)):
            ref["id"] = draw(st.one_of(st.just("mini"), st.just("mini"), st.just("other"), ODD))
        if draw(st.booleans()):
            ref["version"] = draw(st.one_of(st.just("2.0"), st.just("1.0"), FIELD))
        if not draw(st.integers(0, 19)):
            ref["extra"] = 1
        doc["questionnaire"] = ref if draw(st.integers(0, 19)) else draw(ODD)
    for key, values in (("organization", FIELD), ("assessed_on", DATE), ("mode", MODE)):
        if draw(st.booleans()):
            doc[key] = draw(values)
    if draw(st.booleans()):
        people = draw(
            st.dictionaries(
                st.sampled_from(["id", "role", "team", "site", "x", 3]), FIELD, max_size=4
            )
        )
        doc["respondent"] = people if draw(st.integers(0, 9)) else draw(ODD)
    if not draw(st.integers(0, 9)):
        doc["participants"] = draw(st.one_of(ODD, st.just({"count": 3, "roles": ["lead"]})))
    if not draw(st.integers(0, 14)):
        doc[draw(st.sampled_from(["answer", "notes", 7]))] = 1
    if draw(st.integers(0, 9)):
        pairs = draw(st.lists(st.tuples(ITEM, ANSWER), max_size=9))
        plain = draw(st.booleans())  # often every answer plain and every item known
        doc["answers"] = (
            {item: value for item, value in pairs if item in ITEMS and _is_plain(value)}
            if plain
            else dict(pairs)
        )
        if not draw(st.integers(0, 19)):
            doc["answers"] = draw(ODD)
    keys = list(doc)
    order = draw(st.permutations(keys))
    return {key: doc[key] for key in order} if draw(st.integers(0, 19)) else draw(ODD)


def _is_plain(value: Any) -> bool:
    return (type(value) is int and value in (0, 1, 2, 3, 4)) or value in ("na", "unknown")


def _outcome(read: Any, data: Any) -> Any:
    try:
        response = read(data)
    except InvalidInputError as exc:
        return ("rejected", exc.message, [str(p) for p in exc.problems])
    # repr: every field, answer order and types included (True == 1, but not in repr)
    return ("read", response, repr(response))


@SETTINGS
@given(data=documents())
def test_plain_read_equals_field_by_field(data: Any) -> None:
    fast = _outcome(lambda d: parse_answers_document(d, "a.json", MINI), data)
    slow = _outcome(lambda d: answers._parse_checked(d, "a.json", MINI, None), data)
    assert fast == slow
    if isinstance(data, dict):
        plain = answers._read_plain(data, "a.json", MINI)
        if plain is not None:
            assert slow[0] == "read"
            assert plain == slow[1]
            assert repr(plain) == slow[2]


def test_common_documents_take_the_plain_read() -> None:
    doc = {
        "format": "tra-answers/1",
        "questionnaire": {"id": "mini", "version": "2.0"},
        "organization": "Riverbend Family Services",
        "assessed_on": "2026-11-22",
        "mode": "individual",
        "respondent": {"id": "r-1", "role": " lead ", "team": "", "site": None},
        "answers": {"alpha.one": 3, "alpha.two": "na", "beta.one": "unknown", "beta.two": 0},
    }
    data = load_json(json.dumps(doc, indent=1), "a.json")
    plain = answers._read_plain(data, "a.json", MINI)
    assert plain is not None
    assert repr(plain) == repr(answers._parse_checked(data, "a.json", MINI, None))
    assert plain.respondent == {"id": "r-1", "role": "lead"}
    assert plain.values == doc["answers"]
    # anything unusual is left to the field-by-field read, which says what is wrong
    for key, value in (("assessed_on", "2026-02-30"), ("mode", "group"), ("extra", 1)):
        odd = {**doc, key: value}
        assert answers._read_plain(odd, "a.json", MINI) is None
        with pytest.raises(InvalidInputError):
            parse_answers_document(odd, "a.json", MINI)
    for bad in (True, 2.0, 5, "3", {"value": 3}):
        odd = {**doc, "answers": {"alpha.one": bad}}
        assert answers._read_plain(odd, "a.json", MINI) is None


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=30), st.text(min_size=190, max_size=260)))
def test_cached_fold_key_equals_the_fold(text: str) -> None:
    assert textsafe.fold_key(text) == textsafe._fold_key(text)
    assert textsafe.fold_key(text) == textsafe._fold_key(text)  # from the cache
