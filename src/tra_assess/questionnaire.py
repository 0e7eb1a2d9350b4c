"""The questionnaire model (SPEC section 3): pydantic models, loading, includes, validation.

A questionnaire is loaded from a built-in id (``tra-core``) or a path. Loading resolves
``include:`` entries, validates the structure with pydantic (unknown keys are errors) and
cross-checks what a schema cannot express (unique ids, ascending thresholds, anchors on the
scale...). Every problem becomes one ``FILE:LINE: what is wrong`` line; all problems of a
file are reported together.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from tra_assess._qcheck import SourceMap, cross_check, pydantic_problems, sorted_unique
from tra_assess.errors import InvalidInputError, Problem, UsageError
from tra_assess.resources import builtin_questionnaires
from tra_assess.textsafe import shortened
from tra_assess.yamlio import LineIndex, load_yaml_fast, load_yaml_indexed, read_text

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
    audience: list[Text] | None = None
    crosswalk: dict[Ident, list[Text]] = Field(default_factory=dict)
    anchors: dict[StrictInt, Text] = Field(default_factory=dict)
    actions: dict[StrictStr, Text] = Field(default_factory=dict)

    def in_audience(self, role: str | None) -> bool:
        """Whether a respondent of ``role`` can rate this item from direct knowledge.

        No audience means everyone; a respondent without a role is in every audience.
        """
        return self.audience is None or role is None or role in self.audience


class Domain(_FileModel):
    id: Ident
    title: Text
    description: StrictStr | None = None
    weight: Weight = 1.0
    kind: Literal["practice", "training"] = "practice"
    items: Annotated[list[Item], Field(min_length=1)]


class Change(_FileModel):
    """One version's entry in a questionnaire's ``changes``: what happened to item ids.

    ``compare`` uses it to pair results of two versions: items kept under the same id are
    compared, the rest are named as left out.
    """

    version: Text
    summary: StrictStr | None = None
    added: list[Ident] = Field(default_factory=list)
    removed: list[Ident] = Field(default_factory=list)
    reworded: list[Ident] = Field(default_factory=list)
    split: dict[Ident, list[Ident]] = Field(default_factory=dict)
    merged: dict[Ident, list[Ident]] = Field(default_factory=dict)
    moved: dict[Ident, Ident] = Field(default_factory=dict)


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
    critical_dissent: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = 0.1
    roles: list[Text] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
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
    """Load one questionnaire file (with its includes); raise with every problem found.

    A valid file is read once without position tracking (the common case, and the faster
    one); only when there is a problem is it read again with line numbers for the messages.
    """
    name = display or str(path)
    try:
        return _load_file(path, name, indexed=False)
    except InvalidInputError:
        return _load_file(path, name, indexed=True)


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
    problems.extend(cross_check(data, sources))
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
