"""`tra-assess run` keeps every answer: one walk per file (a lock naming its holder), a first
save that never leaves an empty file, leftover temp files cleaned, a full disk that says what
is saved, and answers-file names that score can read back."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.common import fsutil

BIN = Path(sys.executable).parent
EXE = shutil.which("tra-assess", path=str(BIN))
COMMAND = [EXE] if EXE else [sys.executable, "-m", "tra_assess"]
META = ["--organization", "O", "--role", "lead", "--respondent", "r1", "--mode", "consensus",
        "--no-notes"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def walk(runner: CliRunner, mini_path: Path, keys: list[str], *args: str):  # type: ignore[no-untyped-def]
    text = "".join(f"{key}\n" for key in keys)
    return runner.invoke(app, ["run", "-q", str(mini_path), *args], input=text)


def answers(path: Path) -> dict[str, object]:
    doc = yaml.safe_load(path.read_text())
    result: dict[str, object] = doc["answers"]
    return result


def flat(text: str) -> str:
    """Output with the terminal's wrapping undone."""
    return " ".join(text.split())


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "SOURCE_DATE_EPOCH")}
    env.update(NO_COLOR="1", TERM="dumb", COLUMNS="100")
    return env


def test_a_second_walk_on_the_same_file_says_who_holds_it(tmp_path: Path,
                                                         mini_path: Path) -> None:
    out = tmp_path / "team.yaml"
    first = subprocess.Popen(
        [*COMMAND, "run", "-q", str(mini_path), "--out", str(out), *META],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        cwd=tmp_path, env=_env())
    assert first.stdin is not None
    try:
        first.stdin.write(b"3\n2\n")
        first.stdin.flush()
        deadline = time.monotonic() + 20
        while b"alpha.two" not in (out.read_bytes() if out.exists() else b""):
            assert first.poll() is None and time.monotonic() < deadline, "walk did not start"
            time.sleep(0.01)
        second = subprocess.run(
            [*COMMAND, "run", "-q", str(mini_path), "--resume", str(out), "--no-notes"],
            input=b"0\n0\n0\n0\n0\n", capture_output=True, cwd=tmp_path, env=_env(),
            timeout=30)
        assert second.returncode == 2
        message = second.stderr.decode()
        assert message.count("\n") == 1
        import getpass

        assert f"team.yaml is being walked by {getpass.getuser()} (pid {first.pid}, since " \
            in message
        assert "Traceback" not in message
        first.stdin.write(b"4\nq\n")
        first.stdin.close()
        assert first.wait(timeout=30) == 0
    finally:
        if first.poll() is None:
            first.kill()
    # the first walk's answers are all there; the second wrote nothing
    assert answers(out) == {"alpha.one": 3, "alpha.two": 2, "alpha.three": 4}
    assert not (tmp_path / ".team.yaml.lock").exists()  # released at the end


