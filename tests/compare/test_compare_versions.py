"""compare across versions of a questionnaire: items paired through the `changes` list, split
and merged items left out (with why), each domain scored again on the items both share.

End to end: answers scored against tra-core 1.0.0 (tests/data/tra-core-1.0.0.yaml, the
published version) and against tra-core 1.1.0, then compared by `compare` and `report
--baseline`. Then hand-built results for what tra-core does not exercise: an id kept by a
split, a moved id, several versions in a row, files in the wrong order, no changes list.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from compare_helpers import as_results, results_doc
from tra_assess.cli.app import app
from tra_assess.compare.change import Comparison, compare_results
from tra_assess.compare.versions import changes_between
from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.questionnaire.model import Questionnaire

DATA = Path(__file__).resolve().parents[1] / "data"
CORE_1_0_0 = DATA / "tra-core-1.0.0.yaml"

# Baseline (1.0.0): every item rated 1, except the items that 1.1.0 merged or split, rated 4.
# Follow-up (1.1.0): every item rated 2, except the new, merged and split items (0), the
# shared critical de-escalation item (1) and the other shared crisis items (3).
LEFT_OUT_HIGH = {"intake.why-asked", "intake.confidentiality", "crisis.restraint-last-resort",
                 "environment.noise", "environment.lighting"}
SPLIT = ("crisis.restraint-last-resort was split into crisis.restraint-safe-use, "
         "crisis.restraint-recorded and crisis.restraint-reduction in 1.1.0: not compared")
MERGED = ("intake.why-asked and intake.confidentiality were merged into intake.information-use "
          "in 1.1.0: not compared")
REMOVED = "improvement.small-tests was removed in 1.1.0: not compared"
SHARED_CRISIS = ("crisis.prevention-plan", "crisis.de-escalation", "crisis.debrief-people-served",
                 "crisis.debrief-staff", "crisis.incident-review", "crisis.repair")


def _write_answers(q: Questionnaire, path: Path, rate: Any, date: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["respondent_id", "organization", "assessed_on",
                         *(item.id for item in q.items)])
        for n in range(3):
            writer.writerow([f"r{n}", "Riverbend", date, *(rate(item.id) for item in q.items)])


def _followup_rating(core: Questionnaire) -> Any:
    change = next(c for c in core.changes if c.version == "1.1.0")
    new = set(change.added) | set(change.merged) | {i for ids in change.split.values()
                                                    for i in ids}

    def rate(item_id: str) -> int:
        if item_id in new:
            return 0
        if item_id == "crisis.de-escalation":
            return 1
        return 3 if item_id in SHARED_CRISIS else 2

    return rate


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two results files: tra-core 1.0.0 in 2025, tra-core 1.1.0 in 2026."""
    folder = tmp_path_factory.mktemp("versions")
    old, core = load_questionnaire(CORE_1_0_0), load_questionnaire("tra-core")
    assert (old.version, len(old.items), core.version) == ("1.0.0", 71, "1.1.0")
    _write_answers(old, folder / "a2025.csv", lambda i: 4 if i in LEFT_OUT_HIGH else 1,
                   "2025-05-01")
    _write_answers(core, folder / "a2026.csv", _followup_rating(core), "2026-05-01")
    runner = CliRunner()
    for name, questionnaire in (("2025", str(CORE_1_0_0)), ("2026", "tra-core")):
        result = runner.invoke(app, ["score", str(folder / f"a{name}.csv"), "-q", questionnaire,
                                     "-o", str(folder / f"r{name}.json")])
        assert result.exit_code == 0, result.output
    return folder / "r2025.json", folder / "r2026.json"


