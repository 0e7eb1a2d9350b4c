"""How to read survey exports (SPEC sections 5 and 7): ``--label``, ``--column``,
``--encoding`` and ``--assessed-on``, checked once and passed down to every reader.

:class:`ReadOptions` is plain, frozen and picklable (worker processes get a copy).
"""

from __future__ import annotations

import codecs
import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tra_assess.common.errors import UsageError
from tra_assess.common.textsafe import fold_label, quoted

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Questionnaire
    from tra_assess.sources.answers import Value

# --column FIELD names that mean a standard field
_FIELD_ALIASES = {
    "id": "id",
    "respondent_id": "id",
    "respondent id": "id",
    "respondent": "id",
    "organisation": "organization",
    "organization": "organization",
    "assessed_on": "assessed_on",
    "date": "assessed_on",
    "mode": "mode",
}


@dataclass(frozen=True)
class ReadOptions:
    """Options for reading answer inputs; the defaults read everything as the SPEC says."""

    labels: tuple[tuple[str, str], ...] = ()  # (folded text, raw value) as given
    columns: tuple[tuple[str, str], ...] = ()  # (folded header, field)
    encoding: str | None = None
    assessed_on: str | None = None
    label_values: dict[str, Value] = field(default_factory=dict, compare=False)

    @property
    def column_map(self) -> dict[str, str]:
        return dict(self.columns)

    def checked(self, questionnaire: Questionnaire) -> ReadOptions:
        """These options with the ``--label`` values checked against the scale (usage
        errors otherwise)."""
        from tra_assess.sources.answers import NA, UNKNOWN

        values: dict[str, Value] = {}
        scale = questionnaire.scale_values
        for text, raw in self.labels:
            word = raw.strip().casefold()
            value: Value
            if word in ("na", "n/a", "not applicable"):
                value = NA
            elif word in ("unknown", "don't know", "?"):
                value = UNKNOWN
            else:
                try:
                    value = int(word)
                except ValueError:
                    value = -1_000_000
                if value not in scale:
                    raise UsageError(
                        f"--label {quoted(text)}={quoted(raw)}: the value must be a scale value "
                        f"of {questionnaire.id} ({scale[0]}-{scale[-1]}), na or unknown"
                    )
            values[text] = value
        return ReadOptions(self.labels, self.columns, self.encoding, self.assessed_on, values)


def _pair(option: str, text: str, what: str) -> tuple[str, str]:
    head, sep, tail = text.rpartition("=")
    if not sep or not head.strip() or not tail.strip():
        raise UsageError(f"{option} {quoted(text)}: expected {what}")
    return head, tail.strip()


def read_options(
    labels: Sequence[str] = (),
    columns: Sequence[str] = (),
    encoding: str | None = None,
    assessed_on: str | None = None,
) -> ReadOptions:
    """The command-line options as :class:`ReadOptions`; malformed ones are usage errors."""
    label_pairs: list[tuple[str, str]] = []
    for text in labels:
        head, value = _pair("--label", text, 'TEXT=VALUE, e.g. --label "Not sure=unknown"')
        label_pairs.append((fold_label(head), value))
    column_pairs: list[tuple[str, str]] = []
    for text in columns:
        head, name = _pair(
            "--column", text, 'HEADER=FIELD, e.g. --column "What is your role?=role"'
        )
        folded = " ".join(name.split())
        target = _FIELD_ALIASES.get(folded.casefold(), folded)
        if target.startswith("respondent."):
            target = target[len("respondent.") :]
        if not target or any(c in target for c in "=\n\r\t"):
            raise UsageError(f"--column {quoted(text)}: {quoted(name)} is not a field name")
        column_pairs.append((fold_label(head), target))
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(
                f"--encoding {quoted(encoding)}: unknown encoding (try utf-8, cp1252, "
                "latin-1 or utf-16)"
            ) from None
    if assessed_on is not None:
        try:
            assessed_on = strict_iso_date(assessed_on)
        except ValueError:
            raise UsageError(
                f"--assessed-on {quoted(assessed_on)}: expected a date YYYY-MM-DD"
            ) from None
    return ReadOptions(tuple(label_pairs), tuple(column_pairs), encoding, assessed_on)


DEFAULT = ReadOptions()


def strict_iso_date(text: str) -> str:
    """``YYYY-MM-DD`` exactly (a real date), else ValueError."""
    cleaned = text.strip()
    if len(cleaned) != 10 or cleaned[4] != "-" or cleaned[7] != "-":
        raise ValueError(cleaned)
    return _dt.date.fromisoformat(cleaned).isoformat()
