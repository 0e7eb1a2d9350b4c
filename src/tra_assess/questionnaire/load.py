"""Loading a questionnaire: built-in ids or paths, ``include:`` files, validation with lines.

Loading resolves ``include:`` entries, validates the structure with pydantic (unknown keys are
errors) and cross-checks what a schema cannot express (unique ids, ascending thresholds,
anchors on the scale...). Every problem becomes one ``FILE:LINE: what is wrong`` line; all
problems of a file are reported together.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tra_assess.common.errors import InvalidInputError, Problem, UsageError
from tra_assess.common.resources import builtin_questionnaires
from tra_assess.common.textsafe import shortened
from tra_assess.common.yamlio import LineIndex, load_yaml_fast, load_yaml_indexed, read_text
from tra_assess.questionnaire.checks import SourceMap, cross_check, pydantic_problems, sorted_unique
from tra_assess.questionnaire.model import Include, Questionnaire

# -- loading -------------------------------------------------------------------------------


def resolve_questionnaire(ref: str | Path) -> Path:
    """A built-in id or a path to a questionnaire file; unknown refs are usage errors."""
    text = str(ref)
    path = Path(text).expanduser()
    if path.is_file():
        return path
    if path.is_dir() and (path / "questionnaire.yaml").is_file():
        return path / "questionnaire.yaml"
    builtins = builtin_questionnaires()
    if text in builtins:
        return builtins[text]
    known = ", ".join(sorted(builtins)) or "none"
    raise UsageError(
        f"unknown questionnaire {text!r}: not a built-in id ({known}) and no such file"
    )


def load_questionnaire(ref: str | Path) -> Questionnaire:
    """Load and validate a questionnaire from a built-in id or a path.

    A built-in id is read from the questionnaire's validated copy when that copy matches
    its source files (:mod:`tra_assess.questionnaire.compiled`), else from its YAML.
    """
    path = resolve_questionnaire(ref)
    if builtin_questionnaires().get(str(ref)) == path:
        from tra_assess.questionnaire.compiled import read_compiled

        compiled = read_compiled(path)
        if compiled is not None:
            return compiled
    display = str(ref) if Path(str(ref)).exists() else str(path)
    return load_questionnaire_file(path, display=display)


def load_questionnaire_file(path: Path, display: str | None = None) -> Questionnaire:
    """Load one questionnaire file (with its includes); raise with every problem found.

    A valid file is read once without position tracking (the common case, and the faster
    one); only when there is a problem is it read again with line numbers for the messages.
    """
    name = display or str(path)
    try:
        return _load_file(path, name, indexed=False)
    except InvalidInputError:
        return _load_file(path, name, indexed=True)


def included_files(path: Path) -> list[str]:
    """The files a questionnaire's main file includes, as written (relative to its folder)."""
    data, _ = _parse(path, str(path), indexed=False)
    domains = data.get("domains") if isinstance(data, dict) else None
    entries = domains if isinstance(domains, list) else []
    return [
        entry["include"]
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("include"), str)
    ]


def _parse(path: Path, name: str, indexed: bool) -> tuple[Any, LineIndex]:
    text = read_text(path, name)
    kind = "questionnaire files"
    if indexed:
        return load_yaml_indexed(text, name, kind)
    return load_yaml_fast(text, name, kind=kind), LineIndex(name)


def _load_file(path: Path, name: str, indexed: bool) -> Questionnaire:
    data, index = _parse(path, name, indexed)
    sources = SourceMap(index)
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InvalidInputError(
            "not a mapping",
            [
                Problem(
                    name, "expected a questionnaire mapping (format: tra-questionnaire/1 ...)", 1
                )
            ],
        )
    domains = data.get("domains")
    failed: set[int] = set()
    if isinstance(domains, list):
        data = dict(data)
        data["domains"] = _resolve_includes(domains, path, name, sources, problems, failed, indexed)
    _int_anchor_keys(data)
    problems.extend(cross_check(data, sources, items_complete=not problems))
    model: Questionnaire | None = None
    try:
        model = Questionnaire.model_validate(data)
    except ValidationError as exc:
        for problem, loc in pydantic_problems(exc, data, sources):
            # a domain whose include failed was reported already; don't cascade
            if not (len(loc) >= 2 and loc[0] == "domains" and loc[1] in failed):
                problems.append(problem)
    if problems or model is None:
        raise InvalidInputError(f"{name}: invalid questionnaire", sorted_unique(problems))
    return model


