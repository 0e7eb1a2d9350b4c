"""The mergeable state behind scoring: plain integer arrays keyed by item and domain index.

:class:`Plan` is everything precomputed from the questionnaire for the hot path (item index,
domain of each item, integer-scaled weights, coverage thresholds). It is rebuilt from the
questionnaire, never pickled.

:class:`Tally` holds the statistics of one set of respondents (the batch, or one group) as
integers only, so that merging is exact and order-independent:

- per item: counts of each scale value (flat ``dist[item * S + position]``), ``na``, ``unknown``;
- per domain, respondents' own domain scores for the spread: each score is the exact rational
  ``a / b`` (``a`` = sum of integer-scaled weight x value, ``b`` = sum of those weights), kept
  as ``{b: [count, sum a, sum a^2]}``;
- per domain, Cronbach's alpha sums for the respondents who gave numbers for *every* item that
  anyone (in this tally) gave a number for. The scored items of a domain are exactly the union
  of all respondents' numerically answered sets, so a respondent whose set is smaller than the
  running union can never be complete: only the union's sums are kept (``alpha_mask``), and a
  growing union restarts them. Merging keeps the side(s) whose mask equals the merged union.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tra_assess.questionnaire import Questionnaire
from tra_assess.stats import TOLERANCE

PlanKey = tuple[str, str, tuple[int, ...], int]  # id, version, items per domain, scale size


@dataclass(frozen=True)
class Plan:
    """Precomputed views of a questionnaire for scoring (never pickled)."""

    key: PlanKey
    item_ids: tuple[str, ...]
    index: dict[str, int]
    slots: dict[str, tuple[int, int, int, int, int]]  # id -> (item, domain, weight, bit, base)
    item_domain: tuple[int, ...]
    item_weight: tuple[int, ...]  # weight scaled by a power of two per domain: exact integers
    scale_pos: dict[int, int]
    scale_values: tuple[int, ...]
    domain_items: tuple[tuple[int, ...], ...]
    thresholds: tuple[tuple[float, ...], ...]  # [domain][na count] -> scored items needed

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    @property
    def n_scale(self) -> int:
        return len(self.scale_values)

    @property
    def n_domains(self) -> int:
        return len(self.domain_items)


def plan_key(questionnaire: Questionnaire) -> PlanKey:
    """What must match for two tallies to be merged: id, version and shape."""
    return (
        questionnaire.id,
        questionnaire.version,
        tuple(len(domain.items) for domain in questionnaire.domains),
        len(questionnaire.scale),
    )


def _domain_items(sizes: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    starts = [sum(sizes[:d]) for d in range(len(sizes))]
    pairs = zip(starts, sizes, strict=True)
    return tuple(tuple(range(start, start + size)) for start, size in pairs)


def build_plan(questionnaire: Questionnaire) -> Plan:
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
    return Plan(
        key=plan_key(questionnaire),
        item_ids=tuple(item_ids),
        index={item_id: i for i, item_id in enumerate(item_ids)},
        slots=slots,
        item_domain=tuple(item_domain),
        item_weight=tuple(item_weight),
        scale_pos={value: i for i, value in enumerate(questionnaire.scale_values)},
        scale_values=tuple(questionnaire.scale_values),
        domain_items=domain_items,
        thresholds=tuple(thresholds),
    )


@dataclass
class Digest:
    """One respondent's answers, checked and reduced to what a tally adds."""

    hits: list[int]  # flat dist indices (item * S + scale position)
    na: list[int]  # item indices answered na
    unknown: list[int]  # item indices answered unknown
    scores: list[tuple[int, int, int]]  # (domain, a, b): own domain score a/b, when scored
    masks: list[int]  # per domain: bit j set when the domain's j-th item has a number
    totals: list[int]  # per domain: sum of the numeric values
    values: list[int]  # per item: the numeric value (0 when none)


