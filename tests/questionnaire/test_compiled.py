"""The built-in questionnaires' validated copies: up to date, equal to the YAML, never stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tra_assess import __version__
from tra_assess.common.resources import builtin_questionnaires
from tra_assess.questionnaire import compiled as compiled_module
from tra_assess.questionnaire.compiled import compiled_path, read_compiled
from tra_assess.questionnaire.load import (
    included_files,
    load_questionnaire,
    load_questionnaire_file,
)
from tra_assess.questionnaire.precompile import write_compiled

BUILTINS = sorted(builtin_questionnaires().items())


@pytest.mark.parametrize(("qid", "main"), BUILTINS, ids=[qid for qid, _ in BUILTINS])
def test_shipped_copy_is_current(qid: str, main: Path, tmp_path: Path) -> None:
    """Regenerate with: python -m tra_assess.questionnaire.precompile"""
    copy = tmp_path / main.parent.name
    shutil.copytree(main.parent, copy)
    fresh = write_compiled(copy / main.name, included_files(copy / main.name))
    assert compiled_path(main).read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
        f"{compiled_path(main)} is stale: run python -m tra_assess.questionnaire.precompile"
    )


@pytest.mark.parametrize(("qid", "main"), BUILTINS, ids=[qid for qid, _ in BUILTINS])
def test_builtin_id_is_read_from_the_copy_and_equals_the_yaml(qid: str, main: Path) -> None:
    from_copy = read_compiled(main)
    assert from_copy is not None
    assert load_questionnaire(qid) == from_copy == load_questionnaire_file(main)


@pytest.fixture
def core_copy(tmp_path: Path) -> Path:
    main = builtin_questionnaires()["tra-core"]
    copy = tmp_path / "tra-core"
    shutil.copytree(main.parent, copy)
    return copy / "questionnaire.yaml"


def test_copy_lists_every_source_file(core_copy: Path) -> None:
    header = json.loads(compiled_path(core_copy).read_text(encoding="utf-8").splitlines()[0])
    assert header["version"] == __version__
    expected = {
        ".",
        *(str(p.relative_to(core_copy.parent)) for p in core_copy.parent.glob("domains/*.yaml")),
    }
    assert set(header["sources"]) == expected
    assert read_compiled(core_copy) == load_questionnaire_file(core_copy)


def test_an_edited_include_is_read_from_yaml(core_copy: Path) -> None:
    domain = core_copy.parent / "domains" / "intake.yaml"
    domain.write_text(domain.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert read_compiled(core_copy) is None


def test_an_edited_main_file_is_read_from_yaml(core_copy: Path) -> None:
    text = core_copy.read_text(encoding="utf-8")
    core_copy.write_text(text.replace("version: 1.1.0", "version: 1.1.1", 1), encoding="utf-8")
    assert read_compiled(core_copy) is None
    assert load_questionnaire_file(core_copy).version == "1.1.1"


def test_a_missing_include_is_read_from_yaml(core_copy: Path) -> None:
    (core_copy.parent / "domains" / "crisis.yaml").unlink()
    assert read_compiled(core_copy) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: "not json\n" + text.split("\n", 1)[1],
        lambda text: text.replace("tra-questionnaire-compiled/1", "tra-questionnaire-compiled/9"),
        lambda text: text.replace(f'"version": "{__version__}"', '"version": "0.0.1"'),
        lambda text: text.replace('"critical":false', '"critical":"no"', 1),
        lambda text: "",
        lambda text: "[1, 2]\n" + text.split("\n", 1)[1],
    ],
)
def test_a_damaged_or_foreign_copy_is_ignored(core_copy: Path, damage: object) -> None:
    path = compiled_path(core_copy)
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    assert read_compiled(core_copy) is None


def test_no_copy_is_none(core_copy: Path) -> None:
    compiled_path(core_copy).unlink()
    assert read_compiled(core_copy) is None


def test_a_user_path_is_always_read_from_yaml(
    core_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy beside a user's file is not trusted: it would skip the cross-checks."""
    calls: list[Path] = []
    monkeypatch.setattr(compiled_module, "read_compiled", lambda main: calls.append(main))
    q = load_questionnaire(core_copy)
    assert q.id == "tra-core" and calls == []
    load_questionnaire("tra-core")
    assert calls == [builtin_questionnaires()["tra-core"]]
