"""The evidence behind a domain's good news (SPEC section 9.1).

Of the ratings at or above the target level's ``min_score`` (the *claimed* ones), how many
carry an evidence note (the *evidenced* ones). Both are counted from each item's
``distribution`` and ``noted`` counts, so the share can be worked out again for any target
(``report --target``) from the results document alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from tra_assess.results.model import DomainResult, ItemResult, Results

TOLERANCE = 1e-9


def evidence_counts(items: Iterable[ItemResult], min_score: float) -> tuple[int, int]:
    """(evidenced, claimed) over ``items``: ratings whose value is at or above ``min_score``,
    and those of them with a note."""
    evidenced = claimed = 0
    for item in items:
        for key, count in item.distribution.items():
            if count and int(key) >= min_score - TOLERANCE:
                claimed += count
                evidenced += min(item.noted.get(key, 0), count)
    return evidenced, claimed


def set_evidence(domain: DomainResult, items: Iterable[ItemResult], min_score: float) -> None:
    """Fill ``domain``'s ``evidenced``, ``claimed`` and ``evidenced_share``."""
    evidenced, claimed = evidence_counts(items, min_score)
    domain.evidenced = evidenced
    domain.claimed = claimed
    domain.evidenced_share = evidenced / claimed if claimed else None


def refresh_evidence(results: Results, min_score: float) -> None:
    """Recompute every domain's evidence counts against a target's ``min_score``, in place."""
    by_domain: dict[str, list[ItemResult]] = {}
    for item in results.items:
        by_domain.setdefault(item.domain, []).append(item)
    for domain in results.domains:
        set_evidence(domain, by_domain.get(domain.id, []), min_score)
