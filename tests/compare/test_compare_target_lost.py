"""compare: a target met at baseline but lost since, domains meeting the target, and the
CRITICAL marker on moved items (table and Markdown)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from compare_helpers import as_results, results_doc
from tra_assess.cli.app import app
from tra_assess.compare.change import compare_results


def _docs() -> tuple[dict[str, Any], dict[str, Any]]:
    """alpha: met at baseline (3.0 High), lost (2.0 Middle); beta: met and still met;
    gamma: below, then met. beta.two is critical and moved; alpha.one is not critical."""
    items_before = {"alpha.one": 3.0, "beta.one": 3.0, "beta.two": 2.5, "gamma.one": 1.0}
    items_after = {"alpha.one": 2.0, "beta.one": 3.0, "beta.two": 3.5, "gamma.one": 3.0}
    base = results_doc({"alpha": 3.0, "beta": 2.75, "gamma": 1.0}, items_before, overall=2.25)
    follow = results_doc({"alpha": 2.0, "beta": 3.25, "gamma": 3.0}, items_after,
                         overall=2.75, assessed_on="2026-05-01")
    for doc in (base, follow):
        next(i for i in doc["items"] if i["id"] == "beta.two")["critical"] = True
    return base, follow


def _invoke(runner: CliRunner, tmp_path: Path, *options: str) -> str:
    base, follow = _docs()
    paths = []
    for name, doc in (("base.json", base), ("follow.json", follow)):
        (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
        paths.append(str(tmp_path / name))
    result = runner.invoke(app, ["compare", *paths, *options], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_lost_target_is_not_called_already_met() -> None:
    comparison = compare_results(*(as_results(d) for d in _docs()))
    rows = {d.id: d for d in comparison.domains}
    got = {did: (row.target_already_met, row.followup_meets_target, row.against_target)
           for did, row in rows.items()}
    assert got == {
        "alpha": (True, False, "target lost: gap 0.00 → 0.50"),
        "beta": (True, True, "target met then and now"),
        "gamma": (False, True, "target reached"),
    }
    assert (comparison.baseline_domains_meeting_target,
            comparison.followup_domains_meeting_target) == (2, 2)


def test_other_target_ranks_the_follow_up_level() -> None:
    comparison = compare_results(*(as_results(d) for d in _docs()), target="mid")
    alpha = comparison.domains[0]
    assert (alpha.target_already_met, alpha.followup_meets_target) == (True, True)
    assert alpha.against_target == "target met then and now"
    assert (comparison.baseline_domains_meeting_target,
            comparison.followup_domains_meeting_target) == (2, 3)


def test_markdown_lost_target_count_and_critical(runner: CliRunner, tmp_path: Path) -> None:
    lines = _invoke(runner, tmp_path, "--format", "md").splitlines()
    assert "| Alpha practices | 3.00 | 2.00 | -1.00 | High → Middle (-1) | target lost: gap " \
        "0.00 → 0.50 |" in lines
    assert "| Beta practices | 2.75 | 3.25 | +0.50 | High (same) | target met then and now |" \
        in lines
    assert "Domains meeting the target: 2 → 2" in lines
    assert "| **CRITICAL** `beta.two` beta.two happens. | 2.50 | 3.50 | +1.00 |" in lines
    assert "| `alpha.one` alpha.one happens. | 3.00 | 2.00 | -1.00 |" in lines
    assert sum("CRITICAL" in line for line in lines) == 1


def test_table_lost_target_count_and_critical(runner: CliRunner, tmp_path: Path) -> None:
    out = _invoke(runner, tmp_path)
    assert "target lost: gap 0.00 → 0.50" in out
    assert "Domains meeting the target: 2 → 2" in out.splitlines()
    lines = [line.strip() for line in out.splitlines()]
    assert any(line.startswith("CRITICAL beta.two happens.") for line in lines)
    assert "beta.two" in lines  # the id on its own line under the text
    assert out.count("CRITICAL") == 1


def test_json_has_the_counts_and_the_follow_up_verdict(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    data = json.loads(_invoke(runner, tmp_path, "--format", "json"))
    assert data["baseline_domains_meeting_target"] == 2
    assert data["followup_domains_meeting_target"] == 2
    assert data["domains"][0]["followup_meets_target"] is False
    assert {m["id"]: m["critical"] for m in data["items_moved"]} == {
        "gamma.one": False, "alpha.one": False, "beta.two": True,
    }
