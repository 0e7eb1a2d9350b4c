"""Writing the validated copies of the built-in questionnaires (a maintainer's step).

    python -m tra_assess.questionnaire.precompile

writes ``questionnaire.compiled.json`` beside every built-in questionnaire's main file (see
:mod:`tra_assess.questionnaire.compiled` for what it holds and when it is used). Run it after
editing a built-in questionnaire; a test fails while a shipped copy is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tra_assess import __version__
from tra_assess.common.fsutil import atomic_write
from tra_assess.common.resources import builtin_questionnaires
from tra_assess.questionnaire.compiled import FORMAT, compiled_path, digest
from tra_assess.questionnaire.load import included_files, load_questionnaire_file

__all__ = ["regenerate", "write_compiled"]


def write_compiled(main: Path, includes: list[str]) -> Path:
    """Write the validated copy of the questionnaire whose main file is ``main``, made from
    the YAML (``includes``: its included files, relative to the main file's folder)."""
    q = load_questionnaire_file(main)
    sources = {".": digest(main)}
    for name in sorted(includes):
        sources[name] = digest(main.parent / name)
    header = {"format": FORMAT, "version": __version__, "sources": sources}
    text = json.dumps(header, sort_keys=True) + "\n" + q.model_dump_json() + "\n"
    target = compiled_path(main)
    atomic_write(target, text)
    return target


def regenerate() -> list[Path]:
    """Write the validated copy of every built-in questionnaire."""
    return [
        write_compiled(main, included_files(main)) for main in builtin_questionnaires().values()
    ]


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    for written in regenerate():
        sys.stdout.write(f"wrote {written}\n")
