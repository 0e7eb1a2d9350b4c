"""The printable paper form (SPEC section 9.2): HTML with tick boxes, for people who answer on
paper; the answers are then keyed into xlsx forms.

One block per item (the question, a tick box per scale value with its anchor, "not
applicable" and "don't know", a line for a note), the respondent fields, plain instructions
and a print stylesheet (A4 or Letter; no item is split across pages). No script, no external
fetch; every text from the questionnaire is escaped by the template's autoescaping.

For people served, the form uses the plainest wording the questionnaire has: the item text and
the anchors, never the facilitator's ``help`` (guidance written for staff, which can confuse
or alarm someone answering about the service they use). ``plain=True`` does the same for any
role.
"""

from __future__ import annotations

from typing import Any, Literal

from tra_assess.common.textsafe import one_line, plain
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.forms import check_role, form_domains, plain_wording_for

__all__ = ["render_paper_form"]

TEMPLATE = "form.html.j2"
PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def render_paper_form(
    q: Questionnaire,
    *,
    role: str | None = None,
    paper: Literal["a4", "letter"] = "a4",
    plain_wording: bool | None = None,
) -> str:
    """The paper form as one self-contained HTML page.

    ``role`` keeps the items in that role's audience; ``plain_wording`` leaves out the
    facilitator's guidance (default: for the roles of people served, see
    :func:`~tra_assess.sources.forms.plain_wording_for`).
    """
    import jinja2

    from tra_assess.common.resources import templates_dir
    from tra_assess.common.textsafe import html_finalize

    check_role(q, role)
    plain_wording = plain_wording_for(role, plain_wording)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        finalize=html_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    context = _context(q, role, PAGE_SIZES[paper], plain_wording)
    return env.get_template(TEMPLATE).render(context).strip("\n") + "\n"


def _context(q: Questionnaire, role: str | None, page: str, plain_wording: bool) -> dict[str, Any]:
    number = 0
    domains = []
    for domain, items in form_domains(q, role):
        blocks = []
        for item in items:
            number += 1
            blocks.append(_item(q, item, number, plain_wording))
        domains.append(
            {
                "title": one_line(domain.title),
                "description": "" if plain_wording else plain(domain.description or "").strip(),
                "items": blocks,
            }
        )
    return {
        "title": one_line(q.title),
        "questionnaire": f"{one_line(q.id)} {one_line(q.version)}",
        "role": one_line(role) if role else None,
        "roles": [one_line(r) for r in q.roles],
        "page": page,
        "min_group_size": q.min_group_size,
        "count": number,
        "domains": domains,
    }


def _item(q: Questionnaire, item: Any, number: int, plain_wording: bool) -> dict[str, Any]:
    options = [
        {
            "value": str(point.value),
            "label": one_line(point.label),
            "anchor": plain(item.anchors.get(point.value, "")).strip(),
        }
        for point in q.scale
    ]
    return {
        "number": number,
        "id": item.id,
        "text": plain(item.text).strip(),
        "help": "" if plain_wording else plain(item.help or "").strip(),
        "options": options,
    }
