"""Answers read from stdin as it really arrives (bytes, bad encodings, a broken pipe, far too
much), files that change while they are read, folders that cannot be listed and files of a
type tra-assess does not read: each is one line naming the input, never a traceback."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest

from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.common.yamlio import MAX_BYTES
from tra_assess.scoring.batch import score_inputs
from tra_assess.sources import documents
from tra_assess.sources.documents import peek_questionnaire, problems_of, read_file_text
from tra_assess.sources.inputs import expand_inputs

ANSWERS = (
    'format: tra-answers/1\nquestionnaire: {id: mini, version: "2.0"}\n'
    "answers:\n  alpha.one: 3\n  alpha.two: 2\n"
)


def _stdin_problems(stream: object, mini_path: Path) -> list[str]:
    outcome = score_inputs(["-"], questionnaire=mini_path, stdin=stream)  # type: ignore[arg-type]
    return outcome.problems


def test_stdin_may_be_given_once() -> None:
    with pytest.raises(UsageError) as caught:
        expand_inputs(["-", "-"], stdin=io.StringIO(ANSWERS))
    assert str(caught.value) == "'-' (stdin) can be given only once"


def test_stdin_that_is_not_utf8_is_one_line(mini_path: Path) -> None:
    stream = io.TextIOWrapper(io.BytesIO(ANSWERS.encode("latin-1") + b"# caf\xe9\n"), "utf-8")
    assert _stdin_problems(stream, mini_path) == ["<stdin>: not valid UTF-8 text (send UTF-8)"]


def test_stdin_read_with_surrogateescape_is_refused_at_the_bad_line(mini_path: Path) -> None:
    # how Python reads stdin in the C and C.UTF-8 locales: bad bytes hidden in the text
    data = ANSWERS.encode() + b"note: caf\xe9\n"
    stream = io.TextIOWrapper(io.BytesIO(data), "utf-8", errors="surrogateescape")
    assert _stdin_problems(stream, mini_path) == [
        "<stdin>:6: not valid UTF-8 text (send UTF-8)"
    ]


def test_the_installed_command_refuses_bad_stdin_in_the_c_locale(mini_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    exe = shutil.which("tra-assess", path=str(Path(sys.executable).parent))
    command = [exe] if exe else [sys.executable, "-m", "tra_assess"]
    env = {**os.environ, "LC_ALL": "C", "NO_COLOR": "1"}
    done = subprocess.run(
        [*command, "score", "-", "-q", str(mini_path)],
        input=ANSWERS.encode() + b"note: caf\xe9\n",
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.decode() == "<stdin>:6: not valid UTF-8 text (send UTF-8)\n"


def test_stdin_that_breaks_off_is_one_line(mini_path: Path) -> None:
    class Broken(io.StringIO):
        def read(self, size: int | None = -1) -> str:
            raise OSError(errno.EIO, "Input/output error")

    assert _stdin_problems(Broken(), mini_path) == [
        "<stdin>: cannot read: [Errno 5] Input/output error"
    ]


def test_stdin_as_bytes_is_decoded(mini_path: Path) -> None:
    stream = io.BytesIO(b"\xef\xbb\xbf" + ANSWERS.encode())
    outcome = score_inputs(["-"], questionnaire=mini_path, stdin=stream)  # type: ignore[arg-type]
    assert outcome.problems == []
    assert outcome.results.respondents == 1
    assert next(i for i in outcome.results.items if i.id == "alpha.one").score == 3.0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"format: tra-answers/1\nnote: caf\xe9\n",
            "<stdin>:2: not valid UTF-8 text (save the file as UTF-8)",  # once, with its line
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "<stdin>: this is a binary file, not UTF-8 text"),
    ],
)
def test_stdin_bytes_that_are_no_text_are_one_line(
    mini_path: Path, data: bytes, expected: str
) -> None:
    assert _stdin_problems(io.BytesIO(data), mini_path) == [expected]


def test_stdin_text_with_nul_bytes_is_binary(mini_path: Path) -> None:
    assert _stdin_problems(io.StringIO("format: tra-answers/1\x00\n"), mini_path) == [
        "<stdin>: this is binary data, not UTF-8 text"
    ]


def test_stdin_past_the_size_limit_is_refused_unparsed(mini_path: Path) -> None:
    assert _stdin_problems(io.StringIO("#" * (MAX_BYTES + 1)), mini_path) == [
        "<stdin>: more than 20 MB; the limit is 20 MB"
    ]


def test_a_folder_that_cannot_be_listed_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.yaml").write_text(ANSWERS, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.yaml").write_text(ANSWERS, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(path) == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    sources, warnings = expand_inputs([tmp_path])
    assert [s.display for s in sources] == [str(tmp_path / "open" / "a.yaml")]
    assert warnings == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "answers.ods",
            "unsupported file type '.ods': a LibreOffice spreadsheet: save it as .xlsx or .csv",
        ),
        (
            "answers.pdf",
            "unsupported file type '.pdf': export the answers as .csv or .xlsx "
            "(tra-assess reads .yaml .yml .json .csv .tsv .txt .xlsx)",
        ),
    ],
)
def test_a_file_of_a_type_not_read_is_named_with_what_to_do(
    tmp_path: Path, mini_path: Path, name: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04")
    good = tmp_path / "good.yaml"
    good.write_text(ANSWERS, encoding="utf-8")
    outcome = score_inputs([path, good], questionnaire=mini_path)
    assert outcome.problems == [f"{path}: {expected}"]
    assert outcome.results.respondents == 1


def _lying_fstat(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    real_fstat = os.fstat

    class Stat:
        def __init__(self, fd: int) -> None:
            self._real = real_fstat(fd)
            self.st_size = size

        def __getattr__(self, name: str) -> object:
            return getattr(self._real, name)

    monkeypatch.setattr(os, "fstat", lambda fd: Stat(fd))


@pytest.mark.parametrize("told", [10, 10_000], ids=["grown", "shrunk"])
def test_a_file_that_changed_size_since_it_was_looked_at_is_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, told: int
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(ANSWERS * 100, encoding="utf-8")
    _lying_fstat(monkeypatch, told)
    assert read_file_text(str(path), "a.yaml") == ANSWERS * 100


def test_a_file_that_grows_past_the_limit_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"#" * (3 * 1048576))
    monkeypatch.setattr(documents, "MAX_BYTES", 1048576)
    _lying_fstat(monkeypatch, 100)
    with pytest.raises(InvalidInputError) as caught:
        read_file_text(str(path), "a.yaml")
    assert str(caught.value) == "a.yaml: more than 1 MB; the limit is 1 MB"


def test_what_cannot_be_read_says_why(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as caught:
        read_file_text(str(tmp_path), "answers")
    assert str(caught.value) == "answers: cannot read: Is a directory"
    with pytest.raises(InvalidInputError) as caught:
        read_file_text(str(tmp_path / "gone.yaml"), "gone.yaml")
    assert str(caught.value) == "gone.yaml: cannot read: No such file or directory"


def test_a_message_only_error_becomes_one_located_problem() -> None:
    lines = [
        str(p) for p in (
            *problems_of(InvalidInputError("a.yaml:7: bad value"), "a.yaml"),
            *problems_of(InvalidInputError("a.yaml: too big"), "a.yaml"),
            *problems_of(InvalidInputError("something else went wrong"), "a.yaml"),
        )
    ]
    assert lines == [
        "a.yaml:7: bad value", "a.yaml: too big", "a.yaml: something else went wrong"
    ]


def test_the_questionnaire_of_a_broken_first_file_is_not_guessed(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: tra-answers/1\nanswers: {alpha.one: [\n", encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(ANSWERS, encoding="utf-8")
    assert peek_questionnaire(expand_inputs([good])[0]) == "mini"
    assert peek_questionnaire(expand_inputs([broken, good])[0]) is None
    blank_id = tmp_path / "blank.yaml"
    blank_id.write_text("format: tra-answers/1\nquestionnaire: {id: '  '}\n", encoding="utf-8")
    assert peek_questionnaire(expand_inputs([blank_id])[0]) is None
