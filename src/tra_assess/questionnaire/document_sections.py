"""The parts of the questionnaire document about who answers, where and since when.

:mod:`tra_assess.questionnaire.document` puts them in place: who answers what (each item's
``audience`` in plain words), the setting (items that apply only where a practice exists at
all, and how a ``tra-profile/1`` marks them not applicable with a reason), SAMHSA's ten
implementation domains (each item's ``crosswalk``) and the changes between versions (the
questionnaire's ``changes``: ids added, split, merged, moved and removed). Questionnaire text is
escaped as in the rest of the document.
"""

from __future__ import annotations

from collections.abc import Callable

from tra_assess.common.textsafe import md_inline
from tra_assess.questionnaire.model import Change, Item, Questionnaire

__all__ = [
    "SAMHSA_DOMAIN_LABELS",
    "audience_section",
    "changes_section",
    "crosswalk_section",
    "item_facts",
    "role_words",
    "setting_section",
]

SAMHSA = "samhsa-domain"
SAMHSA_DOMAIN_LABELS: dict[str, str] = {  # SAMHSA (2014), the ten implementation domains
    "governance-leadership": "Governance and leadership",
    "policy": "Policy",
    "physical-environment": "Physical environment",
    "engagement-involvement": "Engagement and involvement",
    "cross-sector-collaboration": "Cross-sector collaboration",
    "screening-assessment-treatment": "Screening, assessment and treatment services",
    "training-workforce": "Training and workforce development",
    "progress-monitoring-qa": "Progress monitoring and quality assurance",
    "financing": "Financing",
    "evaluation": "Evaluation",
}
_ROLE_WORDS: dict[str, str] = {  # the role ids of the built-in questionnaires, in plain words
    "board": "board members",
    "leadership": "senior leaders",
    "manager": "managers",
    "supervisor": "supervisors",
    "frontline": "frontline staff",
    "support-staff": "support staff (reception, administration, facilities, drivers)",
    "people-served": "people served",
    "peer": "peer workers",
}
PROFILE_EXAMPLE_REASON = "the reason, in your own words"


def role_words(role: str) -> str:
    """A role id in plain words ("frontline" -> "frontline staff"); other ids as written."""
    return _ROLE_WORDS.get(role, role.replace("-", " "))


def _short_role(role: str) -> str:
    return role_words(role).split(" (")[0]


