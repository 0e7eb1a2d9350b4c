"""Checks of a questionnaire document that a schema cannot express, and pydantic errors
turned into ``FILE:LINE: what is wrong`` lines that point into the right (included) file."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from tra_assess.common.errors import Problem
from tra_assess.common.yamlio import LineIndex, Loc


class SourceMap:
    """Finds the file and line of a location in the resolved (includes inlined) document."""

    def __init__(self, main: LineIndex) -> None:
        self._parts: dict[Loc, LineIndex] = {(): main}

    def add(self, prefix: Loc, index: LineIndex) -> None:
        self._parts[tuple(prefix)] = index

    def locate(self, loc: Loc, key: bool = False) -> tuple[str, int | None]:
        """The file holding ``loc`` (the longest prefix that was included) and its line."""
        loc = tuple(loc)
        for size in range(len(loc), -1, -1):
            index = self._parts.get(loc[:size])
            if index is not None:
                return index.source, index.lookup(loc[size:], key=key)
        raise AssertionError("the main file covers every location")


# -- cross-checks on the raw document --------------------------------------------------------


def cross_check(
    data: dict[str, Any], sources: SourceMap, *, items_complete: bool = True
) -> list[Problem]:
    """Problems a schema cannot see: duplicates, order, keys that must name scale values or
    levels. Works on the raw document, so it reports alongside pydantic's problems."""
    checker = _Checker(sources)
    scale_values = checker.scale(data.get("scale"))
    level_ids = checker.levels(data.get("levels"), scale_values)
    target = data.get("target")
    if isinstance(target, str) and level_ids and target not in level_ids:
        checker.add(
            ("target",), f"target {target!r} is not a level (one of: {', '.join(level_ids)})"
        )
    roles = data.get("roles")
    checker.roles = [r for r in roles if isinstance(r, str)] if isinstance(roles, list) else []
    checker.scale_labels(data.get("scale"))
    checker.domains(data.get("domains"), scale_values, level_ids)
    if items_complete and not checker.problems:
        # the changes entry is checked against the items only when every item was read
        # (a missing include or a duplicate id would make it report items that are there)
        checker.changes(data.get("changes"), data.get("version"))
    return checker.problems


