"""A questionnaire as one Markdown document, for a team to read before the session.

``tra-assess questionnaires show ID --format md``. The document holds the whole instrument:
what it is for and its limits, how to answer, who answers what, the setting (items that apply
only in some services), the maturity ladder, a key to SAMHSA's six principles and ten
implementation domains, every domain and item (who answers it, anchors, facilitator help, next
steps by level), the changes between versions and the references
(:mod:`tra_assess.questionnaire.document_sections` words the parts on audience, setting,
crosswalk and changes). All questionnaire text is escaped: :func:`textsafe.md_inline` in tables,
:func:`md_block` in paragraphs, so a questionnaire file cannot inject HTML or Markdown
structure. The output is deterministic (no dates, no environment).
"""

from __future__ import annotations

import re

from tra_assess.common.textsafe import md_inline, no_autolink, one_line
from tra_assess.questionnaire.document_sections import (
    audience_section,
    changes_section,
    crosswalk_section,
    item_facts,
    setting_section,
)
from tra_assess.questionnaire.model import PRINCIPLE_LABELS, PRINCIPLES, Item, Level, Questionnaire

__all__ = ["md_block", "questionnaire_markdown"]

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~|&])")
_LEADING_MARKER = re.compile(r"^(?:(#+|[-+=])|(\d+)([.)]))")
_SAFE_URL = re.compile(r"^https?://[^\s<>`\\]+$")


def md_block(text: object) -> str:
    """Escape text for Markdown paragraphs, one paragraph per line of ``text``.

    (In a folded YAML scalar, ``>-``, a blank line is the only line break kept.)

    Emphasis, code, links, HTML, entities and pipes are neutralised with backslashes, and a
    paragraph that starts like a heading, list item, rule or numbered list becomes plain text;
    bare links stay text (:func:`~tra_assess.common.textsafe.no_autolink`).
    """
    escaped = []
    for paragraph in re.split(r"\n+", str(text)):
        flat = _INLINE_SPECIAL.sub(r"\\\1", one_line(paragraph))
        if flat:
            escaped.append(no_autolink(_LEADING_MARKER.sub(_escape_marker, flat, count=1)))
    return "\n\n".join(escaped)


def _escape_marker(match: re.Match[str]) -> str:
    if match.group(1):  # "#", "-", "+", "=" runs: headings, bullets, rules
        return "".join("\\" + ch for ch in match.group(1))
    return f"{match.group(2)}\\{match.group(3)}"  # "1." or "1)": an ordered list


def _cell(text: object) -> str:
    return md_inline(text) or " "


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _number(value: float) -> str:
    return f"{value:g}"


# -- front matter --------------------------------------------------------------------------


def _front(q: Questionnaire) -> list[str]:
    critical = sum(1 for item in q.items if item.critical)
    lines = [
        f"# {md_block(q.title)}",
        "",
        f"Questionnaire `{q.id}`, version {md_inline(q.version)}: "
        f"{_count(len(q.domains), 'domain')}, {_count(len(q.items), 'item')} "
        f"({_count(critical, 'critical practice')}).",
        "",
    ]
    if q.description:
        lines += ["## About this questionnaire", "", md_block(q.description), ""]
    lines += ["## Contents", ""]
    sections = ["How to answer"]
    if audience_section(q):
        sections.append("Who answers what")
    if setting_section(q):
        sections.append("Setting")
    sections += ["The maturity ladder", "The six principles"]
    if crosswalk_section(q):
        sections.append("SAMHSA's implementation domains")
    sections += [f"{n}. {one_line(d.title)}" for n, d in enumerate(q.domains, 1)]
    if q.changes:
        sections.append("Changes between versions")
    if q.references:
        sections.append("References")
    lines += [f"- {md_block(name)}" for name in sections]
    return [*lines, ""]


