"""The batch's item figures never give back a suppressed group's answers (SPEC section 4).

The red-team case: teams of 2 and 3 are suppressed; the two shown teams rate every practice
at the top of the scale. Before, the batch's item figures then said exactly what the hidden
people gave: ``alpha.three`` with n 11 and distribution {0: 2, 4: 9} means the 2 people
outside the shown teams gave 0. Now a shown team's cell goes for that domain until the item's
unshown contributors are at least K.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tra_assess.cli.app import app

DOC = """format: tra-answers/1
questionnaire: {{id: mini, version: "2.0"}}
respondent: {{id: "r{n}", team: {team}}}
answers: {answers}
"""
ITEMS = ["alpha.one", "alpha.two", "alpha.three", "beta.one", "beta.two", "gamma.one", "gamma.two"]
K = 4


def _answers(team: str) -> str:
    if team in ("day", "late"):  # the shown teams: the top of the scale everywhere
        values = dict.fromkeys(ITEMS, 4)
    elif team == "night":  # 2 people: 0 on alpha.three, don't know elsewhere in alpha
        values = {"alpha.one": "unknown", "alpha.two": "unknown", "alpha.three": 0}
        values |= dict.fromkeys(ITEMS[3:], 1)
    else:  # "weekend", 3 people: don't know on alpha.three
        values = {"alpha.one": 2, "alpha.two": 2, "alpha.three": "unknown"}
        values |= dict.fromkeys(ITEMS[3:], 2)
    return json.dumps(values)


def _write(root: Path) -> None:
    root.mkdir()
    teams = ["night"] * 2 + ["weekend"] * 3 + ["day"] * 5 + ["late"] * 4
    for n, team in enumerate(teams):
        text = DOC.format(n=n, team=team, answers=_answers(team))
        (root / f"r{n}.yaml").write_text(text, "utf-8")


def _attack(data: dict[str, Any]) -> list[str]:
    """What an attacker recovers from the results file. Taking the shown groups to have
    answered every item of a domain whose cells they show (their best guess), the item's
    numbers from everyone else are ``n`` minus the shown groups' sizes; when every shown cell
    is at the top of the scale, the answers below the top are all theirs. Between 1 and K - 1
    such people is a figure of fewer than K."""
    groups = data["groups"]["groups"]
    found = []
    for item in data["items"]:
        cells = [
            (g["n"], c["score"])
            for g in groups
            if not g["suppressed"]
            for c in g["domains"]
            if c["id"] == item["domain"] and c["score"] is not None
        ]
        if not cells or any(score != 4.0 for _, score in cells):
            continue
        unshown = item["n"] - sum(n for n, _ in cells)
        below = {k: v for k, v in item["distribution"].items() if k != "4" and v}
        if below and 0 < unshown < K:
            found.append(f"{item['id']}: {unshown} people outside the shown cells gave {below}")
    return found


def test_item_figures_do_not_give_back_hidden_answers(tmp_path: Path, mini_path: Path) -> None:
    _write(tmp_path / "in")
    out = tmp_path / "results.json"
    args = [
        "score",
        str(tmp_path / "in"),
        "-q",
        str(mini_path),
        "--group-by",
        "team",
        "--min-group-size",
        str(K),
        "--allow-small-groups",
        "--out",
        str(out),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "tra_assess", *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text("utf-8"))
    item = next(i for i in data["items"] if i["id"] == "alpha.three")
    assert item["n"] == 11 and item["distribution"]["0"] == 2 and item["distribution"]["4"] == 9
    groups = {g["value"]: g for g in data["groups"]["groups"]}
    assert groups["night"]["suppressed"] and groups["weekend"]["suppressed"]
    alpha = {
        v: next(c for c in g["domains"] if c["id"] == "alpha")
        for v, g in groups.items()
        if not g["suppressed"]
    }
    # "late" (4 people, the fewest) loses its alpha cell and its overall; "day" keeps alpha:
    # 2 + 4 = 6 people outside it gave a number on alpha.three
    assert alpha["late"]["suppressed"] and alpha["late"]["score"] is None
    assert groups["late"]["overall_score"] is None
    assert alpha["day"]["score"] == 4.0
    assert _attack(data) == []
    # the same attack on the figures the old rule showed (both teams' alpha cells at 4.00)
    old = json.loads(json.dumps(data))
    for group in old["groups"]["groups"]:
        for cell in group["domains"] if group["value"] == "late" else []:
            if cell["id"] == "alpha":
                cell.update(score=4.0, suppressed=False)
    assert _attack(old) == [
        "alpha.one: 3 people outside the shown cells gave {'2': 3}",
        "alpha.two: 3 people outside the shown cells gave {'2': 3}",
        "alpha.three: 2 people outside the shown cells gave {'0': 2}",
    ]
    report = CliRunner().invoke(app, ["report", str(out)]).stdout
    assert "suppressed" in report
