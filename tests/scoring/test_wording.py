"""What a verify priority asks to check, in plain words."""

from __future__ import annotations

from tra_assess.results.model import ItemResult
from tra_assess.scoring.wording import practice_phrase, what_to_check


def item(text: str, n: int = 0, unknown: int = 0, low: int = 0) -> ItemResult:
    return ItemResult(id="x.y", domain="x", text=text, critical=True, score=None, level=None,
                      n=n, na=0, unknown=unknown, missing=0,
                      distribution={"0": low, "1": 0, "2": 0, "3": 0, "4": n - low})


def test_practice_phrase() -> None:
    assert practice_phrase("Restraint is used only as a last resort.") == (
        "restraint is used only as a last resort")
    assert practice_phrase("STS check-ins are offered?") == "STS check-ins are offered"
    assert practice_phrase("  Staff debrief after incidents!  ") == "staff debrief after incidents"


def test_what_to_check() -> None:
    assert what_to_check(item("Plans exist.")) == "Check whether plans exist: nobody rated it"
    assert what_to_check(item("Plans exist.", unknown=3)) == (
        "Check whether plans exist: nobody rated it (3 said don't know or n/a without a reason)")
    assert what_to_check(item("Plans exist.", n=6, low=1)) == (
        "Check whether plans exist: 1 of 6 ratings say it is absent")
    assert what_to_check(item("Plans exist.", n=1, low=1)) == (
        "Check whether plans exist: its only rating says it is absent")


def test_practice_phrase_keeps_words_that_look_like_acronyms() -> None:
    assert practice_phrase("TVs are off in waiting rooms.") == "TVs are off in waiting rooms"
    assert practice_phrase("A plan exists.") == "a plan exists"


def test_low_ratings_count_the_two_lowest_values() -> None:
    rated = ItemResult(id="x.y", domain="x", score=None, level=None, n=6, na=0, unknown=0,
                       missing=0, distribution={"0": 1, "1": 1, "2": 1, "3": 0, "4": 3})
    assert what_to_check(rated).endswith(": 2 of 6 ratings say it is absent")
