"""Shared small helpers at the bottom of the tree: the exception root and its problems
(``errors``), atomic file writing (``fsutil``), text made safe for the terminal, Markdown and
spreadsheets (``textsafe``), half-up display rounding (``display``), the reproducible clock
(``clock``), where the built-in data lives (``resources``) and safe YAML/JSON reading with
source positions (``yamlio``).

May import: the standard library, PyYAML and pydantic only; nothing else of tra_assess.
"""
