"""`tra-assess report` end to end through the CLI: inputs, options, errors and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from report_factory import make_results, private_template_cache  # noqa: F401
from tra_assess.cli.app import app


def _write_results(path: Path, **kwargs: object) -> Path:
    path.write_text(make_results(**kwargs).model_dump_json(indent=2), encoding="utf-8")  # type: ignore[arg-type]
    return path


def _answers(folder: Path, count: int = 4, role: str = "staff") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        (folder / f"r{number}.yaml").write_text(
            "format: tra-answers/1\n"
            "questionnaire: {id: mini, version: '2.0'}\n"
            "organization: Riverbend <b>Family</b>\n"
            f"respondent: {{id: {role}-{number}, role: {role}}}\n"
            "answers:\n"
            f"  alpha.one: {number % 4}\n"
            "  alpha.two: {value: 2, note: 'Seen in the log'}\n"
            "  alpha.three: 3\n  beta.one: unknown\n  beta.two: 1\n"
            "  gamma.one: 4\n  gamma.two: 3\n",
            encoding="utf-8",
        )
    return folder


def test_report_from_results_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    path = _write_results(tmp_path / "results.json")
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Trauma-responsiveness report: Riverbend Family Services\n")
    assert "is Low overall; the target is High. 1 of 3 domains meets it." in result.stdout


def test_report_html_to_out_file_atomically(runner: CliRunner, tmp_path: Path) -> None:
    path = _write_results(tmp_path / "results.json")
    out = tmp_path / "report.html"
    out.write_text("an old report", encoding="utf-8")  # a derived file: overwritten
    result = runner.invoke(app, ["report", str(path), "--format", "html", "--out", str(out),
                                 "--title", "Board <pack>", "--no-notes"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>Board &lt;pack&gt;</h1>" in html
    assert "Evidence notes" not in html
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_report_with_baseline_and_target(runner: CliRunner, tmp_path: Path) -> None:
    path = _write_results(tmp_path / "results.json")
    base = _write_results(tmp_path / "base.json", scores=(1.0, 0.5, 2.0))
    result = runner.invoke(app, ["report", str(path), "--baseline", str(base), "--target", "mid"])
    assert result.exit_code == 0, result.output
    assert "## What changed since the baseline" in result.stdout
    assert "the target is Middle. 2 of 3 domains meet it." in result.stdout


def test_baseline_of_other_questionnaire_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    path = _write_results(tmp_path / "results.json")
    other = make_results()
    other.questionnaire.id = "other"
    base = tmp_path / "base.json"
    base.write_text(other.model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "--baseline", str(base)])
    assert result.exit_code == 1, result.output
    assert "different questionnaires" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_report_from_answers_scored_on_the_fly(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    folder = _answers(tmp_path / "answers")
    result = runner.invoke(app, ["report", str(folder), "-q", str(mini_path), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "Riverbend &lt;b&gt;Family&lt;/b&gt;" in result.stdout
    assert "4 respondents" in result.stdout
    assert "Seen in the log" in result.stdout


def test_report_from_answers_with_a_rejected_file(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    folder = _answers(tmp_path / "answers")
    (folder / "zz-bad.yaml").write_text("format: nope\n", encoding="utf-8")
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["report", str(folder), "-q", str(mini_path), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "zz-bad.yaml:1:" in result.stderr
    text = out.read_text(encoding="utf-8")  # the report is still written
    assert "**Rejected inputs (1), not scored:**" in text
    assert "zz-bad" not in text  # the report names no file (file names are often people's)


def test_user_template(runner: CliRunner, tmp_path: Path) -> None:
    path = _write_results(tmp_path / "results.json", organization="A <b>bold</b> org")
    html_template = tmp_path / "mine.html"
    html_template.write_text(
        "<p>{{ organizations[0] }}: {{ overall.level_label }} ({{ overall.score | num }})</p>"
        "{% for d in domains %}[{{ d.id }}]{% endfor %}\n{{ charts.domains }}", encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "--template", str(html_template)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "<p>A &lt;b&gt;bold&lt;/b&gt; org: Low (1.94)</p>[alpha][beta][gamma]\n<svg "
    )
    md_template = tmp_path / "mine.md.j2"
    md_template.write_text("# {{ organizations[0] | md }}\n{{ summary.sentence }}\n",
                           encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "--template", str(md_template)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# A \\<b\\>bold\\</b\\> org\nA <b>bold</b> org is Low")


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("line one\n{% for x in %}\n", 2, "template error: "),
        ("ok\nok\n{{ no_such_variable }}\n", 3, "'no_such_variable' is undefined"),
        ("{{ results.__class__.__mro__ }}\n", 1, "template error: "),
    ],
)
def test_user_template_errors_one_line(
    runner: CliRunner, tmp_path: Path, source: str, line: int, message: str
) -> None:
    path = _write_results(tmp_path / "results.json")
    template = tmp_path / "broken.md"
    template.write_text(source, encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "--template", str(template)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{template}:{line}: "), lines[0]
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_missing_template_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = _write_results(tmp_path / "results.json")
    result = runner.invoke(app, ["report", str(path), "--template", str(tmp_path / "none.j2")])
    assert result.exit_code == 2, result.output


def test_broken_results_file_exit_1_one_line(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "results.json"
    broken.write_text('{"format": "tra-results/1", "questionnaire": {"id": "x"}}', encoding="utf-8")
    result = runner.invoke(app, ["report", str(broken)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{broken}: invalid tra-results/1 file: ")
    truncated = tmp_path / "cut.json"
    truncated.write_text('{"format": "tra-results/1",\n "questionnaire": ', encoding="utf-8")
    result = runner.invoke(app, ["report", str(truncated)])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().startswith(f"{truncated}:2: invalid JSON")


def test_missing_input_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "nope.json")])
    assert result.exit_code == 2, result.output
    assert "nope.json" in result.stderr and "no such file" in result.stderr


def test_missing_baseline_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = _write_results(tmp_path / "results.json")
    result = runner.invoke(app, ["report", str(path), "--baseline", str(tmp_path / "b.json")])
    assert result.exit_code == 2, result.output


def test_unknown_target_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = _write_results(tmp_path / "results.json")
    result = runner.invoke(app, ["report", str(path), "--target", "nope"])
    assert result.exit_code == 2, result.output
    assert "unknown target level 'nope'" in result.stderr


def test_scoring_options_on_results_file_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = _write_results(tmp_path / "results.json")
    result = runner.invoke(app, ["report", str(path), "--group-by", "role"])
    assert result.exit_code == 2, result.output
    assert "only for answer inputs" in result.stderr


def test_out_folder_missing_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = _write_results(tmp_path / "results.json")
    result = runner.invoke(app, ["report", str(path), "--out", str(tmp_path / "no" / "r.md")])
    assert result.exit_code == 2, result.output


def test_source_date_epoch_byte_identical(
    runner: CliRunner, tmp_path: Path, mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = _answers(tmp_path / "answers")
    outputs = []
    for name in ("a.html", "b.html"):
        out = tmp_path / name
        result = runner.invoke(app, ["report", str(folder), "-q", str(mini_path), "--format",
                                     "html", "--group-by", "role", "--out", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"2023-11-14" in outputs[0]  # the results' generated_at, from SOURCE_DATE_EPOCH


def test_target_with_answer_inputs_goes_to_scoring(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    folder = _answers(tmp_path / "answers")
    result = runner.invoke(app, ["report", str(folder), "-q", str(mini_path), "--target", "mid"])
    assert result.exit_code == 0, result.output
    assert "the target is Middle." in result.stdout
    assert "chosen for this report" not in result.stdout  # scored against it, not re-evaluated


def test_a_results_file_among_several_inputs_is_a_usage_error(tmp_path: Path) -> None:
    # "--history A B" instead of "--history A --history B": B became an input
    runner = CliRunner()
    demo = tmp_path / "demo"
    assert runner.invoke(app, ["demo", "--out", str(demo)]).exit_code == 0
    result = runner.invoke(app, ["report", str(demo / "results.json"), "--history",
                                 str(demo / "results-2024.json"),
                                 str(demo / "results-baseline.json")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "give --history before each file (--history A --history B)" in result.stderr


def test_several_answer_inputs_with_a_broken_json_are_scored(tmp_path: Path) -> None:
    runner = CliRunner()
    demo = tmp_path / "demo"
    assert runner.invoke(app, ["demo", "--out", str(demo)]).exit_code == 0
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    folder = demo / "answers" / "2026"
    result = runner.invoke(app, ["report", str(folder), str(broken)])
    assert result.exit_code == 1  # the broken file is rejected; the rest is reported
    assert "broken.json" in result.stderr
    assert result.stdout.startswith("# ")


def test_report_option_errors_are_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    demo = tmp_path / "demo"
    assert runner.invoke(app, ["demo", "--out", str(demo)]).exit_code == 0
    results = str(demo / "results.json")
    missing = runner.invoke(app, ["report", results, "--template", str(tmp_path / "no.j2")])
    assert missing.exit_code == 2 and "no such template file" in missing.stderr
    folder = runner.invoke(app, ["report", results, "--out", str(tmp_path)])
    assert folder.exit_code == 2 and "is a folder; give a file name" in folder.stderr
    nowhere = runner.invoke(app, ["report", results, "--out", str(tmp_path / "x" / "r.md")])
    assert nowhere.exit_code == 2 and "does not exist" in nowhere.stderr