def test_a_stale_lock_is_taken_over_with_a_line(runner: CliRunner, mini_path: Path,
                                                tmp_path: Path) -> None:
    assert walk(runner, mini_path, ["3", "q"], "--out", "a.yaml", *META).exit_code == 0
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / ".a.yaml.lock").write_text(json.dumps(
        {"pid": dead.pid, "host": socket.gethostname(), "user": "sam",
         "since": "2026-11-20 09:00 UTC"}))
    result = walk(runner, mini_path, ["2", "q"], "--resume", "a.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    assert "taking over the lock of an earlier walk on a.yaml" in flat(result.output)
    holder = f"sam (pid {dead.pid}, no longer running, since 2026-11-20 09:00 UTC)"
    assert holder in flat(result.output)
    assert answers(tmp_path / "a.yaml") == {"alpha.one": 3, "alpha.two": 2}
    assert not (tmp_path / ".a.yaml.lock").exists()


def test_leftover_temp_files_of_a_killed_save_are_removed(runner: CliRunner, mini_path: Path,
                                                          tmp_path: Path) -> None:
    assert walk(runner, mini_path, ["3", "q"], "--out", "a.yaml", *META).exit_code == 0
    left = [tmp_path / ".a.yaml.k3j_x9a2.tmp", tmp_path / ".a.yaml.00000000.tmp"]
    for path in left:
        path.write_text("format: tra-answers/1\n")
    other = tmp_path / ".b.yaml.k3j_x9a2.tmp"  # another file's: not ours to remove
    other.write_text("x")
    result = walk(runner, mini_path, ["q"], "--resume", "a.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    assert "removed 2 temporary file(s) an interrupted save left" in flat(result.output)
    assert not any(path.exists() for path in left)
    assert other.exists()


def test_the_first_save_never_leaves_an_empty_file(runner: CliRunner, mini_path: Path,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object, **_kwargs: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("tra_assess.walk.store.write_temp", full)
    result = walk(runner, mini_path, ["3"], "--out", "new.yaml", *META)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot create new.yaml: the disk is full (No space left on device); nothing "
        "was saved. Free some space and start again.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no file, no lock, no temp


def test_an_empty_answers_file_is_resumed_as_no_answers_yet(runner: CliRunner, mini_path: Path,
                                                            tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_bytes(b"")
    result = walk(runner, mini_path, ["3", "q"], "--resume", "empty.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    assert "empty.yaml is empty (a walk was stopped before its first save)" in flat(result.output)
    assert answers(tmp_path / "empty.yaml") == {"alpha.one": 3}


def test_an_empty_answers_file_is_accepted_by_out(runner: CliRunner, mini_path: Path,
                                                  tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_bytes(b"")
    result = walk(runner, mini_path, ["4", "q"], "--out", "empty.yaml", *META)
    assert result.exit_code == 0, result.output
    assert "empty.yaml is empty (a walk was stopped before its first save); the walk starts" \
        in flat(result.output)
    assert answers(tmp_path / "empty.yaml") == {"alpha.one": 4}
    # a file with content is still never overwritten
    result = walk(runner, mini_path, ["1", "q"], "--out", "empty.yaml", *META)
    assert result.exit_code == 2
    assert answers(tmp_path / "empty.yaml") == {"alpha.one": 4}


def test_a_full_disk_mid_walk_says_what_is_saved(runner: CliRunner, mini_path: Path,
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = fsutil._replace
    calls = {"n": 0}

    def replace(path: Path, payload: bytes, mode: int) -> None:
        calls["n"] += 1
        if calls["n"] >= 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(path, payload, mode)

    monkeypatch.setattr(fsutil, "_replace", replace)
    result = walk(runner, mini_path, ["3", "2", "1", "q"], "--out", "a.yaml", *META)
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"error: cannot save a.yaml: the disk is full (No space left on device); the last "
        f"change (answer or note) was not saved. a.yaml keeps its last good save (1 answer). "
        f"Free some space, then continue with: tra-assess run --resume a.yaml -q {mini_path}\n")
    assert "Traceback" not in flat(result.output)
    assert answers(tmp_path / "a.yaml") == {"alpha.one": 3}
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # temp and lock gone


@pytest.mark.parametrize("name", ["x.csv", "x.txt", "x", "x.xlsx"])
def test_out_must_be_an_answers_file_name(runner: CliRunner, mini_path: Path, tmp_path: Path,
                                          name: str) -> None:
    result = walk(runner, mini_path, ["3"], "--out", name, *META)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: --out {name}: an answers file ends in .yaml, .yml or .json (the formats "
        "tra-assess score reads back); choose such a name\n")
    assert list(tmp_path.iterdir()) == []


def test_comments_in_a_resumed_file_are_named_before_they_are_lost(
        runner: CliRunner, mini_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("# written by hand\nformat: tra-answers/1\n"
                    "questionnaire: {id: mini, version: '2.0'}\n"
                    "answers:\n  alpha.one: {value: 3, note: 'see #4'}  # checked\n")
    result = walk(runner, mini_path, ["2", "q"], "--resume", "c.yaml", "--no-notes")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert ("c.yaml has comments (line 1, 5) that the next save will not keep" in flat)
    assert answers(path) == {"alpha.one": {"value": 3, "note": "see #4"}, "alpha.two": 2}


def test_a_refused_out_leaves_no_lock_file(runner: CliRunner, mini_path: Path,
                                           tmp_path: Path) -> None:
    (tmp_path / "taken.yaml").write_text("format: tra-answers/1\n")
    for name in ("taken.yaml", "x.csv", "no/such/folder.yaml"):
        result = walk(runner, mini_path, ["3"], "--out", name, *META)
        assert result.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.yaml"]


def test_a_held_out_file_stops_before_any_question(runner: CliRunner, mini_path: Path,
                                                   tmp_path: Path) -> None:
    from tra_assess.walk.lockfile import AnswersLock

    held = AnswersLock(tmp_path / "team.yaml").acquire()
    try:
        result = walk(runner, mini_path, ["Riverbend"], "--out", "team.yaml")
    finally:
        held.release()
    assert result.exit_code == 2
    assert "team.yaml is being walked by" in result.stderr
    assert "Organisation (" not in result.output
    assert not (tmp_path / "team.yaml").exists()


def test_after_sigkills_the_next_walk_leaves_no_temp_or_lock_file(tmp_path: Path,
                                                                 mini_path: Path) -> None:
    import random
    import signal

    # answer alpha.one, then go back and change it again and again: a save on every line
    keys = tmp_path / "keys.txt"
    keys.write_text("1\n" + "".join(f"b\n{v}\n" for _ in range(20000) for v in (2, 3, 4)))
    rng = random.Random(11)
    walked = [tmp_path / f"k{attempt}.yaml" for attempt in range(3)]
    for out in walked:
        with keys.open() as stdin:
            proc = subprocess.Popen([*COMMAND, "run", "-q", str(mini_path), "--out", str(out),
                                     *META], stdin=stdin, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, cwd=tmp_path, env=_env())
            deadline = time.monotonic() + 20
            while b"alpha.one" not in (out.read_bytes() if out.exists() else b""):
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.005)
            time.sleep(rng.uniform(0.05, 0.3))
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=10) == -signal.SIGKILL
    for out in walked:
        done = subprocess.run([*COMMAND, "run", "-q", str(mini_path), "--resume", str(out)],
                              input=b"q\n", capture_output=True, cwd=tmp_path, env=_env(),
                              timeout=30)
        assert done.returncode == 0, done.stderr
        assert "taking over the lock of an earlier walk" in flat(done.stdout.decode())
        assert "alpha.one" in answers(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k0.yaml", "k1.yaml", "k2.yaml",
                                                          "keys.txt"]
