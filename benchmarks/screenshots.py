"""Screenshots of the demo report for the documentation (docs/reports.md).

Makes the demo (`tra-assess demo`: a fictional agency, 60 respondents, a baseline a year
earlier) in a temporary folder, renders its HTML report, and writes

- docs/images/report-first-screen.png: the first screen at 1280 x 900 px, as a board member
  opening the report sees it;
- docs/images/report-print-page1.png: page 1 of the PDF (`report --format pdf`, A4), as
  printed by headless Chromium and rasterised by poppler's `pdftoppm`.

Usage: python benchmarks/screenshots.py [--chromium PATH] [--out DIR]
Needs Chromium or Chrome (found like `report --format pdf` finds it) and `pdftoppm`
(poppler-utils). Re-run it after a change to the report's look and commit the images.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120


def _screenshot(browser: str, page: Path, png: Path, work: Path) -> None:
    profile = work / "profile"
    profile.mkdir(exist_ok=True)
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--window-size=1280,900",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
        cwd=work,
    )
    if not png.is_file():
        sys.exit(f"{browser} made no screenshot")


def _first_page(pdf: Path, png: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        sys.exit("pdftoppm not found: install poppler-utils")
    stem = png.with_suffix("")
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=TIMEOUT,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", help="the Chromium or Chrome to use")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)

    from tra_assess.demo.build import make_demo
    from tra_assess.reports.pdf import find_browser, print_pdf
    from tra_assess.reports.render import render_report
    from tra_assess.results.load import load_results_file

    browser = find_browser(args.chromium)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tra-screens-") as folder:
        work = Path(folder)
        demo = work / "demo"
        make_demo(demo)
        results = load_results_file(demo / "results.json")
        baseline = load_results_file(demo / "results-baseline.json")
        html = render_report(results, fmt="html", baseline=baseline)
        page = work / "report.html"
        page.write_text(html, encoding="utf-8")
        first = args.out / "report-first-screen.png"
        _screenshot(browser, page, first, work)
        pdf = work / "report.pdf"
        pdf.write_bytes(print_pdf(html, browser))
        printed = args.out / "report-print-page1.png"
        _first_page(pdf, printed)
    for path in (first, printed):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
