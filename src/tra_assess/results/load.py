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
    problem = _impossible(results)
    if problem is not None:
        raise InvalidInputError(
            "invalid results", [Problem(name, f"invalid {RESULTS_FORMAT} file: {problem}")]
        )
    return results


def _impossible(results: Results) -> str | None:
    """The first count, score or date no scoring could have written (an edited or damaged
    file), or None."""
    from tra_assess.common.textsafe import quoted

    return (
        _impossible_dates(results, quoted)
        or _impossible_totals(results)
        or _impossible_items(results, quoted)
        or _impossible_domains(results, quoted)
    )


def _impossible_dates(results: Results, quoted: Any) -> str | None:
    import datetime as _dt

    from tra_assess.common.clock import iso_date

    if results.assessed_on is not None and iso_date(results.assessed_on) is None:
        return f"assessed_on {quoted(results.assessed_on)} is not a date YYYY-MM-DD"
    try:
        stamp = results.generated_at
        _dt.datetime.fromisoformat(stamp[:-1] + "+00:00" if stamp.endswith("Z") else stamp)
    except ValueError:
        return f"generated_at {quoted(results.generated_at)} is not a date and time"
    return None


def _impossible_totals(results: Results) -> str | None:
    if results.respondents < 0:
        return f"respondents is {results.respondents}, a negative count"
    if results.inputs.files < 0:
        return f"inputs.files is {results.inputs.files}, a negative count"
    if results.min_group_size < 1:
        return f"min_group_size is {results.min_group_size}; it must be at least 1"
    if any(count < 0 for count in results.modes.values()):
        return "modes holds a negative count"
    for reason in results.na_reasons:
        if reason.count > results.respondents:
            return (
                f"na_reasons: {reason.count} respondents gave a reason for {reason.item}, "
                f"more than the {results.respondents} respondents"
            )
    groups = results.groups.groups if results.groups is not None else []
    for group in groups:
        if group.n is not None and not 0 <= group.n <= results.respondents:
            return (
                f"group {group.value!r} has n = {group.n}, outside 0 to the "
                f"{results.respondents} respondents"
            )
    return None


def _impossible_items(results: Results, quoted: Any) -> str | None:
    everyone = results.respondents
    values = {str(s.value) for s in results.scale}
    low, high = _scale_range(results)
    for item in results.items:
        where = f"item {quoted(item.id)}"
        counts = {
            "n": item.n,
            "na": item.na,
            "unknown": item.unknown,
            "missing": item.missing,
            "out_of_audience": item.out_of_audience,
        }
        for key, count in counts.items():
            if count < 0:
                return f"{where}: {key} is {count}, a negative count"
            if count > everyone:
                return f"{where}: {key} is {count}, more than the {everyone} respondents"
        if item.n + item.na + item.unknown > everyone:
            return (
                f"{where}: {item.n} ratings, {item.na} n/a and {item.unknown} unknown are "
                f"more answers than the {everyone} respondents"
            )
        if item.distribution:
            unknown_keys = sorted(set(item.distribution) - values) if values else []
            if unknown_keys:
                return f"{where}: distribution has {quoted(unknown_keys[0])}, not a scale value"
            if any(count < 0 for count in item.distribution.values()):
                return f"{where}: distribution holds a negative count"
            total = sum(item.distribution.values())
            if total != item.n:
                return f"{where}: distribution adds up to {total}, but n is {item.n}"
        if not _within(item.score, low, high):
            return f"{where}: score {item.score} is outside the scale {low:g}-{high:g}"
    return None


def _impossible_domains(results: Results, quoted: Any) -> str | None:
    everyone = results.respondents
    low, high = _scale_range(results)
    for domain in results.domains:
        where = f"domain {quoted(domain.id)}"
        if not _within(domain.score, low, high):
            return f"{where}: score {domain.score} is outside the scale {low:g}-{high:g}"
        for key in ("sd_n", "alpha_n", "evidenced", "claimed", "scored_items"):
            count = getattr(domain, key)
            if count < 0:
                return f"{where}: {key} is {count}, a negative count"
        for key in ("sd_n", "alpha_n"):
            if getattr(domain, key) > everyone:
                return f"{where}: {key} is more than the {everyone} respondents"
        if domain.evidenced > domain.claimed:
            return (
                f"{where}: evidenced ({domain.evidenced}) is more than claimed "
                f"({domain.claimed})"
            )
        for key in ("coverage", "unknown_rate", "evidenced_share"):
            share = getattr(domain, key)
            if share is not None and not 0 <= share <= 1:
                return f"{where}: {key} is {share}, not a share between 0 and 1"
    if not _within(results.overall.score, low, high):
        return f"overall score {results.overall.score} is outside the scale {low:g}-{high:g}"
    return None


def _scale_range(results: Results) -> tuple[float, float]:
    values = [s.value for s in results.scale]
    return (min(values), max(values)) if values else (float("-inf"), float("inf"))


def _within(score: float | None, low: float, high: float) -> bool:
    return score is None or low - 1e-9 <= score <= high + 1e-9


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
