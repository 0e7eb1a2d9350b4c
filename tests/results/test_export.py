"""`export`: the results as flat tables that parse with csv and match the results."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from report_factory import make_results
from tra_assess.cli.app import app
from tra_assess.results.export import export_csv, export_tables, export_xlsx
from tra_assess.results.model import GroupDomain

HOSTILE = '=HYPERLINK("http://evil.example","x")'


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_tables_match_the_results(tmp_path: Path) -> None:
    results = make_results(item_text=HOSTILE)
    written = export_csv(results, tmp_path / "t")
    assert [p.name for p in written] == [
        "overall.csv", "domains.csv", "items.csv", "priorities.csv", "groups.csv",
        "principles.csv",
    ]
    domains = _read(tmp_path / "t" / "domains.csv")
    assert [d["domain"] for d in domains] == ["alpha", "beta", "gamma"]
    for row, domain in zip(domains, results.domains, strict=True):
        assert float(row["score"]) == domain.score
        assert row["level"] == domain.level
        assert row["meets_target"] == ("true" if domain.meets_target else "false")
    assert domains[0]["capped_by"] == "alpha.two"
    assert domains[2]["alpha"] == "0.8125" and domains[1]["alpha"] == ""
    items = _read(tmp_path / "t" / "items.csv")
    two = next(i for i in items if i["item"] == "alpha.two")
    assert (two["count_0"], two["count_1"], two["count_2"], two["count_3"], two["count_4"]) == (
        "1", "0", "1", "0", "2"
    )
    assert two["text"] == "'" + HOSTILE
    assert two["noted_4"] == ""  # the factory's file did not count notes
    assert float(two["score"]) == 1.5
    priorities = _read(tmp_path / "t" / "priorities.csv")
    assert [(p["rank"], p["item"], p["in_top"]) for p in priorities] == [
        ("1", "alpha.two", "true"), ("2", "beta.one", "true")
    ]
    overall = _read(tmp_path / "t" / "overall.csv")
    assert len(overall) == 1 and float(overall[0]["score"]) == results.overall.score
    for path in written:
        for row in _read(path):
            assert not any(v.startswith(("=", "+", "@")) for v in row.values())


def test_groups_keep_suppression(tmp_path: Path) -> None:
    results = make_results()
    assert results.groups is not None
    volunteer = results.groups.groups[2]
    volunteer.domains[1] = GroupDomain(id="beta", score=1.23456, level="low", suppressed=True)
    export_csv(results, tmp_path)
    rows = _read(tmp_path / "groups.csv")
    lead = [r for r in rows if r["group"] == "lead"]
    assert lead and all(r["n"] == "" and r["score"] == "" and r["level"] == "" for r in lead)
    assert all(r["suppressed"] == "true" for r in lead)
    beta = next(r for r in rows if r["group"] == "volunteer" and r["domain"] == "beta")
    assert (beta["score"], beta["suppressed"]) == ("", "true")
    overall = next(r for r in rows if r["group"] == "volunteer" and r["domain"] == "overall")
    assert (overall["score"], overall["suppressed"]) == ("", "true")
    staff = next(r for r in rows if r["group"] == "staff" and r["domain"] == "alpha")
    assert (staff["n"], staff["score"]) == ("4", "2.0")
    assert "1.23456" not in (tmp_path / "groups.csv").read_text("utf-8")


def test_noted_ratings_per_value(tmp_path: Path) -> None:
    results = make_results()
    results.evidence_counted = True
    results.items[1].noted = {"4": 2}
    export_csv(results, tmp_path)
    two = next(i for i in _read(tmp_path / "items.csv") if i["item"] == "alpha.two")
    assert (two["noted_0"], two["noted_2"], two["noted_4"]) == ("0", "0", "2")


def test_ungrouped_results_have_no_groups_table() -> None:
    names = [t.name for t in export_tables(make_results(grouped=False))]
    assert names == ["overall", "domains", "items", "priorities", "principles"]


def test_xlsx_one_table_per_sheet() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(make_results(item_text=HOSTILE))))
    assert book.sheetnames == [
        "overall", "domains", "items", "priorities", "groups", "principles"
    ]
    items = book["items"]
    assert items.tables["Items"].ref == "A1:AA8"
    assert items.freeze_panes == "A2"
    assert items["C3"].value == HOSTILE and items["C3"].data_type == "s"
    assert book["domains"]["F2"].value == 2.0


def test_cli(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(make_results().model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, ["export", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r-tables" / "items.csv").is_file()
    result = runner.invoke(app, ["export", str(path), "-f", "xlsx", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 0 and (tmp_path / "x.xlsx").is_file()
    result = runner.invoke(app, ["export", str(path)])
    assert result.exit_code == 2  # --format is required
    result = runner.invoke(app, ["export", str(tmp_path / "none.json"), "-f", "csv"])
    assert result.exit_code == 2 and "no such file" in result.output
    result = runner.invoke(app, ["export", str(path), "-f", "xlsx", "-o", str(path)])
    assert result.exit_code == 2 and "would overwrite the input" in result.output
    result = runner.invoke(app, ["export", str(path), "-f", "csv", "-o", str(tmp_path / "no/t")])
    assert result.exit_code == 2 and "does not exist" in result.output