class _Checker:
    def __init__(self, sources: SourceMap) -> None:
        self.sources = sources
        self.problems: list[Problem] = []
        self.roles: list[str] = []
        self.item_ids: list[str] = []

    def add(self, loc: Loc, message: str) -> None:
        src, line = self.sources.locate(loc)
        self.problems.append(Problem(src, message, line))

    def _twice(self, loc: Loc, what: str, first: Loc) -> None:
        src, line = self.sources.locate(first)
        self.add(loc, f"{what} is used twice (first at {src}:{line})")

    def scale(self, scale: Any) -> set[int]:
        values: set[int] = set()
        previous: int | None = None
        for i, point in enumerate(scale if isinstance(scale, list) else []):
            value = point.get("value") if isinstance(point, dict) else None
            if not isinstance(value, int) or isinstance(value, bool):
                continue
            if value in values:
                self.add(("scale", i, "value"), f"scale value {value} appears twice")
            elif previous is not None and value < previous:
                self.add(
                    ("scale", i, "value"), f"scale values must ascend: {value} after {previous}"
                )
            values.add(value)
            previous = value
        return values

    def scale_labels(self, scale: Any) -> None:
        """Labels that could never be matched: a word for not applicable or don't know, another
        point's label (folded), or another point's number."""
        reserved = {"na", "n/a", "not applicable", "unknown", "don't know", "dont know", "?"}
        points = [p for p in (scale if isinstance(scale, list) else []) if isinstance(p, dict)]
        values = {str(p.get("value")) for p in points if isinstance(p.get("value"), int)}
        seen: dict[str, int] = {}
        for i, point in enumerate(scale if isinstance(scale, list) else []):
            label = point.get("label") if isinstance(point, dict) else None
            if not isinstance(label, str):
                continue
            folded = " ".join(label.replace("\u2019", "'").casefold().split())
            loc: Loc = ("scale", i, "label")
            if folded in reserved:
                self.add(loc, f"scale label {label!r} is a word for not applicable or don't know")
            elif folded in values and folded != str(point.get("value")):
                self.add(loc, f"scale label {label!r} is another scale value's number")
            elif folded in seen:
                self.add(loc, f"scale label {label!r} is the label of another scale value")
            seen.setdefault(folded, i)

    def changes(self, changes: Any, version: Any) -> None:
        """The entry for this version must describe this version's item ids: what it added,
        split into or merged into exists; what it removed, split or merged away does not."""
        entries = changes if isinstance(changes, list) else []
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or entry.get("version") != version:
                continue
            present = set(self.item_ids)
            for key in ("added", "reworded"):
                for k, item_id in enumerate(entry.get(key) or []):
                    if isinstance(item_id, str) and item_id not in present:
                        self.add(
                            ("changes", i, key, k),
                            f"changes {version}: {key} item {item_id!r} is not in the "
                            "questionnaire",
                        )
            for k, item_id in enumerate(entry.get("removed") or []):
                if isinstance(item_id, str) and item_id in present:
                    self.add(
                        ("changes", i, "removed", k),
                        f"changes {version}: removed item {item_id!r} is still in the "
                        "questionnaire",
                    )
            for key in ("split", "merged"):
                mapping = entry.get(key)
                for source, targets in (mapping.items() if isinstance(mapping, dict) else []):
                    new = [targets] if isinstance(targets, str) else targets
                    new_ids = [source] if key == "merged" else new
                    old_ids = new if key == "merged" else [source]
                    for item_id in new_ids if isinstance(new_ids, list) else []:
                        if isinstance(item_id, str) and item_id not in present:
                            self.add(
                                ("changes", i, key, source),
                                f"changes {version}: {key} names {item_id!r}, which is not in "
                                "the questionnaire",
                            )
                    for item_id in old_ids if isinstance(old_ids, list) else []:
                        kept = isinstance(item_id, str) and item_id in present
                        if kept and item_id not in new_ids:
                            self.add(
                                ("changes", i, key, source),
                                f"changes {version}: {key} old item {item_id!r} is still in the "
                                "questionnaire",
                            )

    def levels(self, levels: Any, scale_values: set[int]) -> list[str]:
        ids: list[str] = []
        previous: float | None = None
        for i, level in enumerate(levels if isinstance(levels, list) else []):
            if not isinstance(level, dict):
                continue
            level_id = level.get("id")
            label = f"level {level_id!r}" if isinstance(level_id, str) else f"level {i + 1}"
            if isinstance(level_id, str):
                if level_id in ids:
                    self.add(("levels", i, "id"), f"{label}: id appears twice")
                else:
                    ids.append(level_id)
            min_score = level.get("min_score")
            if not isinstance(min_score, (int, float)) or isinstance(min_score, bool):
                continue
            loc: Loc = ("levels", i, "min_score")
            if i == 0 and min_score != 0:
                self.add(loc, f"{label}: the first level's min_score must be 0")
            if previous is not None and min_score <= previous:
                self.add(
                    loc,
                    f"{label}: min_score {min_score} must be greater than the previous "
                    f"level's {previous} (levels ascend)",
                )
            previous = float(min_score)
            if scale_values and min_score > max(scale_values):
                self.add(
                    loc,
                    f"{label}: min_score {min_score} is above the top of the scale "
                    f"({max(scale_values)})",
                )
        return ids

    def domains(self, domains: Any, scale_values: set[int], level_ids: list[str]) -> None:
        seen_domains: dict[str, Loc] = {}
        seen_items: dict[str, Loc] = {}
        for d, domain in enumerate(domains if isinstance(domains, list) else []):
            if not isinstance(domain, dict):
                continue
            domain_id = domain.get("id")
            if isinstance(domain_id, str):
                if domain_id in seen_domains:
                    self._twice(
                        ("domains", d, "id"), f"domain id {domain_id!r}", seen_domains[domain_id]
                    )
                else:
                    seen_domains[domain_id] = ("domains", d, "id")
            items = domain.get("items")
            for j, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict):
                    self.item(item, ("domains", d, "items", j), seen_items, scale_values, level_ids)

    def item(
        self,
        item: dict[str, Any],
        loc: Loc,
        seen_items: dict[str, Loc],
        scale_values: set[int],
        level_ids: list[str],
    ) -> None:
        item_id = item.get("id")
        who = f"item {item_id!r}" if isinstance(item_id, str) else f"item {int(loc[-1]) + 1}"
        if isinstance(item_id, str):
            self.item_ids.append(item_id)
        if isinstance(item_id, str):
            if item_id in seen_items:
                self._twice((*loc, "id"), f"{who}: id", seen_items[item_id])
            else:
                seen_items[item_id] = (*loc, "id")
        audience = item.get("audience")
        if isinstance(audience, list) and self.roles:
            for k, role in enumerate(audience):
                if isinstance(role, str) and role not in self.roles:
                    self.add(
                        (*loc, "audience", k),
                        f"{who}: audience {role!r} is not one of the questionnaire's roles "
                        f"({', '.join(self.roles)})",
                    )
        anchors = item.get("anchors")
        if isinstance(anchors, dict) and scale_values:
            known = ", ".join(str(v) for v in sorted(scale_values))
            for key in anchors:
                if key not in scale_values:
                    self.add(
                        (*loc, "anchors", key),
                        f"{who}: anchor {key!r} is not a scale value ({known})",
                    )
        actions = item.get("actions")
        if isinstance(actions, dict) and level_ids:
            for key in actions:
                if key not in level_ids:
                    self.add(
                        (*loc, "actions", key),
                        f"{who}: action key {key!r} is not a level id ({', '.join(level_ids)})",
                    )


