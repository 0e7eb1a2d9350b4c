"""``tra-assess score`` at the level the user works: CliRunner and one real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app

ANSWER = """format: tra-answers/1
questionnaire: {{id: mini, version: "2.0"}}
organization: "{org}"
respondent: {{id: "{rid}", role: {role}}}
answers:
  alpha.one: {a}
  alpha.two: {b}
  alpha.three: 2
  beta.one: 3
  beta.two: {b}
  gamma.one: unknown
  gamma.two: 1
"""


def write_answers(root: Path, n: int, start: int = 0, org: str = "Riverbend") -> None:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        text = ANSWER.format(
            org=org, rid=f"r{i}", role=("lead", "staff", "peer")[i % 3], a=i % 5, b=(i * 7) % 5
        )
        (root / f"r{i:04d}.yaml").write_text(text)


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    write_answers(tmp_path / "in", 6)
    return tmp_path / "in"


def test_table_summary_and_out_file(runner: CliRunner, answers: Path, mini_path: Path) -> None:
    out = answers.parent / "results.json"
    result = runner.invoke(
        app,
        [
            "score",
            str(answers),
            "-q",
            str(mini_path),
            "--out",
            str(out),
            "--group-by",
            "role",
            "--min-group-size",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Overall:" in result.stdout and "Alpha practices" in result.stdout
    assert "suppressed" in result.stdout  # 2 per role < 3
    document = json.loads(out.read_text())
    assert document["format"] == "tra-results/1"
    assert document["respondents"] == 6
    assert document["inputs"] == {
        "files": 6, "rejected": [], "rejected_unlisted": 0, "warnings": []
    }
    assert [g["suppressed"] for g in document["groups"]["groups"]] == [True, True, True]


def test_json_to_stdout(runner: CliRunner, answers: Path, mini_path: Path) -> None:
    result = runner.invoke(app, ["score", str(answers), "-q", str(mini_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["respondents"] == 6


def test_broken_file_exit_1_and_results_still_written(
    runner: CliRunner, answers: Path, mini_path: Path
) -> None:
    (answers / "r0003.yaml").write_text("format: tra-answers/1\nanswers: [\n")
    out = answers.parent / "results.json"
    result = runner.invoke(app, ["score", str(answers), "-q", str(mini_path), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0].startswith(f"{answers / 'r0003.yaml'}:3: invalid YAML")
    assert "Traceback" not in result.output
    document = json.loads(out.read_text())
    assert document["respondents"] == 5
    assert document["inputs"]["rejected"][0]["path"] == str(answers / "r0003.yaml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "error: nope: no such file or directory"),
        (
            ["--target", "heigh"],
            "error: unknown target level 'heigh' (levels of mini: low, mid, high, top)",
        ),
        (
            ["--group-by", "rol"],
            "error: --group-by 'rol': no respondent has this field; did you mean 'role'?",
        ),
        (["-q", "no-such-q"], "error: unknown questionnaire 'no-such-q'"),
        (
            ["--out", "/no/such/dir/r.json"],
            "error: --out /no/such/dir/r.json: no such directory /no/such/dir",
        ),
    ],
)
def test_usage_errors_exit_2(
    runner: CliRunner, answers: Path, mini_path: Path, args: list[str], message: str
) -> None:
    argv = ["score", str(answers), "-q", str(mini_path), *args]
    if args == ["nope"]:
        argv = ["score", "nope", "-q", str(mini_path)]
    if args[0] == "-q":  # an option given once (twice is its own usage error)
        argv = ["score", str(answers), *args]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message), result.stderr


def test_group_by_field_nobody_has_is_a_warning(
    runner: CliRunner, answers: Path, mini_path: Path
) -> None:
    result = runner.invoke(
        app,
        [
            "score",
            str(answers),
            "-q",
            str(mini_path),
            "--group-by",
            "department",
            "--format",
            "json",
            "--min-group-size",
            "1",
            "--allow-small-groups",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "warning: --group-by 'department': no respondent has this field" in result.stderr
    groups = json.loads(result.stdout)["groups"]["groups"]
    assert [(g["value"], g["n"]) for g in groups] == [("(unspecified)", 6)]


def test_jobs_1_and_2_identical_with_duplicates(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    root = tmp_path / "many"
    write_answers(root, 260)
    write_answers(root / "z", 3, start=5)  # r5, r6, r7 again: later in path order
    outputs = []
    for jobs in ("1", "2"):
        result = runner.invoke(
            app,
            [
                "score",
                str(root),
                "-q",
                str(mini_path),
                "--jobs",
                jobs,
                "--format",
                "json",
                "--group-by",
                "role",
            ],
        )
        assert result.exit_code == 1, result.output
        document = json.loads(result.stdout)
        document.pop("generated_at")
        outputs.append((document, result.stderr))
    assert outputs[0] == outputs[1]
    document, stderr = outputs[0]
    assert document["respondents"] == 260
    assert stderr.splitlines()[0] == (
        f"{root / 'z' / 'r0005.yaml'}: respondent id 'r5' was already used in "
        f"{root / 'r0005.yaml'}; this one is not scored"
    )
    assert len(document["inputs"]["rejected"]) == 3


def test_stdin_dash(runner: CliRunner, mini_path: Path) -> None:
    text = ANSWER.format(org="X", rid="s1", role="lead", a=3, b=4)
    result = runner.invoke(
        app, ["score", "-", "-q", str(mini_path), "--format", "json"], input=text
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["respondents"] == 1


def test_data_is_printed_as_plain_text(runner: CliRunner, tmp_path: Path, mini_path: Path) -> None:
    write_answers(tmp_path / "in", 3, org="[bold]Evil[/bold] \\e[31mred")
    for path in (tmp_path / "in").iterdir():
        path.write_text(path.read_text().replace("role: lead", "role: '[red]x'"))
    result = runner.invoke(
        app,
        [
            "score",
            str(tmp_path / "in"),
            "-q",
            str(mini_path),
            "--group-by",
            "role",
            "--min-group-size",
            "1",
            "--allow-small-groups",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "[red]x" in result.stdout
    assert "\x1b" not in result.stdout


def test_real_subprocess_on_directory_with_broken_file(tmp_path: Path, mini_path: Path) -> None:
    write_answers(tmp_path / "in", 4)
    broken = tmp_path / "in" / "r0002.yaml"
    broken.write_text(broken.read_text().replace("alpha.three: 2", "alpha.three: 11"))
    out = tmp_path / "results.json"
    exe = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "tra-assess"
    if not exe.exists():
        pytest.skip("the venv entry point is not installed")
    done = subprocess.run(
        [str(exe), "score", str(tmp_path / "in"), "-q", str(mini_path), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        f"{broken}:8: item 'alpha.three': 11 is not on the scale (expected 0-4, a scale label, "
        "na or unknown)",
        f"Wrote {out}",
    ]
    assert json.loads(out.read_text())["respondents"] == 3


def test_a_results_file_among_answers_is_one_clear_line(
    runner: CliRunner, mini_path: Path, tmp_path: Path
) -> None:
    (tmp_path / "results.json").write_text(
        '{"format": "tra-results/1", "tool_version": "0.1.0", "overall": {}}'
    )
    (tmp_path / "a.yaml").write_text(
        "format: tra-answers/1\nquestionnaire: {id: mini, version: '2.0'}\n"
        "answers: {alpha.one: 3}\n"
    )
    result = runner.invoke(app, ["score", str(tmp_path), "-q", str(mini_path), "--format", "json"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "results.json" in line]
    assert lines == [
        f"{tmp_path / 'results.json'}:1: this is a results file (tra-results/1), "
        "not answers (tra-answers/1)"
    ], result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "format: tra-answers/1\nquestionnaire: {id: mini, version: '2.0'}\n"
            "answers:\n  alpha.one: 3\n  alpha.two: 2\n  alpha.one: 4\n",
            "{p}:6: key 'alpha.one' is written twice (also on line 4): keep one",
        ),
        (
            "format: tra-answers/2\nquestionnaire: {id: mini, version: '2.0'}\nanswers: {}\n",
            "{p}:1: 'format' must be 'tra-answers/1', not 'tra-answers/2'",
        ),
        (
            "format: tra-answers/1\nquestionnaire: {id: mini, version: '2.0'}\n"
            "answers:\n  alpha.one: true\n",
            "{p}:4: item 'alpha.one': true is not an answer (expected 0-4, a scale label, "
            "na or unknown)",
        ),
        (
            "format: tra-answers/1\nquestionnaire: {id: mini, version: '2.0'}\n"
            "extra:\n  a: 1\nanswers: {}\n",
            "{p}:3: unknown key 'extra' (expected: answers, assessed_on, format, mode, "
            "organization, participants, questionnaire, respondent)",
        ),
        (
            "format: tra-answers/1\nquestionnaire: {id: mini, version: '2.0'}\n"
            "assessed_on: 2026-02-30\nanswers: {}\n",
            "{p}:3: invalid YAML value: day is out of range for month",
        ),
    ],
)
def test_answer_file_problems_are_one_precise_line(
    runner: CliRunner, mini_path: Path, tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["score", str(path), "-q", str(mini_path), "--format", "json"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == expected.format(p=path), result.stderr
