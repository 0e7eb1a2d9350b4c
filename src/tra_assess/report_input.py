"""What ``tra-assess report`` reads: a results file, or answer inputs scored on the fly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tra_assess.errors import InvalidInputError, Problem, UsageError
from tra_assess.results import RESULTS_FORMAT, Results


@dataclass
class ReportInput:
    results: Results
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _results_document(inputs: list[str]) -> object | None:
    """The parsed JSON when INPUT is one ``.json`` file holding a results document."""
    from tra_assess.yamlio import load_json, read_text

    if len(inputs) != 1 or not inputs[0].lower().endswith(".json"):
        return None
    path = Path(inputs[0])
    if not path.is_file():
        return None
    data = load_json(read_text(path, inputs[0]), inputs[0])
    if isinstance(data, dict) and str(data.get("format", "")).startswith("tra-results"):
        return data
    return None


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
) -> ReportInput:
    """Read a results file, or score answer inputs (problems are returned, not raised)."""
    check_inputs_exist(inputs)
    document = _results_document(inputs)
    if document is not None:
        scoring_only = [
            name for name, value in (("-q", questionnaire), ("--group-by", group_by),
                                     ("--min-group-size", min_group_size), ("--jobs", jobs))
            if value is not None
        ]
        if scoring_only:
            raise UsageError(
                f"{', '.join(scoring_only)}: only for answer inputs; {inputs[0]} is a results "
                "file, already scored (score the answers again to change them)"
            )
        return ReportInput(results_from_data(document, inputs[0]))
    from tra_assess.batch import score_inputs

    outcome = score_inputs(
        inputs, questionnaire=questionnaire, group_by=group_by, target=target,
        min_group_size=min_group_size, top=top, jobs=jobs,
    )
    return ReportInput(outcome.results, list(outcome.problems), list(outcome.warnings))


def load_baseline(path: Path) -> Results:
    """The ``--baseline`` results file: missing is a usage error, malformed one line."""
    from tra_assess.yamlio import load_json, read_text

    name = str(path)
    if not path.is_file():
        raise UsageError(f"{name}: no such file" if not path.exists() else f"{name}: not a file")
    return results_from_data(load_json(read_text(path, name), name), name)


def results_from_data(data: object, name: str) -> Results:
    """Validate a parsed results document with the pydantic model; one line naming ``name``.

    (The same rules as :func:`tra_assess.compare.results_from_data`, without importing the
    comparison and questionnaire modules: a report's start-up time is measured.)
    """
    from pydantic import ValidationError

    if not isinstance(data, dict) or data.get("format") != RESULTS_FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise InvalidInputError("not results", [Problem(
            name, f"not a results file: 'format' is {found!r}, expected {RESULTS_FORMAT!r} "
            "(make one with: tra-assess score ANSWERS --out results.json)")])
    try:
        return Results.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        where = ".".join(str(part) for part in errors[0]["loc"]) or "document"
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise InvalidInputError("invalid results", [Problem(
            name, f"invalid {RESULTS_FORMAT} file: {where}: {errors[0]['msg']}{more}")]) from None


def check_output(out: Path | None, template: Path | None) -> None:
    """Usage errors that must stop the command before any work."""
    if template is not None and not template.is_file():
        raise UsageError(f"{template}: no such template file")
    if out is not None:
        if out.is_dir():
            raise UsageError(f"--out {out}: is a folder; give a file name")
        parent = out.parent if str(out.parent) else Path(".")
        if not parent.is_dir():
            raise UsageError(f"--out {out}: the folder {parent} does not exist")


def write_report(out: Path, text: str) -> None:
    from tra_assess.fsutil import atomic_write

    try:
        atomic_write(out, text)
    except OSError as exc:
        raise InvalidInputError(f"cannot write {out}: {exc.strerror or exc}") from None
