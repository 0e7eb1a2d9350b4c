"""`tra-assess run` for a room, with piped keys: consensus participants and split marks in the
answers file, the recap after each domain, the marked current answer on --review, h folding
the keys, status words explained, and --role routing (with --all-items and --resume)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.questionnaire.load import load_questionnaire_file
from tra_assess.sources.answers import Participants, parse_answers_document

FULL = ["--organization", "Riverbend", "--role", "lead", "--respondent", "", "--mode"]

ROUTED = """format: tra-questionnaire/1
id: routed
version: "1.0"
title: Routed test questionnaire
scale:
  - {value: 0, label: None}
  - {value: 1, label: Some}
  - {value: 2, label: Half}
  - {value: 3, label: Most}
  - {value: 4, label: All}
levels:
  - {id: low, label: Low, min_score: 0}
  - {id: high, label: High, min_score: 2.5}
target: high
roles: [lead, staff, client]
domains:
  - id: run
    title: Running the place
    items:
      - {id: run.budget, text: Budget is set with people served., audience: [lead]}
      - {id: run.rota, text: Rotas leave time for supervision., audience: [lead, staff]}
      - {id: run.welcome, text: People are welcomed by name.}
  - id: board
    title: Board matters
    items:
      - {id: board.minutes, text: Board minutes record trauma-informed goals., audience: [lead]}
  - id: care
    title: Care
    items:
      - {id: care.choice, text: People choose who they see., audience: [staff, client]}
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795348800")


@pytest.fixture
def routed(tmp_path: Path) -> Path:
    path = tmp_path / "routed.yaml"
    path.write_text(ROUTED)
    return path


def _run(runner: CliRunner, q: Path, keys: list[str], *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["run", "-q", str(q), *args],
                         input="".join(f"{k}\n" for k in keys))


def _load(path: Path, q: Path):  # type: ignore[no-untyped-def]
    questionnaire = load_questionnaire_file(q)
    return parse_answers_document(yaml.safe_load(path.read_text()), str(path), questionnaire)