class Tally:
    """Integer statistics of a set of respondents; see the module docstring."""

    def __init__(self, key: PlanKey) -> None:
        self.key = key
        sizes, width = key[2], key[3]
        n_items, n_domains = sum(sizes), len(sizes)
        self.domain_items = _domain_items(sizes)
        self.n = 0
        self.dist = [0] * (n_items * width)
        self.na = [0] * n_items
        self.unknown = [0] * n_items
        self.spread: list[dict[int, list[int]]] = [{} for _ in range(n_domains)]
        self.alpha_mask = [0] * n_domains
        self.alpha_n = [0] * n_domains
        self.alpha_t2 = [0] * n_domains
        self.alpha_sum = [0] * n_items
        self.alpha_sq = [0] * n_items

    def apply(self, digest: Digest) -> None:
        """Add one respondent (hot path)."""
        domain_items = self.domain_items
        self.n += 1
        dist = self.dist
        for j in digest.hits:
            dist[j] += 1
        for i in digest.na:
            self.na[i] += 1
        for i in digest.unknown:
            self.unknown[i] += 1
        spread = self.spread
        for d, a, b in digest.scores:
            bucket = spread[d].get(b)
            if bucket is None:
                spread[d][b] = [1, a, a * a]
            else:
                bucket[0] += 1
                bucket[1] += a
                bucket[2] += a * a
        alpha_mask = self.alpha_mask
        values = digest.values
        for d, mask in enumerate(digest.masks):
            union = alpha_mask[d]
            if mask != union:
                if mask & ~union == 0:
                    continue  # fewer items than the union: never complete
                union |= mask
                alpha_mask[d] = union
                self._restart_alpha(d, domain_items[d])
                if mask != union:
                    continue
            self.alpha_n[d] += 1
            total = digest.totals[d]
            self.alpha_t2[d] += total * total
            for i in domain_items[d]:
                v = values[i]
                self.alpha_sum[i] += v
                self.alpha_sq[i] += v * v

    def _restart_alpha(self, d: int, items: tuple[int, ...]) -> None:
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
        _add_into(self.na, other.na)
        _add_into(self.unknown, other.unknown)
        for mine, theirs in zip(self.spread, other.spread, strict=True):
            for b, (count, sum_a, sum_a2) in theirs.items():
                bucket = mine.setdefault(b, [0, 0, 0])
                bucket[0] += count
                bucket[1] += sum_a
                bucket[2] += sum_a2
        for d, items in enumerate(self.domain_items):
            self._merge_alpha(other, d, items)

    def _merge_alpha(self, other: Tally, d: int, items: tuple[int, ...]) -> None:
        union = self.alpha_mask[d] | other.alpha_mask[d]
        if self.alpha_mask[d] != union:
            self.alpha_mask[d] = union
            self._restart_alpha(d, items)
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


def make_digest(values: Mapping[str, int | str | None], plan: Plan) -> Digest | str:
    """Check and reduce one respondent's answers; a message instead when one is not valid."""
    n_domains = plan.n_domains
    slots = plan.slots
    scale_pos = plan.scale_pos
    hits: list[int] = []
    na: list[int] = []
    unknown: list[int] = []
    nums = [0] * plan.n_items
    a = [0] * n_domains
    b = [0] * n_domains
    counts = [0] * n_domains
    nas = [0] * n_domains
    masks = [0] * n_domains
    totals = [0] * n_domains
    for item_id, value in values.items():
        slot = slots.get(item_id)
        if slot is None:
            return f"unknown item {item_id!r}"
        i, d, w, bit, base = slot
        if value.__class__ is int:
            pos = scale_pos.get(value)
            if pos is None:
                return f"item {item_id!r}: {value} is not on the scale"
            v: int = value
            hits.append(base + pos)
            nums[i] = v
            a[d] += w * v
            b[d] += w
            counts[d] += 1
            masks[d] |= bit
            totals[d] += v
        elif value == "na":
            na.append(i)
            nas[d] += 1
        elif value == "unknown":
            unknown.append(i)
        elif value is None:
            continue  # unanswered
        else:
            return f"item {item_id!r}: {value!r} is not an answer"
    scores = [
        (d, a[d], b[d])
        for d in range(n_domains)
        if counts[d] and counts[d] >= plan.thresholds[d][nas[d]]
    ]
    return Digest(hits, na, unknown, scores, masks, totals, nums)
