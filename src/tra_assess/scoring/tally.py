"""The mergeable state behind scoring: plain integer arrays keyed by item and domain index.

:class:`Plan` is everything precomputed from the questionnaire for the hot path (item index,
domain of each item, integer-scaled weights, coverage thresholds). It is rebuilt from the
questionnaire, never pickled.

:class:`Tally` holds the statistics of one set of respondents (the batch, or one group) as
integers only, so that merging is exact and order-independent:

- per item: counts of each scale value (flat ``dist[item * S + position]``), ``na``, ``unknown``,
  and of those ratings the ones that carry an evidence note (``noted``, laid out as ``dist``);
  ``na_noted`` (the ``na`` answers that carried a note: on a critical item only those count
  as ``na``, SPEC section 4) and ``out_of_audience`` (answers from respondents whose role is
  outside the item's audience: counted, not scored, SPEC section 3);
- per domain, respondents' own domain scores for the spread: each score is the exact rational
  ``a / b`` (``a`` = sum of integer-scaled weight x value, ``b`` = sum of those weights), kept
  as ``{b: [count, sum a, sum a^2]}``;
- per domain, Cronbach's alpha sums for the respondents who gave numbers for *every* item that
  anyone (in this tally) gave a number for. The scored items of a domain are exactly the union
  of all respondents' numerically answered sets, so a respondent whose set is smaller than the
  running union can never be complete: only the union's sums are kept (``alpha_mask``), and a
  growing union restarts them. Merging keeps the side(s) whose mask equals the merged union.
- ``contributors``: respondents per *domain mask* (bit ``d`` set when the respondent gave a
  number on an item of domain ``d``; respondents without any number are not kept), so the
  respondents who count towards any figure (one domain, or the overall over a set of
  domains) can be counted exactly; groups need this for suppression per figure.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from tra_assess.common.textsafe import fold_key, quoted
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.scoring.stats import TOLERANCE

# id, version, items per domain, scale size, items a setting profile marks not applicable
PlanKey = tuple[str, str, tuple[int, ...], int, tuple[str, ...]]

NA_NOTED = "na+note"  # internal answer: na carrying a note (the reason)
OUTSIDE = "outside"  # internal answer: given by a respondent outside the item's audience


@dataclass(frozen=True)
class Plan:
    """Precomputed views of a questionnaire for scoring (never pickled)."""

    key: PlanKey
    item_ids: tuple[str, ...]
    index: dict[str, int]
    slots: dict[str, tuple[int, int, int, int, int]]  # id -> (item, domain, weight, bit, base)
    # id -> answer -> (distribution index or -1 na / -2 unknown / -3 na with a note /
    # -4 outside the audience, item, domain, part): one look-up per answer on the hot path.
    # A number's part is its share of the domain's packed sum (see ``packing``); an na's is
    # 1 when it counts as na for the respondent's own coverage, else 0
    answers: dict[str, dict[int | str, tuple[int, int, int, int]]]
    item_domain: tuple[int, ...]
    item_weight: tuple[int, ...]  # weight scaled by a power of two per domain: exact integers
    scale_pos: dict[int, int]
    scale_values: tuple[int, ...]
    domain_items: tuple[tuple[int, ...], ...]
    thresholds: tuple[tuple[float, ...], ...]  # [domain][na count] -> scored items needed
    # per domain, how a respondent's numbers add up in one integer, low to high: the answered
    # item bits, the weight sum (score denominator), then the weighted value sum (numerator,
    # the top field, so a negative one borrows from nothing below it). (mask of the item
    # bits, weight sum shift, weight sum mask, numerator shift); the lower fields are wide
    # enough for all of the domain's items, so no sum carries into the next field
    packing: tuple[tuple[int, int, int, int], ...] = ()
    # item index -> folded roles of its audience (items with an audience only)
    audiences: dict[int, frozenset[str]] = field(default_factory=dict)
    # item index -> whether a plain na counts as na (False: a critical item the profile does
    # not list, where na without a note counts as unknown)
    na_counts: tuple[bool, ...] = ()
    critical: tuple[bool, ...] = ()
    # the questionnaire's own roles, folded: a role that is not one of them is not matched
    # against audiences (a survey's free-text role is scored on every item, and warned about)
    known_roles: frozenset[str] = frozenset()
    _outside: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)

    def unknown_role(self, role: str | None) -> bool:
        """Whether ``role`` is given but not one of the questionnaire's roles (audiences
        cannot route it: its answers are scored on every item)."""
        if not role or not self.audiences or not self.known_roles:
            return False
        folded = fold_role(role)
        return folded != "" and folded not in self.known_roles

    def outside(self, role: str | None) -> frozenset[str]:
        """Ids of the items whose audience leaves out a respondent of ``role``."""
        if role is None or not self.audiences:
            return frozenset()
        found = self._outside.get(role)
        if found is None:
            folded = fold_role(role)
            found = frozenset(
                self.item_ids[i] for i, roles in self.audiences.items() if folded not in roles
            )
            if folded == "" or (self.known_roles and folded not in self.known_roles):
                found = frozenset()
            self._outside[role] = found
        return found

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    @property
    def n_scale(self) -> int:
        return len(self.scale_values)

    @property
    def n_domains(self) -> int:
        return len(self.domain_items)


def fold_role(role: str) -> str:
    """Roles are compared folded like group values (:func:`~tra_assess.common.textsafe.
    fold_key`), so look-alike spellings are one role."""
    return fold_key(role)


def plan_key(questionnaire: Questionnaire, not_applicable: Collection[str] = ()) -> PlanKey:
    """What must match for two tallies to be merged: id, version, shape and profile."""
    return (
        questionnaire.id,
        questionnaire.version,
        tuple(len(domain.items) for domain in questionnaire.domains),
        len(questionnaire.scale),
        tuple(sorted(not_applicable)),
    )


def _domain_items(sizes: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    starts = [sum(sizes[:d]) for d in range(len(sizes))]
    pairs = zip(starts, sizes, strict=True)
    return tuple(tuple(range(start, start + size)) for start, size in pairs)


def build_plan(questionnaire: Questionnaire, not_applicable: Collection[str] = ()) -> Plan:
    item_ids: list[str] = []
    item_domain: list[int] = []
    item_weight: list[int] = []
    thresholds: list[tuple[float, ...]] = []
    need = questionnaire.min_coverage - TOLERANCE
    for d, domain in enumerate(questionnaire.domains):
        ratios = [item.weight.as_integer_ratio() for item in domain.items]
        scale = max(q for _, q in ratios)  # denominators are powers of two
        for item, (p, q) in zip(domain.items, ratios, strict=True):
            item_ids.append(item.id)
            item_domain.append(d)
            item_weight.append(p * (scale // q))
        size = len(domain.items)
        thresholds.append(tuple(need * (size - na) for na in range(size + 1)))
    sizes = tuple(len(domain.items) for domain in questionnaire.domains)
    domain_items = _domain_items(sizes)
    width = len(questionnaire.scale)
    slots = {
        item_id: (i, d, item_weight[i], 1 << (i - domain_items[d][0]), i * width)
        for i, (item_id, d) in enumerate(zip(item_ids, item_domain, strict=True))
    }
    listed = set(not_applicable)
    na_counts = tuple(not item.critical or item.id in listed for item in questionnaire.items)
    packing = tuple(_packing(len(items), [item_weight[i] for i in items]) for items in domain_items)
    answers = {
        item_id: {
            **{
                v: (base + p, i, d, bit | w << packing[d][1] | (w * v) << packing[d][3])
                for p, v in enumerate(questionnaire.scale_values)
            },
            "na": (-1, i, d, int(na_counts[i])),
            "unknown": (-2, i, d, 0),
            NA_NOTED: (-3, i, d, 1),
            OUTSIDE: (-4, i, d, 0),
        }
        for item_id, (i, d, w, bit, base) in slots.items()
    }
    audiences = {
        i: frozenset(fold_role(role) for role in item.audience)
        for i, item in enumerate(questionnaire.items)
        if item.audience is not None
    }
    return Plan(
        key=plan_key(questionnaire, not_applicable),
        audiences=audiences,
        known_roles=frozenset(fold_role(role) for role in questionnaire.roles),
        na_counts=na_counts,
        critical=tuple(item.critical for item in questionnaire.items),
        answers=answers,
        item_ids=tuple(item_ids),
        index={item_id: i for i, item_id in enumerate(item_ids)},
        slots=slots,
        item_domain=tuple(item_domain),
        item_weight=tuple(item_weight),
        scale_pos={value: i for i, value in enumerate(questionnaire.scale_values)},
        scale_values=tuple(questionnaire.scale_values),
        domain_items=domain_items,
        thresholds=tuple(thresholds),
        packing=packing,
    )


def _packing(size: int, weights: list[int]) -> tuple[int, int, int, int]:
    """A domain's :attr:`Plan.packing`: ``size`` item bits, then the weight sum's field."""
    b_shift = size
    a_shift = b_shift + sum(weights).bit_length()
    return (1 << size) - 1, b_shift, (1 << (a_shift - b_shift)) - 1, a_shift


class Tally:
    """Integer statistics of a set of respondents; see the module docstring."""

    def __init__(self, key: PlanKey) -> None:
        self.key = key
        sizes, width = key[2], key[3]
        n_items, n_domains = sum(sizes), len(sizes)
        self.domain_items = _domain_items(sizes)
        self.n = 0
        self.dist = [0] * (n_items * width)
        self.noted = [0] * (n_items * width)
        self.na = [0] * n_items
        self.unknown = [0] * n_items
        self.na_noted = [0] * n_items
        self.out_of_audience = [0] * n_items
        self.spread: list[dict[int, list[int]]] = [{} for _ in range(n_domains)]
        self.alpha_mask = [0] * n_domains
        self.alpha_n = [0] * n_domains
        self.alpha_t2 = [0] * n_domains
        self.alpha_sum = [0] * n_items
        self.alpha_sq = [0] * n_items
        self.contributors: dict[int, int] = {}

    def add_checked(self, values: Mapping[str, int | str], plan: Plan) -> None:
        """Add one respondent whose answers are known to be valid (the hot path, one pass).

        Every key must be an item id of ``plan`` and every value a scale value, ``"na"`` or
        ``"unknown"`` (no None): the input readers guarantee this; :func:`check_values` checks
        it for anyone else. Two internal answers may stand in for one: :data:`NA_NOTED` (an
        ``na`` with a note) and :data:`OUTSIDE` (an answer from outside the item's audience);
        :func:`marked_values` puts them in.
        """
        table = plan.answers
        dist, na, unknown = self.dist, self.na, self.unknown
        n_domains = len(self.domain_items)
        nums = [0] * len(na)
        packed = [0] * n_domains
        nas = [0] * n_domains
        for item_id, value in values.items():
            where, i, d, part = table[item_id][value]
            if where >= 0:
                dist[where] += 1
                nums[i] = value  # type: ignore[assignment]
                packed[d] += part
            elif where == -1:
                na[i] += 1
                nas[d] += part
            elif where == -2:
                unknown[i] += 1
            elif where == -3:
                na[i] += 1
                self.na_noted[i] += 1
                nas[d] += 1
            else:
                self.out_of_audience[i] += 1
        self.n += 1
        self._add_domains(plan, nums, packed, nas)

    def add_noted(self, values: Mapping[str, int | str], noted: Iterable[int], plan: Plan) -> None:
        """Count the ratings among ``values`` that carry an evidence note: ``noted`` are the
        item indexes with a note (an ``na`` or ``unknown`` with a note is not a rating)."""
        width = plan.n_scale
        for i in noted:
            value = values.get(plan.item_ids[i])
            if value.__class__ is int:
                self.noted[i * width + plan.scale_pos[value]] += 1

    def _add_domains(self, plan: Plan, nums: list[int], packed: list[int], nas: list[int]) -> None:
        """The per-domain part of adding a respondent: own score (spread) and alpha sums;
        ``packed`` holds each domain's sum of its numbers' parts (see :attr:`Plan.packing`)."""
        thresholds, packing = plan.thresholds, plan.packing
        spread = self.spread
        alpha_mask, alpha_n, alpha_t2 = self.alpha_mask, self.alpha_n, self.alpha_t2
        alpha_sum, alpha_sq = self.alpha_sum, self.alpha_sq
        domains = 0
        for d, p in enumerate(packed):
            bits, b_shift, b_bits, a_shift = packing[d]
            mask = p & bits
            if mask:
                domains |= 1 << d
                count = mask.bit_count()
                if count >= thresholds[d][nas[d]]:
                    b_d = p >> b_shift & b_bits
                    a_d = p >> a_shift
                    bucket = spread[d].get(b_d)
                    if bucket is None:
                        spread[d][b_d] = [1, a_d, a_d * a_d]
                    else:
                        bucket[0] += 1
                        bucket[1] += a_d
                        bucket[2] += a_d * a_d
            union = alpha_mask[d]
            if mask != union:
                if mask & ~union == 0:
                    continue  # fewer items than the union: never complete
                union |= mask
                alpha_mask[d] = union
                self.restart_alpha(d, self.domain_items[d])
                if mask != union:
                    continue
            alpha_n[d] += 1
            total = 0
            for i in self.domain_items[d]:
                v = nums[i]
                total += v
                alpha_sum[i] += v
                alpha_sq[i] += v * v
            alpha_t2[d] += total * total
        if domains:
            self.contributors[domains] = self.contributors.get(domains, 0) + 1

    def restart_alpha(self, d: int, items: tuple[int, ...]) -> None:
        """Forget domain ``d``'s Cronbach sums: its union of answered items has grown, so
        nobody counted so far answered all of them."""
        self.alpha_n[d] = 0
        self.alpha_t2[d] = 0
        for i in items:
            self.alpha_sum[i] = 0
            self.alpha_sq[i] = 0

    def merge(self, other: Tally) -> None:
        """Add ``other``'s respondents; exact, so any merge order gives the same state."""
        if other.key != self.key:
            raise ValueError(f"cannot merge tallies of {other.key} and {self.key}")
        self.n += other.n
        _add_into(self.dist, other.dist)
        _add_into(self.noted, other.noted)
        _add_into(self.na, other.na)
        _add_into(self.unknown, other.unknown)
        _add_into(self.na_noted, other.na_noted)
        _add_into(self.out_of_audience, other.out_of_audience)
        for mine, theirs in zip(self.spread, other.spread, strict=True):
            for b, (count, sum_a, sum_a2) in theirs.items():
                bucket = mine.setdefault(b, [0, 0, 0])
                bucket[0] += count
                bucket[1] += sum_a
                bucket[2] += sum_a2
        for d, items in enumerate(self.domain_items):
            self._merge_alpha(other, d, items)
        for domains, count in other.contributors.items():
            self.contributors[domains] = self.contributors.get(domains, 0) + count

    def count_contributors(self, *figures: int) -> int:
        """Respondents who gave a number in at least one domain of each of ``figures`` (domain
        masks): one mask is one figure's contributors; several, those counting towards all."""
        return sum(
            count
            for domains, count in self.contributors.items()
            if all(domains & figure for figure in figures)
        )

    def _merge_alpha(self, other: Tally, d: int, items: tuple[int, ...]) -> None:
        union = self.alpha_mask[d] | other.alpha_mask[d]
        if self.alpha_mask[d] != union:
            self.alpha_mask[d] = union
            self.restart_alpha(d, items)
        if other.alpha_mask[d] != union:
            return
        self.alpha_n[d] += other.alpha_n[d]
        self.alpha_t2[d] += other.alpha_t2[d]
        for i in items:
            self.alpha_sum[i] += other.alpha_sum[i]
            self.alpha_sq[i] += other.alpha_sq[i]


def _add_into(target: list[int], source: list[int]) -> None:
    for i, value in enumerate(source):
        if value:
            target[i] += value


def marked_values(
    values: Mapping[str, int | str],
    plan: Plan,
    role: str | None,
    noted: Collection[str],
) -> Mapping[str, int | str]:
    """``values`` with the internal answers put in: :data:`OUTSIDE` for the items whose
    audience leaves out ``role``, :data:`NA_NOTED` for an ``na`` on an item in ``noted``
    (the items with a non-empty note). The same mapping when nothing changes."""
    outside = plan.outside(role)
    # the answered items outside the audience: the audience's items looked up in ``values``
    answered_outside = values.keys() & outside if outside else ()
    noted_na = [k for k in noted if values.get(k) == "na"] if noted else ()
    if not answered_outside and not noted_na:
        return values
    marked = dict(values)
    for item_id in noted_na:
        marked[item_id] = NA_NOTED
    for item_id in answered_outside:
        marked[item_id] = OUTSIDE
    return marked


def check_values(values: Mapping[str, object], plan: Plan) -> str | None:
    """Why one respondent's answers cannot be added (unknown item, value off the scale, not
    an answer), or None when :meth:`Tally.add_checked` may take them (None values aside)."""
    slots = plan.slots
    scale_pos = plan.scale_pos
    for item_id, value in values.items():
        if item_id not in slots:
            import difflib

            close = difflib.get_close_matches(str(item_id), [str(k) for k in slots], 1, 0.85)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return f"unknown item {quoted(item_id)}{hint}"
        if value.__class__ is int:
            if value not in scale_pos:
                return f"item {item_id!r}: {value} is not on the scale"
        elif value is not None and value != "na" and value != "unknown":
            return f"item {item_id!r}: {quoted(value)} is not an answer"
    return None
