"""A built-in questionnaire's validated copy, so that loading it reads no YAML.

Reading a built-in questionnaire from YAML (eleven files for ``tra-core``) and checking it
costs 30-50 ms on every command; its validated model read from JSON costs about 1 ms. So each
built-in questionnaire ships ``questionnaire.compiled.json`` beside its ``questionnaire.yaml``:
a first line naming the format, the tra-assess version that wrote it and the SHA-256 of every
source file, then the model as JSON.

The copy is used only when every source file still has its recorded digest and the version is
this one; anything else (an edited or added include, a damaged copy, another version) reads
the YAML, so an edited questionnaire is never served from a stale copy. The copies are
regenerated with ``python -m tra_assess.questionnaire.precompile``, and a test fails when a
shipped copy differs from a fresh one. Only built-in questionnaires are read this way: a copy
skips the cross-checks that YAML loading runs, so it is trusted only inside the installation.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from tra_assess import __version__
from tra_assess.questionnaire.model import Questionnaire

__all__ = ["FORMAT", "compiled_path", "digest", "read_compiled"]

FORMAT = "tra-questionnaire-compiled/1"
SUFFIX = ".compiled.json"


def compiled_path(main: Path) -> Path:
    """Where the validated copy of the questionnaire whose main file is ``main`` lives."""
    return main.with_name(main.stem + SUFFIX)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_compiled(main: Path) -> Questionnaire | None:
    """The validated copy of ``main``'s questionnaire, or None when there is none or it is
    not exactly what the source files give today."""
    try:
        header_line, _, body = compiled_path(main).read_bytes().partition(b"\n")
        header = json.loads(header_line)
        if (
            not isinstance(header, dict)
            or header.get("format") != FORMAT
            or header.get("version") != __version__
        ):
            return None
        sources = header.get("sources")
        if not isinstance(sources, dict) or "." not in sources:
            return None
        folder = main.parent
        for name, recorded in sources.items():
            path = main if name == "." else folder / name
            if digest(path) != recorded:
                return None
        return Questionnaire.model_validate_json(body)
    except (OSError, ValueError, ValidationError):
        return None
