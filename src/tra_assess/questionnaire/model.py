"""The questionnaire model (SPEC section 3): the pydantic models of ``tra-questionnaire/1``.

Unknown keys are errors (``extra="forbid"``): they are usually typos. The models also give the
derived views the rest of the tool reads (levels by score, items by id, the default target).
Loading and validation with source lines live in :mod:`tra_assess.questionnaire.load`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from tra_assess.common.textsafe import fold_key

FORMAT = "tra-questionnaire/1"
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
TOLERANCE = 1e-9

Principle = Literal[
    "safety", "trustworthiness", "peer-support", "collaboration", "empowerment", "cultural"
]
PRINCIPLES: tuple[str, ...] = (
    "safety",
    "trustworthiness",
    "peer-support",
    "collaboration",
    "empowerment",
    "cultural",
)
PRINCIPLE_LABELS: dict[str, str] = {
    "safety": "Safety",
    "trustworthiness": "Trustworthiness and transparency",
    "peer-support": "Peer support",
    "collaboration": "Collaboration and mutuality",
    "empowerment": "Empowerment, voice and choice",
    "cultural": "Cultural, historical and gender issues",
}

Ident = Annotated[StrictStr, Field(pattern=ID_PATTERN, max_length=100)]
Text = Annotated[StrictStr, Field(min_length=1)]
Weight = Annotated[float, Field(gt=0, allow_inf_nan=False, strict=True)]


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Reference(_FileModel):
    title: Text
    url: StrictStr | None = None


class ScalePoint(_FileModel):
    value: StrictInt
    label: Text
    description: StrictStr | None = None


class Level(_FileModel):
    id: Ident
    label: Text
    min_score: Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True)]
    description: StrictStr | None = None


class Item(_FileModel):
    id: Ident
    text: Text
    help: StrictStr | None = None
    principles: list[Principle] = Field(default_factory=list)
    critical: StrictBool = False
    weight: Weight = 1.0
    audience: list[Text] | None = None
    setting: Text | None = Field(
        None,
        description="where the practice exists at all (it completes 'applies only where ...'); "
        "a service without it lists the item, with the reason, in a setting profile",
    )
    crosswalk: dict[Ident, list[Text]] = Field(default_factory=dict)
    anchors: dict[StrictInt, Text] = Field(default_factory=dict)
    actions: dict[StrictStr, Text] = Field(default_factory=dict)

    def in_audience(self, role: str | None) -> bool:
        """Whether a respondent of ``role`` can rate this item from direct knowledge.

        No audience means everyone; a respondent without a role is in every audience. Roles
        compare folded (case, width, invisible characters), as scoring compares them.
        """
        if self.audience is None or role is None or not fold_key(role):
            return True
        return fold_key(role) in {fold_key(member) for member in self.audience}


class Domain(_FileModel):
    id: Ident
    title: Text
    description: StrictStr | None = None
    weight: Weight = 1.0
    kind: Literal["practice", "training"] = "practice"
    items: Annotated[list[Item], Field(min_length=1)]


class Change(_FileModel):
    """One version's entry in a questionnaire's ``changes``: what happened to item ids.

    ``compare`` uses it to pair results of two versions: items kept under the same id are
    compared, the rest are named as left out.
    """

    version: Text
    summary: StrictStr | None = None
    added: list[Ident] = Field(default_factory=list)
    removed: list[Ident] = Field(default_factory=list)
    reworded: list[Ident] = Field(default_factory=list)
    split: dict[Ident, list[Ident]] = Field(default_factory=dict)
    merged: dict[Ident, list[Ident]] = Field(default_factory=dict)
    moved: dict[Ident, Ident] = Field(default_factory=dict)


class Include(_FileModel):
    """A ``domains`` entry that pulls one domain mapping from a file beside this one."""

    include: Text


class Questionnaire(_FileModel):
    format: Literal["tra-questionnaire/1"]
    id: Ident
    version: Text
    title: Text
    description: StrictStr | None = None
    references: list[Reference] = Field(default_factory=list)
    scale: Annotated[list[ScalePoint], Field(min_length=2)]
    levels: Annotated[list[Level], Field(min_length=1)]
    target: Ident | None = None
    min_coverage: Annotated[float, Field(gt=0, le=1, strict=True)] = 0.6
    min_group_size: Annotated[int, Field(ge=1, strict=True)] = 5
    critical_dissent: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False, strict=True)] = 0.1
    roles: list[Text] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    domains: Annotated[list[Domain], Field(min_length=1)]

    # -- derived views -------------------------------------------------------------------

    @cached_property
    def level_ids(self) -> list[str]:
        return [level.id for level in self.levels]

    @cached_property
    def default_target(self) -> str:
        """The target level: the questionnaire's ``target``, else the second-highest level."""
        if self.target is not None:
            return self.target
        return self.levels[-2].id if len(self.levels) > 1 else self.levels[-1].id

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    def level_rank(self, level_id: str) -> int:
        return self.level_ids.index(level_id)

    def level_for_score(self, score: float) -> Level:
        """L(s): the level with the largest ``min_score`` <= s (tolerance 1e-9)."""
        chosen = self.levels[0]
        for level in self.levels:
            if level.min_score <= score + TOLERANCE:
                chosen = level
        return chosen

    @cached_property
    def scale_values(self) -> list[int]:
        return [point.value for point in self.scale]

    @cached_property
    def plain_answers(self) -> frozenset[int | str]:
        """The answers a file may give as they are: each scale value (an int), ``na`` and
        ``unknown``."""
        return frozenset((*self.scale_values, "na", "unknown"))

    @cached_property
    def items(self) -> list[Item]:
        return [item for domain in self.domains for item in domain.items]

    @cached_property
    def item_domain(self) -> dict[str, str]:
        return {item.id: domain.id for domain in self.domains for item in domain.items}

    @cached_property
    def item_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def domain(self, domain_id: str) -> Domain:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(domain_id)
