"""The results document (SPEC section 6): ``tra-results/1``.

``tra-assess score`` writes it; ``report`` and ``compare`` read it. Numbers are unrounded.
Everything a report needs is in the document (levels, item texts, domain titles), so a report
can be made from a results file alone, without the questionnaire.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

RESULTS_FORMAT = "tra-results/1"

DomainStatus = Literal["scored", "insufficient", "not-applicable"]
OverallStatus = Literal["scored", "provisional", "insufficient"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class QuestionnaireInfo(_Model):
    id: str
    version: str
    title: str
    description: str | None = None


class LevelInfo(_Model):
    id: str
    label: str
    min_score: float
    description: str | None = None


class ScaleInfo(_Model):
    value: int
    label: str


class Rejected(_Model):
    path: str
    error: str


class Inputs(_Model):
    files: int = Field(description="number of input files read (a CSV counts once)")
    rejected: list[Rejected] = Field(default_factory=list)
    rejected_unlisted: int = Field(
        0, ge=0, description="rejected beyond the first 1,000 of an input: counted, not listed"
    )
    warnings: list[str] = Field(default_factory=list)


class Overall(_Model):
    score: float | None
    level: str | None = Field(description="weakest-link level: the lowest level of scored domains")
    level_by_score: str | None
    status: OverallStatus
    meets_target: bool | None
    gap: float | None = None
    scored_domains: int = 0
    applicable_domains: int = 0


class DomainResult(_Model):
    id: str
    title: str
    weight: float = 1.0
    score: float | None
    level: str | None
    level_by_score: str | None
    status: DomainStatus
    coverage: float | None
    scored_items: int = 0
    applicable_items: int = 0
    capped_by: list[str] = Field(default_factory=list)
    gap: float | None
    meets_target: bool | None
    sd: float | None = Field(description="sample SD of respondents' own domain scores")
    sd_n: int = Field(0, description="respondents with their own scored domain score")
    low_agreement: bool | None = None
    alpha: float | None = None
    alpha_n: int = 0
    unknown_rate: float | None
    unverified: list[str] = Field(
        default_factory=list,
        description="critical items of this applicable domain with no numeric rating",
    )
    contested: list[str] = Field(
        default_factory=list,
        description="critical items meeting the target by score while at least critical_dissent "
        "of their ratings are at the two lowest scale values",
    )
    evidenced_share: float | None = Field(
        None,
        description="share of ratings at or above the target's min_score that carry a note",
    )
    evidenced: int = Field(0, ge=0, description="ratings at or above target with a note")
    claimed: int = Field(0, ge=0, description="ratings at or above the target's min_score")
    kind: Literal["practice", "training"] = "practice"


class ItemResult(_Model):
    id: str
    domain: str
    text: str = ""
    critical: bool = False
    weight: float = 1.0
    principles: list[str] = Field(default_factory=list)
    applicable: bool = True
    score: float | None
    level: str | None
    n: int
    na: int
    unknown: int
    missing: int
    out_of_audience: int = Field(
        0, ge=0, description="answers from respondents outside the item's audience (not scored)"
    )
    status: Literal["scored", "unverified", "contested"] | None = Field(
        None, description="for critical items: unverified, contested or scored"
    )
    dissent: float | None = Field(
        None, description="share of numeric ratings at the two lowest scale values"
    )
    sd: float | None = None
    distribution: dict[str, int] = Field(
        default_factory=dict, description="count of each scale value (keys are the values)"
    )
    noted: dict[str, int] = Field(
        default_factory=dict,
        description="of each scale value's ratings, how many carry an evidence note (keys are "
        "the values; absent: none), so the evidence share can be recomputed for any target",
    )
    anchors: dict[str, str] = Field(
        default_factory=dict,
        description="the questionnaire's anchor text per scale value (keys are the values)",
    )


class Priority(_Model):
    rank: int
    kind: Literal["improve", "verify"] = "improve"
    item: str
    domain: str
    text: str = ""
    score: float | None
    level: str | None
    critical: bool
    weight: float = 1.0
    shortfall: float | None = Field(description="min_score(target) - item score")
    action: str | None = None


class PrincipleResult(_Model):
    id: str
    score: float | None
    items: int = 0


class GroupDomain(_Model):
    id: str
    score: float | None
    level: str | None
    status: DomainStatus | None = None
    suppressed: bool = Field(
        False, description="this cell is suppressed to protect a smaller group (SPEC section 4)"
    )
    unverified: list[str] = Field(default_factory=list)
    contested: list[str] = Field(default_factory=list)


class GroupResult(_Model):
    value: str
    n: int | None
    suppressed: bool
    overall_score: float | None = None
    overall_level: str | None = None
    domains: list[GroupDomain] = Field(default_factory=list)
    overall_suppressed: bool = Field(
        False, description="the overall score is suppressed to protect a smaller group"
    )
    merged_from: list[str] = Field(
        default_factory=list, description="the groups --merge-groups pooled under this value"
    )


class PerceptionGap(_Model):
    domain: str
    high: str
    low: str
    high_score: float
    low_score: float
    gap: float
    flagged: bool


class Groups(_Model):
    by: str
    min_size: int
    suppression_rule: str = "suppressed: fewer than K, or needed to protect a smaller group"
    groups: list[GroupResult]
    perception_gaps: list[PerceptionGap] = Field(default_factory=list)
    per_figure: bool = Field(
        False,
        description="suppression per figure (SPEC section 4) was applied when scoring; files "
        "without it were checked per group only",
    )


class NaReason(_Model):
    item: str
    reason: str
    source: Literal["note", "profile"] = "note"
    count: int = Field(1, ge=1, description="respondents who gave this reason")


class Note(_Model):
    item: str
    domain: str
    text: str


class Results(_Model):
    format: Literal["tra-results/1"] = "tra-results/1"
    tool_version: str = ""
    questionnaire: QuestionnaireInfo
    generated_at: str
    assessed_on: str | None = Field(None, description="latest assessed_on date of the inputs")
    organizations: list[str] = Field(default_factory=list)
    target: str
    levels: list[LevelInfo]
    scale: list[ScaleInfo]
    min_coverage: float
    min_group_size: int
    respondents: int
    modes: dict[str, int] = Field(default_factory=dict)
    inputs: Inputs
    overall: Overall
    domains: list[DomainResult]
    items: list[ItemResult]
    priorities: list[Priority]
    candidates: list[Priority] = Field(
        default_factory=list,
        description="every priority candidate in rank order (priorities are the first of "
        "them); empty in files written before it was added",
    )
    principles: list[PrincipleResult]
    groups: Groups | None = None
    notes: list[Note] = Field(default_factory=list)
    na_reasons: list[NaReason] = Field(default_factory=list)
    critical_dissent: float = 0.1
    evidence_counted: bool = Field(
        False,
        description="items carry their noted ratings per value (false in files written before "
        "evidence was counted: their evidence share is unknown, not zero)",
    )
    allow_small_groups: bool = Field(
        False, description="scored with a group size below the questionnaire's minimum"
    )

    def domain(self, domain_id: str) -> DomainResult:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(domain_id)

    def level_label(self, level_id: str | None) -> str:
        for level in self.levels:
            if level.id == level_id:
                return level.label
        return "no level"


def results_json_schema() -> dict[str, Any]:
    schema = Results.model_json_schema()
    schema["title"] = "tra-assess results (tra-results/1)"
    return schema
