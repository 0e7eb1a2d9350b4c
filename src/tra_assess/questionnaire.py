"""The questionnaire model (SPEC section 3): pydantic models, loading, includes, validation.

A questionnaire is loaded from a built-in id (``tra-core``) or a path. Loading resolves
``include:`` entries, validates the structure with pydantic (unknown keys are errors) and
cross-checks what a schema cannot express (unique ids, ascending thresholds, anchors on the
scale...). Every problem becomes one ``FILE:LINE: what is wrong`` line; all problems of a
file are reported together.
"""

from __future__ import annotations

import difflib
import os
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from tra_assess.errors import InvalidInputError, Problem, UsageError
from tra_assess.resources import builtin_questionnaires
from tra_assess.yamlio import LineIndex, Loc, load_yaml_indexed, read_text

FORMAT = "tra-questionnaire/1"
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
TOLERANCE = 1e-9

Principle = Literal[
    "safety", "trustworthiness", "peer-support", "collaboration", "empowerment", "cultural"
]
PRINCIPLES: tuple[str, ...] = (
    "safety",
    "trustworthiness",
    "peer-support",
    "collaboration",
    "empowerment",
    "cultural",
)
PRINCIPLE_LABELS: dict[str, str] = {
    "safety": "Safety",
    "trustworthiness": "Trustworthiness and transparency",
    "peer-support": "Peer support",
    "collaboration": "Collaboration and mutuality",
    "empowerment": "Empowerment, voice and choice",
    "cultural": "Cultural, historical and gender issues",
}

Ident = Annotated[StrictStr, Field(pattern=ID_PATTERN, max_length=100)]
Text = Annotated[StrictStr, Field(min_length=1)]
Weight = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Reference(_FileModel):
    title: Text
    url: StrictStr | None = None


class ScalePoint(_FileModel):
    value: StrictInt
    label: Text
    description: StrictStr | None = None


class Level(_FileModel):
    id: Ident
    label: Text
    min_score: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    description: StrictStr | None = None


class Item(_FileModel):
    id: Ident
    text: Text
    help: StrictStr | None = None
    principles: list[Principle] = Field(default_factory=list)
    critical: StrictBool = False
    weight: Weight = 1.0
    anchors: dict[StrictInt, Text] = Field(default_factory=dict)
    actions: dict[StrictStr, Text] = Field(default_factory=dict)


class Domain(_FileModel):
    id: Ident
    title: Text
    description: StrictStr | None = None
    weight: Weight = 1.0
    items: Annotated[list[Item], Field(min_length=1)]


class Include(_FileModel):
    """A ``domains`` entry that pulls one domain mapping from a file beside this one."""

    include: Text


class Questionnaire(_FileModel):
    format: Literal["tra-questionnaire/1"]
    id: Ident
    version: Text
    title: Text
    description: StrictStr | None = None
    references: list[Reference] = Field(default_factory=list)
    scale: Annotated[list[ScalePoint], Field(min_length=2)]
    levels: Annotated[list[Level], Field(min_length=1)]
    target: Ident | None = None
    min_coverage: Annotated[float, Field(gt=0, le=1)] = 0.6
    min_group_size: Annotated[int, Field(ge=1, strict=True)] = 5
    roles: list[Text] = Field(default_factory=list)
    domains: Annotated[list[Domain], Field(min_length=1)]

    # -- derived views -------------------------------------------------------------------

    @cached_property
    def level_ids(self) -> list[str]:
        return [level.id for level in self.levels]

    @cached_property
    def default_target(self) -> str:
        """The target level: the questionnaire's ``target``, else the second-highest level."""
        if self.target is not None:
            return self.target
        return self.levels[-2].id if len(self.levels) > 1 else self.levels[-1].id

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    def level_rank(self, level_id: str) -> int:
        return self.level_ids.index(level_id)

    def level_for_score(self, score: float) -> Level:
        """L(s): the level with the largest ``min_score`` <= s (tolerance 1e-9)."""
        chosen = self.levels[0]
        for level in self.levels:
            if level.min_score <= score + TOLERANCE:
                chosen = level
        return chosen

    @cached_property
    def scale_values(self) -> list[int]:
        return [point.value for point in self.scale]

    @cached_property
    def items(self) -> list[Item]:
        return [item for domain in self.domains for item in domain.items]

    @cached_property
    def item_domain(self) -> dict[str, str]:
        return {item.id: domain.id for domain in self.domains for item in domain.items}

    @cached_property
    def item_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def domain(self, domain_id: str) -> Domain:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(domain_id)


