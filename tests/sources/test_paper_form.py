"""The printable paper form: what it holds, for whom, escaped; and printed by a real browser,
with no item split across pages.

The browser tests need Chromium and poppler's pdfinfo/pdftotext; they are skipped, with the
reason, where these are absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from form_helpers import ROLES_YAML
from tra_assess.questionnaire.load import load_questionnaire, load_questionnaire_file
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.form_html import render_paper_form

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TIMEOUT = 180
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture
def routed(tmp_path: Path) -> Questionnaire:
    path = tmp_path / "routed.yaml"
    path.write_text(ROLES_YAML, encoding="utf-8")
    return load_questionnaire_file(path)


def _squash(text: str) -> str:
    return "".join(text.split())


def test_every_item_has_its_anchors_and_a_tick_box_per_answer(mini: Questionnaire) -> None:
    html = render_paper_form(mini)
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html.lower()
    assert "@page { size: A4;" in html and "break-inside: avoid" in html
    assert html.count('<section class="item"') == len(mini.items)
    # a box per scale value plus not applicable and don't know, per item; one per role
    boxes = len(mini.items) * (len(mini.scale) + 2) + len(mini.roles)
    assert html.count("☐") == boxes
    for item in mini.items:
        assert f'{item.text} <span class="id">[{item.id}]</span>' in html
    for anchor in ("never", "known", "piloted", "routine", "measured"):
        assert f"</strong>: {anchor}</li>" in html
    for field in ("Your role", "Team", "Site", "Date"):
        assert f'<th scope="row">{field}</th>' in html
    assert "outside your line management" in html and "Do not write your name" in html
    assert "http" not in html.replace("http-equiv", "")  # nothing is fetched


def test_people_served_get_their_items_only_and_no_facilitator_guidance(
    routed: Questionnaire,
) -> None:
    served = render_paper_form(routed, role="people-served")
    assert "You can say what you think about the service." in served
    assert "People are welcomed by name." in served
    assert "Staff review crisis plans" not in served and "Staff meetings" not in served
    assert "Ask reception staff" not in served  # the help is for facilitators
    assert "How care is given." not in served
    assert "Answer form for <strong>people-served</strong>" in served
    assert served.count("☐") == 2 * (len(routed.scale) + 2)  # the role is printed, not ticked
    staff = render_paper_form(routed, role="staff")
    assert "Ask reception staff how they greet people." in staff
    assert "You can say what you think" not in staff
    assert "Ask reception staff" not in render_paper_form(routed, role="staff", plain_wording=True)


def test_questionnaire_text_is_escaped(mini: Questionnaire) -> None:
    data = mini.model_dump()
    data["title"] = HOSTILE
    data["domains"][0]["items"][0]["text"] = HOSTILE
    data["domains"][0]["items"][0]["anchors"] = {0: HOSTILE}
    html = render_paper_form(Questionnaire.model_validate(data))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src&#61;x onerror&#61;alert(2)&gt;" in html


def test_letter_paper(mini: Questionnaire) -> None:
    assert "@page { size: letter;" in render_paper_form(mini, paper="letter")


def _print(html: str, folder: Path) -> Path:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (install Debian's 'chromium' to run this test)")
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdftotext, pdfinfo) is not installed")
    page = folder / "form.html"
    page.write_text(html, encoding="utf-8")
    pdf = folder / "form.pdf"
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", page.as_uri(),
        ],
        capture_output=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert pdf.is_file() and pdf.stat().st_size > 0, "Chromium wrote no PDF"
    return pdf


@pytest.mark.browser
def test_the_printed_form_never_splits_an_item_across_pages(tmp_path: Path) -> None:
    q = load_questionnaire("tra-core")
    pdf = _print(render_paper_form(q), tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    assert found is not None
    pages_count = int(found.group(1))
    assert pages_count >= 2
    assert re.search(r"^Page size:\s+59\d[.\d]* x 841[.\d]* pts \(A4\)", info.stdout, re.M)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [_squash(page) for page in text.split("\f")]
    assert len([p for p in pages if p]) == pages_count
    for item in q.items:
        # the whole block on one page: the question, its id, its last anchor and the extras
        start = _squash(f"{item.text} [{item.id}]")
        last = q.scale[-1]
        end = _squash(f"{last.value} – {last.label}: {item.anchors.get(last.value, '')}")
        holding = [n for n, page in enumerate(pages) if start in page]
        assert len(holding) == 1, f"{item.id}: its question is not whole on one page"
        page = pages[holding[0]]
        assert end in page[page.index(start) :], f"{item.id}: split across pages"
        assert "Don'tknow" in page[page.index(start) :]


@pytest.mark.browser
def test_the_form_for_people_served_prints(tmp_path: Path, routed: Questionnaire) -> None:
    pdf = _print(render_paper_form(routed, role="people-served", paper="letter"), tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Page size:\s+612 x 792 pts \(letter\)", info.stdout, re.M)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "You can say what you think about the service." in text
    assert "Staff review crisis plans" not in text
