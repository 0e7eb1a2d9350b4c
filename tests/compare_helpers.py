"""Hand-built tra-results/1 documents (mini questionnaire ladder) for the compare tests."""

from __future__ import annotations

from typing import Any

from tra_assess.results.model import Results

MINI_LEVELS = [
    {"id": "low", "label": "Low", "min_score": 0.0},
    {"id": "mid", "label": "Middle", "min_score": 1.5},
    {"id": "high", "label": "High", "min_score": 2.5},
    {"id": "top", "label": "Top", "min_score": 3.5},
]
TITLES = {"alpha": "Alpha practices", "beta": "Beta practices", "gamma": "Gamma practices"}
ITEM_ORDER = [
    "alpha.one", "alpha.two", "alpha.three", "beta.one", "beta.two", "gamma.one", "gamma.two",
]


def level_of(score: float | None) -> str | None:
    if score is None:
        return None
    chosen = MINI_LEVELS[0]["id"]
    for level in MINI_LEVELS:
        if float(level["min_score"]) <= score + 1e-9:  # type: ignore[arg-type]
            chosen = level["id"]
    return str(chosen)


def results_doc(
    domains: dict[str, float | None],
    items: dict[str, float | None],
    *,
    overall: float | None,
    qid: str = "mini",
    version: str = "2.0",
    assessed_on: str = "2025-05-01",
    titles: dict[str, str] | None = None,
    texts: dict[str, str] | None = None,
    organizations: list[str] | None = None,
) -> dict[str, Any]:
    titles = {**TITLES, **(titles or {})}
    texts = texts or {}
    domain_rows = []
    for did, score in domains.items():
        level = level_of(score)
        domain_rows.append({
            "id": did, "title": titles.get(did, did.title()), "score": score,
            "level": level, "level_by_score": level,
            "status": "scored" if score is not None else "insufficient",
            "coverage": 1.0 if score is not None else 0.0,
            "gap": None if score is None else max(0.0, 2.5 - score),
            "meets_target": None if score is None else score >= 2.5,
            "sd": None, "unknown_rate": 0.0,
        })
    item_rows = []
    for iid, score in items.items():
        item_rows.append({
            "id": iid, "domain": iid.split(".")[0],
            "text": texts.get(iid, f"{iid} happens."),
            "score": score, "level": level_of(score),
            "n": 3 if score is not None else 0, "na": 0, "unknown": 0, "missing": 0,
        })
    weakest = min((level_of(s) for s in domains.values() if s is not None),
                  key=lambda lv: [x["id"] for x in MINI_LEVELS].index(lv), default=None)
    return {
        "format": "tra-results/1",
        "questionnaire": {"id": qid, "version": version, "title": "Mini test questionnaire"},
        "generated_at": f"{assessed_on}T12:00:00Z",
        "assessed_on": assessed_on,
        "organizations": organizations if organizations is not None else ["Test Org"],
        "target": "high",
        "levels": MINI_LEVELS,
        "scale": [{"value": v, "label": str(v)} for v in range(5)],
        "min_coverage": 0.5,
        "min_group_size": 3,
        "respondents": 3,
        "inputs": {"files": 3},
        "overall": {
            "score": overall, "level": weakest, "level_by_score": level_of(overall),
            "status": "scored", "meets_target": False,
        },
        "domains": domain_rows,
        "items": item_rows,
        "priorities": [],
        "principles": [],
    }


def baseline_doc(**kwargs: Any) -> dict[str, Any]:
    return results_doc(
        {"alpha": 1.0, "beta": 3.0, "gamma": 2.0},
        {"alpha.one": 1.0, "alpha.two": 1.0, "alpha.three": 1.0, "beta.one": 3.0,
         "beta.two": 3.0, "gamma.one": 2.0, "gamma.two": 2.0},
        overall=1.75, assessed_on="2025-05-01", **kwargs,
    )


def followup_doc(**kwargs: Any) -> dict[str, Any]:
    return results_doc(
        {"alpha": 2.0, "beta": 2.5, "gamma": 1.0},
        {"alpha.one": 3.0, "alpha.two": 1.0, "alpha.three": 2.0, "beta.one": 2.0,
         "beta.two": 3.0, "gamma.one": 1.0, "gamma.two": 1.0},
        overall=1.875, assessed_on="2026-05-01", **kwargs,
    )


def as_results(doc: dict[str, Any]) -> Results:
    return Results.model_validate(doc)
