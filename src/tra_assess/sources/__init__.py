"""Reading answers (SPEC section 5): answer documents in YAML or JSON (``answers``, with the
fast YAML reader ``yamlfast``), finding inputs in files, folders and stdin (``inputs``), CSV, TSV
and xlsx tables and their survey-platform layouts (``tables``, ``layout``, ``long``, ``blocks``),
blank answer sheets (``sheets``) and the answers JSON schema (``schema``). Every reader hands the
scorer the same :class:`~tra_assess.sources.answers.Response` record, with a location for each
problem.

May import: :mod:`tra_assess.questionnaire` and :mod:`tra_assess.common`.
"""
