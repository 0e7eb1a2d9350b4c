"""Finding answer inputs (SPEC sections 5 and 7): the command's INPUT arguments as sources.

An input argument is a file, a directory (searched recursively for answer files, taken in
sorted path order) or ``-`` for one JSON/YAML document on stdin. Each found file becomes one
:class:`~tra_assess.sources.answers.Source` with its kind (yaml, json, csv, xlsx or
unsupported); reading it is the job of the module for that kind: YAML/JSON answers documents
in :mod:`tra_assess.sources.documents`, tables in :mod:`tra_assess.sources.exports`, filled-in
forms in :mod:`tra_assess.sources.forms`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from tra_assess.common.errors import InvalidInputError, Problem, UsageError
from tra_assess.common.textsafe import quoted
from tra_assess.common.yamlio import MAX_BYTES, decode_text
from tra_assess.sources.answers import Source

SUFFIXES: dict[str, str] = {  # what a directory is searched for
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
}
NAMED_SUFFIXES: dict[str, str] = {**SUFFIXES, ".txt": "csv"}  # also read when given by name
SEARCHED = ".yaml .yml .json .csv .tsv .xlsx"
READ = ".yaml .yml .json .csv .tsv .txt .xlsx"
# what to do with the files people most often give instead of an export
_SAVE_AS = {
    ".xls": "an old-style Excel workbook: open it in Excel and save it as .xlsx or .csv",
    ".xlsm": "a macro-enabled workbook: save it as .xlsx (Excel Workbook) or .csv",
    ".xlsb": "a binary Excel workbook: save it as .xlsx (Excel Workbook) or .csv",
    ".ods": "a LibreOffice spreadsheet: save it as .xlsx or .csv",
    ".numbers": "a Numbers spreadsheet: export it as .xlsx or .csv",
    ".sav": "an SPSS data file: export the survey as .csv instead",
    ".zip": "a zip archive: unpack it and give the export inside",
}
STDIN_NAME = "<stdin>"

# -- finding inputs --------------------------------------------------------------------------


def expand_inputs(
    args: Sequence[str | Path], stdin: IO[str] | None = None
) -> tuple[list[Source], list[str]]:
    """Turn the command's INPUT arguments into sources, in order; plus warnings.

    No such file is a usage error; so is finding no answer file at all.
    """
    sources: list[Source] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}  # real path -> how it was first shown
    used_stdin = False
    for arg in args:
        text = str(arg)
        if text == "-":
            if used_stdin:
                raise UsageError("'-' (stdin) can be given only once")
            used_stdin = True
            sources.append(_stdin_source(len(sources), stdin))
            continue
        shown = str(Path(text))  # as pathlib shows it: no trailing '/', no './'
        if os.path.isdir(text):
            found = _answer_files(shown)
            if not found:
                warnings.append(f"{text}: no answer files ({SEARCHED}) found here")
        elif os.path.isfile(text):
            suffix = os.path.splitext(shown)[1].lower()
            kind = NAMED_SUFFIXES.get(suffix, "yaml" if not suffix else "unsupported")
            found = [(os.path.realpath(shown), shown, kind)]
        elif os.path.exists(text):
            raise UsageError(
                f"{text}: not a file or folder (a device or a pipe); save the answers to a file"
            )
        elif os.path.lexists(text):
            raise UsageError(f"{text}: a link that leads nowhere (or round in a loop)")
        else:
            raise UsageError(f"{text}: no such file or directory")
        for key, display, kind in found:
            if key in seen:
                warnings.append(f"{display}: given more than once (also as {seen[key]}); read once")
                continue
            seen[key] = display
            sources.append(Source(len(sources), display, kind, file=display))
    if not sources:
        shown_args = ", ".join(str(a) for a in args)
        raise UsageError(f"no answer files found in {shown_args} (looked for {SEARCHED})")
    return sources, warnings


def _answer_files(directory: str) -> list[tuple[str, str, str]]:
    """(real path, path as shown, kind) of the answer files under ``directory``, in sorted
    path order: recursive, hidden files and folders and Excel lock files (``~$``) skipped,
    symlinked folders not followed (as ``Path.rglob``), symlinked files taken."""
    real_root = os.path.realpath(directory)
    prefix = "" if directory == "." else directory.rstrip(os.sep) + os.sep
    sep = os.sep
    found: list[tuple[tuple[str, ...], str, str, str]] = []
    pending: list[tuple[str, str, tuple[str, ...]]] = [(directory, real_root, ())]
    while pending:
        folder, real, parts = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            continue
        for entry in listed:
            name = entry.name
            if name[0] == ".":
                continue
            dot = name.rfind(".")
            kind = SUFFIXES.get(name[dot:].lower()) if dot > 0 else None
            try:
                is_dir = entry.is_dir()
                if is_dir and not entry.is_symlink():
                    pending.append((entry.path, real + sep + name, (*parts, name)))
                    continue
                if is_dir or kind is None or name.startswith("~$") or not entry.is_file():
                    continue
                link = entry.is_symlink()
            except OSError:
                continue
            rel = (*parts, name)
            key = os.path.realpath(entry.path) if link else real + sep + name
            found.append((rel, key, prefix + sep.join(rel), kind))
    found.sort(key=lambda entry: entry[0])
    return [(key, shown, kind) for _, key, shown, kind in found]


def _stdin_source(index: int, stdin: IO[str] | None) -> Source:
    import sys

    stream = stdin if stdin is not None else sys.stdin
    try:
        text = stream.read(MAX_BYTES + 1)
    except UnicodeDecodeError:
        return Source(index, STDIN_NAME, "yaml", error="not valid UTF-8 text (send UTF-8)")
    except OSError as exc:
        return Source(index, STDIN_NAME, "yaml", error=f"cannot read: {exc}")
    if isinstance(text, bytes):  # a binary stream was passed
        try:
            text = decode_text(text, STDIN_NAME)
        except InvalidInputError as exc:
            return Source(index, STDIN_NAME, "yaml", error=_strip_source(exc.lines()[0]))
    else:  # a stdin read with surrogateescape (the C.UTF-8 locale) hides bad bytes in text
        line = _undecodable_line(text)
        if line is not None:
            error = f"{STDIN_NAME}:{line}: not valid UTF-8 text (send UTF-8)"
            return Source(index, STDIN_NAME, "yaml", error=error)
    if len(text) > MAX_BYTES:
        return Source(
            index,
            STDIN_NAME,
            "yaml",
            error=f"more than {MAX_BYTES // 1048576} MB; the limit is 20 MB",
        )
    text = text.lstrip("\ufeff")
    kind = "json" if text.lstrip()[:1] in ("{", "[") else "yaml"
    return Source(index, STDIN_NAME, kind, text=text)


def _undecodable_line(text: str) -> int | None:
    """The line of the first byte that was not UTF-8 (kept as a lone surrogate), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return text.count("\n", 0, exc.start) + 1
    return None


def _strip_source(line: str) -> str:
    prefix = f"{STDIN_NAME}: "
    return line[len(prefix) :] if line.startswith(prefix) else line


def unsupported_problem(source: Source) -> Problem:
    """The one line for a file whose type tra-assess does not read."""
    suffix = os.path.splitext(source.display)[1].lower()
    what = _SAVE_AS.get(suffix, f"export the answers as .csv or .xlsx (tra-assess reads {READ})")
    return Problem(source.display, f"unsupported file type {quoted(suffix)}: {what}")
