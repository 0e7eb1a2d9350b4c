"""Which questionnaire a table is for is decided from its first lines (SPEC section 5), read
without the rest of the file: the same answer as reading all of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.sources import fit
from tra_assess.sources.answers import Source
from tra_assess.sources.exports import tables
from tra_assess.sources.exports.csvtext import decode_table_head
from tra_assess.sources.options import DEFAULT

QUICK = load_questionnaire("tra-quick")
CORE = load_questionnaire("tra-core")


def _source(path: Path) -> Source:
    return Source(0, str(path), "csv", file=str(path))


def test_a_head_ends_at_its_last_whole_line_even_inside_a_character() -> None:
    data = "a,b\nÉcole,ü\n".encode()
    cut = data[: data.index("ü".encode()) + 1]  # half of the two bytes of ü
    assert decode_table_head(cut, "t.csv", None) == "a,b\n"
    assert decode_table_head("\ufeffa,b\nc".encode("utf-8-sig"), "t.csv", None) == "a,b\n"
    assert decode_table_head("a;b\nc;d\n".encode("utf-16"), "t.csv", None) == "a;b\nc;d\n"
    assert decode_table_head(b"a,b\rc,d", "t.csv", None) is None  # no line end: read it all


def test_a_wide_table_is_matched_on_its_header_without_reading_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "quick.csv"
    header = ",".join(i.id for i in QUICK.items) + "\n"
    path.write_text(header + (",".join("3" for _ in QUICK.items) + "\n") * 200, encoding="utf-8")
    whole = fit.best_builtin([_source(path)], DEFAULT)
    whole_warning = fit.coverage_warning(CORE, [_source(path)], DEFAULT)
    monkeypatch.setattr(tables, "HEAD_BYTES", len(header) + 100)
    text, whole_file = tables.table_head(_source(path))
    assert not whole_file and text.startswith(header) and len(text) < len(header) + 100
    head = fit.best_builtin([_source(path)], DEFAULT)
    assert head[0].id == whole[0].id == "tra-quick" and head[1] == whole[1]
    assert fit.coverage_warning(CORE, [_source(path)], DEFAULT) == whole_warning
    assert whole_warning[0].startswith(f"the export matches only 14 of the {len(CORE.items)}")


def test_a_long_table_whose_first_lines_hold_too_few_rows_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "long.csv"
    lines = ["respondent_id,item,value"]
    for n in range(40):
        lines.extend(f"r{n},{item.id},3" for item in QUICK.items)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(tables, "HEAD_BYTES", 200)  # a few rows: not every item
    assert tables.table_head(_source(path))[0].count("\n") < len(QUICK.items)
    q, warnings = fit.best_builtin([_source(path)], DEFAULT)
    assert q.id == "tra-quick"
    assert f"({len(QUICK.items)} of its {len(QUICK.items)} items" in warnings[0]
