"""The board pack as PDF (SPEC section 7, ``report --format pdf``): the HTML report printed by
a headless Chromium or Chrome found on the machine.

The browser gets the report as a file in a private temporary folder, a fresh profile there,
no network, no extensions and a time limit; Chromium's own header and footer (URL, date) are
switched off, so the page footer is the report's (organisation, date, page N of M, from the
print stylesheet). The PDF is checked and written atomically.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tra_assess.common.errors import TraAssessError, UsageError

__all__ = ["BROWSER_NAMES", "NOT_FOUND", "find_browser", "print_pdf", "write_pdf"]

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
NOT_FOUND = "no Chromium or Chrome found: install chromium, or name one with --chromium PATH"
TIMEOUT = 120.0  # seconds a browser may take to print one report

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
)


def find_browser(explicit: Path | str | None = None) -> str:
    """The browser to print with: ``explicit`` when given (it must be an executable file),
    else the first of :data:`BROWSER_NAMES` on PATH; a :class:`UsageError` (exit 2) saying
    what to do when there is none."""
    if explicit is not None:
        path = Path(explicit)
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        found = shutil.which(str(explicit))
        if found:
            return found
        raise UsageError(NOT_FOUND)
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise UsageError(NOT_FOUND)


def print_pdf(html: str, browser: str, *, timeout: float = TIMEOUT) -> bytes:
    """Print ``html`` to PDF with ``browser`` and return the PDF's bytes."""
    with tempfile.TemporaryDirectory(prefix="tra-assess-pdf-") as folder:
        work = Path(folder)
        source = work / "report.html"
        source.write_text(html, encoding="utf-8")
        target = work / "report.pdf"
        profile = work / "profile"
        profile.mkdir()
        command = [
            browser,
            *_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=timeout,
                check=False,
                cwd=work,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise TraAssessError(
                f"the browser ({browser}) did not print the report within {timeout:g} seconds"
            ) from None
        except OSError as exc:
            raise UsageError(f"cannot run {browser}: {exc.strerror or exc}") from None
        data = target.read_bytes() if target.is_file() else b""
        if not data.startswith(b"%PDF-"):
            detail = _last_line(done.stderr)
            raise TraAssessError(
                f"the browser ({browser}) did not print the report (exit code "
                f"{done.returncode}{': ' + detail if detail else ''})"
            )
        return data


def _last_line(stderr: bytes) -> str:
    lines = [
        line.strip()
        for line in stderr.decode("utf-8", "replace").splitlines()
        if line.strip() and "dbus" not in line.lower()
    ]
    return lines[-1][:200] if lines else ""


def write_pdf(html: str, out: Path, *, browser: str, timeout: float = TIMEOUT) -> None:
    """Print ``html`` and write the PDF to ``out`` atomically (a half-written PDF never
    replaces an earlier one)."""
    from tra_assess.common.fsutil import atomic_write

    atomic_write(out, print_pdf(html, browser, timeout=timeout))
