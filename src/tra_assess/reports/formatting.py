"""Text formatting for reports: Markdown and HTML escaping, plain text from data.

Numbers are formatted by :mod:`tra_assess.common.display` (half-up rounding, em dash for nulls).
"""

from __future__ import annotations

from markupsafe import Markup

from tra_assess.common.display import DASH
from tra_assess.common.textsafe import md_inline, one_line, plain


def md(value: object) -> str:
    """The Markdown escape filter: one line, Markdown specials and HTML neutralised, no line
    start that would make a list, a rule or a heading underline, and no bare link."""
    if value is None:
        return DASH
    return md_inline(value)


def css_string(value: object) -> Markup:
    """Text as a quoted CSS string (for ``content:`` in the print stylesheet): letters,
    digits and spaces as they are, every other character as a CSS escape, so no user text can
    end the string, the rule or the ``<style>`` element."""
    out = []
    for char in one_line(value):
        if char.isascii() and (char.isalnum() or char == " "):
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x} ")  # the space ends the escape
    return Markup('"' + "".join(out) + '"')


def clean(value: object) -> str:
    """User text for the report context: one line, no control or escape sequences."""
    return one_line(value)


def clean_block(value: object) -> str:
    """User text that may keep its line breaks (evidence notes, descriptions)."""
    return plain(value).strip()


def yes_no(value: bool | None) -> str:
    if value is None:
        return DASH
    return "yes" if value else "no"
