"""`tra-assess run` for a room, through a real pseudo-terminal: colour when the terminal has
it and none under NO_COLOR, the review marker, h unfolding the help under the item, the precise
hint, consensus participants and split marks recorded, the recap, --role routing."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pexpect
import yaml

BIN = Path(sys.executable).parent
EXE = shutil.which("tra-assess", path=str(BIN))
COMMAND = [EXE] if EXE else [sys.executable, "-m", "tra_assess"]
RATING = r"Rating \(0-4"
ESC = "\x1b["
META = ["--organization", "Riverbend", "--role", "lead", "--respondent", "", "--mode"]


def spawn(args: list[str], cwd: Path, *, color: bool = False,
          term: str | None = None) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "SOURCE_DATE_EPOCH", "NO_COLOR")}
    env.update(TERM=term or ("xterm-256color" if color else "xterm"), COLUMNS="80", LINES="24")
    if not color:
        env["NO_COLOR"] = "1"
    child = pexpect.spawn(COMMAND[0], [*COMMAND[1:], "run", *args], cwd=str(cwd), env=env,
                          encoding="utf-8", timeout=15, dimensions=(24, 80))
    child.delaybeforesend = None
    return child


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return str(child.before)


def test_colour_on_a_terminal_and_none_on_a_dumb_one(tmp_path: Path, mini_path: Path) -> None:
    child = spawn(["-q", str(mini_path), "--out", "c.yaml", *META, "individual", "--no-notes"],
                  tmp_path, color=True)
    child.expect(RATING)
    child.sendline("3")
    child.expect(r"Critical practice:.*?" + RATING)
    shown = str(child.before) + str(child.after)
    # the critical label is styled (bold red) apart from its sentence
    assert re.search(r"\x1b\[[0-9;]*m" + re.escape("Critical practice: "), shown), shown
    child.sendline("q")
    finish(child)

    child = spawn(["-q", str(mini_path), "--out", "d.yaml", *META, "individual", "--no-notes"],
                  tmp_path, color=True, term="dumb")
    child.expect(RATING)
    child.sendline("3")
    child.expect(r"Critical practice: a low rating here caps the domain's level\.")
    assert "\x1b" not in str(child.before)
    child.expect(RATING)
    child.sendline("q")
    assert "\x1b" not in finish(child)


def test_no_color_output_has_no_escape_sequences(tmp_path: Path, mini_path: Path) -> None:
    child = spawn(["-q", str(mini_path), "--out", "e.yaml", *META, "consensus"], tmp_path)
    seen: list[str] = []
    for key in ["5", "h", "3!", "", "4", "", "n", "", "q"]:
        child.expect(r"(Rating \(0-4.*?: |Evidence note.*?: )")
        seen.append(str(child.before) + str(child.after))
        child.sendline(key)
    seen.append(finish(child))
    text = "".join(seen)
    assert ESC not in text and "\x1b" not in text
    assert "Recap: Alpha practices" in text


def test_precise_hint_and_h_folding(tmp_path: Path, mini_path: Path) -> None:
    child = spawn(["-q", str(mini_path), "--out", "h.yaml", *META, "individual", "--no-notes"],
                  tmp_path)
    child.expect(RATING)
    child.sendline("5")
    child.expect("5 is not on the scale 0–4: type a number from 0 to 4, n, \\?, b, s, h or q")
    child.expect(RATING)
    child.sendline("h")
    # the item is shown again, with the keys folded under its anchors, then the prompt
    child.expect("Alpha one happens.")
    child.expect("hide this help")
    child.expect("measured")  # the anchors follow the unfolded keys
    child.expect(RATING)
    child.sendline("h")
    child.expect("Alpha one happens.")
    child.expect(RATING)
    assert "hide this help" not in str(child.before)
    child.sendline("2")
    child.expect("Alpha two happens.")
    child.expect(RATING)
    child.sendline("q")
    finish(child)
    assert yaml.safe_load((tmp_path / "h.yaml").read_text())["answers"] == {"alpha.one": 2}


def test_consensus_participants_split_and_recap(tmp_path: Path, mini_path: Path) -> None:
    child = spawn(["-q", str(mini_path), "--out", "room.yaml", "--organization", "Riverbend",
                   "--mode", "consensus", "--no-notes"], tmp_path)
    child.expect("Role: 1 lead · 2 staff")
    child.sendline("1")
    child.expect("How many people are taking part?")
    child.sendline("8")
    child.expect("Their roles: 1 lead · 2 staff")
    child.sendline("1, 2")
    child.expect("8 taking part: lead, staff")
    child.expect(RATING)
    child.sendline("3!")
    child.expect(RATING)
    child.sendline("4")
    child.expect(RATING)
    child.sendline("2!")
    child.expect("Recap: Alpha practices")
    child.expect(r"3 \(Most\) · room split")
    child.expect(r"Level so far for this team: High \(score 3.25\)")
    child.expect(RATING)
    child.sendline("q")
    finish(child)
    doc = yaml.safe_load((tmp_path / "room.yaml").read_text())
    assert doc["participants"] == {"count": 8, "roles": ["lead", "staff"]}
    assert "id" not in doc["respondent"]
    assert doc["answers"] == {"alpha.one": {"value": 3, "split": True}, "alpha.two": 4,
                              "alpha.three": {"value": 2, "split": True}}


def test_review_marks_the_current_answer(tmp_path: Path, mini_path: Path) -> None:
    out = tmp_path / "r.yaml"
    child = spawn(["-q", str(mini_path), "--out", str(out), *META, "individual", "--no-notes"],
                  tmp_path)
    child.expect(RATING)
    child.sendline("3")
    child.expect(RATING)
    child.sendline("q")
    finish(child)
    child = spawn(["--resume", str(out), "--review", "-q", str(mini_path), "--no-notes"],
                  tmp_path)
    child.expect(r"▶ 3\s+Most \(current answer\)\s+routine")
    child.expect(r"Current answer: 3 \(Most\)\. Enter keeps it\.")
    child.expect(RATING)
    child.sendline("")
    child.expect("Alpha two happens.")
    child.expect(RATING)
    assert "(current answer)" not in str(child.before)  # unanswered: nothing marked
    child.sendline("q")
    finish(child)


def test_role_routing(tmp_path: Path) -> None:
    q = tmp_path / "routed.yaml"
    q.write_text(
        "format: tra-questionnaire/1\nid: routed\nversion: '1'\ntitle: Routed\n"
        "scale: [{value: 0, label: Absent}, {value: 1, label: Present}]\n"
        "levels: [{id: low, label: Low, min_score: 0}, {id: high, label: High, min_score: 0.5}]\n"
        "target: high\nroles: [lead, staff]\n"
        "domains:\n  - id: d\n    title: D\n    items:\n"
        "      - {id: d.lead, text: For leads only., audience: [lead]}\n"
        "      - {id: d.all, text: For everyone.}\n"
        "      - {id: d.staff, text: For staff only., audience: [staff]}\n")
    child = spawn(["-q", str(q), "--out", "s.yaml", "--organization", "O", "--role", "staff",
                   "--respondent", "", "--mode", "individual", "--no-notes"], tmp_path)
    child.expect("For the role 'staff': 2 of 3 items")
    child.expect("Item 1/2 · 0 of 2 answered")
    child.expect("For everyone.")
    child.expect(r"Rating \(0-1")
    child.sendline("1")
    child.expect("For staff only.")
    child.expect(r"Rating \(0-1")
    child.sendline("0")
    child.expect("Saved 2 of 2 answers")
    rest = finish(child)
    assert "For leads only." not in rest
    assert yaml.safe_load((tmp_path / "s.yaml").read_text())["answers"] == {
        "d.all": 1, "d.staff": 0}


def test_piped_stdin_consensus_walk(tmp_path: Path, mini_path: Path) -> None:
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="80")
    keys = "\n".join(["O", "2", "1", "4", "2", "3!", "9", "4", "2", "1", "?", "0!", "4"]) + "\n"
    proc = subprocess.run([*COMMAND, "run", "-q", str(mini_path), "--out", "p.yaml",
                           "--no-notes"], input=keys, capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "\x1b" not in proc.stdout  # a pipe gets no colour
    assert "9 is not on the scale 0–4" in proc.stdout
    assert proc.stdout.count("Recap: ") == 3
    assert "Your results" in proc.stdout
    doc = yaml.safe_load((tmp_path / "p.yaml").read_text())
    assert doc["mode"] == "consensus" and doc["participants"] == {"count": 4, "roles": ["staff"]}
    assert doc["answers"]["alpha.one"] == {"value": 3, "split": True}
    assert doc["answers"]["gamma.one"] == {"value": 0, "split": True}
    assert doc["answers"]["beta.two"] == "unknown"
