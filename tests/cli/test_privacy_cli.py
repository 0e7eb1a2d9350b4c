"""Groups and privacy through the command line: refused small groups, pooled and folded
groups, no count of a suppressed group in any output, ``report`` re-checking a results file."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app

ANSWER = """format: tra-answers/1
questionnaire: {{id: mini, version: "2.0"}}
respondent: {{id: "{rid}", role: "{role}"}}
mode: {mode}
answers: {{alpha.one: 2, alpha.two: 3, alpha.three: 1, beta.one: {beta}, beta.two: {beta},
  gamma.one: 3, gamma.two: 2}}
"""


def write_group(root: Path, role: str, n: int, *, beta: object = 2, mode: str = "individual",
                prefix: str = "") -> None:
    root.mkdir(parents=True, exist_ok=True)
    start = len(list(root.iterdir()))
    for i in range(start, start + n):
        text = ANSWER.format(rid=f"r{i}", role=role, beta=beta, mode=mode)
        (root / f"{prefix}r{i:03d}.yaml").write_text(text, encoding="utf-8")


def invoke(runner: CliRunner, *args: str) -> Any:
    # a fixed clock: the time in generated_at is not a count either
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "SOURCE_DATE_EPOCH": "0"})


def numbers_in(text: str) -> set[str]:
    """The numbers a reader sees in an output, leaving out the glossary's fixed examples."""
    text = re.split(r"\n### Terms used\n|<h3 id=\"glossary-h\"", text, maxsplit=1)[0] + (
        text.split("\n### Every practice", 1)[1] if "\n### Every practice" in text else ""
    )
    return set(re.findall(r"(?<![\w.])\d+(?![\w.])", text))


@pytest.fixture
def red_team(tmp_path: Path) -> Path:
    """Frontline 10, leadership 3, people served 6 (all "don't know" on beta)."""
    root = tmp_path / "in"
    write_group(root, "frontline", 10, beta=1)
    write_group(root, "leadership", 3, beta=4)
    write_group(root, "people served", 6, beta="unknown")
    return root


def test_small_group_size_refused_without_the_flag(
    runner: CliRunner, red_team: Path, mini_path: Path
) -> None:
    for command in ("score", "report"):
        result = invoke(runner, command, str(red_team), "-q", str(mini_path), "--group-by",
                        "role", "--min-group-size", "1")
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1
        assert "--min-group-size 1 is below mini's 3" in result.stderr
        assert "--allow-small-groups" in result.stderr


def test_allow_small_groups_is_said_in_every_output(
    runner: CliRunner, red_team: Path, mini_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "results.json"
    args = [str(red_team), "-q", str(mini_path), "--group-by", "role", "--min-group-size",
            "1", "--allow-small-groups"]
    result = invoke(runner, "score", *args, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Small groups allowed (--allow-small-groups)" in result.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["allow_small_groups"] is True and data["min_group_size"] == 1
    for fmt in ("md", "html"):
        report = invoke(runner, "report", str(out), "--format", fmt)
        assert report.exit_code == 0, report.output
        groups = report.stdout.split("How groups see it", 1)[1]
        assert "Small groups allowed (--allow-small-groups)" in groups.split(
            "How this was worked out"
        )[0]
        method = report.stdout.split("How this was worked out", 1)[1]
        assert "Small groups:" in method and "--allow-small-groups" in method
    plan = invoke(runner, "plan", str(out), "--format", "md")
    assert plan.exit_code == 0, plan.output
    assert "small groups allowed (--allow-small-groups)" in plan.stdout
    assert "small groups allowed" in plan.stderr  # what the terminal says for csv and xlsx too
    tables = tmp_path / "tables"
    exported = invoke(runner, "export", str(out), "--format", "csv", "--out", str(tables))
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO((tables / "groups.csv").read_text("utf-8"))))
    assert rows and all(row["small_groups_allowed"] == "true" for row in rows)
    plain = invoke(runner, "score", str(red_team), "-q", str(mini_path), "--group-by", "role")
    assert "Small groups allowed" not in plain.stdout


def _md_groups(report: str) -> str:
    """The Markdown report's groups tables, with the groups' marks (●, ■ ...) taken out."""
    section = report.split("\n### Groups in detail\n", 1)[1].split("\n### ", 1)[0]
    return re.sub(r"(?m)^\| [^\w(|]+ ", "| ", section)


