"""`tra-assess run`: the facilitated walk, driven through CliRunner with piped keys."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.questionnaire.load import load_questionnaire_file
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.answers import parse_answers_document

EPOCH_2026_11_22 = "1795348800"
META = ["--organization", "Riverbend", "--role", "lead", "--respondent", "r1", "--mode",
        "consensus"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2026_11_22)


def walk(runner: CliRunner, mini_path: Path, keys: list[str], *args: str):  # type: ignore[no-untyped-def]
    text = "".join(f"{key}\n" for key in keys)
    return runner.invoke(app, ["run", "-q", str(mini_path), *args], input=text)


def load(path: Path, q: Questionnaire):  # type: ignore[no-untyped-def]
    return parse_answers_document(yaml.safe_load(path.read_text()), str(path), q)


def test_full_walk_with_notes_back_and_change(runner: CliRunner, mini_path: Path,
                                              mini: Questionnaire) -> None:
    keys = ["3", "first evidence", "2", "", "b", "4", "", "1", "", "n", "", "?", "", "0", ""]
    result = walk(runner, mini_path, keys, "--out", "a.yaml", *META)
    assert result.exit_code == 0, result.output
    response = load(Path("a.yaml"), mini)
    assert response.values == {"alpha.one": 3, "alpha.two": 4, "alpha.three": 1,
                               "beta.one": "na", "beta.two": "unknown", "gamma.one": 0}
    assert response.notes == {"alpha.one": "first evidence"}
    assert response.organization == "Riverbend"
    assert response.mode == "consensus"
    assert response.respondent == {"id": "r1", "role": "lead"}
    assert response.assessed_on == "2026-11-22"
    # all four options given: no metadata question
    assert "Organisation (" not in result.output
    assert "Mode:" not in result.output
    # back shows the current answer
    assert "Current answer: 2 (Half). Enter keeps it." in result.output
    # one item was never reached (EOF ends the walk like q)
    assert "Saved 6 of 7 answers to a.yaml." in result.output


def test_complete_walk_shows_results_and_report_commands(runner: CliRunner, mini_path: Path,
                                                         mini: Questionnaire) -> None:
    keys = ["3", "3", "3", "3", "3", "3", "3"]
    result = walk(runner, mini_path, keys, "--out", "done.yaml", "--no-notes", *META)
    assert result.exit_code == 0, result.output
    assert load(Path("done.yaml"), mini).values == {i.id: 3 for i in mini.items}
    assert "Your results" in result.output
    assert "Alpha practices" in result.output
    assert "Overall (weakest link)" in result.output
    assert "High" in result.output  # 3.0 is level 'high' in mini
    assert "Evidence note" not in result.output
    assert (f"tra-assess report done.yaml -q {mini_path} --format html --out report.html"
            in result.output)
    assert "Saved 7 of 7 answers to done.yaml." in result.output


def test_file_is_private_and_a_yaml_answers_document(runner: CliRunner, mini_path: Path) -> None:
    result = walk(runner, mini_path, ["2", "q"], "--out", "p.yaml", "--no-notes", *META)
    assert result.exit_code == 0, result.output
    path = Path("p.yaml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    doc = yaml.safe_load(path.read_text())
    assert doc["format"] == "tra-answers/1"
    assert doc["questionnaire"] == {"id": "mini", "version": "2.0"}
    assert str(doc["assessed_on"]) == "2026-11-22"
    assert doc["answers"] == {"alpha.one": 2}


def test_skip_leaves_unanswered_and_is_reported(runner: CliRunner, mini_path: Path,
                                                mini: Questionnaire) -> None:
    keys = ["s", "1", "1", "1", "s", "1", "1"]
    result = walk(runner, mini_path, keys, "--out", "s.yaml", "--no-notes", *META)
    assert result.exit_code == 0, result.output
    values = load(Path("s.yaml"), mini).values
    assert "alpha.one" not in values and "beta.two" not in values
    assert len(values) == 5
    assert "2 item(s) still unanswered" in result.output
    assert f"tra-assess run --resume s.yaml -q {mini_path}" in result.output


def test_help_invalid_keys_and_first_item_back(runner: CliRunner, mini_path: Path,
                                               mini: Questionnaire) -> None:
    keys = ["h", "x", "9", "", "b", "Most", "q"]
    result = walk(runner, mini_path, keys, "--out", "h.yaml", "--no-notes", *META)
    assert result.exit_code == 0, result.output
    assert "hide this help" in result.output  # the keys, folded under the item
    assert result.output.count("type a number from 0 to 4") == 3  # x, 9, Enter with no answer
    assert "'x' is not a key here: type a number from 0 to 4" in result.output
    assert "9 is not on the scale 0–4: type a number from 0 to 4" in result.output
    assert "This item has no answer yet, so Enter has nothing to keep" in result.output
    assert "This is the first item" in result.output
    assert load(Path("h.yaml"), mini).values == {"alpha.one": 3}  # a scale label works too


def test_q_saves_and_says_how_to_resume(runner: CliRunner, mini_path: Path) -> None:
    result = walk(runner, mini_path, ["4", "", "q"], "--out", "q.yaml", *META)
    assert result.exit_code == 0, result.output
    assert (f"Saved 1 of 7 answers to q.yaml. Resume with: tra-assess run --resume q.yaml "
            f"-q {mini_path}") in result.output


def test_eof_saves_like_q(runner: CliRunner, mini_path: Path, mini: Questionnaire) -> None:
    result = walk(runner, mini_path, ["4", "an answer's note"], "--out", "e.yaml", *META)
    assert result.exit_code == 0, result.output
    assert "Input ended." in result.output
    response = load(Path("e.yaml"), mini)
    assert response.values == {"alpha.one": 4}
    assert response.notes == {"alpha.one": "an answer's note"}


def test_empty_stdin_points_to_batch_scoring(runner: CliRunner, mini_path: Path) -> None:
    result = runner.invoke(app, ["run", "-q", str(mini_path)], input="")
    assert result.exit_code == 0, result.output
    assert "No answers on standard input" in result.output
    assert "tra-assess score" in result.output
    assert "Resume with: tra-assess run --resume answers-2026-11-22.yaml" in result.output
    assert yaml.safe_load(Path("answers-2026-11-22.yaml").read_text())["answers"] == {}


def test_metadata_prompts_role_by_number(runner: CliRunner, mini_path: Path,
                                         mini: Questionnaire) -> None:
    keys = ["Riverbend Family Services", "2", "2", "", "", "3", "q"]  # consensus: no people
    result = walk(runner, mini_path, keys, "--no-notes")
    assert result.exit_code == 0, result.output
    path = Path("riverbend-family-services-2026-11-22.yaml")
    assert f"Answers are saved to {path}" in result.output
    response = load(path, mini)
    assert response.organization == "Riverbend Family Services"
    assert response.mode == "consensus"
    assert response.respondent == {"role": "staff"}  # anonymous: no id
    assert response.participants is None  # both participant questions left blank
    assert "Respondent id" not in result.output  # consensus asks who took part instead
    assert response.values == {"alpha.one": 3}


def test_default_name_never_reuses_an_existing_file(runner: CliRunner, mini_path: Path) -> None:
    Path("answers-2026-11-22.yaml").write_text("keep me\n")
    result = walk(runner, mini_path, ["q"], "--role", "lead", "--respondent", "",
                  "--mode", "individual", "--organization", "")
    assert result.exit_code == 0, result.output
    assert Path("answers-2026-11-22.yaml").read_text() == "keep me\n"
    assert Path("answers-2026-11-22-2.yaml").is_file()
    assert "Answers are saved to answers-2026-11-22-2.yaml" in result.output
    assert (
        "answers-2026-11-22.yaml already exists and is left as it is. To continue it instead, "
        "quit (q) and run: tra-assess run --resume answers-2026-11-22.yaml"
    ) in " ".join(result.output.split())


def test_existing_out_file_is_refused(runner: CliRunner, mini_path: Path) -> None:
    Path("taken.yaml").write_text("precious\n")
    result = walk(runner, mini_path, ["3"], "--out", "taken.yaml", *META)
    assert result.exit_code == 2, result.output
    assert "tra-assess run --resume taken.yaml" in result.output
    assert Path("taken.yaml").read_text() == "precious\n"


def _answers_file(path: Path, answers: dict[str, object]) -> None:
    doc = {"format": "tra-answers/1", "questionnaire": {"id": "mini", "version": "2.0"},
           "organization": "Riverbend", "mode": "consensus", "answers": answers}
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def test_resume_visits_only_unanswered(runner: CliRunner, mini_path: Path,
                                       mini: Questionnaire) -> None:
    _answers_file(Path("r.yaml"), {"alpha.one": 1, "alpha.two": {"value": 2, "note": "kept"},
                                   "beta.one": "na", "gamma.one": 4,
                                   "gamma.two": {"note": "note without a value"}})
    result = walk(runner, mini_path, ["3", "", "4", "", "0", "keep this too"],
                  "--resume", "r.yaml")
    assert result.exit_code == 0, result.output
    assert "4 of 7 answered; 3 unanswered item(s) to visit." in result.output
    # answered items are not visited again: their text shows only in the domain recaps
    assert result.output.count("Alpha one happens.") == 1
    assert result.output.count("Beta one happens.") == 1
    for text in ("Alpha three happens.", "Beta two happens.", "Gamma two happens."):
        assert text in result.output
    assert "Organisation (" not in result.output  # metadata comes from the file
    response = load(Path("r.yaml"), mini)
    assert response.values == {"alpha.one": 1, "alpha.two": 2, "alpha.three": 3,
                               "beta.one": "na", "beta.two": 4, "gamma.one": 4, "gamma.two": 0}
    assert response.notes == {"alpha.two": "kept", "gamma.two": "keep this too"}
    assert response.organization == "Riverbend"


def test_review_enter_keeps_and_note_can_be_kept_or_removed(runner: CliRunner, mini_path: Path,
                                                            mini: Questionnaire) -> None:
    _answers_file(Path("v.yaml"), {"alpha.one": {"value": 1, "note": "old note"},
                                   "alpha.two": {"value": 2, "note": "to remove"},
                                   "beta.one": 3})
    keys = ["", "2", "-", "", "", "", "", ""]
    result = walk(runner, mini_path, keys, "--resume", "v.yaml", "--review")
    assert result.exit_code == 0, result.output
    assert "Current answer: 1 (Some). Enter keeps it." in result.output
    assert "Current note: old note" in result.output
    response = load(Path("v.yaml"), mini)
    assert response.values == {"alpha.one": 1, "alpha.two": 2, "beta.one": 3}
    assert response.notes == {"alpha.one": "old note"}


def test_review_needs_resume(runner: CliRunner, mini_path: Path) -> None:
    result = walk(runner, mini_path, [], "--review")
    assert result.exit_code == 2, result.output
    assert "--resume" in result.output


def test_resume_of_another_questionnaire_is_refused(runner: CliRunner, mini_path: Path) -> None:
    doc = {"format": "tra-answers/1", "questionnaire": {"id": "other", "version": "1"},
           "answers": {}}
    Path("o.yaml").write_text(yaml.safe_dump(doc))
    result = walk(runner, mini_path, [], "--resume", "o.yaml")
    assert result.exit_code == 1, result.output
    assert "o.yaml:" in result.output and "'other'" in result.output


def test_resume_missing_file_is_a_usage_error(runner: CliRunner, mini_path: Path) -> None:
    result = walk(runner, mini_path, [], "--resume", "nope.yaml")
    assert result.exit_code == 2, result.output
    assert "nope.yaml" in result.output


def test_domain_filter_walks_only_those_domains(runner: CliRunner, mini_path: Path,
                                                mini: Questionnaire) -> None:
    result = walk(runner, mini_path, ["2", "3"], "--domain", "beta", "--out", "d.yaml",
                  "--no-notes", *META)
    assert result.exit_code == 0, result.output
    assert "Alpha one happens." not in result.output
    assert load(Path("d.yaml"), mini).values == {"beta.one": 2, "beta.two": 3}
    assert "Domain 1/1 · Item 2/2" in result.output


def test_domain_filter_on_resume_keeps_other_answers(runner: CliRunner, mini_path: Path,
                                                     mini: Questionnaire) -> None:
    _answers_file(Path("k.yaml"), {"alpha.one": {"value": 1, "note": "n1"}, "beta.one": 3})
    result = walk(runner, mini_path, ["4", "4"], "--resume", "k.yaml", "--domain", "gamma",
                  "--no-notes")
    assert result.exit_code == 0, result.output
    response = load(Path("k.yaml"), mini)
    assert response.values == {"alpha.one": 1, "beta.one": 3, "gamma.one": 4, "gamma.two": 4}
    assert response.notes == {"alpha.one": "n1"}


def test_unknown_domain_lists_the_ids(runner: CliRunner, mini_path: Path) -> None:
    result = walk(runner, mini_path, [], "--domain", "delta", *META)
    assert result.exit_code == 2, result.output
    assert "alpha, beta, gamma" in result.output
    assert not list(Path(".").iterdir())


HOSTILE = "[bold red]Evil[/bold red] \x1b[31mred\x1b[0m \x1b]0;title\x07 \x07bell"


def test_user_text_is_printed_literally(runner: CliRunner, mini_path: Path,
                                        tmp_path: Path) -> None:
    text = mini_path.read_text().replace("Alpha one happens.", '"[link=x]Alpha[/link] \\e[2J one"')
    custom = tmp_path / "custom.yaml"
    custom.write_text(text)
    load_questionnaire_file(custom)  # still a valid questionnaire
    result = runner.invoke(app, ["run", "-q", str(custom), "--organization", HOSTILE, "--role",
                                 "lead", "--respondent", "", "--mode", "individual"],
                           input="3\n[i]note[/i] \x1b[1m\nq\n")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "[link=x]Alpha[/link]  one" in result.output  # markup literal, CSI removed
    assert "[i]note[/i]" in result.output
    assert "[bold red]Evil[/bold red] red  bell · individual" in result.output
    saved = next(p for p in tmp_path.glob("*.yaml") if p.name != "custom.yaml")
    assert saved.name == "bold-red-evil-bold-red-31mred-0m-0-title-bell-2026-11-22.yaml"


def test_resume_tra_core_without_q_uses_the_questionnaire_the_file_names(
    runner: CliRunner,
) -> None:
    from tra_assess.questionnaire.load import load_questionnaire

    core = load_questionnaire("tra-core")
    intake = [item.id for item in core.domain("intake").items]
    doc = {"format": "tra-answers/1",
           "questionnaire": {"id": core.id, "version": core.version},
           "answers": {intake[0]: 2}}
    Path("core.yaml").write_text(yaml.safe_dump(doc))
    keys = ["3"] * (len(intake) - 1)
    result = runner.invoke(app, ["run", "--resume", "core.yaml", "--domain", "intake",
                                 "--no-notes"], input="".join(f"{k}\n" for k in keys))
    assert result.exit_code == 0, result.output
    values = load(Path("core.yaml"), core).values
    assert values == {intake[0]: 2, **{item_id: 3 for item_id in intake[1:]}}
    assert "tra-assess report core.yaml --format html --out report.html" in result.output
    assert "-q" not in result.output.split("Make the report with:")[1]


def test_resume_of_an_older_version_warns_and_keeps_answers(runner: CliRunner, mini_path: Path,
                                                            mini: Questionnaire) -> None:
    doc = {"format": "tra-answers/1", "questionnaire": {"id": "mini", "version": "1.0"},
           "answers": {"alpha.one": 2}}
    Path("old.yaml").write_text(yaml.safe_dump(doc))
    result = walk(runner, mini_path, ["q"], "--resume", "old.yaml")
    assert result.exit_code == 0, result.output
    assert "was started with mini 1.0; continuing with 2.0" in result.output
    saved = yaml.safe_load(Path("old.yaml").read_text())
    assert saved["questionnaire"] == {"id": "mini", "version": "2.0"}
    assert saved["answers"] == {"alpha.one": 2}
    assert str(saved["assessed_on"]) == "2026-11-22"


def test_a_dangling_link_as_out_is_refused(runner: CliRunner, mini_path: Path) -> None:
    Path("dangling.yaml").symlink_to("nowhere.yaml")
    result = walk(runner, mini_path, ["3"], "--out", "dangling.yaml", *META)
    assert result.exit_code == 2, result.output
    assert "dangling.yaml is a link to a file that does not exist" in result.output
    assert not Path("nowhere.yaml").exists()
