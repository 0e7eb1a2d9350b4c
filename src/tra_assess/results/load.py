"""Reading ``tra-results/1`` files for ``compare`` and the report's ``--baseline``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tra_assess.common.errors import InvalidInputError, Problem, UsageError
from tra_assess.results.model import RESULTS_FORMAT, Results

__all__ = ["load_results_file", "results_from_data"]


def load_results_file(path: Path, display: str | None = None) -> Results:
    """Read and validate a ``tra-results/1`` JSON file.

    A missing file is a :class:`UsageError`; a malformed one an :class:`InvalidInputError`
    with one line naming the file (and the line, for JSON syntax errors).
    """
    from tra_assess.common.yamlio import load_json, read_text

    name = display or str(path)
    if not path.exists():
        raise UsageError(f"{name}: no such file")
    if path.is_dir():
        raise UsageError(f"{name}: is a folder, not a results file")
    data = load_json(read_text(path, name), name)
    return results_from_data(data, name)


def results_from_data(data: Any, name: str) -> Results:
    """Validate a loaded results document; one problem line naming ``name``."""
    if not isinstance(data, dict):
        raise InvalidInputError(
            "not results",
            [Problem(name, f"not a results file (expected a {RESULTS_FORMAT} object)")],
        )
    if data.get("format") != RESULTS_FORMAT:
        raise InvalidInputError(
            "not results",
            [
                Problem(
                    name,
                    f"not a results file: 'format' is {data.get('format')!r}, expected "
                    f"{RESULTS_FORMAT!r} (make one with: tra-assess score ANSWERS --out "
                    "results.json)",
                )
            ],
        )
    try:
        results = Results.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        where = ".".join(str(part) for part in first["loc"]) or "document"
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise InvalidInputError(
            "invalid results",
            [Problem(name, f"invalid {RESULTS_FORMAT} file: {where}: {first['msg']}{more}")],
        ) from None
    _check_consistent(results, name)
    return results


def _check_consistent(results: Results, name: str) -> None:
    """What the schema cannot say: the target and every level named are the file's levels."""
    from tra_assess.common.textsafe import quoted

    levels = {level.id for level in results.levels}
    named: list[str] = [results.target]

    def collect(value: Any) -> None:  # every "level" and "level_by_score" in the document
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("level", "level_by_score") and isinstance(item, str):
                    named.append(item)
                else:
                    collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(results.model_dump(exclude={"levels"}))
    for level in named:
        if level not in levels:
            known = ", ".join(sorted(levels)) or "none"
            raise InvalidInputError(
                "invalid results",
                [
                    Problem(
                        name,
                        f"invalid {RESULTS_FORMAT} file: level {quoted(level)} is not one of "
                        f"its levels ({known})",
                    )
                ],
            )
