"""Atomic file writing: a reader (or a crash) sees the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from tra_assess.common.errors import InvalidInputError, UsageError


class WriteError(InvalidInputError):
    """A file could not be written; ``errno`` says why (``ENOSPC``: the disk is full)."""

    def __init__(self, message: str, errno: int | None = None) -> None:
        super().__init__(message, [])
        self.errno = errno


def user_mode() -> int:
    """The mode a new file gets from the user's umask: ``0o666 & ~umask`` (0644 under the
    usual 022, 0600 under 077)."""
    return 0o666 & ~current_umask()


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # no /proc: read it by setting it, and put it straight back
    os.umask(mask)
    return mask


def atomic_write(
    path: Path, data: str | bytes, mode: int | None = None, *, keep_mode: bool = True
) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder, fsync and rename.

    A symbolic link is written through (its target is replaced, the link stays). A device
    or a pipe (``/dev/null``, a FIFO) cannot be replaced and is written to directly. An
    existing file keeps its permissions (unless ``keep_mode`` is false); a new one gets
    ``mode``, by default what the user's umask gives (:func:`user_mode`). A file that cannot
    be written is a :class:`WriteError` saying why, in one line.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd = _inherited_fd(path)
        if fd is not None:  # /dev/stdout and the like: the stream the shell set up
            _write_all(fd, payload)
            return
        try:
            existing = os.stat(path)  # following links
        except FileNotFoundError:
            existing = None
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            if stat.S_ISDIR(existing.st_mode):
                raise IsADirectoryError(21, "it is a folder")
            with open(path, "wb") as handle:  # a device or a pipe: write through
                handle.write(payload)
            return
        new_mode = user_mode() if mode is None else mode
        keep = stat.S_IMODE(existing.st_mode) if existing is not None and keep_mode else new_mode
        _replace(Path(os.path.realpath(path)), payload, keep)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}", exc.errno) from None


_STD_STREAMS = {"/dev/stdout": 1, "/dev/stderr": 2}


def _inherited_fd(path: Path) -> int | None:
    """The file descriptor a path such as ``/dev/stdout`` or ``/dev/fd/3`` names, if any:
    writing to it directly keeps a shell's ``>>`` appending and works for pipes."""
    text = os.path.normpath(str(path))
    if text in _STD_STREAMS:
        return _STD_STREAMS[text]
    for prefix in ("/dev/fd/", "/proc/self/fd/"):
        if text.startswith(prefix) and text[len(prefix) :].isdigit():
            return int(text[len(prefix) :])
    return None


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]


def temp_file_pattern(name: str) -> re.Pattern[str]:
    """The names of the temporary files :func:`atomic_write` makes beside ``name``
    (``.NAME.XXXXXXXX.tmp``), to find the ones a killed process left behind."""
    return re.compile(rf"\.{re.escape(name)}\.[a-z0-9_]{{8}}\.tmp")


def write_temp(path: Path, payload: bytes, mode: int) -> str:
    """Write ``payload`` to a new temporary file beside ``path`` (fsynced, ``mode``) and
    return its name; on failure nothing is left behind."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return tmp_name


def sync_folder(directory: Path) -> None:
    """fsync a folder, so a rename in it survives a crash (ignored where unsupported)."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _replace(path: Path, payload: bytes, mode: int) -> None:
    tmp_name = write_temp(path, payload, mode)
    try:
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    sync_folder(path.parent)


ANSWER_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".xlsx")


def overwritten_input(out: Path, inputs: Iterable[str | Path | None]) -> str | None:
    """The input that writing ``out`` would replace, or None.

    ``inputs`` are what the user named: files, folders (any answer file under them counts),
    ``-`` and None are skipped. Paths are compared after resolving links.
    """
    try:
        target = Path(os.path.realpath(out))
        if not target.exists():
            return None
        for given in inputs:
            if given is None or str(given) == "-":
                continue
            path = Path(given)
            if path.is_dir():
                as_given = Path(os.path.abspath(path)) in Path(os.path.abspath(out)).parents
                inside = as_given or Path(os.path.realpath(path)) in target.parents
                if inside and target.suffix.lower() in ANSWER_SUFFIXES:
                    return str(given)
            elif path.exists() and os.path.samefile(path, target):
                return str(given)
    except OSError:
        return None
    return None


def refuse_overwriting_input(out: Path, inputs: Iterable[str | Path | None]) -> None:
    """A usage error when writing ``out`` would replace one of ``inputs``
    (see :func:`overwritten_input`)."""
    taken = overwritten_input(out, inputs)
    if taken is not None:
        raise UsageError(f"--out {out} would overwrite the input {taken}; choose another file name")


EXPORT_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls")
_KIND_NAMES = {
    "tra-answers": "an answers file (tra-answers/1)",
    "tra-questionnaire": "a questionnaire (tra-questionnaire/1)",
    "tra-results": "a results file (tra-results/1)",
    "tra-profile": "a profile (tra-profile/1)",
    "export": "a survey export",
}
_FORMAT_KEY = re.compile(rb"""^\{?\s*["']?format["']?\s*:\s*["']?(tra-[a-z]+)/\d""")


def file_kind(path: Path) -> str | None:
    """What an existing file is, as far as ``--out`` cares: ``tra-answers``,
    ``tra-questionnaire``, ``tra-results``, ``tra-profile`` (its ``format:`` key, in the
    first 64 KB), ``export`` (a ``.csv``/``.tsv``/``.xlsx`` file), or None (anything else)."""
    if path.suffix.lower() in EXPORT_SUFFIXES:
        return "export"
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return None
    # the format key must be the document's first entry, as the tool writes it (a report that
    # quotes "format: tra-profile/1" in its text is not a profile)
    for line in head.splitlines()[:50]:
        text = line.strip()
        if not text or text.startswith((b"#", b"%")) or text in (b"---", b"{"):
            continue
        match = _FORMAT_KEY.match(text)
        return match.group(1).decode("ascii") if match else None
    return None


def check_out(
    out: Path,
    *,
    inputs: Iterable[str | Path | None] = (),
    own: Iterable[str] = (),
    force: bool = False,
) -> None:
    """Refuse (a usage error, before any work) an ``--out`` that would replace one of the
    command's ``inputs`` (always), or an existing file that is not the command's ``own``
    kind (:func:`file_kind`: an answers file, questionnaire, results file, profile or
    survey export) unless ``force``. Files of the command's own kind, empty files, other
    files and devices (``/dev/null``) may be replaced."""
    refuse_overwriting_input(out, inputs)
    if force:
        return
    try:
        info = os.stat(out)
    except OSError:
        return
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
        return
    kind = file_kind(Path(os.path.realpath(out)))
    if kind is None or kind in set(own):
        return
    raise UsageError(
        f"--out {out} is {_KIND_NAMES.get(kind, kind)}, not this command's output; nothing "
        "was written. Choose another file name, or add --force to replace it"
    )
