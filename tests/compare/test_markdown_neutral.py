"""compare, trend and plan Markdown escape user text as the report does: no bare link that
GitHub would make live, and no line start that would make a list or a rule."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tra_assess.cli.app import app

ITEMS = ["alpha.one", "alpha.two", "alpha.three", "beta.one", "beta.two", "gamma.one", "gamma.two"]
ORG = "1. See www.evil.example or http://evil.example, mail x@evil.example"


def _results(runner: CliRunner, mini_path: Path, tmp_path: Path) -> list[str]:
    paths = []
    for year in ("2021", "2022", "2023"):
        folder = tmp_path / year
        folder.mkdir()
        doc = {
            "format": "tra-answers/1",
            "questionnaire": {"id": "mini", "version": "2.0"},
            "organization": ORG,
            "assessed_on": f"{year}-01-01",
            "answers": dict.fromkeys(ITEMS, 2),
        }
        (folder / "a.json").write_text(json.dumps(doc), encoding="utf-8")
        out = tmp_path / f"{year}.json"
        assert runner.invoke(app, ["score", str(folder), "-q", str(mini_path), "-o",
                                   str(out)]).exit_code == 0
        paths.append(str(out))
    return paths


def _assert_neutral(text: str) -> None:
    assert ORG not in text
    for bare in ("www.evil", "http://evil", "x@evil"):
        assert bare not in text, bare
    assert not any(line.startswith("1. See") for line in text.splitlines())
    assert "1\\. See www\u2060.evil.example or http\u2060://evil.example" in text


def test_compare_trend_and_plan_markdown_neutralise_links_and_list_starts(
    runner: CliRunner, mini_path: Path, tmp_path: Path
) -> None:
    first, second, third = _results(runner, mini_path, tmp_path)
    outputs = {
        "compare": runner.invoke(app, ["compare", first, third, "--format", "md"]),
        "trend": runner.invoke(app, ["trend", first, second, third, "--format", "md"]),
        "plan": runner.invoke(app, ["plan", third, "--format", "md"]),
    }
    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.output)
        if name != "plan":
            _assert_neutral(result.stdout)
    assert "www.evil" not in outputs["plan"].stdout
    assert "www\u2060.evil.example" in outputs["plan"].stdout