def _resolve_includes(
    domains: list[Any],
    path: Path,
    name: str,
    sources: SourceMap,
    problems: list[Problem],
    failed: set[int],
    indexed: bool,
) -> list[Any]:
    resolved: list[Any] = []
    for i, entry in enumerate(domains):
        if not (isinstance(entry, dict) and "include" in entry):
            resolved.append(entry)
            continue
        src, line = sources.locate(("domains", i, "include"))
        target = entry.get("include")
        extra = sorted(str(k) for k in entry if k != "include")
        if extra:
            problems.append(
                Problem(src, f"an include entry takes only 'include', not {', '.join(extra)}", line)
            )
        if not isinstance(target, str) or not target.strip() or os.path.isabs(target):
            problems.append(Problem(src, "'include' must be a relative file path", line))
            resolved.append({})
            failed.add(i)
            continue
        inc_path = path.parent / target
        inc_name = os.path.normpath(os.path.join(os.path.dirname(name), target))
        outside = _outside_folder(inc_path, path.parent, target)
        if outside:
            problems.append(Problem(src, outside, line))
            resolved.append({})
            failed.add(i)
            continue
        try:
            found = inc_path.is_file()
        except OSError:  # a name too long for the file system, say
            found = False
        if not found:
            shown = shortened(inc_name, 120)
            problems.append(Problem(src, f"included file not found: {shown}", line))
            resolved.append({})
            failed.add(i)
            continue
        try:
            inc_data, inc_index = _parse(inc_path, inc_name, indexed)
        except InvalidInputError as exc:
            problems.extend(exc.problems or [Problem(inc_name, exc.message)])
            resolved.append({})
            failed.add(i)
            continue
        if not isinstance(inc_data, dict):
            problems.append(Problem(inc_name, "expected one domain mapping (id, title, items)", 1))
            resolved.append({})
            failed.add(i)
            continue
        if "include" in inc_data:
            problems.append(
                Problem(inc_name, "an included file holds one domain; it cannot include others", 1)
            )
        sources.add(("domains", i), inc_index)
        resolved.append(inc_data)
    return resolved


def _outside_folder(inc_path: Path, folder: Path, target: str) -> str | None:
    """Why an include may not be read (it leaves the questionnaire's own folder, by ``..``
    or through a link), or None. Checked before the file is looked at, so an include
    cannot tell whether a file outside exists."""
    try:
        base = Path(os.path.realpath(folder))
        real = Path(os.path.realpath(inc_path))
    except (OSError, ValueError):
        return None  # reported as not found
    if base == real or base in real.parents:
        return None
    shown = shortened(target, 120)
    if ".." in Path(target).parts:
        return f"include {shown} leaves the questionnaire's folder; includes must be inside it"
    return (
        f"include {shown} is a link to a file outside the questionnaire's folder; "
        "includes must be inside it"
    )


def _int_anchor_keys(data: dict[str, Any]) -> None:
    """Anchor keys written as text ("0", as JSON must write them) become scale values."""
    domains = data.get("domains")
    for domain in domains if isinstance(domains, list) else []:
        items = domain.get("items") if isinstance(domain, dict) else None
        for item in items if isinstance(items, list) else []:
            anchors = item.get("anchors") if isinstance(item, dict) else None
            if isinstance(anchors, dict) and any(isinstance(k, str) for k in anchors):
                keys = [
                    int(k) if isinstance(k, str) and k.strip().isdigit() else k for k in anchors
                ]
                if len(set(keys)) == len(keys):
                    item["anchors"] = dict(zip(keys, anchors.values(), strict=True))


def questionnaire_json_schema() -> dict[str, Any]:
    """JSON Schema of the questionnaire file (``domains`` entries may be ``include:``)."""
    schema = Questionnaire.model_json_schema()
    include = Include.model_json_schema()
    defs = schema.setdefault("$defs", {})
    defs["Include"] = include
    schema["properties"]["domains"]["items"] = {
        "anyOf": [{"$ref": "#/$defs/Domain"}, {"$ref": "#/$defs/Include"}]
    }
    schema["title"] = "tra-assess questionnaire (tra-questionnaire/1)"
    return schema
