"""A large table is read as two halves, the second in another process when a core is free:
the results, problems and warnings are the same whatever ``--jobs`` is, and the same as
reading the table in one go, when the other process fails too."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.scoring import halves
from tra_assess.scoring.batch import score_inputs
from tra_assess.sources.exports import blocks

QUICK = load_questionnaire("tra-quick")
ROWS = blocks.SPLIT_ROWS + 4_000


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plain export over the split size: the second half holds a duplicate of a first-half
    id, a cell that is not an answer, a row without answers and dates that could be day/month
    or month/day (the first half's dates are ISO)."""
    items = [item.id for item in QUICK.items]
    roles = ["frontline", "supervisor", "leadership", "support-staff"]
    lines = [",".join(["respondent_id", *items, "role", "assessed_on"])]
    for n in range(ROWS):
        answers = [str((n * 7 + k) % 5) for k in range(len(items))]
        date = "2026-01-05" if n < ROWS // 2 else f"{n % 12 + 1}/{n % 11 + 1}/2026"
        rid = f"r{n}"
        if n == ROWS - 10:
            rid = "r17"  # already used in the first half
        if n == ROWS - 20:
            answers[3] = "often"
        if n == ROWS - 30:
            answers = [""] * len(items)
        lines.append(",".join([rid, *answers, roles[n % 4], date]))
    path = tmp_path_factory.mktemp("halves") / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _score(path: Path, jobs: int, **settings: str) -> tuple[dict[str, Any], list[str], list[str]]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in settings.items():
            patch.setenv(name, value)
        outcome = score_inputs([path], questionnaire=QUICK, group_by="role", jobs=jobs)
    document = outcome.results.model_dump(mode="json", exclude={"generated_at"})
    return document, outcome.problems, outcome.warnings


def test_halves_in_two_processes_equal_one_go(export: Path) -> None:
    one_go = _score(export, 1, TRA_ASSESS_SPLIT_ROWS="off")
    document, problems, warnings = one_go
    assert document["respondents"] == ROWS - 3  # the duplicate, the bad cell, the empty row
    assert any("'often' is not an answer" in line for line in problems)
    assert any("respondent id 'r17' was already used in" in line for line in problems)
    assert any("could be day/month or month/day" in line for line in warnings)
    assert _score(export, 1) == one_go  # two halves, this process
    assert _score(export, 2) == one_go  # the second half in another process


def test_the_second_half_goes_to_another_process(
    export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[bool] = []
    start = halves.Half.start

    def recording(self: halves.Half) -> None:
        start(self)
        started.append(self._process is not None)

    monkeypatch.setattr(halves.Half, "start", recording)
    _score(export, 2)
    assert started == [True]
    started.clear()
    _score(export, 1)  # --jobs 1: no other process
    assert started == []


def test_a_failed_process_is_replaced_by_reading_here(
    export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_go = _score(export, 1, TRA_ASSESS_SPLIT_ROWS="off")

    def dies(*_: object) -> None:
        os._exit(3)

    monkeypatch.setattr(halves, "_child", dies)
    assert _score(export, 2) == one_go


def test_the_command_line_gives_the_same_results_whatever_jobs_is(
    export: Path, runner: CliRunner
) -> None:
    found = []
    for jobs in ("1", "2"):
        result = runner.invoke(
            app, ["score", str(export), "-q", "tra-quick", "--format", "json", "--jobs", jobs]
        )
        assert result.exit_code == 1  # rejected rows
        document = json.loads(result.stdout)
        document.pop("generated_at")
        found.append((document, result.stderr))
    assert found[0] == found[1]


@pytest.mark.parametrize("where", [100, ROWS - 100])
def test_a_line_of_another_width_hands_the_rest_to_the_csv_reader(
    export: Path, tmp_path: Path, where: int
) -> None:
    """A short row (in the first half, or in the second) ends the code path there: from that
    row on, the table's own CSV reader reads the rest, with the same results and messages as
    reading the whole table with it."""
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[where] = lines[where].split(",", 3)[0] + ",1\n"  # two cells of many
    lines[where + 7] = lines[where + 7].replace(",", ";")  # another delimiter
    path = tmp_path / "short.csv"
    path.write_text("".join(lines), encoding="utf-8")
    rows = _score(path, 1, TRA_ASSESS_ARRAY_ROWS="off")
    assert rows[0]["respondents"] == ROWS - 4  # the short row is scored; the other is not
    assert any(
        f"row {where + 8}, column 'respondent_id': this row is written with ';'" in line
        for line in rows[1]
    )
    assert _score(path, 1) == rows
    assert _score(path, 2) == rows


def test_a_windows_export_is_cut_in_two_alike(export: Path, tmp_path: Path) -> None:
    """CRLF line ends: the cut is made on the text, between a line's CR LF and the next."""
    path = tmp_path / "crlf.csv"
    path.write_bytes(export.read_bytes().replace(b"\n", b"\r\n"))
    one_go = _score(path, 1, TRA_ASSESS_SPLIT_ROWS="off")
    lf = _score(export, 1, TRA_ASSESS_SPLIT_ROWS="off")[0]
    for part in ("respondents", "overall", "domains", "items", "groups"):
        assert one_go[0][part] == lf[part]
    assert _score(path, 2) == one_go


def test_the_second_half_starts_before_numpy_is_loaded(export: Path) -> None:
    """The table is cut on its text, so the other process is started before this one loads
    numpy, and both load it at the same time."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tra_assess.scoring import halves\n"
        "seen = []\n"
        "start = halves.Half.start\n"
        "def recording(self):\n"
        "    seen.append('numpy' in sys.modules)\n"
        "    start(self)\n"
        "    seen.append(self._process is not None)\n"
        "halves.Half.start = recording\n"
        "from tra_assess.questionnaire.load import load_questionnaire\n"
        "from tra_assess.scoring.batch import score_inputs\n"
        "q = load_questionnaire('tra-quick')\n"
        "outcome = score_inputs([Path(sys.argv[1])], questionnaire=q, jobs=2)\n"
        "print(seen, 'numpy' in sys.modules, outcome.results.respondents)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script, str(export)], capture_output=True, text=True, check=True
    )
    assert found.stdout.split() == ["[False,", "True]", "True", str(ROWS - 3)]


def test_a_marked_export_without_a_last_line_end_is_read_alike(
    export: Path, tmp_path: Path
) -> None:
    """A UTF-8 byte-order mark and no line end after the last row: the code path reads the
    file's own bytes from after the mark, and the last piece's last line counts."""
    path = tmp_path / "marked.csv"
    path.write_bytes(codecs.BOM_UTF8 + export.read_bytes().rstrip(b"\n"))
    rows = _score(path, 1, TRA_ASSESS_ARRAY_ROWS="off")
    assert rows[0]["respondents"] == ROWS - 3
    assert _score(path, 1) == rows
    assert _score(path, 2) == rows
    assert _score(path, 1, TRA_ASSESS_SPLIT_ROWS="off") == rows
