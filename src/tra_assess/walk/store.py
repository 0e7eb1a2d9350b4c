"""Where ``tra-assess run`` keeps its answers: file names, loading for resume, atomic saves.

Every save writes the whole ``tra-answers/1`` document through
:func:`tra_assess.common.fsutil.atomic_write` (temp file, fsync, rename, mode 0600), so a killed
process leaves either the previous complete file or the new one. The first save creates the
file the same way (:func:`create`), so it never exists empty. A walk holds the file's lock
(:mod:`tra_assess.walk.lockfile`) from start to end.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import json
import os
import re
import shlex
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.common.fsutil import (
    WriteError,
    atomic_write,
    sync_folder,
    write_temp,
)

if TYPE_CHECKING:
    from tra_assess.questionnaire.model import Questionnaire
    from tra_assess.sources.answers import Response

FILE_MODE = 0o600
ANSWERS_SUFFIXES = (".yaml", ".yml", ".json")

try:  # the C emitter writes the same YAML, faster
    _Dumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Dumper = yaml.SafeDumper
    _Loader = yaml.SafeLoader


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
    ``qref`` is the questionnaire path to repeat in the resume command (None: built in).
    An empty file (left by an interrupted first save of an older version) holds nothing to
    lose and may be started in."""
    if path.suffix.lower() not in ANSWERS_SUFFIXES:
        raise UsageError(
            f"--out {path}: an answers file ends in .yaml, .yml or .json (the formats "
            "tra-assess score reads back); choose such a name"
        )
    if is_empty_file(path):
        return
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


def save(response: Response, path: Path, qref: str | None = None) -> None:
    """Write the whole document atomically (the previous file or the new one, never half).

    A failed save (a full disk, most often) is an error that says what the file still holds
    (its last good save) and how to continue it."""
    try:
        atomic_write(path, render(response, path), mode=FILE_MODE, keep_mode=False)  # private
    except WriteError as exc:
        raise _save_failed(exc, path, qref) from None


def create(response: Response, path: Path, qref: str | None = None) -> None:
    """Create the answers file with its first state, never over an existing file and never
    empty: written to a temporary file (fsync) and linked into place, which fails when the
    name exists. Where the file system has no links, the name is reserved empty first."""
    try:
        tmp_name = write_temp(path, render(response, path).encode("utf-8"), FILE_MODE)
    except OSError as exc:
        raise _save_failed(WriteError(_why(exc), exc.errno), path, qref, created=False) from None
    try:
        os.link(tmp_name, path)
    except FileExistsError:
        raise UsageError(
            f"{path} was created by someone else meanwhile; nothing was overwritten. "
            f"Continue it with: {resume_command(path, qref)}"
        ) from None
    except OSError:  # no hard links here (some network and FAT file systems)
        reserve(path, qref)
        os.replace(tmp_name, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
    sync_folder(path.parent if str(path.parent) else Path("."))


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _save_failed(
    exc: WriteError, path: Path, qref: str | None, *, created: bool = True
) -> InvalidInputError:
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
    why = "the disk is full" if full else "the file could not be written"
    detail = exc.message.rsplit(": ", 1)[-1]
    if not created:
        return InvalidInputError(
            f"cannot create {path}: {why} ({detail}); nothing was saved. "
            + ("Free some space and start again." if full else "Choose another place with --out.")
        )
    held = _answers_on_disk(path)
    kept = (
        f"{path} keeps its last good save ({held} answer{'s' if held != 1 else ''})"
        if held is not None
        else f"{path} keeps its last good save"
    )
    fix = "free some space" if full else "fix the cause"
    return InvalidInputError(
        f"cannot save {path}: {why} ({detail}); the last change (answer or note) was not "
        f"saved. {kept}. {fix.capitalize()}, then continue with: {resume_command(path, qref)}"
    )


def _answers_on_disk(path: Path) -> int | None:
    """How many answers the file on disk holds (None when it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.load(text, _Loader)
    except (OSError, ValueError, yaml.YAMLError):
        return None
    answers = data.get("answers") if isinstance(data, dict) else None
    return len(answers) if isinstance(answers, dict) else 0 if not text.strip() else None


def answers_questionnaire_id(path: Path) -> str | None:
    """The questionnaire id an answers file names (to pick it when ``-q`` is not given)."""
    if is_empty_file(path):
        return None
    data = _load(path)
    ref = data.get("questionnaire") if isinstance(data, dict) else None
    qid = ref.get("id") if isinstance(ref, dict) else None
    return str(qid) if qid is not None else None


def load_for_resume(path: Path, questionnaire: Questionnaire) -> tuple[Response, str | None]:
    """Load an answers file to continue it: the response, and a warning when the
    questionnaire version differs (answers are kept and saved under the loaded version), when
    the file is empty (no answers yet), or when its comments will not survive the next save."""
    from tra_assess.sources.answers import Response, parse_answers_document

    if is_empty_file(path):
        empty = Response(
            source="run", questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
        )
        return empty, (
            f"{path} is empty (a walk was stopped before its first save): "
            "starting it with no answers yet"
        )
    data, index = _load_indexed(path)
    response = parse_answers_document(data, str(path), questionnaire, index)
    warnings = []
    if response.questionnaire_version != questionnaire.version:
        warnings.append(
            f"{path} was started with {questionnaire.id} {response.questionnaire_version}; "
            f"continuing with {questionnaire.version} (every answered item exists in it)"
        )
    if path.suffix.lower() != ".json":
        lines = comment_lines(path.read_text(encoding="utf-8", errors="replace"))
        if lines:
            shown = ", ".join(str(n) for n in lines[:5]) + (" ..." if len(lines) > 5 else "")
            warnings.append(
                f"{path} has comments (line {shown}) that the next save will not keep: each "
                "save rewrites the file; copy them into evidence notes (or keep a copy of the "
                "file) to keep them"
            )
    response.questionnaire_id = questionnaire.id
    response.questionnaire_version = questionnaire.version
    return response, "; ".join(warnings) or None


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


def is_empty_file(path: Path) -> bool:
    """An existing answers file with nothing in it (left by an interrupted first save of an
    older version): it holds no answers, so it may be started afresh."""
    try:
        return path.is_file() and not path.read_bytes().strip()
    except OSError:
        return False


def comment_lines(text: str) -> list[int]:
    """The lines of a YAML text that hold a comment (saves rewrite the file without them)."""
    spans: list[tuple[int, int]] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        return []
    lines: list[int] = []
    for match in re.finditer(r"(?:^|(?<=\s))#", text, re.MULTILINE):
        at = match.start()
        if any(start <= at < end for start, end in spans):
            continue
        line = text.count("\n", 0, at) + 1
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines
