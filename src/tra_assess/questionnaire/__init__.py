"""Questionnaires (SPEC section 3): the ``tra-questionnaire/1`` model (``model``), loading
from a built-in id or a path with ``include:`` files and source lines (``load``), the checks a
schema cannot express (``checks``), setting profiles (``profile``) and the questionnaire as a
readable Markdown document (``document``, with ``document_sections`` for who answers what,
the setting, the SAMHSA crosswalk and the changes between versions).

May import: :mod:`tra_assess.common`.
"""
