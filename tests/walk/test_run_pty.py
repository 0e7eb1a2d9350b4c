"""`tra-assess run` as a real process: a pseudo-terminal session with Ctrl-C and resume, and
SIGKILL at random moments (the answers file is always complete and valid)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import yaml

from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.answers import Response, parse_answers_document

BIN = Path(sys.executable).parent
EXE = shutil.which("tra-assess", path=str(BIN))
COMMAND = [EXE] if EXE else [sys.executable, "-m", "tra_assess"]
RATING = r"Rating \(0-4"
NOTE = "Evidence note"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "SOURCE_DATE_EPOCH")}
    env.update(NO_COLOR="1", TERM="xterm", COLUMNS="80", LINES="24")
    return env


def spawn(args: list[str], cwd: Path) -> pexpect.spawn:
    child = pexpect.spawn(COMMAND[0], [*COMMAND[1:], "run", *args], cwd=str(cwd), env=_env(),
                          encoding="utf-8", timeout=15, dimensions=(24, 80))
    child.delaybeforesend = None  # pexpect waits 50 ms before each send by default
    return child


def load(path: Path, q: Questionnaire) -> Response:
    return parse_answers_document(yaml.safe_load(path.read_text()), str(path), q)


def answer(child: pexpect.spawn, key: str, note: str | None = None) -> None:
    child.expect(RATING)
    child.sendline(key)
    if note is not None:
        child.expect(NOTE)
        child.sendline(note)


def test_pty_session_ctrl_c_then_resume(tmp_path: Path, mini_path: Path,
                                        mini: Questionnaire) -> None:
    out = tmp_path / "team.yaml"
    child = spawn(["-q", str(mini_path), "--out", str(out), "--organization", "Riverbend",
                   "--role", "lead", "--respondent", "r1", "--mode", "consensus"], tmp_path)
    answer(child, "3", "")
    answer(child, "2", "seen in May")
    answer(child, "b")
    child.expect("Current answer: 2")
    child.expect("Current note: seen in May")
    answer(child, "4")
    child.expect("Enter keeps the current one")
    child.sendline("")
    answer(child, "n", "")
    child.expect(RATING)  # beta.one
    child.sendintr()
    child.expect("Saved 3 of 7 answers to")
    child.expect("Resume with: tra-assess run --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, child.before
    response = load(out, mini)
    assert response.values == {"alpha.one": 3, "alpha.two": 4, "alpha.three": "na"}
    assert response.notes == {"alpha.two": "seen in May"}

    child = spawn(["--resume", str(out), "-q", str(mini_path)], tmp_path)
    child.expect("3 of 7 answered; 4 unanswered item")
    answer(child, "1", "")
    answer(child, "?", "nobody knew")
    answer(child, "0", "")
    answer(child, "4", "")
    child.expect("Your results")
    child.expect("Saved 7 of 7 answers")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    response = load(out, mini)
    assert response.values == {"alpha.one": 3, "alpha.two": 4, "alpha.three": "na",
                               "beta.one": 1, "beta.two": "unknown", "gamma.one": 0,
                               "gamma.two": 4}
    assert response.notes == {"alpha.two": "seen in May", "beta.two": "nobody knew"}
    assert response.organization == "Riverbend" and response.mode == "consensus"


def test_sigkill_at_any_moment_leaves_a_complete_file(tmp_path: Path, mini_path: Path,
                                                      mini: Questionnaire) -> None:
    # answer alpha.one, then go back and change it again and again: a save on every line
    keys = tmp_path / "keys.txt"
    keys.write_text("1\n" + "".join(f"b\n{v}\n" for _ in range(20000) for v in (2, 3, 4)))
    rng = random.Random(7)
    for attempt in range(5):
        out = tmp_path / f"kill-{attempt}.yaml"
        with keys.open() as stdin:
            proc = subprocess.Popen(
                [*COMMAND, "run", "-q", str(mini_path), "--out", str(out), "--no-notes",
                 "--organization", "O", "--role", "lead", "--respondent", "",
                 "--mode", "individual"],
                stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                cwd=tmp_path, env=_env())
            deadline = time.monotonic() + 20
            while b"alpha.one" not in (out.read_bytes() if out.exists() else b""):
                assert proc.poll() is None and time.monotonic() < deadline, "walk did not start"
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.25))
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=10) == -signal.SIGKILL
        response = load(out, mini)  # valid YAML, a valid answers document
        assert response.values["alpha.one"] in (1, 2, 3, 4)
        assert set(response.values) <= {"alpha.one"}


def test_pty_walk_of_tra_core_end_to_end(tmp_path: Path) -> None:
    from tra_assess.questionnaire.load import load_questionnaire

    q = load_questionnaire("tra-core")
    out = tmp_path / "core.yaml"
    child = spawn(["--out", str(out), "--no-notes", "--organization", "Riverbend",
                   "--role", "frontline", "--respondent", "", "--mode", "individual",
                   "--all-items"], tmp_path)
    for i in range(len(q.items)):
        answer(child, str(i % 5))
    child.expect("Your results")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert load(out, q).values == {item.id: i % 5 for i, item in enumerate(q.items)}