# -- loading -------------------------------------------------------------------------------


class _SourceMap:
    """Finds the file and line of a location in the resolved (includes inlined) document."""

    def __init__(self, main: LineIndex) -> None:
        self._parts: list[tuple[Loc, LineIndex]] = [((), main)]

    def add(self, prefix: Loc, index: LineIndex) -> None:
        self._parts.append((prefix, index))

    def locate(self, loc: Loc, key: bool = False) -> tuple[str, int | None]:
        best_prefix: Loc = ()
        best = self._parts[0][1]
        for prefix, index in self._parts:
            if loc[: len(prefix)] == prefix and len(prefix) >= len(best_prefix):
                best_prefix, best = prefix, index
        return best.source, best.lookup(loc[len(best_prefix) :], key=key)


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
    """Load and validate a questionnaire from a built-in id or a path."""
    path = resolve_questionnaire(ref)
    display = str(ref) if Path(str(ref)).exists() else str(path)
    return load_questionnaire_file(path, display=display)


def load_questionnaire_file(path: Path, display: str | None = None) -> Questionnaire:
    """Load one questionnaire file (with its includes); raise with every problem found."""
    name = display or str(path)
    data, index = load_yaml_indexed(read_text(path, name), name)
    sources = _SourceMap(index)
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
        data["domains"] = _resolve_includes(domains, path, name, sources, problems, failed)
    problems.extend(_cross_check(data, sources))
    model: Questionnaire | None = None
    try:
        model = Questionnaire.model_validate(data)
    except ValidationError as exc:
        for problem, loc in _pydantic_problems(exc, data, sources):
            # a domain whose include failed was reported already; don't cascade
            if not (len(loc) >= 2 and loc[0] == "domains" and loc[1] in failed):
                problems.append(problem)
    if problems or model is None:
        raise InvalidInputError(f"{name}: invalid questionnaire", _sorted_unique(problems))
    return model


