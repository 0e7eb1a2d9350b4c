"""`score` and `compare` tables read at 80, 100 and 130 columns: names wrap at spaces (never
cut with an ellipsis), ids are never broken, perception gaps are a table of their own."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.cli.compare_view import print_table
from tra_assess.cli.summary import print_summary
from tra_assess.compare.change import compare_results
from tra_assess.results.load import load_results_file
from tra_assess.results.model import Results

WIDTHS = [80, 100, 130]
LONG_TITLE = "Staff wellness, secondary traumatic stress and organisational resilience"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Results, Results, Path]:
    from tra_assess.demo.build import make_demo

    folder = tmp_path_factory.mktemp("demo") / "d"
    make_demo(folder, respondents=40, seed=3)
    before = load_results_file(folder / "results-baseline.json")
    after = load_results_file(folder / "results.json")
    return before, after, folder


def _stressed(results: Results) -> Results:
    """Long titles, a domain capped by its longest-named items, a flagged perception gap."""
    r = results.model_copy(deep=True)
    r.domains[0].title = LONG_TITLE
    ids = sorted((i.id for i in r.items if i.domain == r.domains[1].id), key=len)
    r.domains[1].capped_by = ids[-2:]
    assert r.groups is not None and r.groups.perception_gaps
    gap = r.groups.perception_gaps[0]
    gap.flagged = True
    gap.high, gap.low = "leadership and governance team", "people served at the front desk"
    return r


def _render(render, width: int) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=False, color_system=None,
                      highlight=False, markup=False, emoji=False)
    render(console)
    return out.getvalue()


def _words(text: str) -> set[str]:
    return set(text.split())


@pytest.mark.parametrize("width", WIDTHS)
def test_score_table_wraps_names_and_keeps_ids_whole(demo, width: int) -> None:  # type: ignore[no-untyped-def]
    results = _stressed(demo[1])
    text = _render(lambda c: print_summary(results, c), width)
    assert all(len(line) <= width for line in text.splitlines())
    assert "…" not in text and "..." not in text
    words = _words(text)
    for domain in results.domains:
        for word in domain.title.split():
            assert word in words, f"{word!r} of {domain.title!r} is cut at {width}"
    for item_id in results.domains[1].capped_by:
        assert re.search(rf"(?<![\w.-]){re.escape(item_id)}(?![\w.-])", text), item_id
    # every id in the output is whole: nothing that looks like a piece of one
    known = {i.id for i in results.items}
    for token in re.findall(r"\b[a-z]+\.[a-z0-9.-]+", text):
        assert token.rstrip(".,") in known, f"{token!r}: a broken id at {width}"


@pytest.mark.parametrize("width", WIDTHS)
def test_perception_gaps_are_a_small_table(demo, width: int) -> None:  # type: ignore[no-untyped-def]
    results = _stressed(demo[1])
    text = _render(lambda c: print_summary(results, c), width)
    assert "Perception gaps" in text
    table = text.split("Perception gaps", 1)[1]
    header = next(line for line in table.splitlines() if "Highest" in line)
    assert "Domain" in header and "Lowest" in header and "Gap" in header
    gap = results.groups.perception_gaps[0]  # type: ignore[union-attr]
    for word in (*gap.high.split(), *gap.low.split()):
        assert word in _words(table)
    assert "perception gap in" not in text  # no longer one long sentence in the footer


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_table_reads_at_width(demo, width: int) -> None:  # type: ignore[no-untyped-def]
    before, after, _ = demo
    after = after.model_copy(deep=True)
    before = before.model_copy(deep=True)
    after.domains[0].title = before.domains[0].title = LONG_TITLE
    comparison = compare_results(before, after)
    text = _render(lambda c: print_table(comparison, c), width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines)
    assert "…" not in text
    words = _words(text)
    for row in comparison.domains:
        for word in row.title.split():
            assert word in words, f"{word!r} of {row.title!r} is cut at {width}"
    for item in comparison.items_moved:
        assert any(line.strip() == item.id for line in lines), f"{item.id} not on its own line"


def test_cli_tables_at_80_columns(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, folder = demo
    runner = CliRunner()
    result = runner.invoke(app, ["compare", str(folder / "results-baseline.json"),
                                 str(folder / "results.json")], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "…" not in result.stdout
    result = runner.invoke(app, ["score", str(folder / "answers"), "--group-by", "team"],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "…" not in result.stdout


def test_a_domain_held_at_its_score_does_not_read_gap_zero(demo) -> None:  # type: ignore[no-untyped-def]
    from tra_assess.cli.summary import _flags

    domain = demo[1].domains[0].model_copy(
        update={"unverified": ["x.one"], "meets_target": False, "gap": 0.0, "capped_by": []}
    )
    flags = _flags(domain)
    assert "unverified" in flags and "held below the target" in flags
    assert "gap 0.00" not in flags
    short = domain.model_copy(update={"gap": 0.25})
    assert "gap 0.25" in _flags(short)
