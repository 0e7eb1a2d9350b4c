"""The CSV delimiter is the one whose header names the most columns; cells may be large."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.scoring.batch import score_inputs
from tra_assess.sources.exports.layout import HeaderMatcher
from tra_assess.sources.exports.tables import sniff_delimiter
from tra_assess.sources.sheets import csv_header


def _table(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_tra_core_template_header_any_delimiter(tmp_path: Path, delimiter: str) -> None:
    q = load_questionnaire("tra-core")
    header = csv_header(q)
    assert sum("," in cell for cell in header) > 10  # item texts with commas
    rows = [
        ["r1", "Riverbend", "lead", "", "", "2026-01-05", *["3"] * len(q.items)],
        ["r2", "Riverbend", "staff", "", "", "2026-01-05", *["1"] * len(q.items)],
    ]
    text = _table(header, rows, delimiter)
    if delimiter == ";":  # Excel style: cells with commas are not quoted
        with_comma = next(cell for cell in header if "," in cell and '"' not in cell)
        assert f";{with_comma};" in text
    path = tmp_path / "core.csv"
    path.write_text(text, encoding="utf-8")
    outcome = score_inputs([path], questionnaire=q)
    assert outcome.problems == []
    # free-text roles are not tra-core's: scored on every item, and said so
    assert len(outcome.warnings) == 1 and "'lead', 'staff' is not one of" in outcome.warnings[0]
    assert outcome.results.respondents == 2
    assert outcome.results.overall.score == pytest.approx(2.0)


def test_semicolon_header_with_a_quoted_comma_text(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text('respondent_id;"alpha.one: First, item, x";alpha.two\nr1;3;2\nr2;1;2\n')
    outcome = score_inputs([path], questionnaire=mini_path)
    assert outcome.problems == []
    items = {item.id: item for item in outcome.results.items}
    assert items["alpha.one"].score == pytest.approx(2.0)
    assert items["alpha.two"].score == pytest.approx(2.0)


def test_sniff_ties_prefer_most_fields_then_comma(mini_path: Path) -> None:
    from tra_assess.questionnaire.load import load_questionnaire_file

    matcher = HeaderMatcher(load_questionnaire_file(mini_path))
    # no header cell names anything: the most fields wins
    assert sniff_delimiter("a;b;c,d\n", matcher) == ";"
    assert sniff_delimiter("a\tb\tc\n", matcher) == "\t"
    # equal matches and fields: comma
    assert sniff_delimiter("x\n", matcher) == ","
    # more matches beat more fields
    assert sniff_delimiter("alpha.one;alpha.two, a, b, c\n", matcher) == ";"
    assert sniff_delimiter("alpha.one,alpha.two;a;b;c;d\n", matcher) == ","


def test_cell_over_128_kb_in_long_layout(tmp_path: Path, mini_path: Path) -> None:
    note = "Evidence " + "x" * 200_000
    path = tmp_path / "long.csv"
    path.write_text(
        "respondent_id,item,value,note\n"
        f'r1,alpha.one,3,"{note}"\n'
        "r1,alpha.two,2,\n"
        "r2,alpha.one,1,\n"
    )
    outcome = score_inputs([path], questionnaire=mini_path)
    assert outcome.problems == []
    assert outcome.results.respondents == 2
    assert [(n.item, n.text) for n in outcome.results.notes] == [("alpha.one", note)]
    assert csv.field_size_limit() >= 20 * 1024 * 1024
