"""`report --format pdf`: the HTML printed by headless Chromium, with page numbers, the
organisation and the headline in the PDF's text; one line and exit 2 without a browser; and
the HTML on a 390 px phone: nothing but a scroll box is wider than the screen.

The browser tests need Chromium (CI installs Debian's ``chromium``) and poppler's
``pdftotext``; they are skipped, with the reason, where these are absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from report_factory import make_results, private_template_cache  # noqa: F401
from tra_assess.cli.app import app
from tra_assess.reports.pdf import NOT_FOUND, find_browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
TIMEOUT = 120
HEADLINE = "Riverbend Family Services is Low overall; the target is High. 1 of 3 domains meets it."

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (install Debian's 'chromium')"
)


def _results_file(tmp_path: Path) -> Path:
    path = tmp_path / "results.json"
    path.write_text(make_results().model_dump_json(), encoding="utf-8")
    return path


def test_no_browser_is_one_line_and_exit_2(tmp_path: Path) -> None:
    source = _results_file(tmp_path)
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(
        app, ["report", str(source), "-f", "pdf", "--chromium", "/nonexistent", "-o", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [f"error: {NOT_FOUND}"]
    assert "Traceback" not in result.output and not out.exists()


def test_pdf_options_that_do_not_fit_are_usage_errors(tmp_path: Path) -> None:
    source = _results_file(tmp_path)
    template = tmp_path / "board.md.j2"
    template.write_text("{{ title }}", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(source), "-f", "pdf", "--template",
                                 str(template), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2, result.output
    assert "a PDF is printed from HTML; give an .html or .htm template" in result.stderr
    result = runner.invoke(app, ["report", str(source), "--chromium", "/usr/bin/chromium"])
    assert result.exit_code == 2, result.output
    assert "--chromium is for --format pdf only" in result.stderr
    result = runner.invoke(app, ["report", str(source), "-f", "pdf", "--paper", "a3"])
    assert result.exit_code == 2, result.output


def test_no_browser_on_path_is_the_same_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    from tra_assess.common.errors import UsageError

    with pytest.raises(UsageError, match="no Chromium or Chrome found"):
        find_browser()


def test_browser_named_on_path_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "google-chrome"
    fake.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_browser() == str(fake)
    assert find_browser(fake) == str(fake)


def test_a_browser_that_prints_nothing_is_an_error_not_a_pdf(tmp_path: Path) -> None:
    fake = tmp_path / "broken-chrome"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    source = _results_file(tmp_path)
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(
        app, ["report", str(source), "-f", "pdf", "--chromium", str(fake), "-o", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert "did not print the report (exit code 1: cannot open display)" in result.stderr
    assert not out.exists()


def test_paper_size_sets_the_page_rule() -> None:
    from tra_assess.reports.render import render_report

    assert "size: letter;" in render_report(make_results(), fmt="html", paper="letter")
    assert "size: A4;" in render_report(make_results(), fmt="html")
    from tra_assess.common.errors import UsageError

    with pytest.raises(UsageError, match="unknown paper size 'a3'"):
        render_report(make_results(), fmt="html", paper="a3")  # type: ignore[arg-type]


@needs_chromium
@pytest.mark.browser
@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize(("paper", "width"), [("a4", 595), ("letter", 612)])
def test_pdf_has_pages_numbers_headline_and_organisation(
    tmp_path: Path, paper: str, width: int
) -> None:
    source = _results_file(tmp_path)
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(
        app, ["report", str(source), "-f", "pdf", "--paper", paper, "-o", str(out),
              "--chromium", str(CHROMIUM)],
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert pages >= 2, pages
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", data)
    assert boxes and round(float(boxes[0][0])) == width
    assert PDFTOTEXT is not None
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(out), "-"], capture_output=True, text=True, timeout=60,
        check=True,
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    assert HEADLINE in flat
    assert "Riverbend Family Services · 2026-11-20" in flat  # the footer on every page
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in flat
    assert "file://" not in text  # Chromium's own header and footer are off
    printed = text.split("\f")
    appendix = next(n for n, page in enumerate(printed) if "Appendix: the detail" in page)
    assert printed[appendix].strip().startswith("Appendix: the detail")  # on a new page
    assert "What to do next" not in printed[appendix]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@needs_chromium
@pytest.mark.browser
def test_pdf_to_stdout_when_it_is_not_a_terminal(tmp_path: Path) -> None:
    source = _results_file(tmp_path)
    result = CliRunner().invoke(app, ["report", str(source), "-f", "pdf"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"%PDF-") and b"%%EOF" in result.stdout_bytes[-64:]


PROBE = """<script>
addEventListener('load', () => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.scroll, figure.chart-box')) continue;
    const box = el.getBoundingClientRect();
    const out = box.right > width + 1 || box.left < -1;
    if (box.width > 0 && out) wide.push(el.tagName + '.' + el.className);
  }
  const out = parent.document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({width, scroll: document.documentElement.scrollWidth, wide});
  parent.document.body.appendChild(out);
});
</script>"""


@needs_chromium
@pytest.mark.browser
def test_phone_layout_only_scroll_boxes_are_wide(tmp_path: Path) -> None:
    """At 390 px nothing but a scroll box (tables, charts) is wider than the screen. The
    report has no script; the test copy gets a small one (and no CSP) that measures. Headless
    Chromium's window is at least 500 px wide, so the page is shown in a 390 px frame (a
    ``srcdoc`` frame: same origin, so the probe can write its answer into the outer page)."""
    import html
    import json

    from tra_assess.reports.render import render_report

    results = make_results(alpha_title="Staff wellness and secondary traumatic stress in teams")
    text = render_report(results, fmt="html", baseline=make_results(scores=(1.0, 0.5, 2.0)))
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    page = tmp_path / "phone.html"
    framed = html.escape(text.replace("</body>", PROBE + "</body>"), quote=True)
    page.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe srcdoc="{framed}" width="390" height="844" style="border:0"></iframe>'
        "</body></html>",
        encoding="utf-8",
    )
    profile = tmp_path / "profile"
    profile.mkdir()
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", f"--user-data-dir={profile}", "--window-size=390,844",
         "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=TIMEOUT, check=False, cwd=tmp_path,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, flags=re.S)
    assert found, done.stderr[-2000:]

    probe = json.loads(html.unescape(found.group(1)))
    assert probe["width"] == 390
    assert probe["wide"] == [], probe["wide"]
    assert probe["scroll"] <= probe["width"], probe
    assert text.count('class="scroll" role="region"') >= 4  # the wide tables scroll
    assert 'tabindex="0"' in text and 'aria-label="Domain table (scrolls sideways)"' in text
