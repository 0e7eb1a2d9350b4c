"""What the report says about the improvement cycle (SPEC section 9.1): how much of the good
news rests on evidence, and the training illusion.

- :func:`evidence_text` and :func:`evidence_sentence`: of the ratings at or above the
  target's ``min_score`` ("claimed"), how many carry an evidence note ("evidenced").
- :func:`illusion_sentence`: when every training domain (``kind: training``, or the domain
  with id ``training``) meets the target and at least half of the other scored domains do
  not, the summary says so in plain words.
"""

from __future__ import annotations

from tra_assess.common.display import DASH, fmt_percent
from tra_assess.reports.formatting import clean
from tra_assess.results.model import DomainResult, Results

TRAINING_ID = "training"


def evidence_text(domain: DomainResult) -> str:
    """ "7 of 19 (37%)" for the domain table; a dash when no rating reaches the target or
    the results do not say (written before evidence was counted)."""
    if domain.evidenced_share is None or not domain.claimed:
        return DASH
    return (
        f"{domain.evidenced:,} of {domain.claimed:,} ({_share(domain.evidenced, domain.claimed)})"
    )


def _share(part: int, whole: int) -> str:
    """A share as a whole percentage; a share above 0 that rounds to 0% reads "under 1%"."""
    text = fmt_percent(part / whole)
    return "under 1%" if part and text == "0%" else text


def evidence_sentence(results: Results) -> str:
    """ "7 of 19 ratings of Trauma responsive practice or above cite evidence (37%) ..."."""
    if not results.evidence_counted:
        return ""
    claimed = sum(d.claimed for d in results.domains)
    if not claimed:
        return ""
    evidenced = sum(d.evidenced for d in results.domains)
    target = clean(results.level_label(results.target))
    rating = "rating" if claimed == 1 else "ratings"
    verb = "cites" if evidenced == 1 and claimed == 1 else "cite"
    text = (
        f"{evidenced:,} of {claimed:,} {rating} of {target} practice or above {verb} evidence "
        f"({_share(evidenced, claimed)}); the rest are claims without a note"
    )
    meeting = [d for d in results.domains if d.meets_target and d.claimed]
    if meeting:
        text += "; in the domains that meet the target: " + "; ".join(
            f"{clean(d.title)} {d.evidenced:,} of {d.claimed:,}" for d in meeting
        )
    return text + "."


def is_training(domain: DomainResult) -> bool:
    return domain.kind == "training" or domain.id == TRAINING_ID


def illusion_sentence(results: Results) -> str:
    """The training illusion, in plain words, or "" when its rule does not hold."""
    training = [d for d in results.domains if is_training(d)]
    if not training or not all(d.meets_target is True for d in training):
        return ""
    others = [d for d in results.domains if not is_training(d) and d.status == "scored"]
    behind = [d for d in others if d.meets_target is not True]
    if not others or 2 * len(behind) < len(others):
        return ""
    titles = " and ".join(clean(d.title) for d in training)
    verb = "meets" if len(training) == 1 else "meet"
    if len(behind) == len(others):
        many = (
            "the other scored domain does"
            if len(others) == 1
            else (f"the {len(others)} other scored domains does")
        )
        tail = f"none of {many}" if len(others) > 1 else f"{many} not"
    else:
        tail = f"{len(behind)} of the {len(others)} other scored domains do not"
    return (
        f"Training has been delivered; practice has not yet changed: {titles} {verb} the "
        f"target, but {tail} ("
        + "; ".join(clean(d.title) for d in behind)
        + "). What staff have learnt is not yet what people served experience."
    )
