"""``tra-assess demo``: a fictional organisation's assessment, end to end, in one folder.

:func:`make_demo` generates the individual answer files of three yearly assessments
(:mod:`tra_assess.demo.data`), scores each (grouped by role), and writes the results, the
Markdown and HTML reports (this year's with the change since the baseline and the trend; the
first year's, which shows the training illusion), the action plan (``plan.xlsx``,
``plan.md``) and the trend page (``trend.html``). The same seed on the same day gives the
same files.
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
from tra_assess.demo.data import YEARS

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
    first_date: str = ""
    answer_files: dict[str, int] = field(default_factory=dict)  # year folder -> files
    files: list[Path] = field(default_factory=list)
    followup: Results | None = None
    baseline: Results | None = None
    first: Results | None = None


def _years_before(today: _dt.date, years: int) -> _dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def demo_dates(today: _dt.date) -> tuple[str, str, str]:
    """The three assessments: two years ago (the first), a year ago (the baseline) and
    today (28 Feb for 29 Feb)."""
    return (
        _years_before(today, 2).isoformat(),
        _years_before(today, 1).isoformat(),
        today.isoformat(),
    )


def first_results_name(first_date: str) -> str:
    return f"results-{first_date[:4]}.json"


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
    first_date, baseline_date, followup_date = demo_dates(now().date())
    output = DemoOutput(out, baseline_date, followup_date, first_date)
    try:
        _prepare(out)
    except OSError as exc:
        raise InvalidInputError(f"cannot write {out}: {exc.strerror or exc}", []) from None

    rng = random.Random(seed)
    results: dict[str, Results] = {}
    dates = {"first": first_date, "baseline": baseline_date, "followup": followup_date}
    # the first year has its own random stream, so adding it left the later two unchanged
    streams = {"first": random.Random(f"{seed}-first"), "baseline": rng, "followup": rng}
    for year in ("baseline", "followup", "first"):
        date = dates[year]
        responses = _generate(questionnaire, year, date, respondents, streams[year])
        folder = out / "answers" / date[:4]
        _write_answers(responses, out, folder)
        output.answer_files[str(folder)] = len(responses)
        results[year] = _score(questionnaire, responses, date)
    output.answer_files = dict(sorted(output.answer_files.items()))
    output.baseline, output.followup = results["baseline"], results["followup"]
    output.first = results["first"]
    first_name = first_results_name(first_date)
    _write(out / first_name, _results_json(results["first"]), output)
    _write(out / "results-baseline.json", _results_json(results["baseline"]), output)
    _write(out / "results.json", _results_json(results["followup"]), output)
    history = [(results["first"], first_name), (results["baseline"], "results-baseline.json")]
    _write_reports(out, results["followup"], results["baseline"], history, output)
    _write_first_reports(out, results["first"], output)
    _write_plan(out, results["followup"], results["baseline"], output)
    _write_trend(
        out,
        [results[year] for year in YEARS],
        [first_name, "results-baseline.json", "results.json"],
        output,
    )
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


def _write_reports(
    out: Path,
    followup: Results,
    baseline: Results,
    history: list[tuple[Results, str]],
    output: DemoOutput,
) -> None:
    from tra_assess.reports.render import render_report

    for fmt in ("md", "html"):
        text = render_report(followup, fmt=fmt, baseline=baseline, history=history)
        _write(out / f"report.{fmt}", text, output)


def _write_first_reports(out: Path, first: Results, output: DemoOutput) -> None:
    """The first year's report: training ahead, practice behind (the training illusion)."""
    from tra_assess.reports.render import render_report

    year = (first.assessed_on or "first")[:4]
    for fmt in ("md", "html"):
        _write(out / f"report-{year}.{fmt}", render_report(first, fmt=fmt), output)


def _write_plan(out: Path, followup: Results, baseline: Results, output: DemoOutput) -> None:
    """This year's action plan, its baseline's priorities marked moved or not."""
    from tra_assess.results.plan import build_action_plan, plan_markdown, plan_xlsx

    plan = build_action_plan(followup, baseline=baseline)
    atomic_write(out / "plan.xlsx", plan_xlsx(plan))
    output.files.append(out / "plan.xlsx")
    _write(out / "plan.md", plan_markdown(plan), output)


def _write_trend(out: Path, results: list[Results], names: list[str], output: DemoOutput) -> None:
    from tra_assess.compare.trend import build_trend
    from tra_assess.reports.render import render_trend_html

    _write(out / "trend.html", render_trend_html(build_trend(results, names)), output)