def _resolve_includes(
    domains: list[Any],
    path: Path,
    name: str,
    sources: _SourceMap,
    problems: list[Problem],
    failed: set[int],
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
        if not isinstance(target, str) or not target.strip():
            problems.append(Problem(src, "'include' must be a relative file path", line))
            resolved.append({})
            failed.add(i)
            continue
        inc_path = path.parent / target
        inc_name = os.path.normpath(os.path.join(os.path.dirname(name), target))
        if not inc_path.is_file():
            problems.append(Problem(src, f"included file not found: {inc_name}", line))
            resolved.append({})
            failed.add(i)
            continue
        try:
            inc_data, inc_index = load_yaml_indexed(read_text(inc_path, inc_name), inc_name)
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


# -- cross-checks on the raw document --------------------------------------------------------


def _cross_check(data: dict[str, Any], sources: _SourceMap) -> list[Problem]:
    problems: list[Problem] = []

    def add(loc: Loc, message: str) -> None:
        src, line = sources.locate(loc)
        problems.append(Problem(src, message, line))

    scale = data.get("scale")
    scale_values: set[int] = set()
    if isinstance(scale, list):
        previous: int | None = None
        for i, point in enumerate(scale):
            value = point.get("value") if isinstance(point, dict) else None
            if not isinstance(value, int) or isinstance(value, bool):
                continue
            if value in scale_values:
                add(("scale", i, "value"), f"scale value {value} appears twice")
            elif previous is not None and value < previous:
                add(("scale", i, "value"), f"scale values must ascend: {value} after {previous}")
            scale_values.add(value)
            previous = value

    level_ids: list[str] = []
    levels = data.get("levels")
    if isinstance(levels, list):
        previous_min: float | None = None
        for i, level in enumerate(levels):
            if not isinstance(level, dict):
                continue
            level_id = level.get("id")
            label = f"level {level_id!r}" if isinstance(level_id, str) else f"level {i + 1}"
            if isinstance(level_id, str):
                if level_id in level_ids:
                    add(("levels", i, "id"), f"{label}: id appears twice")
                level_ids.append(level_id)
            min_score = level.get("min_score")
            if not isinstance(min_score, (int, float)) or isinstance(min_score, bool):
                continue
            if i == 0 and min_score != 0:
                add(("levels", i, "min_score"), f"{label}: the first level's min_score must be 0")
            if previous_min is not None and min_score <= previous_min:
                add(
                    ("levels", i, "min_score"),
                    f"{label}: min_score {min_score} must be greater than the previous "
                    f"level's {previous_min} (levels ascend)",
                )
            previous_min = float(min_score)
            if scale_values and min_score > max(scale_values):
                add(
                    ("levels", i, "min_score"),
                    f"{label}: min_score {min_score} is above the top of the scale "
                    f"({max(scale_values)})",
                )

    target = data.get("target")
    if isinstance(target, str) and level_ids and target not in level_ids:
        add(("target",), f"target {target!r} is not a level (one of: {', '.join(level_ids)})")

    seen_domains: dict[str, Loc] = {}
    seen_items: dict[str, Loc] = {}
    domains = data.get("domains")
    for d, domain in enumerate(domains if isinstance(domains, list) else []):
        if not isinstance(domain, dict):
            continue
        domain_id = domain.get("id")
        if isinstance(domain_id, str):
            if domain_id in seen_domains:
                first = sources.locate(seen_domains[domain_id])
                add(
                    ("domains", d, "id"),
                    f"domain id {domain_id!r} is used twice (first at {first[0]}:{first[1]})",
                )
            else:
                seen_domains[domain_id] = ("domains", d, "id")
        items = domain.get("items")
        for j, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            item_id = item.get("id")
            loc: Loc = ("domains", d, "items", j)
            who = f"item {item_id!r}" if isinstance(item_id, str) else f"item {j + 1}"
            if isinstance(item_id, str):
                if item_id in seen_items:
                    first = sources.locate(seen_items[item_id])
                    add((*loc, "id"), f"{who}: id is used twice (first at {first[0]}:{first[1]})")
                else:
                    seen_items[item_id] = (*loc, "id")
            anchors = item.get("anchors")
            if isinstance(anchors, dict) and scale_values:
                for key in anchors:
                    if key not in scale_values:
                        add(
                            (*loc, "anchors", key),
                            f"{who}: anchor {key!r} is not a scale value "
                            f"({', '.join(str(v) for v in sorted(scale_values))})",
                        )
            actions = item.get("actions")
            if isinstance(actions, dict) and level_ids:
                for key in actions:
                    if key not in level_ids:
                        add(
                            (*loc, "actions", key),
                            f"{who}: action key {key!r} is not a level id ({', '.join(level_ids)})",
                        )
    return problems


# -- pydantic errors as FILE:LINE lines -----------------------------------------------------

_ALLOWED_KEYS: dict[str, list[str]] = {
    "questionnaire": list(Questionnaire.model_fields),
    "domain": list(Domain.model_fields),
    "item": list(Item.model_fields),
    "scale": list(ScalePoint.model_fields),
    "level": list(Level.model_fields),
    "reference": list(Reference.model_fields),
}


def _context(loc: Loc, data: Any) -> tuple[str, str, Loc]:
    """(who, kind, rest): a readable owner of ``loc`` and the location within it."""

    def pick(path: Loc) -> Any:
        node = data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    if len(loc) >= 4 and loc[0] == "domains" and loc[2] == "items":
        item = pick(loc[:4])
        item_id = item.get("id") if isinstance(item, dict) else None
        who = (
            f"item {item_id!r}: "
            if isinstance(item_id, str)
            else f"domain {loc[1]} item {loc[3]}: "
        )
        return who, "item", loc[4:]
    if len(loc) >= 2 and loc[0] == "domains":
        domain = pick(loc[:2])
        domain_id = domain.get("id") if isinstance(domain, dict) else None
        who = f"domain {domain_id!r}: " if isinstance(domain_id, str) else f"domain {loc[1]}: "
        return who, "domain", loc[2:]
    if len(loc) >= 2 and loc[0] in ("scale", "levels", "references"):
        kind = {"scale": "scale", "levels": "level", "references": "reference"}[str(loc[0])]
        entry = pick(loc[:2])
        ident = entry.get("id") if isinstance(entry, dict) else None
        who = (
            f"{kind} {ident!r}: " if isinstance(ident, str) else f"{kind} entry {int(loc[1]) + 1}: "
        )
        return who, kind, loc[2:]
    return "", "questionnaire", loc


def _describe(err: Any, field: str, kind: str) -> str:
    kind_of = err["type"]
    ctx = err.get("ctx") or {}
    name = f"'{field}'" if field else "value"
    if kind_of == "missing":
        return f"{name} is required"
    if kind_of == "extra_forbidden":
        allowed = _ALLOWED_KEYS.get(kind, [])
        close = difflib.get_close_matches(field, allowed, n=1)
        hint = (
            f" (did you mean '{close[0]}'?)"
            if close
            else f" (expected one of: {', '.join(allowed)})"
        )
        return f"unknown key '{field}'{hint}"
    if kind_of in ("bool_type", "bool_parsing"):
        return f"{name} must be true or false"
    if kind_of == "string_type":
        if field == "version":
            return "'version' must be a string: quote it, for example version: \"1.0\""
        value = err.get("input")
        if isinstance(value, bool):
            return (
                f"{name} must be text: YAML reads an unquoted yes/no/on/off/true/false as "
                f"true or false, so quote it"
            )
        if isinstance(value, (int, float)):
            return f"{name} must be text: quote it"
        return f"{name} must be text"
    if kind_of in ("int_type", "int_parsing", "int_from_float"):
        return f"{name} must be a whole number"
    if kind_of in ("float_type", "float_parsing", "finite_number"):
        return f"{name} must be a number"
    if kind_of == "greater_than":
        return f"{name} must be greater than {ctx.get('gt')}"
    if kind_of == "greater_than_equal":
        return f"{name} must be at least {ctx.get('ge')}"
    if kind_of == "less_than_equal":
        return f"{name} must be at most {ctx.get('le')}"
    if kind_of == "literal_error":
        return f"{name} must be {ctx.get('expected')}"
    if kind_of == "string_pattern_mismatch":
        return (
            f"{name} must be an id: lowercase letters, digits, '-', '_' or '.', "
            "starting with a letter or digit"
        )
    if kind_of == "string_too_short":
        return f"{name} must not be empty"
    if kind_of == "too_short":
        return f"{name} must not be empty"
    if kind_of == "list_type":
        return f"{name} must be a list"
    if kind_of in ("dict_type", "model_type", "model_attributes_type"):
        return f"{name} must be a mapping (key: value lines)"
    return f"{name}: {err.get('msg', 'invalid')}"


def _pydantic_problems(
    exc: ValidationError, data: Any, sources: _SourceMap
) -> list[tuple[Problem, Loc]]:
    problems = []
    for err in exc.errors():
        loc: Loc = tuple(err["loc"])
        who, kind, rest = _context(loc, data)
        if err["type"] in ("missing", "extra_forbidden") or not rest:
            field = str(rest[-1]) if rest else ""
        else:
            field = ".".join(str(p) for p in rest)
        if err["type"] == "missing" and not rest:
            field = ""
        src, line = sources.locate(loc, key=err["type"] == "extra_forbidden")
        problems.append((Problem(src, who + _describe(err, field, kind), line), loc))
    return problems


def _sorted_unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    unique = []
    for problem in problems:
        text = str(problem)
        if text not in seen:
            seen.add(text)
            unique.append(problem)
    return sorted(unique, key=lambda p: (p.source, p.line or 0))


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