def _how_to_answer(q: Questionnaire) -> list[str]:
    lines = [
        "## How to answer",
        "",
        "Rate each item for what happens here now, on an ordinary busy day: not what is "
        "planned, and not what the policy says. In a team session, where people disagree, "
        "talk about the evidence (what you have seen, heard or found in records), agree a "
        "rating and note the evidence beside it.",
        "",
    ]
    rows = [[str(p.value), _cell(p.label), _cell(p.description or "")] for p in q.scale]
    lines += _table(["Rating", "Label", "What it means"], rows)
    lines += [
        "",
        "Every item also takes two other answers:",
        "",
        "- **Not applicable** (`na`; key `n` in `tra-assess run`): the practice cannot apply "
        "in this setting, for example restraint in a service that never uses it. An item rated "
        "not applicable is not counted in any score. On a critical item it needs a reason, in "
        "a note or a setting profile; without one it counts as don't know.",
        "- **Don't know** (`unknown`; key `?`): nobody in the room knows. Say so rather than "
        'guess: a lot of "don\'t know" in one area is itself a finding, and it is reported.',
        "",
        "Each item below shows what every rating looks like for that practice. Read its "
        "descriptions from the lowest rating up, and choose the highest one that is fully "
        "true today.",
        "",
    ]
    if q.roles and not audience_section(q):  # else "Who answers what" says it per role
        roles = ", ".join(md_block(role) for role in q.roles)
        lines += [f"Suggested respondent roles: {roles}.", ""]
    return lines


def _ladder(q: Questionnaire) -> list[str]:
    lines = [
        "## The maturity ladder",
        "",
        "Scores are means of the ratings (not applicable and don't know are left out). A "
        "score reaches a level when it is at least the "
        "level's minimum score. A domain cannot be placed above the level of any of its "
        "critical practices, and the organisation as a whole is placed at the level of its "
        "weakest domain.",
        "",
    ]
    target = q.default_target
    rows = []
    for level in q.levels:
        label = _cell(level.label)
        if level.id == target:
            label += " (target)"
        rows.append(
            [label, f"`{level.id}`", _number(level.min_score), _cell(level.description or "")]
        )
    lines += _table(["Level", "Id", "Minimum score", "What it looks like"], rows)
    target_label = md_inline(q.level(target).label) if target in q.level_ids else f"`{target}`"
    lines += ["", f"The default target for gap reports is **{target_label}**.", ""]
    return lines


_PRINCIPLE_MEANINGS: dict[str, str] = {
    "safety": "People served and staff are, and feel, physically and emotionally safe.",
    "trustworthiness": "Decisions are made openly and explained; the organisation keeps its word.",
    "peer-support": "People with lived experience support others and shape the service.",
    "collaboration": "Power is shared between staff and people served, and among staff.",
    "empowerment": "People's strengths are built on; they have a voice and real choices.",
    "cultural": "Services respond to culture, history and gender, and address bias.",
}


def _principles(q: Questionnaire) -> list[str]:
    lines = [
        "## The six principles",
        "",
        "Items are tagged with the six principles of SAMHSA's trauma-informed approach. "
        "Results give a score for each principle over all the items that carry its tag.",
        "",
    ]
    rows = []
    for tag in PRINCIPLES:
        items = sum(1 for item in q.items if tag in item.principles)
        domains = sum(1 for d in q.domains if any(tag in item.principles for item in d.items))
        coverage = f"{_count(items, 'item')} in {_count(domains, 'domain')}" if items else "-"
        rows.append([PRINCIPLE_LABELS[tag], f"`{tag}`", _PRINCIPLE_MEANINGS[tag], coverage])
    lines += _table(["Principle", "Tag", "In practice", "Coverage"], rows)
    lines += ["", "Where each principle appears (number of items per domain):", ""]
    matrix = []
    for n, domain in enumerate(q.domains, 1):
        counts = [sum(1 for item in domain.items if tag in item.principles) for tag in PRINCIPLES]
        row = [str(c) if c else "-" for c in counts]
        matrix.append([f"{n}. {md_inline(domain.title)}", *row])
    lines += _table(["Domain", *(f"`{tag}`" for tag in PRINCIPLES)], matrix)
    return [*lines, ""]