def test_red_team_through_the_command(
    runner: CliRunner, red_team: Path, mini_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "results.json"
    result = invoke(runner, "score", str(red_team), "-q", str(mini_path), "--group-by", "role",
                    "--min-group-size", "5", "--out", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    frontline = next(g for g in data["groups"]["groups"] if g["value"] == "frontline")
    beta = next(d for d in frontline["domains"] if d["id"] == "beta")
    assert beta["suppressed"] is True and beta["score"] is None
    assert frontline["overall_score"] is None and frontline["overall_suppressed"] is True
    # batch beta = (10 x 1 + 3 x 4) / 13; frontline's beta would give leadership's 4 back
    assert data["domains"][1]["score"] == pytest.approx(22 / 13)
    report = invoke(runner, "report", str(out)).stdout
    section = _md_groups(report)
    assert "| frontline | 10 | suppressed | suppressed |" in section
    assert "| Beta practices | suppressed |" in section
    assert 'Cells that read "suppressed"' in report
    assert "frontline   " in result.stdout and "suppressed" in result.stdout


def test_group_by_mode_prints_no_count_of_a_suppressed_mode(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    root = tmp_path / "in"
    write_group(root, "staff", 23, mode="individual")
    write_group(root, "staff", 19, mode="consensus")
    out = tmp_path / "results.json"
    result = invoke(runner, "score", str(root), "-q", str(mini_path), "--group-by", "mode",
                    "--out", str(out), "--min-group-size", "20")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    assert all(g["suppressed"] for g in data["groups"]["groups"])  # 19 is small: 23 goes too
    assert data["modes"] == {}
    outputs = [text, result.stdout]
    for fmt in ("md", "html"):
        outputs.append(invoke(runner, "report", str(out), "--format", fmt).stdout)
    for output in outputs:
        output = output.replace(str(tmp_path), "TMP")  # pytest's folder is numbered too
        assert not {"19", "23"} & numbers_in(output), output[:200]
    report = invoke(runner, "report", str(out)).stdout
    assert "**Respondents:** 42 (consensus suppressed, individual suppressed)" in report


def test_no_suppressed_group_count_in_any_output(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    root = tmp_path / "in"
    write_group(root, "frontline", 21)
    write_group(root, "nursing", 30)
    write_group(root, "board", 7)
    write_group(root, "chair", 11)
    (root / "zz-anna-smith.yaml").write_text("format: nope\n", encoding="utf-8")
    out = tmp_path / "results.json"
    args = [str(root), "-q", str(mini_path), "--group-by", "role", "--min-group-size", "12"]
    result = invoke(runner, "score", *args, "--out", str(out))
    assert result.exit_code == 1, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    table = {g["value"]: g["n"] for g in data["groups"]["groups"]}
    assert table == {"board": None, "chair": None, "frontline": 21, "nursing": 30}
    outputs = {"json": out.read_text(encoding="utf-8"), "terminal": result.stdout}
    for fmt in ("md", "html"):
        report = invoke(runner, "report", *args, "--format", fmt)
        assert report.exit_code == 1
        outputs[fmt] = report.stdout
        assert "anna" not in report.stdout  # rejected inputs by count and reason
        assert "1 × " in report.stdout
    assert "zz-anna-smith.yaml" in result.stderr  # the person scoring sees the path
    assert any(r["path"].endswith("zz-anna-smith.yaml") for r in data["inputs"]["rejected"])
    for name, output in outputs.items():
        output = output.replace(str(tmp_path), "TMP")  # pytest's folder is numbered too
        found = {"7", "11"} & numbers_in(output)
        assert not found, f"{name} shows {found}"


def test_look_alike_group_values_through_the_command(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    root = tmp_path / "in"
    for spelling in ["Leadership", "leadership", " LEADERSHIP ", "Lead\u200bership",
                     "\uff2c\uff45\uff41\uff44\uff45\uff52\uff53\uff48\uff49\uff50"]:
        write_group(root, spelling, 1)
    write_group(root, "Leadership", 1)
    write_group(root, "staff", 6)
    result = invoke(runner, "score", str(root), "-q", str(mini_path), "--group-by", "role",
                    "--format", "json")
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)["groups"]["groups"]
    assert [(g["value"], g["n"]) for g in groups] == [("Leadership", 6), ("staff", 6)]


def test_group_values_that_differ_only_by_escapes_or_controls_are_one_group(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    """Every output shows them alike (escape sequences and controls are removed on display),
    so they must be one group, not three that look the same."""
    root = tmp_path / "in"
    spellings = ["Leadership", "Leadership\\x1b[0m", "Lead\\x07ership", "\\x1b]0;x\\x07Leadership"]
    for spelling in spellings:
        write_group(root, spelling, 2)
    write_group(root, "staff", 6)
    result = invoke(runner, "score", str(root), "-q", str(mini_path), "--group-by", "role",
                    "--format", "json")
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)["groups"]["groups"]
    assert [(g["n"], g["suppressed"]) for g in groups] == [(8, False), (6, False)]


def test_merge_groups_through_the_command(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    root = tmp_path / "in"
    write_group(root, "frontline", 6)
    write_group(root, "leadership", 3)
    write_group(root, "Supervisor", 2)
    args = [str(root), "-q", str(mini_path), "--group-by", "role", "--min-group-size", "5",
            "--merge-groups", "leadership,supervisor=management"]
    result = invoke(runner, "score", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)["groups"]["groups"]
    assert [(g["value"], g["n"], g["merged_from"]) for g in groups] == [
        ("frontline", 6, []), ("management", 5, ["leadership", "Supervisor"])]
    report = invoke(runner, "report", *args)
    assert report.exit_code == 0, report.output
    assert "Pooled groups: management = leadership \\+ Supervisor." in report.stdout
    bad = invoke(runner, "score", *args[:-1], "leadership+supervisor")
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1
    assert "--merge-groups 'leadership+supervisor': expected \"A,B=NAME\"" in bad.stderr
    ungrouped = invoke(runner, "score", str(root), "-q", str(mini_path),
                       "--merge-groups", "a,b=c")
    assert ungrouped.exit_code == 2 and "--group-by" in ungrouped.stderr


def _results_file(runner: CliRunner, root: Path, mini_path: Path, out: Path) -> dict[str, Any]:
    result = invoke(runner, "score", str(root), "-q", str(mini_path), "--group-by", "role",
                    "--min-group-size", "5", "--out", str(out))
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_report_reapplies_suppression_to_an_edited_file(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    root = tmp_path / "in"
    write_group(root, "frontline", 8)
    write_group(root, "nursing", 9)
    write_group(root, "board", 6)
    out = tmp_path / "results.json"
    data = _results_file(runner, root, mini_path, out)
    assert not any(g["suppressed"] for g in data["groups"]["groups"])
    board = next(g for g in data["groups"]["groups"] if g["value"] == "board")
    board["n"] = 2  # edited by hand (or an older, laxer version): below min_size 5
    out.write_text(json.dumps(data), encoding="utf-8")
    report = invoke(runner, "report", str(out))
    assert report.exit_code == 0, report.output
    section = _md_groups(report.stdout)
    rule = "suppressed: fewer than 5, or needed to protect a smaller group"
    assert f"| board | {rule} | — | — |" in section
    # exactly one was small: the smallest other (frontline, 8) goes too
    assert f"| frontline | {rule} | — | — |" in section
    # the per-figure state of the file is void now: nursing keeps its count, no figure
    assert "| nursing | 9 | suppressed | suppressed |" in section
    assert not re.search(r"\| \d+\.\d\d(?: \(insufficient data\))? \|", section)
    method = report.stdout.split("How this was worked out")[1]
    assert "checked only as far as the file allows" in method
    assert "checked only as far as the file allows" in report.stderr


def test_report_of_an_older_file_without_per_figure_data(
    runner: CliRunner, red_team: Path, mini_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "results.json"
    data = _results_file(runner, red_team, mini_path, out)
    groups = data["groups"]
    del groups["per_figure"]  # as an older version wrote it, cells unsuppressed
    for group in groups["groups"]:
        for cell in group["domains"]:
            cell.pop("suppressed", None)
            cell["score"] = cell["score"] if cell["score"] is not None else 1.0
        group.pop("overall_suppressed", None)
    out.write_text(json.dumps(data), encoding="utf-8")
    report = invoke(runner, "report", str(out), "--format", "html")
    assert report.exit_code == 0, report.output
    section = report.stdout.split('id="groups-detail-h"', 1)[1].split("</section>", 1)[0]
    assert not re.search(r'<td class="num">\d+\.\d\d[^<]*</td>', section)
    assert "checked only as far as the file allows" in report.stdout


def test_report_of_a_file_with_nothing_suppressed_is_unchanged(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    root = tmp_path / "in"
    write_group(root, "frontline", 8)
    write_group(root, "nursing", 9)
    out = tmp_path / "results.json"
    data = _results_file(runner, root, mini_path, out)
    del data["groups"]["per_figure"]
    out.write_text(json.dumps(data), encoding="utf-8")
    report = invoke(runner, "report", str(out))
    assert report.exit_code == 0 and report.stderr == ""
    assert "| frontline | 8 | 2.25 |" in _md_groups(report.stdout)


def test_installed_command_refuses_small_groups(red_team: Path, mini_path: Path) -> None:
    import shutil
    import sys

    exe = shutil.which("tra-assess") or str(Path(sys.executable).parent / "tra-assess")
    proc = subprocess.run(
        [exe, "score", str(red_team), "-q", str(mini_path), "--group-by", "role",
         "--min-group-size", "2"], capture_output=True, text=True, check=False, timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error: --min-group-size 2 is below mini's 3")
    assert "Traceback" not in proc.stderr


def test_folded_groups_identical_whatever_the_jobs(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    root = tmp_path / "many"
    for spelling in ["Leadership", "LEADERSHIP", "Lead\u200bership", "staff", "Staff "] * 45:
        write_group(root, spelling, 1, beta=len(spelling) % 5)
    write_group(root, "Leadership", 1)  # the most common spelling is displayed
    write_group(root, "staff", 1)
    outputs = []
    for jobs in ("1", "2"):
        result = invoke(runner, "score", str(root), "-q", str(mini_path), "--jobs", jobs,
                        "--format", "json", "--group-by", "role")
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        document.pop("generated_at")
        outputs.append(document)
    assert outputs[0] == outputs[1]
    groups = outputs[0]["groups"]["groups"]
    assert [(g["value"], g["n"]) for g in groups] == [("Leadership", 136), ("staff", 91)]
