"""One walk per answers file: the lock ``tra-assess run`` holds while it walks, and the
clean-up of what an interrupted save left beside the file.

:class:`AnswersLock` is an exclusive ``flock`` on ``.NAME.lock`` beside the answers file; the
lock file records who holds it (pid, host, user, start time), so a second walk can say so.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import getpass
import json
import os
import socket
from pathlib import Path
from typing import Any

from tra_assess.common.errors import UsageError
from tra_assess.common.fsutil import temp_file_pattern, user_mode

__all__ = ["AnswersLock", "lock_path", "remove_leftover_temps"]


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)



def lock_path(path: Path) -> Path:
    """``.NAME.lock`` beside the answers file (beside its target, for a link)."""
    real = Path(os.path.realpath(path))
    return real.with_name(f".{real.name}.lock")


class AnswersLock:
    """An exclusive ``flock`` on ``.NAME.lock``, holding who walks the file (pid, host, user,
    start time), so a second walk can say who has it. The kernel drops the lock when the
    process dies; a lock file left behind by a killed walk is taken over (``taken_over``
    says whose it was)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_file = lock_path(path)
        self.taken_over: str | None = None
        self._fd: int | None = None

    def acquire(self) -> AnswersLock:
        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder_text(_read_holder(fd))
                os.close(fd)
                raise UsageError(
                    f"{self.path} is being walked by {holder}; two walks on one file would "
                    f"lose answers. Finish that walk first (or use another file with --out)"
                ) from None
            except OSError:  # a file system without locks: walk unlocked rather than not at all
                with contextlib.suppress(OSError):
                    if os.fstat(fd).st_size == 0:  # made just now, holding nobody: not left
                        os.unlink(self.lock_file)
                os.close(fd)
                return self
            if self._still_named(fd):
                break
            os.close(fd)  # removed or replaced by its holder meanwhile: lock the new one
        previous = _read_holder(fd)
        if previous:
            self.taken_over = (
                f"taking over the lock of an earlier walk on {self.path} that ended without "
                f"releasing it ({_holder_text(previous)})"
            )
        self._fd = fd
        self._write_holder(fd)
        return self

    def release(self) -> None:
        """Remove the lock file and drop the lock (removal first, while it is still held)."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.lock_file)
        os.close(self._fd)
        self._fd = None

    def _open(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            return os.open(self.lock_file, flags, user_mode())
        except PermissionError:
            try:  # someone else's lock in a shared folder: read-only still locks
                return os.open(self.lock_file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            except OSError as exc:
                raise UsageError(f"{self.lock_file}: cannot lock: {_why(exc)}") from None
        except OSError as exc:
            raise UsageError(f"{self.lock_file}: cannot lock: {_why(exc)}") from None

    def _still_named(self, fd: int) -> bool:
        try:
            named = os.stat(self.lock_file, follow_symlinks=False)
        except OSError:
            return False
        mine = os.fstat(fd)
        return (named.st_dev, named.st_ino) == (mine.st_dev, mine.st_ino)

    def _write_holder(self, fd: int) -> None:
        since = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        info = {"pid": os.getpid(), "host": socket.gethostname(), "user": _user(), "since": since}
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(info) + "\n").encode("utf-8"), 0)


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return str(os.getuid())


def _read_holder(fd: int) -> dict[str, Any]:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
        if isinstance(data, dict):
            return data
    return {}


def _holder_text(info: dict[str, Any]) -> str:
    if not info:
        return "another walk"
    here = info.get("host") == socket.gethostname()
    where = "" if here else f" on {info.get('host', '?')}"
    alive = ""
    if here and isinstance(info.get("pid"), int) and not _alive(info["pid"]):
        alive = ", no longer running"
    return (
        f"{info.get('user', '?')} (pid {info.get('pid', '?')}{where}{alive}, "
        f"since {info.get('since', '?')})"
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_leftover_temps(path: Path) -> int:
    """Remove the temporary files an interrupted save of ``path`` left beside it (ours:
    regular files of this user named like :func:`~tra_assess.common.fsutil.atomic_write`'s);
    call it holding the lock. Returns how many were removed."""
    real = Path(os.path.realpath(path))
    pattern = temp_file_pattern(real.name)
    removed = 0
    try:
        entries = list(os.scandir(real.parent))
    except OSError:
        return 0
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if entry.is_file(follow_symlinks=False) and info.st_uid == os.geteuid():
                os.unlink(entry.path)
                removed += 1
    return removed
