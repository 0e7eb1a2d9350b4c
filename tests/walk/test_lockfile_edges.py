"""The walk's lock in the situations a shared folder brings: a holder on another host or of
another user, a lock file that is a link, unreadable or replaced while being taken, a file
system without locks, and the temporary files of an interrupted save."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
from pathlib import Path

import pytest

from tra_assess.common.errors import UsageError
from tra_assess.walk import lockfile
from tra_assess.walk.lockfile import AnswersLock, lock_path, remove_leftover_temps


def _second_walk_message(path: Path) -> str:
    with pytest.raises(UsageError) as caught:
        AnswersLock(path).acquire()
    return str(caught.value)


@pytest.mark.parametrize("content", ["", "not json at all", "[1, 2]"])
def test_a_held_lock_that_says_nothing_readable_is_another_walk(
    tmp_path: Path, content: str
) -> None:
    path = tmp_path / "team.yaml"
    held = AnswersLock(path).acquire()
    try:
        lock_path(path).write_text(content, encoding="utf-8")
        assert _second_walk_message(path) == (
            f"{path} is being walked by another walk; two walks on one file would lose "
            "answers. Finish that walk first (or use another file with --out)"
        )
    finally:
        held.release()
    assert not lock_path(path).exists()


def test_a_holder_on_another_host_is_named_with_that_host(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    held = AnswersLock(path).acquire()
    try:
        info = {"pid": 4242, "host": "laptop-7", "user": "sam", "since": "2026-11-20 09:00 UTC"}
        lock_path(path).write_text(json.dumps(info), encoding="utf-8")
        assert "being walked by sam (pid 4242 on laptop-7, since 2026-11-20 09:00 UTC);" in (
            _second_walk_message(path)
        )
        lock_path(path).write_text(json.dumps({"pid": "x"}), encoding="utf-8")
        assert "being walked by ? (pid x on ?, since ?);" in _second_walk_message(path)
    finally:
        held.release()


def test_a_process_of_another_user_counts_as_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "team.yaml"
    held = AnswersLock(path).acquire()

    def not_yours(pid: int, sig: int) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    try:
        info = {"pid": 1, "host": socket.gethostname(), "user": "root", "since": "today"}
        lock_path(path).write_text(json.dumps(info), encoding="utf-8")
        monkeypatch.setattr(os, "kill", not_yours)
        message = _second_walk_message(path)
    finally:
        held.release()
    assert "being walked by root (pid 1, since today);" in message
    assert "no longer running" not in message


def test_a_lock_file_that_is_a_link_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    lock_path(path).symlink_to(elsewhere)
    assert _second_walk_message(path) == (
        f"{lock_path(path)}: cannot lock: Too many levels of symbolic links"
    )
    assert elsewhere.read_text(encoding="utf-8") == "keep me"


def test_someone_elses_lock_file_is_locked_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "team.yaml"
    lock = lock_path(path)
    lock.write_text(json.dumps({"pid": 1, "host": "old-host", "user": "kim"}), encoding="utf-8")
    real_open = os.open
    modes: list[int] = []

    def shared_folder(name: object, flags: int, *args: int) -> int:
        modes.append(flags & os.O_ACCMODE)
        if flags & os.O_ACCMODE == os.O_RDWR:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(name, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", shared_folder)
    held = AnswersLock(path).acquire()
    monkeypatch.undo()
    try:
        assert modes == [os.O_RDWR, os.O_RDONLY]
        assert held.taken_over == (
            f"taking over the lock of an earlier walk on {path} that ended without releasing "
            "it (kim (pid 1 on old-host, since ?))"
        )
        # read-only: who holds it could not be recorded, but a second walk is still stopped
        assert "being walked by kim (pid 1 on old-host" in _second_walk_message(path)
    finally:
        held.release()


@pytest.mark.parametrize(
    ("error", "why"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
        (OSError("quota exceeded"), "quota exceeded"),
    ],
)
def test_a_lock_that_cannot_be_opened_at_all_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, why: str
) -> None:
    path = tmp_path / "team.yaml"

    def refused(*args: object) -> int:
        raise error

    monkeypatch.setattr(os, "open", refused)
    assert _second_walk_message(path) == f"{lock_path(path)}: cannot lock: {why}"


def test_a_file_system_without_locks_walks_unlocked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "team.yaml"

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    first = AnswersLock(path).acquire()
    second = AnswersLock(path).acquire()  # nothing to stop it: better than no walk at all
    assert (first.taken_over, second.taken_over) == (None, None)
    assert first._fd is None and second._fd is None
    assert not lock_path(path).exists()  # no empty lock file is left beside the answers
    first.release()
    second.release()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("replace", [True, False], ids=["replaced", "removed"])
def test_a_lock_file_replaced_while_being_taken_is_taken_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replace: bool
) -> None:
    path = tmp_path / "team.yaml"
    lock = lock_path(path)
    real_flock = fcntl.flock
    calls: list[int] = []

    def released_meanwhile(fd: int, operation: int) -> None:
        real_flock(fd, operation)
        calls.append(fd)
        if len(calls) == 1:  # its holder removes it (and another walk makes a new one)
            lock.unlink()
            if replace:
                lock.write_text("{}", encoding="utf-8")

    monkeypatch.setattr(fcntl, "flock", released_meanwhile)
    held = AnswersLock(path).acquire()
    monkeypatch.undo()
    try:
        assert len(calls) == 2
        assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()
        assert held.taken_over is None
    finally:
        held.release()
    assert not lock.exists()


def test_a_user_without_a_name_is_recorded_by_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    def nameless() -> str:
        raise KeyError("getpwuid(): uid not found: 4242")

    monkeypatch.setattr(getpass, "getuser", nameless)
    path = tmp_path / "team.yaml"
    held = AnswersLock(path).acquire()
    try:
        info = json.loads(lock_path(path).read_text(encoding="utf-8"))
        assert info["user"] == str(os.getuid())
        assert info["host"] == socket.gethostname()
    finally:
        held.release()
    held.release()  # a second release does nothing


def test_leftover_temps_only_ours_and_only_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "team.yaml"
    ours = tmp_path / ".team.yaml.abcd1234.tmp"
    ours.write_text("x", encoding="utf-8")
    folder = tmp_path / ".team.yaml.folder00.tmp"
    folder.mkdir()
    link = tmp_path / ".team.yaml.link0000.tmp"
    link.symlink_to(path)
    assert remove_leftover_temps(path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".team.yaml.folder00.tmp", ".team.yaml.link0000.tmp"
    ]
    theirs = tmp_path / ".team.yaml.efgh5678.tmp"
    theirs.write_text("x", encoding="utf-8")
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)  # files of another user
    assert remove_leftover_temps(path) == 0
    assert theirs.exists()


def test_leftover_temps_of_an_unreadable_folder_are_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(folder: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied")

    (tmp_path / ".team.yaml.abcd1234.tmp").write_text("x", encoding="utf-8")
    monkeypatch.setattr(os, "scandir", unreadable)
    assert remove_leftover_temps(tmp_path / "team.yaml") == 0
    monkeypatch.undo()
    assert (tmp_path / ".team.yaml.abcd1234.tmp").exists()


def test_why_words_an_error_without_a_system_message() -> None:
    assert lockfile._why(OSError("disk quota")) == "disk quota"
    assert lockfile._why(OSError(errno.EACCES, "Permission denied")) == "Permission denied"
