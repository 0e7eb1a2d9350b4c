"""Atomic writing when the system says no: a full disk, a refused rename, a folder in the
way, a system without /proc; and writing to the streams a shell set up (``/dev/stdout``,
``/dev/fd/N``). Each failure is one line naming the file, and nothing is left behind."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tra_assess.common import fsutil
from tra_assess.common.errors import UsageError
from tra_assess.common.fsutil import WriteError, atomic_write, check_out, file_kind


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_full_disk_is_one_line_and_the_old_file_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "results.json"
    path.write_text("old", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError) as caught:
        atomic_write(path, "new")
    assert str(caught.value) == f"cannot write {path}: No space left on device"
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.exit_code == 1
    assert path.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_a_refused_rename_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.html"
    path.write_text("old", encoding="utf-8")

    def refuse(src: str, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError) as caught:
        atomic_write(path, b"new")
    assert str(caught.value) == f"cannot write {path}: Permission denied"
    assert caught.value.errno == errno.EACCES
    assert path.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "plan.csv", "a,b\n")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_the_way_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "out.json"
    folder.mkdir()
    with pytest.raises(WriteError) as caught:
        atomic_write(folder, "{}")
    assert str(caught.value) == f"cannot write {folder}: it is a folder"
    assert caught.value.errno == errno.EISDIR
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("prefix", ["/dev/fd/", "/proc/self/fd/"])
def test_a_descriptor_path_is_written_to_directly(prefix: str) -> None:
    read_end, write_end = os.pipe()
    try:
        atomic_write(Path(f"{prefix}{write_end}"), "through the pipe\n")
        os.close(write_end)
        write_end = -1
        with os.fdopen(read_end, "rb") as reader:
            read_end = -1
            assert reader.read() == b"through the pipe\n"
    finally:
        for fd in (read_end, write_end):
            if fd >= 0:
                os.close(fd)


def test_stdout_and_stderr_are_the_streams_the_shell_set_up(
    capfd: pytest.CaptureFixture[str],
) -> None:
    atomic_write(Path("/dev/stdout"), "to stdout\n")
    atomic_write(Path("/dev/../dev/stderr"), b"to stderr\n")
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("to stdout\n", "to stderr\n")


def test_a_short_write_to_a_stream_is_continued(monkeypatch: pytest.MonkeyPatch) -> None:
    read_end, write_end = os.pipe()
    real_write = os.write
    calls: list[int] = []

    def short(fd: int, data: bytes | memoryview) -> int:
        calls.append(len(data))
        return real_write(fd, bytes(data[:3]))  # a pipe may take fewer bytes than offered

    monkeypatch.setattr(os, "write", short)
    atomic_write(Path(f"/dev/fd/{write_end}"), "0123456789")
    monkeypatch.undo()
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        assert reader.read() == b"0123456789"
    assert calls == [10, 7, 4, 1]


def test_a_closed_descriptor_is_one_line(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    os.close(write_end)
    with pytest.raises(WriteError) as caught:
        atomic_write(Path(f"/dev/fd/{write_end}"), "x")
    assert str(caught.value) == f"cannot write /dev/fd/{write_end}: Bad file descriptor"
    assert caught.value.errno == errno.EBADF


def test_the_umask_is_read_by_setting_it_where_there_is_no_proc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_proc(path: str, *args: object, **kwargs: object) -> object:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)

    monkeypatch.setattr(fsutil, "open", no_proc, raising=False)
    previous = os.umask(0o027)
    try:
        assert fsutil.current_umask() == 0o027
        assert fsutil.user_mode() == 0o640
        assert os.umask(0o027) == 0o027  # and it was put straight back
    finally:
        os.umask(previous)


def test_file_kind_of_what_cannot_be_read_or_says_nothing(tmp_path: Path) -> None:
    assert file_kind(tmp_path) is None  # a folder cannot be opened as a file
    assert file_kind(tmp_path / "missing.yaml") is None
    blank = tmp_path / "blank.yaml"
    blank.write_text("# only a comment\n---\n\n%YAML 1.2\n", encoding="utf-8")
    assert file_kind(blank) is None
    results = tmp_path / "results.json"
    results.write_text('{\n  "format": "tra-results/1",\n  "x": 1\n}\n', encoding="utf-8")
    assert file_kind(results) == "tra-results"
    report = tmp_path / "report.md"
    report.write_text("# Report\n\nIt quotes format: tra-profile/1.\n", encoding="utf-8")
    assert file_kind(report) is None


def test_an_input_that_cannot_be_compared_is_not_taken_for_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "results.json"
    out.write_text("", encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text("format: tra-answers/1\n", encoding="utf-8")
    assert fsutil.overwritten_input(out, [out]) == str(out)

    def unreadable(a: object, b: object) -> bool:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os.path, "samefile", unreadable)
    assert fsutil.overwritten_input(out, [answers, out]) is None


def test_check_out_refuses_another_kind_of_file_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    out.write_text("format: tra-questionnaire/1\nid: x\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        check_out(out, own=("tra-results",))
    assert str(caught.value) == (
        f"--out {out} is a questionnaire (tra-questionnaire/1), not this command's output; "
        "nothing was written. Choose another file name, or add --force to replace it"
    )
    check_out(out, own=("tra-results",), force=True)
    check_out(out, own=("tra-questionnaire",))
