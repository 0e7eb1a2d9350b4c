"""A Results factory for the report tests: built from the pydantic models directly, so the
report tests and golden files do not depend on the scoring code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tra_assess.results.model import (
    DomainResult,
    GroupDomain,
    GroupResult,
    Groups,
    Inputs,
    ItemResult,
    LevelInfo,
    Note,
    Overall,
    PerceptionGap,
    PrincipleResult,
    Priority,
    QuestionnaireInfo,
    Rejected,
    Results,
    ScaleInfo,
)


def template_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "report-template-cache"


@pytest.fixture(autouse=True)
def private_template_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Report tests keep the compiled-template cache out of the user's home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(template_cache_dir(tmp_path_factory)))
    monkeypatch.delenv("TRA_ASSESS_NO_CACHE", raising=False)


LEVELS = [
    LevelInfo(id="low", label="Low", min_score=0),
    LevelInfo(id="mid", label="Middle", min_score=1.5),
    LevelInfo(id="high", label="High", min_score=2.5),
    LevelInfo(id="top", label="Top", min_score=3.5),
]
SCALE = [
    ScaleInfo(value=value, label=label)
    for value, label in enumerate(["None", "Some", "Half", "Most", "All"])
]


def _item(item_id: str, domain: str, text: str, score: float | None, level: str | None,
          **extra: Any) -> ItemResult:
    fields: dict[str, Any] = {"n": 4, "na": 0, "unknown": 0, "missing": 0, "sd": 0.5,
                              "distribution": {"1": 1, "2": 2, "3": 1}}
    fields.update(extra)
    return ItemResult(id=item_id, domain=domain, text=text, score=score, level=level, **fields)


def make_results(
    *,
    organization: str = "Riverbend Family Services",
    grouped: bool = True,
    with_notes: bool = True,
    alpha_title: str = "Alpha practices",
    item_text: str = "Alpha two happens.",
    group_value: str = "staff",
    note_text: str = "Evidence: intake script revised in May",
    scores: tuple[float, float, float] = (2.0, 0.75, 3.0),
    generated_at: str = "2026-11-22T00:00:00Z",
) -> Results:
    """Three domains of the mini questionnaire: alpha capped to Middle by critical alpha.two,
    beta Low (insufficient? no: scored, Low), gamma High (meets the target High)."""
    a, b, g = scores
    domains = [
        DomainResult(id="alpha", title=alpha_title, weight=2, score=a, level="mid",
                     level_by_score="mid", status="scored", coverage=1.0, scored_items=3,
                     applicable_items=3, capped_by=["alpha.two"], gap=max(0.0, 2.5 - a),
                     meets_target=False, sd=1.25, sd_n=4, low_agreement=True, alpha=None,
                     unknown_rate=0.1),
        DomainResult(id="beta", title="Beta practices", score=b, level="low",
                     level_by_score="low", status="scored", coverage=0.5, scored_items=1,
                     applicable_items=2, gap=2.5 - b, meets_target=False, sd=0.5, sd_n=4,
                     low_agreement=False, unknown_rate=0.25),
        DomainResult(id="gamma", title="Gamma practices", score=g, level="high",
                     level_by_score="high", status="scored", coverage=1.0, scored_items=2,
                     applicable_items=2, gap=0.0, meets_target=True, sd=0.0, sd_n=4,
                     low_agreement=False, alpha=0.8125, alpha_n=12, unknown_rate=0.0),
    ]
    items = [
        _item("alpha.one", "alpha", "Alpha one happens.", 2.5, "high", sd=0.577),
        _item("alpha.two", "alpha", item_text, 1.5, "mid", critical=True, weight=2, sd=1.5,
              distribution={"0": 1, "2": 1, "4": 2}),
        _item("alpha.three", "alpha", "Alpha three happens.", 2.5, "high", sd=0.0),
        _item("beta.one", "beta", "Beta one happens.", b, "low", sd=0.5),
        _item("beta.two", "beta", "Beta two happens.", None, None, critical=True, n=0,
              unknown=4, sd=None, distribution={}),
        _item("gamma.one", "gamma", "Gamma one happens.", 3.0, "high", sd=0.0),
        _item("gamma.two", "gamma", "Gamma two happens.", 3.0, "high", sd=0.0),
    ]
    priorities = [
        Priority(rank=1, item="alpha.two", domain="alpha", text=item_text, score=1.5,
                 level="mid", critical=True, weight=2, shortfall=1.0, action="Pilot alpha two."),
        Priority(rank=2, item="beta.one", domain="beta", text="Beta one happens.", score=b,
                 level="low", critical=False, shortfall=2.5 - b, action=None),
    ]
    groups = None
    if grouped:
        groups = Groups(by="role", min_size=3, groups=[
            GroupResult(value="lead", n=None, suppressed=True),
            GroupResult(value=group_value, n=4, suppressed=False, overall_score=1.9,
                        overall_level="low", domains=[
                            GroupDomain(id="alpha", score=2.0, level="mid"),
                            GroupDomain(id="beta", score=0.75, level="low"),
                            GroupDomain(id="gamma", score=3.0, level="high")]),
            GroupResult(value="volunteer", n=5, suppressed=False, overall_score=2.2,
                        overall_level="low", domains=[
                            GroupDomain(id="alpha", score=2.25, level="mid"),
                            GroupDomain(id="beta", score=1.0, level="low"),
                            GroupDomain(id="gamma", score=1.5, level="mid")]),
        ], perception_gaps=[
            PerceptionGap(domain="gamma", high=group_value, low="volunteer", high_score=3.0,
                          low_score=1.5, gap=1.5, flagged=True),
            PerceptionGap(domain="alpha", high="volunteer", low=group_value, high_score=2.25,
                          low_score=2.0, gap=0.25, flagged=False),
        ])
    notes = []
    if with_notes:
        notes = [Note(item="alpha.two", domain="alpha", text=note_text),
                 Note(item="gamma.one", domain="gamma", text="Posters in every room.")]
    return Results(
        tool_version="0.1.0",
        questionnaire=QuestionnaireInfo(id="mini", version="2.0", title="Mini test questionnaire",
                                        description="Three domains.\n\nNot a validated test."),
        generated_at=generated_at, assessed_on="2026-11-20", organizations=[organization],
        target="high", levels=LEVELS, scale=SCALE, min_coverage=0.5, min_group_size=3,
        respondents=12, modes={"individual": 12},
        inputs=Inputs(files=13, rejected=[Rejected(path="bad.yaml", error="bad.yaml:3: oops")]),
        overall=Overall(score=(2 * a + b + g) / 4, level="low", level_by_score="mid",
                        status="scored", meets_target=False, gap=2.5 - (2 * a + b + g) / 4,
                        scored_domains=3, applicable_domains=3),
        domains=domains, items=items, priorities=priorities,
        principles=[PrincipleResult(id="safety", score=2.0, items=2)],
        groups=groups, notes=notes,
    )