def test_consensus_asks_who_took_part_and_records_it(runner: CliRunner, mini_path: Path) -> None:
    keys = ["Riverbend", "c", "1", "7", "1, 2", "3", "q"]
    result = _run(runner, mini_path, keys, "--out", "c.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    assert "How many people are taking part?" in result.output
    assert "Respondent id" not in result.output
    assert "7 taking part: lead, staff" in result.output
    doc = yaml.safe_load(Path("c.yaml").read_text())
    assert doc["participants"] == {"count": 7, "roles": ["lead", "staff"]}
    assert _load(Path("c.yaml"), mini_path).participants == Participants(7, ["lead", "staff"])


def test_participant_answers_are_checked(runner: CliRunner, mini_path: Path) -> None:
    keys = ["", "2", "", "lots", "0", "5", "9", "staff; visitor", "q"]
    result = _run(runner, mini_path, keys, "--out", "p.yaml")
    assert result.exit_code == 0, result.output
    assert result.output.count("Type the number of people in the room") == 2
    assert "Choose numbers from 1 to 2, or type role names" in result.output
    assert yaml.safe_load(Path("p.yaml").read_text())["participants"] == {
        "count": 5, "roles": ["staff", "visitor"]}


def test_all_options_given_means_no_question(runner: CliRunner, mini_path: Path) -> None:
    result = _run(runner, mini_path, ["q"], *FULL, "consensus", "--out", "n.yaml")
    assert result.exit_code == 0, result.output
    before_item = result.output.split("Alpha one happens.")[0]
    for question in ("Organisation (", "Mode:", "Role", "Respondent id", "How many people"):
        assert question not in before_item  # SPEC 8: straight to the first item
    assert "participants" not in yaml.safe_load(Path("n.yaml").read_text())


def test_split_mark_is_recorded_and_cleared(runner: CliRunner, mini_path: Path) -> None:
    keys = ["3!", "", "2!", "", "b", "2", "", "q"]
    result = _run(runner, mini_path, keys, *FULL, "consensus", "--out", "s.yaml")
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load(Path("s.yaml").read_text())["answers"]
    assert answers == {"alpha.one": {"value": 3, "split": True}, "alpha.two": 2}
    assert "Current answer: 2 (Half). The room was split on it. Enter keeps it." in result.output


def test_split_mark_outside_consensus_gets_a_hint(runner: CliRunner, mini_path: Path) -> None:
    result = _run(runner, mini_path, ["3!", "3", "", "q"], *FULL, "individual", "--out", "i.yaml")
    assert result.exit_code == 0, result.output
    assert "in a consensus session only" in result.output
    assert yaml.safe_load(Path("i.yaml").read_text())["answers"] == {"alpha.one": 3}


def test_recap_after_each_domain(runner: CliRunner, mini_path: Path) -> None:
    keys = ["3!", "4", "n", "1", "2", "q"]
    result = _run(runner, mini_path, keys, *FULL, "consensus", "--out", "r.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    recap = result.output.split("Recap: Alpha practices", 1)[1].split("Domain 2 of 3")[0]
    assert re.search(r"Alpha one happens\.\s+3 \(Most\) · room split", recap)
    assert re.search(r"Alpha two happens\. \(critical\)\s+4 \(All\)", recap)
    assert re.search(r"Alpha three happens\.\s+n \(not applicable\)", recap)
    # (3*1 + 4*2) / 3 = 3.67: Top (a critical 4 does not cap)
    assert "Level so far for this team: Top (score 3.67); provisional until the walk ends." \
        in recap
    beta = result.output.split("Recap: Beta practices", 1)[1]
    assert "(score 1.50)" in beta
    assert "Recap: Gamma" not in result.output  # q before the domain ended


def test_recap_without_a_level_says_why(runner: CliRunner, mini_path: Path) -> None:
    keys = ["s", "s", "n", "q"]
    result = _run(runner, mini_path, keys, *FULL, "individual", "--out", "e.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    assert "Level so far for this respondent: none" in result.output


def test_review_marks_the_current_answer(runner: CliRunner, mini_path: Path) -> None:
    first = _run(runner, mini_path, ["3", "n", "q"], *FULL, "individual", "--out", "v.yaml",
                 "--no-notes")
    assert first.exit_code == 0, first.output
    result = runner.invoke(app, ["run", "--resume", "v.yaml", "--review", "-q", str(mini_path),
                                 "--no-notes"], input="\n\nq\n")
    assert result.exit_code == 0, result.output
    marked = [line for line in result.output.splitlines() if "(current answer)" in line]
    assert len(marked) == 1  # alpha.one's 3; alpha.two is n: no anchor to mark
    assert re.search(r"▶ 3\s+Most \(current answer\)\s+routine", marked[0])
    assert "Current answer: n (not applicable). Enter keeps it." in result.output


def test_h_folds_the_keys_under_the_item_and_toggles(runner: CliRunner, mini_path: Path) -> None:
    keys = ["h", "h", "h", "3", "q"]
    result = _run(runner, mini_path, keys, *FULL, "individual", "--out", "h.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.count("hide this help") == 2  # shown, hidden, shown again
    # each time the item is shown again: its text, then the keys, then the prompt
    shown = out.split("Alpha one happens.")
    assert len(shown) == 5  # the first screen and three redraws
    assert "hide this help" in shown[2] and "hide this help" not in shown[3]
    assert "hide this help" in shown[4]
    after = out.split("Alpha two happens.", 1)[1].split("Rating (")[0]
    assert "hide this help" not in after  # the next item starts folded


def test_end_screen_explains_status_words(runner: CliRunner, mini_path: Path) -> None:
    keys = ["3", "3", "3", "3", "3", "s", "s"]
    result = _run(runner, mini_path, keys, *FULL, "individual", "--out", "w.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    out = result.output.split("Your results", 1)[1]
    assert "insufficient: fewer than 50 % of the applicable items answered with a rating" in out
    assert "provisional: the overall level rests on only some of the domains" in out


def test_role_routes_the_items(runner: CliRunner, routed: Path) -> None:
    result = _run(runner, routed, ["1", "2", "3", "4"], "--organization", "O", "--role", "staff",
                  "--respondent", "", "--mode", "individual", "--out", "a.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "For the role 'staff': 3 of 5 items" in out
    assert "Budget is set" not in out and "Board minutes" not in out
    assert "Domain 1/2 · Item 1/2 · 0 of 3 answered" in out
    assert "Domain 2/2 · Item 1/1 · 2 of 3 answered" in out
    assert "3 items to go" in out
    assert "Saved 3 of 3 answers" in out
    assert _load(Path("a.yaml"), routed).values == {"run.rota": 1, "run.welcome": 2,
                                                    "care.choice": 3}


def test_all_items_asks_every_item(runner: CliRunner, routed: Path) -> None:
    result = _run(runner, routed, ["1", "2", "3", "4", "0"], "--organization", "O", "--role",
                  "staff", "--respondent", "", "--mode", "individual", "--out", "b.yaml",
                  "--no-notes", "--all-items")
    assert result.exit_code == 0, result.output
    assert "For the role" not in result.output
    assert len(_load(Path("b.yaml"), routed).values) == 5


def test_role_asked_interactively_routes_too(runner: CliRunner, routed: Path) -> None:
    keys = ["O", "1", "3", "", "2", "q"]  # role 3 = client: only the two items for everyone/client
    result = _run(runner, routed, keys, "--out", "c.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    assert "For the role 'client': 2 of 5 items" in result.output
    assert "0 of 2 answered" in result.output
    assert _load(Path("c.yaml"), routed).values == {"run.welcome": 2}


def test_resume_keeps_the_routing(runner: CliRunner, routed: Path) -> None:
    first = _run(runner, routed, ["1", "q"], "--organization", "O", "--role", "lead",
                 "--respondent", "", "--mode", "individual", "--out", "d.yaml", "--no-notes")
    assert first.exit_code == 0, first.output
    assert "For the role 'lead': 4 of 5 items" in first.output
    result = runner.invoke(app, ["run", "--resume", "d.yaml", "-q", str(routed), "--no-notes"],
                           input="2\n3\n4\n")
    assert result.exit_code == 0, result.output
    assert "1 of 4 answered; 3 unanswered item(s) to visit." in result.output
    assert "People choose who they see." not in result.output
    assert _load(Path("d.yaml"), routed).values == {
        "run.budget": 1, "run.rota": 2, "run.welcome": 3, "board.minutes": 4}


def test_unknown_role_is_said(runner: CliRunner, routed: Path) -> None:
    result = _run(runner, routed, ["q"], "--organization", "O", "--role", "volunteer",
                  "--respondent", "", "--mode", "individual", "--out", "u.yaml")
    assert result.exit_code == 0, result.output
    assert "For the role 'volunteer': 1 of 5 items" in result.output
    assert "'volunteer' is not one of this questionnaire's roles (lead, staff, client)" \
        in result.output


def test_a_role_with_no_item_is_a_usage_error(runner: CliRunner, routed: Path) -> None:
    result = _run(runner, routed, ["q"], "--organization", "O", "--role", "client",
                  "--respondent", "", "--mode", "individual", "--out", "x.yaml",
                  "--domain", "board")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        "error: no item of routed in the chosen domains is for the role 'client': give "
        "another --role, or ask every item with --all-items")
    assert not Path("x.yaml").exists()


def test_h_unfolds_the_help_right_under_the_item(runner: CliRunner, tmp_path: Path) -> None:
    q = tmp_path / "helped.yaml"
    q.write_text(ROUTED.replace(
        "{id: run.welcome, text: People are welcomed by name.}",
        "{id: run.welcome, text: People are welcomed by name., help: Ask at the front desk "
        "how people are greeted and listen to a few arrivals before you rate this item., "
        "anchors: {0: nobody, 1: some, 2: half, 3: most, 4: every person}}"))
    result = _run(runner, q, ["h", "h", "h", "q"], "--organization", "O", "--role", "client",
                  "--respondent", "", "--mode", "consensus", "--out", "w.yaml")
    assert result.exit_code == 0, result.output
    out = result.output
    screens = out.split("People are welcomed by name.")
    assert len(screens) == 5  # the first screen and three redraws
    folded, unfolded = screens[1], screens[2]
    assert "Facilitator help: type h to show it." in folded
    assert "Ask at the front desk" not in folded and "hide this help" not in folded
    # unfolded: the help and the keys right under the item, then the anchors, then the prompt
    assert unfolded.index("Facilitator help: Ask at the front desk") < unfolded.index(
        "hide this help") < unfolded.index("every person") < unfolded.index("Rating (")
    assert "3! the room was split" in unfolded
    assert "answered" not in unfolded.split("Rating (")[0]  # no progress lines in the redraw
    assert "Ask at the front desk" not in screens[3].split("Rating (")[0]  # h folds it again
    assert "Ask at the front desk" in screens[4]
    redraw = ("People are welcomed by name." + unfolded).split("Rating (")[0].splitlines()
    assert len(redraw) + 1 <= 24  # the item's first line is still on a 24-line screen


def test_end_screen_names_the_capping_practice_in_words(runner: CliRunner,
                                                        mini_path: Path) -> None:
    keys = ["4", "0", "4", "4", "4", "4", "4"]
    result = _run(runner, mini_path, keys, *FULL, "individual", "--out", "k.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    out = result.output.split("Your results", 1)[1]
    assert re.search(r"Alpha practices\s+2\.00\s+Low\s+capped", out)
    assert "capped: a critical practice rated low holds the domain's level at its own." in out
    assert "Alpha practices is capped by: Alpha two happens." in out
    assert "alpha.two" not in out.split("Saved")[0]  # words, not ids, for the room


def test_a_role_spelled_differently_is_routed_as_that_role(
    runner: CliRunner, routed: Path
) -> None:
    """--role "LEAD " is the role lead (as scoring reads it): the lead's items are asked."""
    result = _run(runner, routed, ["1", "q"], "--organization", "O", "--role", "LEAD\u200b ",
                  "--respondent", "", "--mode", "individual", "--out", "l.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    assert "4 of 5 items" in result.output
    assert "is not one of this questionnaire's roles" not in result.output
