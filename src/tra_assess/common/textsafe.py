"""Make text from data safe for the terminal, Markdown tables and spreadsheets.

Text that comes from users' files (organisation names, notes, item texts of a user's
questionnaire) is printed as plain text: escape sequences and control characters are removed
so that data can never move the cursor, change colours or hide output.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from markupsafe import Markup, escape

# CSI/OSC/other ESC sequences, then remaining C0/C1 controls except tab and newline.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # other two-byte escapes or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def plain(text: object, keep_newlines: bool = True) -> str:
    """Text without escape sequences or control characters (bidi overrides included)."""
    cleaned = _CONTROLS.sub("", _ESCAPES.sub("", str(text)))
    if not keep_newlines:
        cleaned = " ".join(cleaned.split())
    return cleaned


# Letters that render as nothing (Hangul fillers, the blank Braille pattern).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def shows_text(text: object) -> bool:
    """Whether ``text`` shows anything once escapes, controls, invisible format characters
    (zero-width, bidi) and spaces are taken out: a note or reason of only those says
    nothing."""
    return any(
        unicodedata.category(ch)[0] not in "CZ" and ch not in _BLANK_LETTERS for ch in plain(text)
    )


def fold_key(text: str) -> str:
    """How roles and group values compare: escape sequences, control and format characters
    (zero width, direction marks) removed, NFKC and case folded, white space trimmed and runs
    of it made one space; so look-alike spellings are one. Short texts are remembered (the
    last few thousand distinct ones: a batch repeats the same few roles and groups)."""
    if text.__class__ is str and len(text) <= _FOLD_CACHED_LENGTH:
        return _fold_key_cached(text)
    return _fold_key(text)


_FOLD_CACHED_LENGTH = 200


def _fold_key(text: str) -> str:
    kept = "".join(ch for ch in plain(text) if unicodedata.category(ch) != "Cf")
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", kept).casefold())
    return " ".join(folded.split())


_fold_key_cached = functools.lru_cache(maxsize=4096)(_fold_key)


def one_line(text: object) -> str:
    """Plain text folded onto one line (for table cells and error messages)."""
    return plain(text, keep_newlines=False)


def shortened(text: str, limit: int = 60) -> str:
    """Text from data on one line, cut to at most ``limit`` characters (ending in ``...``)."""
    line = one_line(text)
    return line if len(line) <= limit else line[: limit - 3] + "..."


def quoted(value: object, limit: int = 60) -> str:
    """A value from data as a message shows it: text quoted, anything else as Python writes
    it; one line, and at most ``limit`` characters of it (a cell can be megabytes long)."""
    if isinstance(value, str):
        return repr(shortened(value, limit))
    if isinstance(value, int) and value.bit_length() > 4 * limit:
        return "a very large number"  # repr() of a huge int is slow, or refused
    line = one_line(repr(value))
    return line if len(line) <= limit else line[: limit - 3] + "..."


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(text: str) -> str:
    """Neutralise a spreadsheet formula: a cell that starts like one gets a leading quote."""
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


# Parentheses are left alone: with ``[`` and ``]`` escaped they cannot make a link.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~])")


_BLOCK_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-=])(?=\s|[-=]|$)")
WORD_JOINER = "\u2060"
# what GitHub turns into a link without any markup: a scheme and its colon, "www.", and the
# "@" of an e-mail address; a word joiner (invisible, zero width) inside each stops it
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|xmpp|file)(?=:)|\b(www)(?=\.)|(@)(?=\w)")


def md_inline(text: object) -> str:
    """Escape text for inline Markdown (tables included): one line, specials escaped,
    HTML neutralised, pipes escaped; no start that would make a list, a rule or a heading
    underline when the text begins a line, and no bare link (:func:`no_autolink`)."""
    flat = one_line(text)
    flat = flat.replace("&", "&amp;")
    escaped = _BLOCK_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}",
        _MD_SPECIAL.sub(r"\\\1", flat),
    )
    return no_autolink(escaped)


def no_autolink(text: str) -> str:
    """User text that GitHub will not turn into a link: ``http://x`` reads the same but has
    an invisible word joiner after the scheme (likewise ``www.`` and an e-mail's ``@``)."""
    return _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, text)


def fold_label(text: str) -> str:
    """Case, whitespace, curly quotes and dashes folded: how labels and headers compare."""
    return " ".join(text.translate(_FOLD_TABLE).split()).casefold()


_FOLD_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\ufeff": "",
        "\u200b": "",
    }
)


def html_text(value: object) -> Markup:
    """HTML-escape text; ``=`` too, so that no escaped text can even read like an attribute
    (``onerror=``). The browser shows exactly the same characters."""
    if isinstance(value, Markup):
        return value
    return Markup(str(escape(str(value))).replace("=", "&#61;"))


def html_finalize(value: object) -> object:
    """Jinja ``finalize`` for HTML: every printed value goes through :func:`html_text`."""
    if value is None or isinstance(value, (Markup, bool, int, float)):
        return value
    return html_text(value)
