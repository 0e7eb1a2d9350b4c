"""The HTML report in a real browser: it renders, prints to several PDF pages, and hostile
text from the data stays text (no script in the data ever runs).

Needs Chromium (CI installs Debian's ``chromium``); skipped, with the reason, where it is absent.
"""

from __future__ import annotations

import html
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tra_assess.results.model import Results

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='pwned'\">"
HOSTILE_ORG = f"Riverbend {SCRIPT} Family {IMG} Services"
HOSTILE_NOTE = f"Checked the log {SCRIPT} and {IMG} | 3 < 4 & more"
TIMEOUT = 120


def _results(year: str, date: str, seed: int) -> Results:
    from tra_assess.demo.data import make_people, make_responses
    from tra_assess.questionnaire.load import load_questionnaire
    from tra_assess.scoring.scorer import score_responses

    questionnaire = load_questionnaire("tra-core")
    rng = random.Random(seed)
    responses = make_responses(questionnaire, make_people(40, rng), year, date, rng)
    for number, response in enumerate(responses):
        response.organization = HOSTILE_ORG
        if number < 3:
            item = questionnaire.items[number * 7].id
            response.values[item] = 2
            response.notes[item] = HOSTILE_NOTE
    return score_responses(questionnaire, responses, group_by="role", min_group_size=5)


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (install Debian's 'chromium' to run this test)")
    from tra_assess.reports.render import render_report

    baseline = _results("baseline", "2025-03-01", 1)
    followup = _results("followup", "2026-03-01", 2)
    text = render_report(followup, fmt="html", baseline=baseline)
    assert SCRIPT not in text and "<img" not in text  # escaped before any browser sees it
    path = tmp_path_factory.mktemp("browser") / "report.html"
    path.write_text(text, encoding="utf-8")
    return path


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--no-first-run", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args,
    ]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=TIMEOUT, check=False, cwd=tmp_path
    )


def test_screenshot_renders(report_html: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    done = _chromium(
        tmp_path, f"--screenshot={png}", "--window-size=1280,2000", report_html.as_uri()
    )
    assert png.is_file(), done.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000, f"screenshot is only {len(data)} bytes: blank page?"


def test_prints_to_a_multi_page_pdf(report_html: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    done = _chromium(tmp_path, f"--print-to-pdf={pdf}", report_html.as_uri())
    assert pdf.is_file(), done.stderr[-2000:]
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-"
    assert len(data) > 10_000, f"PDF is only {len(data)} bytes"
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert pages > 1, f"a full report should print on more than one page, got {pages}"


def test_hostile_text_stays_text(report_html: Path, tmp_path: Path) -> None:
    done = _chromium(tmp_path, "--dump-dom", report_html.as_uri())
    dom = done.stdout
    assert "</html>" in dom, done.stderr[-2000:]
    source = report_html.read_text(encoding="utf-8")
    source_title = re.search(r"<title>(.*?)</title>", source, re.S)
    dom_title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert source_title is not None and dom_title is not None
    # no script ran: the title is what the report wrote, not 'pwned'
    title = html.unescape(dom_title.group(1))
    assert title == html.unescape(source_title.group(1))
    assert title.strip() != "pwned"
    if "Riverbend" in title:  # the organisation is in the title: escaped there too
        assert SCRIPT in title
    # the hostile strings are text nodes, serialised escaped; no element was created
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert "&lt;img src=x onerror=\"document.title='pwned'\"&gt;" in dom
    assert "<script" not in dom.lower()
    assert "<img" not in dom.lower()
    assert "onerror=" not in dom.replace("&lt;img src=x onerror=", "")
