"""Golden reports: a small fixed Results (and baseline) render byte-identically.

Regenerate after an intended change with
``TRA_UPDATE_GOLDEN=1 pytest tests/reports/test_report_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import pytest

from report_factory import make_results, private_template_cache  # noqa: F401
from tra_assess.reports.render import render_report

GOLDEN = Path(__file__).parents[1] / "golden"


def _render(fmt: Literal["md", "html"]) -> str:
    baseline = make_results(scores=(1.0, 0.5, 2.0), generated_at="2025-11-01T00:00:00Z")
    baseline.assessed_on = "2025-11-01"
    gamma = baseline.domains[2]  # score 2.0: Middle, below the target (as scoring would say)
    gamma.level = gamma.level_by_score = "mid"
    gamma.meets_target, gamma.gap = False, 0.5
    return render_report(make_results(), fmt=fmt, baseline=baseline)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_report(fmt: Literal["md", "html"], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    text = _render(fmt)
    path = GOLDEN / f"report-mini.{fmt}"
    if os.environ.get("TRA_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8", newline="")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{path.name} differs; TRA_UPDATE_GOLDEN=1 regenerates it"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_same_inputs_same_bytes(
    fmt: Literal["md", "html"], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = _render(fmt)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert _render(fmt) == first  # only the results' own dates appear in a report