# -- domains and items -----------------------------------------------------------------------


def _domain(q: Questionnaire, number: int) -> list[str]:
    domain = q.domains[number - 1]
    count = len(domain.items)
    lines = [f"## {number}. {md_block(domain.title)}", ""]
    if domain.description:
        lines += [md_block(domain.description), ""]
    critical = sum(1 for item in domain.items if item.critical)
    summary = _count(count, "item")
    if critical:
        summary += f", {critical} of them critical"
    if domain.weight != 1:
        summary += f"; weight {_number(domain.weight)} in the overall score"
    lines += [f"Domain `{domain.id}`: {summary}.", ""]
    for n, item in enumerate(domain.items, 1):
        lines += _item(q, item, f"{number}.{n}")
    return lines


def _item(q: Questionnaire, item: Item, number: str) -> list[str]:
    lines = [f"### {number} {md_block(item.text)}", ""]
    meta = [f"Item `{item.id}`"]
    if item.principles:
        meta.append("Principles: " + "; ".join(PRINCIPLE_LABELS[p] for p in item.principles))
    if item.weight != 1:
        meta.append(f"Weight {_number(item.weight)}")
    lines += [" · ".join(meta), ""]
    lines += item_facts(q, item)
    if item.critical:
        lines += [
            "**Critical practice:** people can be harmed where this is not in place. The "
            "domain cannot be placed above the level this item reaches, whatever its other "
            "scores, and a shortfall here comes first among the priorities.",
            "",
        ]
    if item.help:
        lines += [f"**For the facilitator:** {md_block(item.help)}", ""]
    rows = []
    for point in q.scale:
        look = item.anchors.get(point.value)
        rows.append(
            [
                str(point.value),
                _cell(point.label),
                _cell(look) if look else "(see the rating scale)",
            ]
        )
    lines += _table(["Rating", "Label", "What it looks like here"], rows)
    lines.append("")
    steps = [(level, item.actions[level.id]) for level in q.levels if level.id in item.actions]
    if steps:
        lines += ["Next step, by where this practice stands now:", ""]
        lines += [
            f"- **{md_inline(level.label)}{_ratings(q, level)}:** {md_block(text)}"
            for level, text in steps
        ]
        lines.append("")
    return lines


def _ratings(q: Questionnaire, level: Level) -> str:
    """' (rated 2)' or ' (rated 1-2)': the scale values that fall on this level, if any."""
    values = [v for v in q.scale_values if q.level_for_score(v).id == level.id]
    if not values:
        return ""
    if len(values) == 1:
        return f" (rated {values[0]})"
    return f" (rated {values[0]}-{values[-1]})"


# -- references and the whole ----------------------------------------------------------------


def _references(q: Questionnaire) -> list[str]:
    if not q.references:
        return []
    lines = [
        "## References",
        "",
    ]
    for n, ref in enumerate(q.references, 1):
        entry = f"{n}. {md_block(ref.title)}"
        if ref.url:
            url = one_line(ref.url)
            entry += f" <{url}>" if _SAFE_URL.match(url) else f" ({md_inline(url)})"
        lines.append(entry)
    return [*lines, ""]


def questionnaire_markdown(q: Questionnaire) -> str:
    """The whole questionnaire as a Markdown document (deterministic; ends with a newline)."""
    lines = _front(q) + _how_to_answer(q) + audience_section(q) + setting_section(q)
    lines += _ladder(q) + _principles(q) + crosswalk_section(q)
    for number in range(1, len(q.domains) + 1):
        lines += _domain(q, number)
    lines += changes_section(q) + _references(q)
    return "\n".join(lines).rstrip("\n") + "\n"
