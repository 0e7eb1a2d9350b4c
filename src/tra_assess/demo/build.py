"""``tra-assess demo``: a fictional organisation's assessment, end to end, in one folder.

:func:`make_demo` generates the individual answer files of two assessments a year apart
(:mod:`tra_assess.demo.data`), scores both (grouped by role), and writes the results and the
Markdown and HTML reports with the change since the baseline. The same seed on the same day
gives the same files.
"""

from __future__ import annotations

import datetime as _dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.common.fsutil import atomic_write, check_out

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Questionnaire
    from tra_assess.results.model import Results
    from tra_assess.sources.answers import Response

MARKER = ".tra-demo"
OUTPUT_NAMES = ("results-baseline.json", "results.json", "report.md", "report.html")
MAX_RESPONDENTS = 5_000  # per assessment: a demo, not a load test
MARKER_TEXT = "Made by `tra-assess demo`; running it again replaces this folder's demo files.\n"
GROUP_BY = "role"
MIN_GROUP_SIZE = 5

try:  # the C emitter writes the same YAML, faster
    _Dumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Dumper = yaml.SafeDumper


@dataclass
class DemoOutput:
    """What :func:`make_demo` wrote."""

    folder: Path
    baseline_date: str
    followup_date: str
    answer_files: dict[str, int] = field(default_factory=dict)  # year folder -> files
    files: list[Path] = field(default_factory=list)
    followup: Results | None = None
    baseline: Results | None = None


def demo_dates(today: _dt.date) -> tuple[str, str]:
    """This year's assessment (today) and the baseline one year earlier (28 Feb for 29 Feb)."""
    try:
        earlier = today.replace(year=today.year - 1)
    except ValueError:
        earlier = today.replace(year=today.year - 1, day=28)
    return earlier.isoformat(), today.isoformat()


def check_folder(out: Path) -> None:
    """A demo goes into a new or empty folder, or over a previous demo; else a usage error."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder; choose another with --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsageError(
            f"{out}: folder is not empty and was not made by tra-assess demo; "
            "choose a new or empty folder with --out"
        )
    for name in OUTPUT_NAMES:  # in a previous demo: only its own kinds are replaced
        check_out(out / name, own=["tra-results"])


def make_demo(out: Path, respondents: int = 60, seed: int = 7) -> DemoOutput:
    """Write the demo into ``out`` (see the module docstring) and return what was written."""
    from tra_assess.common.clock import now
    from tra_assess.questionnaire.load import load_questionnaire

    if not 1 <= respondents <= MAX_RESPONDENTS:
        raise UsageError(f"--respondents must be between 1 and {MAX_RESPONDENTS:,}")
    check_folder(out)
    questionnaire = load_questionnaire("tra-core")
    baseline_date, followup_date = demo_dates(now().date())
    output = DemoOutput(out, baseline_date, followup_date)
    try:
        _prepare(out)
    except OSError as exc:
        raise InvalidInputError(f"cannot write {out}: {exc.strerror or exc}", []) from None

    rng = random.Random(seed)
    results: dict[str, Results] = {}
    for year, date in (("baseline", baseline_date), ("followup", followup_date)):
        responses = _generate(questionnaire, year, date, respondents, rng)
        folder = out / "answers" / date[:4]
        _write_answers(responses, out, folder)
        output.answer_files[str(folder)] = len(responses)
        results[year] = _score(questionnaire, responses, date)
    output.baseline, output.followup = results["baseline"], results["followup"]
    _write(out / "results-baseline.json", _results_json(results["baseline"]), output)
    _write(out / "results.json", _results_json(results["followup"]), output)
    _write_reports(out, results["followup"], results["baseline"], output)
    return output


def _prepare(out: Path) -> None:
    """Create the folder (with its marker); remove a previous demo's answer files only."""
    out.mkdir(parents=True, exist_ok=True)
    answers = out / "answers"
    if answers.is_dir() and (out / MARKER).is_file():
        for path in sorted(answers.glob("*/rb*.yaml")):
            path.unlink()
        for folder in sorted(answers.iterdir()):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    atomic_write(out / MARKER, MARKER_TEXT)


def _generate(
    questionnaire: Questionnaire, year: str, date: str, count: int, rng: random.Random
) -> list[Response]:
    from tra_assess.demo.data import make_people, make_responses

    people = make_people(count, rng)
    return make_responses(questionnaire, people, year, date, rng)


def _write_answers(responses: list[Response], out: Path, folder: Path) -> None:
    """Each respondent's ``tra-answers/1`` YAML file, written as ``run`` writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    for response in responses:
        path = folder / f"{response.source}.yaml"
        text = yaml.dump(
            response.to_document(),
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
        )
        atomic_write(path, text)
        response.source = path.relative_to(out).as_posix()


def _score(questionnaire: Questionnaire, responses: list[Response], date: str) -> Results:
    from tra_assess.results.model import Inputs
    from tra_assess.scoring.scorer import score_responses

    results = score_responses(
        questionnaire,
        responses,
        group_by=GROUP_BY,
        min_group_size=MIN_GROUP_SIZE,
        inputs=Inputs(files=len(responses)),
    )
    # a fixed time stamp keeps the demo's files the same from run to run on one day
    return results.model_copy(update={"generated_at": f"{date}T12:00:00Z"})


def _results_json(results: Results) -> str:
    data: dict[str, Any] = results.model_dump(mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _write(path: Path, text: str, output: DemoOutput) -> None:
    atomic_write(path, text)
    output.files.append(path)


def _write_reports(out: Path, followup: Results, baseline: Results, output: DemoOutput) -> None:
    from tra_assess.reports.render import render_report

    for fmt in ("md", "html"):
        text = render_report(followup, fmt=fmt, baseline=baseline)
        _write(out / f"report.{fmt}", text, output)