def _and(words: list[str], conjunction: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _code(ident: str) -> str:
    """An item id (``[a-z0-9_.-]``, so safe in a code span)."""
    return f"`{ident}`"


def _item_numbers(q: Questionnaire) -> dict[str, str]:
    return {
        item.id: f"{d}.{i}"
        for d, domain in enumerate(q.domains, 1)
        for i, item in enumerate(domain.items, 1)
    }


# -- one item ---------------------------------------------------------------------------------


def item_facts(q: Questionnaire, item: Item) -> list[str]:
    """Who answers the item, where it applies and its crosswalk, as a short Markdown list."""
    lines = [f"- **Who answers:** {_who(q, item)}."]
    if item.setting:
        lines.append(
            f"- **Setting:** applies only where {md_inline(item.setting)}. Where that never "
            "happens, the item is marked not applicable, with the reason, in a setting profile "
            "(see *Setting*)."
        )
    for framework, parts in item.crosswalk.items():
        if framework == SAMHSA:
            words = [md_inline(SAMHSA_DOMAIN_LABELS.get(p, p)) for p in parts]
            lines.append(f"- **SAMHSA implementation domains:** {'; '.join(words)}.")
        else:
            words = [md_inline(p) for p in parts]
            lines.append(f"- **Crosswalk to {md_inline(framework)}:** {'; '.join(words)}.")
    return [*lines, ""]


def _who(q: Questionnaire, item: Item) -> str:
    if item.audience is None:
        return "everyone"
    asked = [md_inline(_short_role(r)) for r in item.audience]
    others = [md_inline(_short_role(r)) for r in q.roles if r not in item.audience]
    if not others:
        return f"everyone ({_and(asked)})"
    return f"{_and(asked)} (not {_and(others, 'or')})"


# -- who answers what -----------------------------------------------------------------------------


def audience_section(q: Questionnaire) -> list[str]:
    if not any(item.audience is not None for item in q.items):
        return []
    lines = [
        "## Who answers what",
        "",
        "Each item names the roles who can rate it from direct knowledge: what they see, do "
        "or are told in their own work. A facilitated session or a survey for one role asks "
        "only that role's items (`tra-assess run --role ROLE`, `tra-assess template --role "
        "ROLE`, `tra-assess form --role ROLE`; `run --all-items` asks every item). An answer "
        "from someone outside an item's audience is counted but not scored, so a \"don't "
        'know" from someone who could not know is not reported as a finding. A respondent '
        "with no role is asked every item.",
        "",
    ]
    if not q.roles:
        return lines
    rows = []
    for role in q.roles:
        asked = [i for i in q.items if i.in_audience(role)]
        none = [d.title for d in q.domains if not any(i.in_audience(role) for i in d.items)]
        rows.append(
            f"| {md_inline(role_words(role))} | {md_inline(role)} | {len(asked)} of "
            f"{len(q.items)} | {md_inline('; '.join(none)) if none else '-'} |"
        )
    lines += [
        "| Who | Role | Items asked | Domains with no item for this role |",
        "|---|---|---|---|",
        *rows,
        "",
    ]
    return lines


# -- setting ----------------------------------------------------------------------------------


def setting_section(q: Questionnaire) -> list[str]:
    specific = [item for item in q.items if item.setting]
    if not specific:
        return []
    numbers = _item_numbers(q)
    rows = [
        f"| {numbers[i.id]} | {_code(i.id)} | {md_inline(q.domain(q.item_domain[i.id]).title)} "
        f"| {md_inline(i.setting)} |"
        for i in specific
    ]
    example = "\n".join(f"  {i.id}: {PROFILE_EXAMPLE_REASON}" for i in specific)
    return [
        "## Setting",
        "",
        "Most items apply to every service. The items below are sector-specific: each applies "
        "only where its practice exists at all. A service where one of them never happens does "
        "not rate it. It lists the "
        "item once, with the reason, in a setting profile and passes the profile when scoring; "
        "the reasons appear in the results and the report. Rate every other item, even where "
        "it is hard.",
        "",
        "| Item | Id | Domain | Applies only where |",
        "|---|---|---|---|",
        *rows,
        "",
        "A setting profile is a small YAML file (`tra-assess schema profile` prints its JSON "
        "Schema). Keep only the items that never happen in your service, each with its "
        "reason:",
        "",
        "```yaml",
        "format: tra-profile/1",
        "organization: Your organisation",
        "not_applicable:",
        example,
        "```",
        "",
        "```console",
        "$ tra-assess score answers/ --profile profile.yaml --out results.json",
        "```",
        "",
        'A critical item answered "not applicable" without a reason, in a note or a profile, '
        'counts as "don\'t know": it is not evidence that the practice is safe here.',
        "",
    ]


# -- SAMHSA's implementation domains -------------------------------------------------------------


def crosswalk_section(q: Questionnaire) -> list[str]:
    if not any(SAMHSA in item.crosswalk for item in q.items):
        return []
    rows = []
    for part, label in SAMHSA_DOMAIN_LABELS.items():
        where = [
            str(n)
            for n, d in enumerate(q.domains, 1)
            if any(part in i.crosswalk.get(SAMHSA, []) for i in d.items)
        ]
        count = sum(1 for i in q.items if part in i.crosswalk.get(SAMHSA, []))
        rows.append(f"| {label} | `{part}` | {count} | {', '.join(where) or '-'} |")
    return [
        "## SAMHSA's implementation domains",
        "",
        "SAMHSA's guidance (2014) names ten areas where an organisation puts a trauma-informed "
        "approach into practice. Each item names the ones it addresses. The table counts the "
        "items for each, and gives the numbers of the domains below that hold them.",
        "",
        "| Implementation domain | Id | Items | In domains |",
        "|---|---|---|---|",
        *rows,
        "",
    ]


# -- changes between versions -----------------------------------------------------------------


def changes_section(q: Questionnaire) -> list[str]:
    if not q.changes:
        return []
    numbers = _item_numbers(q)

    def ids(values: list[str]) -> str:
        return _and([_code(v) + (f" ({numbers[v]})" if v in numbers else "") for v in values])

    lines = [
        "## Changes between versions",
        "",
        "Item ids are how answers and results are matched over time. An item keeps its id "
        "while it measures the same practice, even when its wording changes. Results of two "
        "versions can still be compared (`tra-assess compare`): items are paired by id; items "
        "added, removed, split or merged are left out and named, and each domain is compared "
        "only on the items both versions share.",
        "",
    ]
    for change in reversed(q.changes):
        lines += _change_entry(change, ids)
    return lines


def _change_entry(change: Change, ids: Callable[[list[str]], str]) -> list[str]:
    head = f"**Version {md_inline(change.version)}.**"
    lines = [f"{head} {md_inline(change.summary)}" if change.summary else head, ""]
    facts = []
    if change.added:
        facts.append(f"Added ({len(change.added)}): {ids(change.added)}.")
    for old, new in change.split.items():
        facts.append(f"Split: {_code(old)} into {ids(new)}.")
    for new_id, olds in change.merged.items():
        facts.append(f"Merged: {_and([_code(o) for o in olds])} into {ids([new_id])}.")
    for old, new_id in change.moved.items():
        facts.append(f"Moved: {_code(old)} is now {ids([new_id])}.")
    if change.removed:
        removed = _and([_code(r) for r in change.removed])
        facts.append(f"Removed ({len(change.removed)}): {removed}.")
    if change.reworded:
        facts.append(
            f"Reworded, same id and practice ({len(change.reworded)}): {ids(change.reworded)}."
        )
    lines += [f"- {fact}" for fact in facts]
    return [*lines, ""] if facts else lines
