"""What ``tra-assess demo`` prints: the files it wrote, the headline, the next commands."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from tra_assess.common.display import fmt_number
from tra_assess.common.textsafe import one_line
from tra_assess.demo.build import first_results_name
from tra_assess.demo.data import ORGANIZATION

if TYPE_CHECKING:
    from rich.console import Console

    from tra_assess.demo.build import DemoOutput


def _q(path: object) -> str:
    return shlex.quote(str(path))


def print_summary(output: DemoOutput, console: Console) -> None:
    """Plain-text summary: every line is made from data, never markup."""
    from rich.text import Text

    def line(text: str = "", style: str = "", indent: int = 0) -> None:
        # soft wrap: Rich inserts no line breaks; a long line breaks only where the text does
        # (the terminal may still fold it on screen)
        console.print(Text(" " * indent + one_line(text), style=style), soft_wrap=True)

    out = output.folder
    line(f"Demo: {ORGANIZATION} (a fictional community family-services agency)", "bold")
    if output.first_date:
        line(
            f"Assessments on {output.first_date} (the first), {output.baseline_date} "
            f"(baseline) and {output.followup_date}."
        )
    else:
        line(f"Assessments on {output.baseline_date} (baseline) and {output.followup_date}.")
    followup, baseline = output.followup, output.baseline
    if followup is not None and baseline is not None:
        line(
            f"Overall now: {followup.level_label(followup.overall.level)}, score "
            f"{fmt_number(followup.overall.score)} (a year ago: "
            f"{baseline.level_label(baseline.overall.level)}, "
            f"{fmt_number(baseline.overall.score)}); target: "
            f"{followup.level_label(followup.target)}."
        )
    line()
    line("Wrote:", "bold")
    for folder, count in output.answer_files.items():
        line(f"{folder}/  {count} individual answer files (tra-answers/1 YAML)", indent=2)
    for path in output.files:
        line(str(path), indent=2)
    line()
    line("Next, try:", "bold")
    year_now = out / "answers" / output.followup_date[:4]
    first = out / first_results_name(output.first_date) if output.first_date else None
    cycle = []
    if first is not None:
        cycle = [
            f"open {_q(out / 'trend.html')} (the trend) and {_q(out / 'plan.xlsx')} (the action "
            "plan, to track in Excel)",
            f"read {_q(out / f'report-{output.first_date[:4]}.md')}: the first year, training "
            "delivered, practice unchanged",
            f"tra-assess trend {_q(first)} {_q(out / 'results-baseline.json')} "
            f"{_q(out / 'results.json')}",
            f"tra-assess plan {_q(out / 'results.json')} --all --baseline "
            f"{_q(out / 'results-baseline.json')} --out plan-all.xlsx",
            f"tra-assess export {_q(out / 'results.json')} --format csv --out tables",
        ]
    for command in (
        f"open {_q(out / 'report.html')} in a browser (or read {_q(out / 'report.md')})",
        *cycle,
        f"tra-assess compare {_q(out / 'results-baseline.json')} {_q(out / 'results.json')}",
        f"tra-assess score {_q(year_now)} --group-by team",
        f"tra-assess report {_q(out / 'results.json')} --target informed --format md",
        f"tra-assess run --organization {_q(ORGANIZATION)} --mode consensus",
    ):
        line(command, indent=2)
