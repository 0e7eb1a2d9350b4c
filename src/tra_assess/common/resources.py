"""Where the built-in questionnaires and report templates live.

After a wheel install they are package data under ``tra_assess/_data``; in a source checkout
(editable install, or running from ``src``) they are the top-level ``questionnaires/`` and
``report_templates/`` folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """Return the folder holding the built-in ``questionnaires`` or ``report_templates``."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"built-in {name} not found (looked in {installed} and {checkout}); "
        "the installation is incomplete: reinstall tra-assess"
    )


def questionnaires_dir() -> Path:
    return data_dir("questionnaires")


def templates_dir() -> Path:
    return data_dir("report_templates")


def builtin_questionnaires() -> dict[str, Path]:
    """Map each built-in questionnaire id to its main file.

    A built-in questionnaire is either ``questionnaires/<id>.yaml`` or
    ``questionnaires/<id>/questionnaire.yaml`` (a manifest whose domains are included).
    """
    root = questionnaires_dir()
    found: dict[str, Path] = {}
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and (entry / "questionnaire.yaml").is_file():
            found[entry.name] = entry / "questionnaire.yaml"
        elif entry.is_file() and entry.suffix in (".yaml", ".yml"):
            found[entry.stem] = entry
    return found
