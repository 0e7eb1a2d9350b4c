"""Where ``tra-assess run`` keeps its answers: file names, loading for resume, atomic saves.

Every save writes the whole ``tra-answers/1`` document through
:func:`tra_assess.common.fsutil.atomic_write` (temp file, fsync, rename, mode 0600), so a killed
process leaves either the previous complete file or the new one.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import shlex
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tra_assess.common.errors import UsageError
from tra_assess.common.fsutil import atomic_write

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Questionnaire
    from tra_assess.sources.answers import Response

FILE_MODE = 0o600

try:  # the C emitter writes the same YAML, faster
    _Dumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Dumper = yaml.SafeDumper


_LETTERS = str.maketrans(
    {
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)


def slugify(text: str, max_length: int = 60) -> str:
    """A file-name-safe slug: ASCII letters and digits joined by single hyphens."""
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    ascii_text = text.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def default_name(organization: str | None, date_iso: str, folder: Path | None = None) -> Path:
    """``<organisation-slug>-<date>.yaml`` (``answers-<date>.yaml`` without one)."""
    stem = slugify(organization or "") or "answers"
    return (folder or Path(".")) / f"{stem}-{date_iso}.yaml"


def default_out_path(organization: str | None, date_iso: str, folder: Path | None = None) -> Path:
    """:func:`default_name`, made free: when that name is taken, ``-2``, ``-3`` ... is added,
    so an existing file is never reused."""
    base = default_name(organization, date_iso, folder)
    candidate = base
    number = 2
    while candidate.exists():
        candidate = base.with_name(f"{base.stem}-{number}.yaml")
        number += 1
    return candidate


def resume_command(path: Path, qref: str | None = None) -> str:
    """``tra-assess run --resume PATH``, with ``-q QREF`` for a questionnaire not built in."""
    q_opt = f" -q {shlex.quote(qref)}" if qref else ""
    return f"tra-assess run --resume {shlex.quote(str(path))}{q_opt}"


def check_new_path(path: Path, qref: str | None = None) -> None:
    """A new answers file may be created at ``path``; else a usage error saying what to do.
    ``qref`` is the questionnaire path to repeat in the resume command (None: built in)."""
    if path.exists():
        raise UsageError(
            f"{path} already exists and is never overwritten. To continue it: "
            f"{resume_command(path, qref)}; or choose another name with --out"
        )
    if os.path.lexists(path):
        raise UsageError(
            f"{path} is a link to a file that does not exist; choose another name with --out"
        )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{parent}: no such directory for --out {path}")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{parent}: cannot write there (permission denied)")


def reserve(path: Path, qref: str | None = None) -> None:
    """Create ``path`` empty and exclusively (0600): fails if someone created it meanwhile."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        raise UsageError(
            f"{path} was created by someone else meanwhile; nothing was overwritten. "
            f"Continue it with: {resume_command(path, qref)}"
        ) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot create: {exc.strerror or exc}") from None
    os.close(fd)


def render(response: Response, path: Path) -> str:
    """The answers document as text: JSON for a ``.json`` path, YAML otherwise."""
    doc: dict[str, Any] = response.to_document()
    if path.suffix.lower() == ".json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if isinstance(doc.get("assessed_on"), str):  # a YAML date, as in the SPEC's example
        with contextlib.suppress(ValueError):
            doc["assessed_on"] = _dt.date.fromisoformat(doc["assessed_on"])
    text: str = yaml.dump(
        doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )
    return text


def save(response: Response, path: Path) -> None:
    """Write the whole document atomically (the previous file or the new one, never half)."""
    atomic_write(path, render(response, path), mode=FILE_MODE, keep_mode=False)  # private


def answers_questionnaire_id(path: Path) -> str | None:
    """The questionnaire id an answers file names (to pick it when ``-q`` is not given)."""
    data = _load(path)
    ref = data.get("questionnaire") if isinstance(data, dict) else None
    qid = ref.get("id") if isinstance(ref, dict) else None
    return str(qid) if qid is not None else None


def load_for_resume(path: Path, questionnaire: Questionnaire) -> tuple[Response, str | None]:
    """Load an answers file to continue it: the response, and a warning when the
    questionnaire version differs (answers are kept and saved under the loaded version)."""
    from tra_assess.sources.answers import parse_answers_document

    data, index = _load_indexed(path)
    response = parse_answers_document(data, str(path), questionnaire, index)
    warning = None
    if response.questionnaire_version != questionnaire.version:
        warning = (
            f"{path} was started with {questionnaire.id} {response.questionnaire_version}; "
            f"continuing with {questionnaire.version} (every answered item exists in it)"
        )
    response.questionnaire_id = questionnaire.id
    response.questionnaire_version = questionnaire.version
    return response, warning


def _check_exists(path: Path) -> None:
    if not path.is_file():
        raise UsageError(f"{path}: no such answers file to resume")


def _load(path: Path) -> Any:
    return _load_indexed(path)[0]


def _load_indexed(path: Path) -> tuple[Any, Any]:
    from tra_assess.common.yamlio import load_json, load_yaml_fast, load_yaml_indexed, read_text

    _check_exists(path)
    text = read_text(path, str(path))
    if path.suffix.lower() == ".json":
        return load_json(text, str(path)), None
    load_yaml_fast(text, str(path))  # refuses aliases, as for every answers file
    return load_yaml_indexed(text, str(path))
