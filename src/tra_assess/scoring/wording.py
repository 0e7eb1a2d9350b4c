"""Plain words for what scoring found: what a ``verify`` priority asks to check.

Derived from the item's own text and counts, so it reads the same in results, reports and
plans: "Check whether restraint is used only as a last resort: nobody rated it (6 said don't
know or n/a without a reason)", or "...: 1 of 6 ratings say it is absent".
"""

from __future__ import annotations

from tra_assess.results.model import ItemResult


def practice_phrase(text: str) -> str:
    """An item's text as the object of "check whether ...": its final punctuation dropped and
    its first letter lowercased (unless the first word is an acronym such as "STS")."""
    phrase = text.strip().rstrip(".?!:; ").strip()
    first = phrase.split(" ", 1)[0]
    if first[:1].isupper() and not first[1:2].isupper():
        phrase = phrase[:1].lower() + phrase[1:]
    return phrase or text


def low_ratings(item: ItemResult) -> int:
    """Numeric ratings at the two lowest scale values (the distribution is in scale order)."""
    return sum(list(item.distribution.values())[:2])


def what_to_check(item: ItemResult) -> str:
    """The action of a ``verify`` priority: what to check, and why."""
    check = f"Check whether {practice_phrase(item.text)}"
    if item.n == 0:
        if item.unknown:
            return (
                f"{check}: nobody rated it ({item.unknown} said don't know or n/a without a reason)"
            )
        return f"{check}: nobody rated it"
    if item.n == 1:
        return f"{check}: its only rating says it is absent"
    return f"{check}: {low_ratings(item)} of {item.n} ratings say it is absent"
