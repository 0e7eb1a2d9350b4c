"""Safety-first scoring end to end: ``score``/``report`` with ``--profile``, ``schema profile``,
and older results files without the new fields."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tra_assess.cli.app import app

ANSWER = """format: tra-answers/1
questionnaire: {{id: mini, version: "2.0"}}
respondent: {{id: "r{n}"}}
answers:
  alpha.one: 3
  alpha.two: 3
  alpha.three: 3
  beta.one: 3
  beta.two: {beta_two}
  gamma.one: 3
  gamma.two: 3
"""


def answers(root: Path, beta_two: str, n: int = 3) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"r{i}.yaml").write_text(ANSWER.format(n=i, beta_two=beta_two))
    return root


def profile(root: Path, text: str) -> Path:
    path = root / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_na_without_reason_is_unverified_and_profile_makes_it_na(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    inputs = answers(tmp_path / "in", "na")
    result = runner.invoke(app, ["score", str(inputs), "-q", str(mini_path), "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    beta = next(d for d in doc["domains"] if d["id"] == "beta")
    assert beta["unverified"] == ["beta.two"] and beta["meets_target"] is False
    assert doc["overall"]["meets_target"] is False
    assert doc["priorities"][0]["kind"] == "verify" and doc["priorities"][0]["rank"] == 1
    path = profile(tmp_path, "format: tra-profile/1\nnot_applicable:\n  beta.two: 'No beta two'\n")
    result = runner.invoke(app, ["score", str(inputs), "-q", str(mini_path), "-f", "json",
                                 "--profile", str(path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    beta = next(d for d in doc["domains"] if d["id"] == "beta")
    assert beta["unverified"] == [] and beta["meets_target"] is True
    assert doc["overall"]["meets_target"] is True
    assert doc["na_reasons"] == [
        {"item": "beta.two", "reason": "No beta two", "source": "profile", "count": 1}]
    assert doc["critical_dissent"] == 0.1


def test_bad_profile_is_one_located_line(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    inputs = answers(tmp_path / "in", "3")
    path = profile(tmp_path, "format: tra-profile/1\nnot_applicable:\n  beta.tow: x\n")
    out = tmp_path / "results.json"
    result = runner.invoke(app, ["score", str(inputs), "-q", str(mini_path), "--profile",
                                 str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{path}:3: not_applicable: 'beta.tow' is not an item of mini 2.0; did you mean "
        "'beta.two'?"
    )
    assert "Traceback" not in result.output and not out.exists()
    result = runner.invoke(app, ["score", str(inputs), "-q", str(mini_path), "--profile",
                                 str(tmp_path / "none.yaml")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_report_takes_a_profile_for_answers_not_for_results(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    inputs = answers(tmp_path / "in", "na")
    path = profile(tmp_path, "format: tra-profile/1\nnot_applicable:\n  beta.two: 'No beta'\n")
    result = runner.invoke(app, ["report", str(inputs), "-q", str(mini_path), "--profile",
                                 str(path)])
    assert result.exit_code == 0, result.output
    assert "3 of 3 domains meet it" in result.stdout
    assert "  - beta.two: No beta (setting profile)" in result.stdout
    plain = runner.invoke(app, ["report", str(inputs), "-q", str(mini_path)])
    assert plain.exit_code == 0, plain.output
    assert "2 of 3 domains meet it" in plain.stdout
    assert ("**CHECK FIRST** **CRITICAL** Beta two happens. (Beta practices; this practice: no "
            "rating yet)") in plain.stdout
    out = tmp_path / "results.json"
    assert runner.invoke(app, ["score", str(inputs), "-q", str(mini_path), "-o",
                               str(out)]).exit_code == 0
    refused = runner.invoke(app, ["report", str(out), "--profile", str(path)])
    assert refused.exit_code == 2 and "--profile: only for answer inputs" in refused.stderr


def test_schema_profile(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema", "profile"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["title"] == "tra-assess setting profile (tra-profile/1)"
    assert doc["properties"]["format"]["const"] == "tra-profile/1"


def test_older_results_without_the_new_fields_still_report_and_compare(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    inputs = answers(tmp_path / "in", "3")
    out = tmp_path / "new.json"
    assert runner.invoke(app, ["score", str(inputs), "-q", str(mini_path), "-o",
                               str(out)]).exit_code == 0
    doc = json.loads(out.read_text())
    for key in ("na_reasons", "critical_dissent", "allow_small_groups"):
        doc.pop(key, None)
    for domain in doc["domains"]:
        for key in ("unverified", "contested", "evidenced_share", "evidenced", "claimed", "kind"):
            domain.pop(key, None)
    for item in doc["items"]:
        for key in ("out_of_audience", "status", "dissent"):
            item.pop(key, None)
    for priority in doc["priorities"]:
        priority.pop("kind", None)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc))
    report = runner.invoke(app, ["report", str(old), "--baseline", str(old)])
    assert report.exit_code == 0, report.output
    compared = runner.invoke(app, ["compare", str(old), str(out), "--format", "json"])
    assert compared.exit_code == 0, compared.output
    retargeted = runner.invoke(app, ["report", str(old), "--target", "top"])
    assert retargeted.exit_code == 0, retargeted.output


def test_report_names_a_contested_practice_in_the_summary(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    """Five rate beta.two 4, one rates it 0: 3.33 is High by score, but contested."""
    root = tmp_path / "in"
    root.mkdir()
    for i in range(6):
        (root / f"r{i}.yaml").write_text(
            ANSWER.format(n=i, beta_two=0 if i == 0 else 4).replace("beta.one: 3", "beta.one: 4")
        )
    result = runner.invoke(app, ["report", str(root), "-q", str(mini_path)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    summary = text.split("## What to do next", 1)[0]
    assert ("Beta two happens: 1 of 6 respondents rates it at the bottom of the scale (“None” "
            "or “Some”) — check before calling Beta practices High.") in summary
    assert "2 of 3 domains meet it" in text
    assert ("1. **CHECK FIRST** **CRITICAL** Beta two happens. (Beta practices; this practice: "
            "High, score 3.33)") in text
    html = runner.invoke(app, ["report", str(root), "-q", str(mini_path), "-f", "html"])
    assert html.exit_code == 0, html.output
    assert "Check before relying on these results" in html.stdout
    assert "1 of 6 respondents rates it at the bottom of the scale" in html.stdout


def test_score_table_flags_unverified_items(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    inputs = answers(tmp_path / "in", "unknown")
    result = runner.invoke(app, ["score", str(inputs), "-q", str(mini_path)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "unverified" in result.stdout
    assert "Critical practices unverified" in result.stdout
    assert "Beta practices: beta.two" in result.stdout


def test_report_lists_na_reasons_given_in_notes(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    for i in range(3):
        (root / f"r{i}.yaml").write_text(ANSWER.format(
            n=i, beta_two='{value: na, note: "We have no <beta> service"}'))
    result = runner.invoke(app, ["report", str(root), "-q", str(mini_path)])
    assert result.exit_code == 0, result.output
    assert "  - beta.two: We have no \\<beta\\> service (3 said so)" in result.stdout
    html = runner.invoke(app, ["report", str(root), "-q", str(mini_path), "-f", "html"])
    assert "<li>beta.two: We have no &lt;beta&gt; service (3 said so)</li>" in html.stdout


def test_an_invisible_note_is_no_reason_for_na_on_a_critical_item(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    """A note of zero-width or bidi control characters shows nothing: no reason, no evidence."""
    for n, note in enumerate(["\u200b", "\u202e\u2066", "\u2060\ufeff \u200d", "\x1b[0m"]):
        escaped = json.dumps(note)
        inputs = answers(tmp_path / f"in{n}", "{value: na, note: " + escaped + "}")
        result = runner.invoke(app, ["score", str(inputs), "-q", str(mini_path), "-f", "json"])
        assert result.exit_code == 0, result.output
        doc = json.loads(result.stdout)
        beta = next(d for d in doc["domains"] if d["id"] == "beta")
        assert beta["unverified"] == ["beta.two"] and beta["meets_target"] is False, repr(note)
        assert doc["overall"]["meets_target"] is False and doc["na_reasons"] == []
    inputs = answers(tmp_path / "rated", '{value: 3, note: "\\u200b"}')
    result = runner.invoke(app, ["score", str(inputs), "-q", str(mini_path), "-f", "json"])
    beta = next(d for d in json.loads(result.stdout)["domains"] if d["id"] == "beta")
    assert beta["evidenced"] == 0


def test_an_invisible_profile_reason_is_a_located_error(
    runner: CliRunner, tmp_path: Path, mini_path: Path
) -> None:
    inputs = answers(tmp_path / "in", "na")
    text = 'format: tra-profile/1\nnot_applicable:\n  beta.two: "\\u200b\\u202e"\n'
    path = profile(tmp_path, text)
    result = runner.invoke(app, ["score", str(inputs), "-q", str(mini_path), "--profile",
                                 str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{path}:3: not_applicable: 'beta.two' needs a reason (text)"


def test_roles_spelled_with_invisible_characters_are_routed_by_audience(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A role written with a zero-width space, an escape sequence or spaces is still that
    role: answers from outside an item's audience are not scored, in files and in tables."""
    q = tmp_path / "q.yaml"
    q.write_text(
        "format: tra-questionnaire/1\nid: aud\nversion: '1'\ntitle: Audience\n"
        "scale: [{value: 0, label: None}, {value: 1, label: Some}, {value: 2, label: All}]\n"
        "levels: [{id: low, label: Low, min_score: 0}, {id: high, label: High, min_score: 1.5}]\n"
        "roles: [lead, staff]\ndomains:\n  - id: d\n    title: D\n    items:\n"
        "      - {id: d.crit, text: Crit, critical: true, audience: [lead]}\n"
        "      - {id: d.two, text: Two}\n",
        encoding="utf-8",
    )
    roles = ["lead", "staff", "st\u200baff", "sta\x1b[0mff", " STAFF  "]
    rows = "".join(f"r{n},{role},{2 if n == 0 else 0},2\n" for n, role in enumerate(roles))
    (tmp_path / "a.csv").write_text("respondent_id,role,d.crit,d.two\n" + rows, encoding="utf-8")
    folder = tmp_path / "files"
    folder.mkdir()
    for n, role in enumerate(roles):
        doc = {"format": "tra-answers/1", "questionnaire": {"id": "aud", "version": "1"},
               "respondent": {"id": f"r{n}", "role": role},
               "answers": {"d.crit": 2 if n == 0 else 0, "d.two": 2}}
        (folder / f"r{n}.json").write_text(json.dumps(doc), encoding="utf-8")
    for source in (tmp_path / "a.csv", folder):
        result = runner.invoke(app, ["score", str(source), "-q", str(q), "-f", "json"])
        assert result.exit_code == 0, result.output
        assert "not one of aud's roles" not in result.stderr
        doc = json.loads(result.stdout)
        crit = next(i for i in doc["items"] if i["id"] == "d.crit")
        assert (crit["n"], crit["out_of_audience"], crit["score"]) == (1, 4, 2.0), source