def _compare_json(runner: CliRunner, *paths: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["compare", *map(str, paths), "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_split_merged_removed_and_added_items_are_left_out_with_why(
    runner: CliRunner, scored: tuple[Path, Path]
) -> None:
    data = _compare_json(runner, *scored)
    texts = [note["text"] for note in data["left_out"]]
    assert SPLIT in texts and MERGED in texts and REMOVED in texts
    assert sum(note["why"] == "merged" for note in data["left_out"]) == 7
    added = next(note for note in data["left_out"] if note["why"] == "added")
    assert len(added["ids"]) == 15 and added["text"].startswith(
        "new in 1.1.0, so not compared: intake.disclosure-response, ")
    assert [note["kind"] for note in data["left_out"]] == ["item"] * 10  # no domain left out
    compared = {m["id"] for m in data["items_moved"]}
    assert not compared & (LEFT_OUT_HIGH | {"intake.information-use", "environment.sensory"})
    assert data["warnings"][0] == (
        "the baseline used tra-core 1.0.0 and the follow-up tra-core 1.1.0: comparing the 10 "
        "domains and 55 items both have, each domain on the items both versions share (the "
        "rest are listed as not compared)")
    assert "55 items reworded between the versions are compared as the same practice" in (
        data["warnings"])


def test_domains_are_compared_on_the_items_both_versions_share(
    runner: CliRunner, scored: tuple[Path, Path]
) -> None:
    data = _compare_json(runner, *scored)
    rows = {d["id"]: d for d in data["domains"]}
    stored = {
        side: {d["id"]: d for d in json.loads(path.read_text(encoding="utf-8"))["domains"]}
        for side, path in zip(("before", "after"), scored, strict=True)
    }
    intake = rows["intake"]
    # as stored, intake fell from 13/7 (two merged items at 4) to 10/9 (four items at 0) ...
    assert stored["before"]["intake"]["score"] == pytest.approx(13 / 7)
    assert stored["after"]["intake"]["score"] == pytest.approx(10 / 9)
    # ... but on the five practices both versions ask about, it rose from 1 to 2
    assert (intake["shared_items"], intake["baseline_score"], intake["followup_score"]) == (
        5, 1.0, 2.0)
    assert (intake["baseline_level"], intake["followup_level"]) == ("aware", "sensitive")
    crisis = rows["crisis"]  # six shared items: five at 3, the critical de-escalation at 1
    assert crisis["shared_items"] == 6
    assert crisis["followup_score"] == pytest.approx(16 / 6)
    assert crisis["followup_level"] == "aware"  # capped by crisis.de-escalation
    assert crisis["level_change"] == 0
    assert {d: r["shared_items"] for d, r in rows.items()} == {
        "intake": 5, "supervision": 5, "leadership": 5, "crisis": 6, "environment": 4,
        "wellness": 7, "training": 7, "voice": 6, "equity": 5, "improvement": 5,
    }
    overall = data["overall"]  # the ten compared domains, each on its shared items
    assert overall["baseline_score"] == pytest.approx(1.0)
    assert overall["followup_score"] == pytest.approx((9 * 2.0 + 16 / 6) / 10)
    assert (overall["baseline_level"], overall["followup_level"]) == ("aware", "aware")


def test_compare_table_and_markdown_say_what_was_left_out(
    runner: CliRunner, scored: tuple[Path, Path]
) -> None:
    table = runner.invoke(app, ["compare", *map(str, scored)], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    flat = " ".join(table.stdout.split())
    assert "Not compared:" in flat and f"- {SPLIT}" in flat and f"- {MERGED}" in flat
    assert "Intake, screening and assessment (on 5 shared items)" in flat
    assert 'A domain marked "on N shared items" was scored again' in flat
    assert "warning: the baseline used tra-core 1.0.0" in table.stderr
    md = runner.invoke(app, ["compare", *map(str, scored), "--format", "md"])
    assert md.exit_code == 0, md.output
    lines = md.stdout.splitlines()
    assert "## Not compared" in lines
    assert f"- {SPLIT}" in lines and f"- {MERGED}" in lines and f"- {REMOVED}" in lines
    assert ("| Intake, screening and assessment (on 5 shared items) | 1.00 | 2.00 | +1.00 | "
            "Trauma aware → Trauma sensitive (+1) | gap 2.00 → 1.00 |") in lines


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_with_a_baseline_of_the_earlier_version(
    runner: CliRunner, scored: tuple[Path, Path], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(app, ["report", str(scored[1]), "--baseline", str(scored[0]),
                                 "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Intake, screening and assessment (on 5 shared items)" in text
    assert "Not compared" in text and SPLIT in text and REMOVED in text
    assert "the overall score on the items both versions of the questionnaire share" in text


def test_files_in_the_wrong_order_still_pair_through_the_changes(
    runner: CliRunner, scored: tuple[Path, Path]
) -> None:
    data = _compare_json(runner, scored[1], scored[0])
    assert SPLIT in [note["text"] for note in data["left_out"]]
    assert {d["id"]: d["shared_items"] for d in data["domains"]}["intake"] == 5
    assert any("later than the follow-up" in w for w in data["warnings"])


def test_a_questionnaire_of_another_id_is_a_usage_error(
    runner: CliRunner, scored: tuple[Path, Path]
) -> None:
    result = runner.invoke(app, ["compare", *map(str, scored), "-q", "tra-quick"])
    assert result.exit_code == 2
    assert "the questionnaire given is 'tra-quick', but the results are of 'tra-core'" in (
        result.output)


# -- hand-built results ---------------------------------------------------------------------


def _questionnaire(changes: list[dict[str, Any]]) -> Questionnaire:
    return Questionnaire.model_validate({
        "format": "tra-questionnaire/1", "id": "mini", "version": "2.0", "title": "Mini",
        "scale": [{"value": v, "label": str(v)} for v in range(5)],
        "levels": [{"id": "low", "label": "Low", "min_score": 0}],
        "domains": [{"id": "alpha", "title": "Alpha", "items": [{"id": "alpha.one",
                                                                 "text": "One."}]}],
        "changes": changes,
    })


def _pair(changes: list[dict[str, Any]], base: dict[str, Any],
          follow: dict[str, Any]) -> Comparison:
    return compare_results(as_results(base), as_results(follow),
                           questionnaire=_questionnaire(changes))


def test_an_id_kept_by_a_split_is_not_compared_as_the_same() -> None:
    base = results_doc({"alpha": 1.5}, {"alpha.one": 1.0, "alpha.two": 2.0}, overall=1.5,
                       version="1.0")
    follow = results_doc({"alpha": 3.0}, {"alpha.one": 3.0, "alpha.two": 3.0,
                                          "alpha.three": 3.0},
                         overall=3.0, version="2.0", assessed_on="2026-01-01")
    changes = [{"version": "1.0"},
               {"version": "2.0", "split": {"alpha.one": ["alpha.one", "alpha.three"]}}]
    comparison = _pair(changes, base, follow)
    assert [(n.why, n.text) for n in comparison.left_out] == [
        ("split", "alpha.one was split into alpha.one and alpha.three in 2.0: not compared")]
    assert [m.id for m in comparison.items_moved] == ["alpha.two"]
    alpha = comparison.domains[0]
    assert (alpha.shared_items, alpha.baseline_score, alpha.followup_score) == (1, 2.0, 3.0)
    # paired by id alone, alpha.one would be compared with itself
    by_id = compare_results(as_results(base), as_results(follow))
    assert {m.id for m in by_id.items_moved} == {"alpha.one", "alpha.two"}
    assert any("no changes list leading from 1.0 to 2.0" in w for w in by_id.warnings)


def test_moved_ids_are_compared_and_versions_chain() -> None:
    base = results_doc({"alpha": 1.0}, {"alpha.one": 1.0, "alpha.two": 1.0, "alpha.old": 1.0},
                       overall=1.0, version="1.0")
    follow = results_doc({"alpha": 2.0}, {"alpha.one": 2.0, "alpha.new": 3.0,
                                          "alpha.four": 1.0, "alpha.five": 1.0},
                         overall=2.0, version="3.0", assessed_on="2026-01-01")
    changes = [
        {"version": "1.0"},
        {"version": "2.0", "moved": {"alpha.old": "alpha.mid"}, "removed": ["alpha.two"]},
        {"version": "3.0", "moved": {"alpha.mid": "alpha.new"},
         "merged": {"alpha.four": ["alpha.x", "alpha.y"]}, "added": ["alpha.five"]},
    ]
    comparison = _pair(changes, base, follow)
    moved = {m.id: (m.baseline_id, m.change) for m in comparison.items_moved}
    assert moved == {"alpha.new": ("alpha.old", 2.0), "alpha.one": (None, 1.0)}
    assert [n.text for n in comparison.left_out] == [
        "alpha.two was removed in 2.0: not compared",
        "alpha.x and alpha.y were merged into alpha.four in 3.0: not compared",
        "new in 3.0, so not compared: alpha.five",
    ]
    assert comparison.domains[0].shared_items == 2
    assert "compared as the same practice under a new id: alpha.old (now alpha.new)" in (
        comparison.warnings)


def test_changes_between_versions_in_either_order() -> None:
    q = _questionnaire([{"version": "1.0"}, {"version": "2.0"}, {"version": "3.0"}])
    assert changes_between(q, "1.0", "3.0") == (q.changes[1:], False)
    assert changes_between(q, "3.0", "2.0") == (q.changes[2:], True)
    assert changes_between(q, "2.0", "2.0") == ([], False)
    assert changes_between(q, "0.9", "2.0") is None


def test_a_domain_with_no_item_in_common_is_left_out() -> None:
    base = results_doc({"alpha": 1.0, "beta": 2.0}, {"alpha.one": 1.0, "beta.one": 2.0},
                       overall=1.5, version="1.0")
    follow = results_doc({"alpha": 2.0, "beta": 3.0}, {"alpha.one": 2.0, "beta.two": 3.0},
                         overall=2.5, version="2.0", assessed_on="2026-01-01")
    changes = [{"version": "1.0"}, {"version": "2.0", "removed": ["beta.one"],
                                    "added": ["beta.two"]}]
    comparison = _pair(changes, base, follow)
    assert [d.id for d in comparison.domains] == ["alpha"]
    assert comparison.left_out[-1].model_dump() == {
        "kind": "domain", "why": "no-shared-items", "ids": ["beta"], "version": None,
        "text": "domain beta: no item in both versions, so not compared"}
    assert (comparison.overall.baseline_score, comparison.overall.followup_score) == (1.0, 2.0)


def test_a_baseline_priority_split_since_is_said_in_the_plan_and_report(
    runner: CliRunner, scored: tuple[Path, Path], tmp_path: Path
) -> None:
    data = json.loads(scored[0].read_text("utf-8"))
    def priority(rank: int, item_id: str) -> dict[str, Any]:
        item = next(i for i in data["items"] if i["id"] == item_id)
        return {"rank": rank, "kind": "improve", "item": item_id, "domain": item["domain"],
                "text": item["text"], "score": item["score"], "level": item["level"],
                "critical": item["critical"], "weight": item["weight"], "shortfall": 1.0}

    data["priorities"] = [priority(1, "crisis.restraint-last-resort"),
                          priority(2, "crisis.de-escalation")]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(data), "utf-8")
    plan = runner.invoke(app, ["plan", str(scored[1]), "--baseline", str(baseline),
                               "--format", "csv"])
    assert plan.exit_code == 0, plan.output
    rows = {r["item_id"]: r for r in csv.DictReader(plan.stdout.splitlines())}
    gone = rows["crisis.restraint-last-resort"]
    assert gone["since_baseline"] == "not assessed now" and SPLIT in gone["item_level"]
    # the shared critical item is followed: it is still a priority now, its baseline rank 2
    assert rows["crisis.de-escalation"]["baseline_rank"] == "2"
    report = runner.invoke(app, ["report", str(scored[1]), "--baseline", str(baseline)])
    assert report.exit_code == 0, report.output
    row = next(line for line in report.stdout.splitlines()
               if "crisis.restraint-last-resort" in line and "not assessed now" in line)
    assert SPLIT in row
