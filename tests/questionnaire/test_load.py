"""Questionnaire loading: includes, error lines in the right file, derived views."""

from __future__ import annotations

from pathlib import Path

import pytest

from tra_assess.common.errors import InvalidInputError, UsageError
from tra_assess.questionnaire.load import load_questionnaire, load_questionnaire_file

MANIFEST = """\
format: tra-questionnaire/1
id: inc
version: "1"
title: Included
scale:
  - {value: 0, label: Absent}
  - {value: 1, label: Present}
levels:
  - {id: low, label: Low, min_score: 0}
  - {id: high, label: High, min_score: 0.5}
domains:
  - include: parts/one.yaml
  - id: two
    title: Two
    items:
      - {id: two.a, text: Two a.}
"""

PART = """\
id: one
title: One
items:
  - id: one.a
    text: One a.
  - id: one.b
    text: One b.
    critical: perhaps
"""


def _write(tmp_path: Path, manifest: str, part: str) -> Path:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "one.yaml").write_text(part)
    main = tmp_path / "q.yaml"
    main.write_text(manifest)
    return main


def test_include_is_inlined(tmp_path: Path) -> None:
    q = load_questionnaire_file(_write(tmp_path, MANIFEST, PART.replace("perhaps", "true")))
    assert [d.id for d in q.domains] == ["one", "two"]
    assert [i.id for i in q.items] == ["one.a", "one.b", "two.a"]
    assert q.item_by_id["one.b"].critical is True
    assert q.item_domain["two.a"] == "two"
    assert q.default_target == "low"  # no target: the level below the top


def test_error_in_included_file_names_that_file_and_line(tmp_path: Path) -> None:
    main = _write(tmp_path, MANIFEST, PART)
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(main, display="q.yaml")
    assert caught.value.lines() == [
        "parts/one.yaml:8: item 'one.b': 'critical' must be true or false"
    ]


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    manifest = MANIFEST.replace("title: Two", "titel: Two").replace('version: "1"', "version: 1.5")
    main = _write(tmp_path, manifest, PART.replace("one.b", "one.a"))
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(main, display="q.yaml")
    lines = caught.value.lines()
    assert "q.yaml:3: 'version' must be a string: quote it, for example version: \"1.0\"" in lines
    assert "q.yaml:14: domain 'two': unknown key 'titel' (did you mean 'title'?)" in lines
    assert "q.yaml:13: domain 'two': 'title' is required" in lines
    assert any(
        line.startswith(
            "parts/one.yaml:6: item 'one.a': id is used twice (first at parts/one.yaml:4"
        )
        for line in lines
    ), lines
    assert "parts/one.yaml:8: item 'one.a': 'critical' must be true or false" in lines


def test_missing_include_is_reported_once(tmp_path: Path) -> None:
    main = tmp_path / "q.yaml"
    main.write_text(MANIFEST)
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(main, display="q.yaml")
    assert caught.value.lines() == ["q.yaml:12: included file not found: parts/one.yaml"]


def test_unknown_reference_is_usage_error() -> None:
    with pytest.raises(UsageError):
        load_questionnaire("definitely-not-here")


def test_level_for_score_uses_tolerance(mini) -> None:  # type: ignore[no-untyped-def]
    assert mini.level_for_score(0).id == "low"
    assert mini.level_for_score(1.4999).id == "low"
    assert mini.level_for_score(1.5 - 1e-10).id == "mid"
    assert mini.level_for_score(2.5).id == "high"
    assert mini.level_for_score(4).id == "top"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("format: tra-questionnaire/1\n  id: x\n", "q.yaml:2: invalid YAML"),
        ("- just\n- a list\n", "q.yaml:1: expected a questionnaire mapping"),
        ("\x00\x01binary", "q.yaml: this is a binary file"),
    ],
)
def test_broken_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(path, display="q.yaml")
    assert caught.value.lines()[0].startswith(expected), caught.value.lines()


def test_unquoted_yes_no_label_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        MANIFEST.replace("label: Absent", "label: No").replace("  - include: parts/one.yaml\n", "")
    )
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(path, display="q.yaml")
    assert caught.value.lines() == [
        "q.yaml:6: scale entry 1: 'label' must be text: YAML reads an unquoted yes/no/on/off/"
        "true/false as true or false, so quote it"
    ]


def test_an_impossible_date_is_one_line_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(MANIFEST.replace("title: Included", "title: 2026-13-45"))
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(path, display="q.yaml")
    assert caught.value.lines() == ["q.yaml:4: invalid YAML value: month must be in 1..12"]


def test_aliases_are_refused_in_questionnaires_at_once(tmp_path: Path) -> None:
    """A "billion laughs" questionnaire fails fast instead of exhausting memory."""
    levels = ["x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    path = tmp_path / "q.yaml"
    path.write_text(MANIFEST + "\n".join(levels) + "\n")
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(path, display="q.yaml")
    assert caught.value.lines() == [
        "q.yaml:18: YAML aliases (*name) are not allowed in questionnaire files: "
        "write the value out in full"
    ]


def test_a_key_written_twice_is_an_error_not_a_silent_override(tmp_path: Path) -> None:
    main = _write(tmp_path, MANIFEST, PART.replace("perhaps", "true\n    critical: false"))
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(main, display="q.yaml")
    assert caught.value.lines() == [
        "parts/one.yaml:9: key 'critical' is written twice (also on line 8): keep one"
    ]


def test_validate_takes_a_questionnaire_folder_and_explains_a_plain_folder(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from tra_assess.cli.app import app

    core = Path(__file__).resolve().parents[2] / "questionnaires" / "tra-core"
    result = CliRunner().invoke(app, ["questionnaires", "validate", str(core), str(tmp_path)])
    assert result.exit_code == 2
    assert "tra-core 1.1.0: 10 domains, 80 items" in result.stdout
    assert result.stderr == f"error: {tmp_path}: is a folder; give the questionnaire's YAML file\n"


@pytest.mark.parametrize(
    ("include", "expected"),
    [
        ("/etc/passwd", "'include' must be a relative file path"),
        ("a" * 5000, "included file not found: "),
    ],
)
def test_absolute_or_impossible_includes_are_one_line(
    tmp_path: Path, include: str, expected: str
) -> None:
    text = (Path(__file__).parents[1] / "data" / "mini.yaml").read_text()
    path = tmp_path / "q.yaml"
    path.write_text(text.replace("domains:\n", f"domains:\n  - include: {include}\n", 1))
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(path)
    lines = [str(p) for p in caught.value.problems]
    assert any(line.startswith(f"{path}:23: {expected}") and len(line) < 250 for line in lines)
