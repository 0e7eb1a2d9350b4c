"""The state of one interactive walk (``tra-assess run``), free of any terminal I/O.

A :class:`WalkSession` holds the questionnaire, the response being built and the list of
items this session visits (every selected item; only the unanswered ones on ``--resume``;
every selected item again on ``--review``). It knows where the walk stands and moves
forward, back or past an item; the terminal layer (:mod:`tra_assess.walk.loop`) only reads keys
and shows screens, so navigation can be tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tra_assess.sources.answers import Value

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Domain, Item, Questionnaire
    from tra_assess.sources.answers import Response


@dataclass(frozen=True)
class Position:
    """Where the walk stands, for the progress line."""

    domain_index: int  # 1-based, among the selected domains
    domain_count: int
    item_index: int  # 1-based, within the domain (questionnaire numbering)
    item_count: int
    visit_index: int  # 1-based, among the items this session visits
    visit_count: int
    answered: int  # selected items with an answer
    total: int  # selected items


def select_domains(questionnaire: Questionnaire, domain_ids: Iterable[str]) -> list[Domain]:
    """The domains to walk, in questionnaire order; all of them when none are named.

    Raises KeyError naming the first unknown id.
    """
    wanted = list(dict.fromkeys(domain_ids))
    known = {domain.id for domain in questionnaire.domains}
    for domain_id in wanted:
        if domain_id not in known:
            raise KeyError(domain_id)
    if not wanted:
        return list(questionnaire.domains)
    return [domain for domain in questionnaire.domains if domain.id in wanted]


def route_domains(domains: list[Domain], role: str | None, *, all_items: bool) -> list[Domain]:
    """The domains with only the items whose audience includes ``role`` (SPEC section 3,
    "Audience"); a domain left with no item is dropped. ``all_items`` (or no role) keeps all."""
    if all_items or role is None:
        return list(domains)
    routed: list[Domain] = []
    for domain in domains:
        items = [item for item in domain.items if item.in_audience(role)]
        if len(items) == len(domain.items):
            routed.append(domain)
        elif items:
            routed.append(domain.model_copy(update={"items": items}))
    return routed


def plan_visits(
    domains: list[Domain], response: Response, *, resume: bool, review: bool
) -> list[str]:
    """Item ids to visit, in order: all of them, or only unanswered ones when resuming."""
    ids = [item.id for domain in domains for item in domain.items]
    if resume and not review:
        return [item_id for item_id in ids if item_id not in response.values]
    return ids


class WalkSession:
    """Position, answers and navigation of one walk."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        response: Response,
        domains: list[Domain],
        visits: list[str],
        *,
        review: bool = False,
    ) -> None:
        self.questionnaire = questionnaire
        self.response = response
        self.domains = domains
        self.visits = visits
        self.review = review
        self.pos = 0
        self._selected = [item.id for domain in domains for item in domain.items]
        self._order = {item.id: i for i, item in enumerate(questionnaire.items)}
        self._domain_number = {domain.id: i + 1 for i, domain in enumerate(domains)}
        self._domains = {domain.id: domain for domain in domains}
        self._item_number: dict[str, tuple[int, int]] = {}
        for domain in domains:
            for i, item in enumerate(domain.items):
                self._item_number[item.id] = (i + 1, len(domain.items))

    # -- where we are ------------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.pos >= len(self.visits)

    @property
    def item(self) -> Item:
        """The current item (only while not :attr:`done`)."""
        return self.questionnaire.item_by_id[self.visits[self.pos]]

    @property
    def domain(self) -> Domain:
        """The current item's domain, with the items this walk asks (see route_domains)."""
        return self._domains[self.questionnaire.item_domain[self.item.id]]

    @property
    def selected_count(self) -> int:
        """How many items this walk covers (its domains, routed to the role)."""
        return len(self._selected)

    def position(self) -> Position:
        item_id = self.item.id
        k, n = self._item_number[item_id]
        return Position(
            domain_index=self._domain_number[self.questionnaire.item_domain[item_id]],
            domain_count=len(self.domains),
            item_index=k,
            item_count=n,
            visit_index=self.pos + 1,
            visit_count=len(self.visits),
            answered=self.answered_selected(),
            total=len(self._selected),
        )

    def answered_selected(self) -> int:
        values = self.response.values
        return sum(1 for item_id in self._selected if item_id in values)

    def answered_total(self) -> int:
        return len(self.response.values)

    def unanswered_selected(self) -> list[str]:
        return [item_id for item_id in self._selected if item_id not in self.response.values]

    def current_value(self) -> Value | None:
        return self.response.values.get(self.item.id)

    def current_split(self) -> bool:
        return self.item.id in self.response.split

    def current_note(self) -> str | None:
        return self.response.notes.get(self.item.id)

    @property
    def at_start(self) -> bool:
        return self.pos == 0

    # -- changing answers ---------------------------------------------------------------

    def record(self, value: Value, split: bool = False) -> None:
        """Set the current item's answer (stays on the item: a note may follow); ``split``
        marks that the room was split on it (a new answer without the mark clears it)."""
        values = self.response.values
        values[self.item.id] = value
        if split:
            self.response.split.add(self.item.id)
        else:
            self.response.split.discard(self.item.id)
        if len(values) > 1:
            self.response.values = dict(sorted(values.items(), key=lambda kv: self._order[kv[0]]))

    def set_note(self, note: str | None) -> None:
        """Set (or with None remove) the current item's evidence note."""
        notes = self.response.notes
        if note:
            notes[self.item.id] = note
            self.response.notes = dict(sorted(notes.items(), key=lambda kv: self._order[kv[0]]))
        else:
            notes.pop(self.item.id, None)

    # -- moving ----------------------------------------------------------------------------

    def advance(self) -> None:
        """Go on to the next item (after an answer, a skip or Enter on a kept answer)."""
        if not self.done:
            self.pos += 1

    def skip(self) -> None:
        """Leave the current item as it is (unanswered, or its current answer) and go on."""
        self.advance()

    def back(self) -> bool:
        """Go back to the previous item of this walk; False at the first one."""
        if self.pos == 0:
            return False
        self.pos -= 1
        return True

    def enter_keeps(self) -> bool:
        """Whether Enter alone moves on: the item has an answer, or this is a review."""
        return self.current_value() is not None or self.review
