"""Several results of different questionnaire versions, lined up on what they all share.

A trend over assessments scored against different versions of a questionnaire must not mix
change in practice with change in the instrument. As ``compare`` does for two files
(:mod:`tra_assess.compare.versions`, :mod:`tra_assess.compare.shared`), every file's items are
paired with the latest file's through the ``changes`` list (moved ids followed; split, merged,
added and removed items left out and named). A domain is followed as stored when it has the
same items in every file; otherwise every file's domain is scored again on the items that all
of them share, and a domain with no such item is not followed. When any domain was scored
again or is not followed (or a file has a domain the others lack), each file's overall
result is scored again over the followed domains, so the overall line rests on the same
practices at every date.

Group figures cannot be scored again: a results file holds no group figures per item. So a
trend whose domains were scored again follows no groups, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tra_assess.compare.shared import domain_on, overall_on, target_for
from tra_assess.compare.versions import find_changes, pair_items
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.model import DomainResult, Results

__all__ = ["Lineup", "line_up"]


@dataclass
class Lineup:
    """The files, each as it is compared (in the order given), and what was done to them."""

    results: list[Results]
    rescored: dict[str, int] = field(default_factory=dict)  # domain id -> shared items scored
    not_followed: list[str] = field(default_factory=list)  # domain ids with no shared item
    notes: list[str] = field(default_factory=list)  # items left out or followed, in words
    overall_rescored: bool = False  # every file's overall scored again over the followed domains

    @property
    def changed(self) -> bool:
        return bool(self.rescored or self.not_followed)


def line_up(
    ordered: Sequence[Results],
    target_id: str,
    domain_ids: Sequence[str],
    questionnaire: Questionnaire | None = None,
) -> Lineup:
    """``ordered`` (the latest last) lined up on the items of ``domain_ids`` (the domains every
    file has) that all files share; files of one version are returned as they are."""
    files = list(ordered)
    if len({r.questionnaire.version for r in files}) <= 1:
        return Lineup(files)
    latest = files[-1]
    lineup = Lineup(files)
    # per file: the latest's item id -> that file's id for the same practice
    maps: list[dict[str, str]] = []
    for earlier in files[:-1]:
        pairing = pair_items(earlier, latest, find_changes(earlier, latest, questionnaire))
        maps.append(pairing.pairs)
        for note in [*(n.text for n in pairing.left_out), *pairing.notes]:
            text = f"{earlier.questionnaire.version} to {latest.questionnaire.version}: {note}"
            if text not in lineup.notes:
                lineup.notes.append(text)
    maps.append({item.id: item.id for item in latest.items})
    owners = [{item.id: item.domain for item in r.items} for r in files]
    wanted = set(domain_ids)
    new_domains: list[list[DomainResult]] = [[] for _ in files]
    for domain in latest.domains:
        if domain.id not in wanted:
            continue
        shared = [
            item.id
            for item in latest.items
            if item.domain == domain.id
            and all(
                item.id in pairs and owner.get(pairs[item.id]) == domain.id
                for pairs, owner in zip(maps, owners, strict=True)
            )
        ]
        whole = all(
            {pairs[i] for i in shared} == {i for i, d in owner.items() if d == domain.id}
            for pairs, owner in zip(maps, owners, strict=True)
        )
        if not shared and not whole:
            lineup.not_followed.append(domain.id)
            continue
        if not whole:
            lineup.rescored[domain.id] = len(shared)
        for n, (r, pairs) in enumerate(zip(files, maps, strict=True)):
            stored = r.domain(domain.id)
            new_domains[n].append(
                stored
                if whole
                else domain_on(r, stored, [pairs[i] for i in shared], target_for(r, target_id))
            )
    others = any({d.id for d in r.domains} - wanted for r in files)
    if not lineup.changed and not others:
        return lineup
    lineup.overall_rescored = True
    lineup.results = [
        r.model_copy(
            update={
                "domains": domains,
                "overall": overall_on(r, domains, target_for(r, target_id)),
            }
        )
        for r, domains in zip(files, new_domains, strict=True)
    ]
    return lineup
