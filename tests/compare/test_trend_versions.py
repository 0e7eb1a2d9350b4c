"""trend across versions of a questionnaire: every domain followed on the items every version
shares, the overall scored again over the followed domains, what was left out named.

End to end: answers scored against tra-core 1.0.0 (tests/data) in 2025 and against 1.1.0 in
2026 and 2027, then followed by `trend` and `report --history`. The 2025 and early-2026 files
are those of tests/compare/test_compare_versions.py, so the trend's figures at those two dates
must be the comparison's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_compare_versions import (
    CORE_1_0_0,
    LEFT_OUT_HIGH,
    MERGED,
    SPLIT,
    _followup_rating,
    _write_answers,
)
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.questionnaire.load import load_questionnaire


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("trend-versions")
    old, core = load_questionnaire(CORE_1_0_0), load_questionnaire("tra-core")
    _write_answers(old, folder / "a2025.csv", lambda i: 4 if i in LEFT_OUT_HIGH else 1,
                   "2025-05-01")
    _write_answers(core, folder / "a2026.csv", _followup_rating(core), "2026-05-01")
    _write_answers(core, folder / "a2027.csv", lambda i: 3, "2027-05-01")
    runner = CliRunner()
    for name, questionnaire in (("2025", str(CORE_1_0_0)), ("2026", "tra-core"),
                                ("2027", "tra-core")):
        result = runner.invoke(app, ["score", str(folder / f"a{name}.csv"), "-q", questionnaire,
                                     "-o", str(folder / f"r{name}.json")])
        assert result.exit_code == 0, result.output
    return [folder / f"r{year}.json" for year in ("2027", "2025", "2026")]  # any order


def _trend(runner: CliRunner, paths: list[Path], *extra: str) -> tuple[dict[str, Any], str]:
    result = runner.invoke(app, ["trend", *map(str, paths), "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data, result.stderr


def test_domains_are_followed_on_the_items_every_version_shares(
    runner: CliRunner, three: list[Path]
) -> None:
    data, _ = _trend(runner, three)
    assert [a["version"] for a in data["assessments"]] == ["1.0.0", "1.1.0", "1.1.0"]
    rows = {d["id"]: d for d in data["domains"]}
    assert len(rows) == 10 and data["left_out"] == []
    assert rows["intake"]["shared_items"] == 5
    assert rows["intake"]["title"] == "Intake, screening and assessment (on 5 shared items)"
    assert {d: r["shared_items"] for d, r in rows.items()} == {
        "intake": 5, "supervision": 5, "leadership": 5, "crisis": 6, "environment": 4,
        "wellness": 7, "training": 7, "voice": 6, "equity": 5, "improvement": 5,
    }
    intake = [p["score"] for p in rows["intake"]["points"]]
    # as stored, intake was 13/7 in 2025 (two merged items at 4) and 10/9 in 2026; on the
    # five practices every version asks about it rose from 1 to 2, then to 3
    assert intake == [1.0, 2.0, 3.0]
    crisis = rows["crisis"]["points"]
    assert crisis[1]["score"] == pytest.approx(16 / 6)
    assert crisis[1]["level"] == "aware"  # capped by the critical crisis.de-escalation at 1
    overall = data["overall"]["points"]
    assert overall[0]["score"] == pytest.approx(1.0)
    assert overall[1]["score"] == pytest.approx((9 * 2.0 + 16 / 6) / 10)
    assert overall[2]["score"] == pytest.approx(3.0)
    assert data["groups"] is None


def test_the_trend_agrees_with_compare_on_two_of_its_dates(
    runner: CliRunner, three: list[Path]
) -> None:
    data, _ = _trend(runner, three)
    result = runner.invoke(app, ["compare", str(three[1]), str(three[2]), "--format", "json"])
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.stdout)
    trend = {d["id"]: [p["score"] for p in d["points"]] for d in data["domains"]}
    for row in comparison["domains"]:
        assert trend[row["id"]][:2] == pytest.approx(
            [row["baseline_score"], row["followup_score"]]), row["id"]
    overall = [p["score"] for p in data["overall"]["points"]]
    assert overall[:2] == pytest.approx(
        [comparison["overall"]["baseline_score"], comparison["overall"]["followup_score"]])


def test_what_was_left_out_is_named(runner: CliRunner, three: list[Path]) -> None:
    data, stderr = _trend(runner, three)
    warnings = data["warnings"]
    assert f"1.0.0 to 1.1.0: {SPLIT}" in warnings
    assert f"1.0.0 to 1.1.0: {MERGED}" in warnings
    assert any(w.startswith("items differ between the versions, so these domains are followed "
                            "on the items every version shares") and "intake" in w
               for w in warnings)
    assert ("the overall result is scored again at every date over the followed domains; "
            "groups are not followed (a results file holds no group figures per item)") in warnings
    assert "warning: items differ between the versions" in stderr
    assert "intake (5 items)" in stderr


def test_one_version_is_followed_as_stored(runner: CliRunner, three: list[Path],
                                           tmp_path: Path) -> None:
    """Files of one version: the stored figures, untouched."""
    later = json.loads(three[2].read_text(encoding="utf-8"))
    paths = [three[0], three[2]]
    copy = tmp_path / "r2026b.json"
    later["assessed_on"] = "2026-09-01"
    copy.write_text(json.dumps(later), encoding="utf-8")
    data, _ = _trend(runner, [*paths, copy])
    stored = {d["id"]: d["score"] for d in later["domains"]}
    for row in data["domains"]:
        assert row["points"][0]["score"] == pytest.approx(stored[row["id"]])
    assert data["overall"]["points"][0]["score"] == pytest.approx(later["overall"]["score"])
    assert not any("scored again" in w for w in data["warnings"])
    assert all(row["shared_items"] is None for row in data["domains"])


def test_report_history_follows_the_shared_items(runner: CliRunner, three: list[Path],
                                                 tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["report", str(three[0]), "--history", str(three[1]),
                                 "--history", str(three[2]), "--format", "md", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "> Note: items differ between the versions, so these domains are followed" in text
    assert "Intake, screening and assessment (on 5 shared items)" in text


def test_trend_questionnaire_option(runner: CliRunner, three: list[Path]) -> None:
    data, _ = _trend(runner, three, "-q", str(CORE_1_0_0))
    # 1.0.0's own file has no changes list leading to 1.1.0: the items are paired by id only
    rows = {d["id"]: d for d in data["domains"]}
    assert "intake" in rows
    bad = runner.invoke(app, ["trend", *map(str, three), "-q", "tra-quick"])
    assert bad.exit_code == 2
    assert "the questionnaire given is 'tra-quick', but the results are of 'tra-core'" in (
        bad.output)
