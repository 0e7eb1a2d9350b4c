"""tra-assess: how trauma-responsive is an organisation in practice?

The package is a typed library with a thin command line on top. The library API:

>>> from tra_assess import load_questionnaire, score_inputs  # doctest: +SKIP
>>> q = load_questionnaire("tra-core")                       # doctest: +SKIP
>>> results = score_inputs(["answers/"], questionnaire=q)     # doctest: +SKIP

Heavy modules (pydantic, PyYAML, Jinja2) are imported only when a function that needs them
is called, so that ``tra-assess --help`` starts fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = [
    "TraAssessError",
    "__version__",
    "load_questionnaire",
    "score_inputs",
]

_LAZY = {
    "TraAssessError": ("tra_assess.common.errors", "TraAssessError"),
    "load_questionnaire": ("tra_assess.questionnaire.model", "load_questionnaire"),
    "score_inputs": ("tra_assess.scoring.batch", "score_inputs"),
}


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'tra_assess' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(target[0])
    return getattr(module, target[1])
