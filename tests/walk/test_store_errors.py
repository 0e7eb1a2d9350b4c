"""Saving and resuming answers files when the file system gets in the way: a name taken
meanwhile, no hard links, a full disk over a file that cannot be read back, an unwritable
folder; and what an empty, JSON or unscannable file gives on resume."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.sources.answers import Response
from tra_assess.walk import store


def _response(**values: int | str) -> Response:
    response = Response(source="run", questionnaire_id="mini", questionnaire_version="2.0")
    response.values.update(values)
    return response


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_reserve_creates_an_empty_private_file_once(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    store.reserve(path)
    assert path.read_bytes() == b""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(UsageError) as caught:
        store.reserve(path, "my-q.yaml")
    assert str(caught.value) == (
        f"{path} was created by someone else meanwhile; nothing was overwritten. Continue it "
        f"with: tra-assess run --resume {path} -q my-q.yaml"
    )
    missing = tmp_path / "gone" / "a.yaml"
    with pytest.raises(UsageError) as caught:
        store.reserve(missing)
    assert str(caught.value) == f"{missing}: cannot create: No such file or directory"


def test_create_never_replaces_a_file_made_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("format: tra-answers/1\n", encoding="utf-8")  # another walk got there first
    with pytest.raises(UsageError, match="was created by someone else meanwhile"):
        store.create(_response(**{"alpha.one": 3}), path)
    assert path.read_text(encoding="utf-8") == "format: tra-answers/1\n"
    assert _temps(tmp_path) == []


def test_create_without_hard_links_reserves_the_name_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")  # FAT, some shares

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "a.json"
    store.create(_response(**{"alpha.one": 3, "beta.two": "na"}), path)
    text = path.read_text(encoding="utf-8")
    assert '"alpha.one": 3' in text and '"beta.two": "na"' in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _temps(tmp_path) == []
    assert store.answers_questionnaire_id(path) == "mini"  # a JSON answers file reads back


@pytest.mark.parametrize(
    ("before", "kept"),
    [
        ("answers: [not, closed\n", "keeps its last good save."),
        ('{"answers": {"alpha.one": 2}}', "keeps its last good save (1 answer)."),
        ("", "keeps its last good save (0 answers)."),
    ],
    ids=["unreadable", "one-answer", "empty"],
)
def test_a_refused_save_says_what_the_file_still_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: str, kept: str
) -> None:
    path = tmp_path / ("a.json" if before.startswith("{") else "a.yaml")
    path.write_text(before, encoding="utf-8")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InvalidInputError) as caught:
        store.save(_response(**{"alpha.one": 3}), path, "q.yaml")
    assert str(caught.value) == (
        f"cannot save {path}: the file could not be written (Permission denied); the last "
        f"change (answer or note) was not saved. {path} {kept} Fix the cause, then continue "
        f"with: tra-assess run --resume {path} -q q.yaml"
    )
    assert path.read_text(encoding="utf-8") == before
    assert _temps(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_said_before_the_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode)
    )
    with pytest.raises(UsageError) as caught:
        store.check_new_path(tmp_path / "a.yaml")
    assert str(caught.value) == f"{tmp_path}: cannot write there (permission denied)"


def test_an_unreadable_file_is_not_taken_for_an_empty_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("", encoding="utf-8")
    assert store.is_empty_file(path)
    assert store.answers_questionnaire_id(path) is None  # empty: nothing names one

    def unreadable(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    assert not store.is_empty_file(path)


def test_comment_lines_of_text_that_does_not_scan_are_none() -> None:
    assert store.comment_lines("answers:\n  alpha.one: 3  # seen\n# end\n") == [2, 3]
    assert store.comment_lines('note: "a # in quotes"\n') == []
    assert store.comment_lines("answers: @reserved\n# comment\n") == []  # no token starts with @
