"""What ``tra-assess report`` reads: a results file, or answer inputs scored on the fly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tra_assess.common.errors import TraAssessError, UsageError
from tra_assess.results.model import Results
from tra_assess.sources.options import DEFAULT, ReadOptions


@dataclass
class ReportInput:
    results: Results
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _results_document(inputs: list[str]) -> object | None:
    """The parsed JSON when INPUT is one ``.json`` file holding a results document."""
    from tra_assess.common.yamlio import load_json, read_text

    if len(inputs) != 1 or not inputs[0].lower().endswith(".json"):
        return None
    path = Path(inputs[0])
    if not path.is_file():
        return None
    data = load_json(read_text(path, inputs[0]), inputs[0])
    if isinstance(data, dict) and str(data.get("format", "")).startswith("tra-results"):
        return data
    return None


def _refuse_results_among_many(inputs: list[str]) -> None:
    """Several INPUTs are answers to score together; a results file among them is a mistake
    (most often ``--history A B`` for ``--history A --history B``): say so, not "no answers"."""
    if len(inputs) < 2:
        return
    for ref in inputs:
        if not ref.lower().endswith(".json") or not Path(ref).is_file():
            continue
        try:
            found = _results_document([ref]) is not None
        except (TraAssessError, OSError):  # unreadable here: the scoring path says why
            found = False
        if found:
            raise UsageError(
                f"{ref} is a results file, and report reads one results file or answer "
                "inputs, not both; for earlier assessments give --history before each file "
                "(--history A --history B)"
            )


def check_inputs_exist(inputs: list[str]) -> None:
    for ref in inputs:
        if ref != "-" and not Path(ref).exists():
            raise UsageError(f"{ref}: no such file or folder")


def load_report_input(
    inputs: list[str],
    *,
    questionnaire: str | None,
    group_by: str | None,
    target: str | None,
    min_group_size: int | None,
    top: int,
    jobs: int | None,
    options: ReadOptions = DEFAULT,
    merge_groups: Sequence[str] = (),
    allow_small_groups: bool = False,
    profile: Path | None = None,
) -> ReportInput:
    """Read a results file, or score answer inputs (problems are returned, not raised)."""
    check_inputs_exist(inputs)
    _refuse_results_among_many(inputs)
    document = _results_document(inputs)
    if document is not None:
        scoring_only = [
            name
            for name, value in (
                ("-q", questionnaire),
                ("--group-by", group_by),
                ("--min-group-size", min_group_size),
                ("--jobs", jobs),
                ("--label", options.labels or None),
                ("--column", options.columns or None),
                ("--encoding", options.encoding),
                ("--assessed-on", options.assessed_on),
                ("--merge-groups", merge_groups or None),
                ("--allow-small-groups", allow_small_groups or None),
                ("--profile", profile),
            )
            if value is not None
        ]
        if scoring_only:
            raise UsageError(
                f"{', '.join(scoring_only)}: only for answer inputs; {inputs[0]} is a results "
                "file, already scored (score the answers again to change them)"
            )
        from tra_assess.results.load import results_from_data
        from tra_assess.scoring.groups import recheck_groups

        results = results_from_data(document, inputs[0])
        warnings = recheck_groups(results)  # a file may be older, or edited by hand
        results.inputs.warnings.extend(warnings)
        return ReportInput(results, warnings=warnings)
    from tra_assess.scoring.batch import score_inputs

    outcome = score_inputs(
        inputs,
        questionnaire=questionnaire,
        group_by=group_by,
        target=target,
        min_group_size=min_group_size,
        top=top,
        jobs=jobs,
        options=options,
        merge_groups=merge_groups,
        allow_small_groups=allow_small_groups,
        profile=profile,
    )
    return ReportInput(outcome.results, list(outcome.problems), list(outcome.warnings))


def check_output(
    out: Path | None,
    template: Path | None,
    inputs: Sequence[str | Path | None] = (),
    *,
    force: bool = False,
) -> None:
    """Usage errors that must stop the command before any work. ``inputs`` are every file
    or folder the command reads (answers or results, baseline, questionnaire, template):
    ``out`` must not replace one of them, nor (without ``force``) an answers file, results
    file, questionnaire or survey export (:func:`~tra_assess.common.fsutil.check_out`)."""
    if template is not None and not template.is_file():
        raise UsageError(f"{template}: no such template file")
    if out is not None:
        if out.is_dir():
            raise UsageError(f"--out {out}: is a folder; give a file name")
        parent = out.parent if str(out.parent) else Path(".")
        if not parent.is_dir():
            raise UsageError(f"--out {out}: the folder {parent} does not exist")
        from tra_assess.common.fsutil import check_out

        check_out(out, inputs=[*inputs, template], force=force)


def write_report(out: Path, text: str) -> None:
    from tra_assess.common.fsutil import atomic_write

    atomic_write(out, text)  # a failure is one line: "cannot write OUT: why"