# -- pydantic errors as FILE:LINE lines -----------------------------------------------------


def _allowed_keys(kind: str) -> list[str]:
    from tra_assess.questionnaire import model as qm

    models: dict[str, type[BaseModel]] = {
        "questionnaire": qm.Questionnaire,
        "domain": qm.Domain,
        "item": qm.Item,
        "scale": qm.ScalePoint,
        "level": qm.Level,
        "reference": qm.Reference,
        "change": qm.Change,
    }
    model = models.get(kind)
    return list(model.model_fields) if model is not None else []


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
    if len(loc) >= 2 and loc[0] in ("scale", "levels", "references", "changes"):
        kinds = {
            "scale": "scale", "levels": "level", "references": "reference", "changes": "change"
        }
        kind = kinds[str(loc[0])]
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
        allowed = _allowed_keys(kind)
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
    if kind_of == "literal_error" and field.startswith("principles."):
        from tra_assess.questionnaire.model import PRINCIPLES

        value = str(err.get("input"))
        close = difflib.get_close_matches(value, PRINCIPLES, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"one of: {', '.join(PRINCIPLES)}"
        return f"unknown principle {value!r} ({hint})"
    if kind_of == "literal_error":
        return f"{name} must be {ctx.get('expected')}"
    if kind_of == "string_pattern_mismatch":
        return (
            f"{name} must be an id: lowercase letters, digits, '-', '_' or '.', "
            "starting with a letter or digit"
        )
    if kind_of in ("string_too_short", "too_short"):
        return f"{name} must not be empty"
    if kind_of == "list_type":
        return f"{name} must be a list"
    if kind_of in ("dict_type", "model_type", "model_attributes_type"):
        return f"{name} must be a mapping (key: value lines)"
    return f"{name}: {err.get('msg', 'invalid')}"


def pydantic_problems(
    exc: ValidationError, data: Any, sources: SourceMap
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


def sorted_unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    unique = []
    for problem in problems:
        text = str(problem)
        if text not in seen:
            seen.add(text)
            unique.append(problem)
    return sorted(unique, key=lambda p: (p.source, p.line or 0))
